import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#cli/local/local-aws.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import type { IngestionRecord } from '#shared/ports/ingestion-store.ts';
import { generateReport } from '#shared/use-cases/generate-report.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import {
  DynamoDbFaultProxy,
  FAULT_KINDS,
  type FaultKind,
} from '../../support/faults/dynamodb-fault-proxy.ts';
import { type DynamoBackend, IngestHarness } from '../../support/ingest-harness.ts';
import { randomRows, surveyCsv } from '../../support/survey-csv.ts';

const YEAR = 2025;
const MAX_RECEIVES = 5;
const REQUEST_TIMEOUT_MS = 1_500;
const LATE_MS = 1_800;
const FAST_READS = { attempts: 5, baseDelayMs: 5, sleep: (ms: number) => wait(ms) };

/** Schedules drawn: a few in `npm test`, more with `npm run test:faults` (FAULT_PROPERTY_RUNS). */
export function propertyRuns(inNpmTest: number): number {
  const configured = Number(process.env.FAULT_PROPERTY_RUNS);
  return Number.isInteger(configured) && configured > 0 ? configured : inNpmTest;
}

const keyOf = (file: number) => `uploads/${YEAR}/property-${file}.csv`;
/** Each file content is drawn from a few fixed row sets: a re-upload may repeat one exactly. */
const contentOf = (content: number) => surveyCsv(randomRows(150 + 40 * content, 9000 + content));

/**
 * The property of issue 15 against a real DynamoDB implementation: random fault schedules over
 * several files (uploads, re-uploads of the same or other content, deletes, redelivered and
 * out-of-order events) leave a year whose report equals a clean run's cell by cell (n, mean,
 * every quantile, suppression), and ingestion records that match.
 */
export function defineIngestPropertySuite(backend: DynamoBackend, runs: number): void {
  describe(`random fault schedules on ${backend}`, () => {
    let dynamoLocal: DynamoDbLocal | undefined;
    let faulty: IngestHarness;
    let clean: IngestHarness;
    let proxy: DynamoDbFaultProxy;
    let client: DynamoDBClient;
    let protocol: IngestionProtocol;

    beforeAll(async () => {
      dynamoLocal = backend === 'dynamodb-local' ? await startDynamoDbLocal() : undefined;
      const shared = dynamoLocal ? { dynamoEndpoint: dynamoLocal.endpoint } : {};
      faulty = await IngestHarness.start(backend, { ...shared, tableName: 'property-faulty' });
      clean = await IngestHarness.start(backend, { ...shared, tableName: 'property-clean' });
      proxy = await DynamoDbFaultProxy.start({
        target: faulty.aws.dynamoEndpoint,
        lateMs: LATE_MS,
      });
      client = new DynamoDBClient({
        endpoint: proxy.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 8,
        requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
      });
      protocol = new IngestionProtocol(
        new DynamoConditionalStore(client, faulty.tableName, {
          maxAttempts: 10,
          baseDelayMs: 1,
          maxDelayMs: 20,
          sleep: wait,
          random: Math.random,
        }),
        FAST_READS,
      );
    });
    afterAll(async () => {
      client?.destroy();
      await proxy?.stop();
      await faulty?.stop();
      await clean?.stop();
      await dynamoLocal?.stop();
    });

    it('gives a clean run’s report and records, whatever the fault schedule', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
            rate: fc.double({ min: 0.05, max: 0.25, noNaN: true }),
            kinds: fc.subarray([...FAULT_KINDS], { minLength: 1 }),
            steps: fc.array(
              fc.oneof(
                fc.record({
                  action: fc.constant('upload' as const),
                  file: fc.integer({ min: 0, max: 2 }),
                  content: fc.integer({ min: 0, max: 3 }),
                }),
                fc.record({
                  action: fc.constant('delete' as const),
                  file: fc.integer({ min: 0, max: 2 }),
                }),
                fc.record({ action: fc.constant('redeliver' as const), event: fc.nat() }),
              ),
              { minLength: 2, maxLength: 7 },
            ),
          }),
          async ({ seed, rate, kinds, steps }) => {
            await emptyBucket(faulty, protocol);
            await emptyBucket(clean, clean.store);
            proxy.configure({ seed, faults: { rate, kinds: kinds as FaultKind[] } });
            const present = new Map<number, number>();
            const events: string[] = [];
            for (const step of steps) {
              if (step.action === 'redeliver') {
                const body = events[step.event % Math.max(1, events.length)];
                if (body) await deliverLikeSqs(faulty, protocol, body);
                continue;
              }
              // A key that holds no object has nothing to delete (s3rver emits no event then).
              if (step.action === 'delete' && !present.has(step.file)) continue;
              const body =
                step.action === 'upload'
                  ? await faulty.put(keyOf(step.file), contentOf(step.content))
                  : await faulty.remove(keyOf(step.file));
              if (step.action === 'upload') present.set(step.file, step.content);
              else present.delete(step.file);
              events.push(body);
              await deliverLikeSqs(faulty, protocol, body);
            }
            proxy.configure({});
            await proxy.settled();

            for (const [file, content] of present) {
              await clean.deliver([await clean.put(keyOf(file), contentOf(content))]);
            }
            expect(await reportCells(protocol)).toEqual(await reportCells(clean.store));
            expect(await shownRecords(protocol)).toEqual(await shownRecords(clean.store));
          },
        ),
        { numRuns: runs, seed: 1515, endOnFailure: true },
      );
      expect(proxy.counts().totalFaults).toBeGreaterThan(0);
    }, 600_000);
  });
}

/** Delivers one message, receiving it again after a failure as SQS does (up to 5 receives). */
async function deliverLikeSqs(harness: IngestHarness, store: IngestionProtocol, body: string) {
  for (let receive = 1; receive <= MAX_RECEIVES; receive++) {
    const response = await harness.deliver([body], { store });
    if (response.batchItemFailures.length === 0) return;
  }
  throw new Error(`a message still failed after ${MAX_RECEIVES} receives: ${body.slice(0, 120)}`);
}

async function emptyBucket(harness: IngestHarness, store: IngestionProtocol): Promise<void> {
  for (const key of await harness.objects.listKeys('uploads/')) {
    await deliverLikeSqs(harness, store, await harness.remove(key));
  }
}

/** The report's cells: n, mean, every quantile, confidence and suppression of every cell. */
async function reportCells(store: IngestionProtocol) {
  const reports = new InMemoryReportStore();
  try {
    const { report } = await generateReport(YEAR, {
      aggregates: store,
      snapshots: reports,
      pointers: reports,
      normalizationUsed: async () => ({ exchangeRates: { USD: 1 }, seniorityRules: {} }),
      baseCountry: 'US',
      thresholds: DEFAULT_THRESHOLDS,
      now: () => new Date('2026-01-05T06:00:00.000Z'),
    });
    return report.cells;
  } catch (error) {
    // No rows, or too few respondents: both runs must refuse the year alike.
    return { error: (error as Error).name };
  }
}

async function shownRecords(store: IngestionProtocol) {
  const records: IngestionRecord[] = await store.listIngestionRecords(YEAR);
  return records.map(({ key, status, accepted, rejected, rejectedByReason, years }) => ({
    key,
    status,
    accepted,
    rejected,
    rejectedByReason,
    years,
  }));
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
