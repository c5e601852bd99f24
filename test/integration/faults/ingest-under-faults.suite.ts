import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#cli/local/local-aws.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { DynamoDbFaultProxy, type FaultKind } from '../../support/faults/dynamodb-fault-proxy.ts';
import { type DynamoBackend, IngestHarness, TABLE } from '../../support/ingest-harness.ts';
import { expectedTotals, randomRows, surveyCsv } from '../../support/survey-csv.ts';

const YEAR = 2025;
/** SQS's receive count before the dead-letter queue, as the stack sets it. */
const MAX_RECEIVES = 5;
/** The client gives up on an answer after this long; a `late` fault answers after LATE_MS. */
const REQUEST_TIMEOUT_MS = 2_000;
const LATE_MS = 2_500;

/**
 * Ingestion through a DynamoDB that disturbs a share of its requests (issue 15): many files
 * uploaded together must give exactly the totals of a clean run, whatever the faults.
 */
export function defineIngestUnderFaultsSuite(backend: DynamoBackend): void {
  describe(`ingestion through a faulty DynamoDB (${backend})`, () => {
    let harness: IngestHarness;
    let proxy: DynamoDbFaultProxy;
    let client: DynamoDBClient;

    beforeAll(async () => {
      harness = await IngestHarness.start(backend);
      proxy = await DynamoDbFaultProxy.start({
        target: harness.aws.dynamoEndpoint,
        lateMs: LATE_MS,
      });
      client = new DynamoDBClient({
        endpoint: proxy.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 8,
        requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
      });
    });
    afterAll(async () => {
      client?.destroy();
      await proxy?.stop();
      await harness?.stop();
    });

    async function ingestAll(bodies: string[], kinds: readonly FaultKind[]) {
      proxy.configure({ faults: { rate: 0.1, kinds } });
      const store = new IngestionProtocol(
        new DynamoConditionalStore(client, TABLE, {
          maxAttempts: 10,
          baseDelayMs: 1,
          maxDelayMs: 5,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          random: () => 0.5,
        }),
      );
      let pending = bodies;
      for (let receive = 1; receive <= MAX_RECEIVES && pending.length > 0; receive++) {
        const failed: string[] = [];
        await Promise.all(
          pending.map(async (body) => {
            const response = await harness.deliver([body], { store });
            if (response.batchItemFailures.length > 0) failed.push(body);
          }),
        );
        pending = failed;
      }
      proxy.configure({});
      await proxy.settled();
      expect(pending, `messages still failing after ${MAX_RECEIVES} receives`).toEqual([]);
    }

    // Issue 15's case: many files uploaded together, a tenth of the requests applied and their
    // answer lost. The property test (ingest-property.suite.ts) draws every other fault kind.
    it('gives the totals of a clean run when 10% of requests are applied but never answered', async () => {
      const files = Array.from({ length: 12 }, (_, index) => randomRows(2_000, 100 + index));
      const keys = files.map((_, index) => `uploads/${YEAR}/faulty-${index}.csv`);
      const bodies: string[] = [];
      for (const [index, rows] of files.entries()) {
        bodies.push(await harness.put(keys[index] ?? '', surveyCsv(rows)));
      }
      await ingestAll(bodies, ['unanswered']);
      // Which requests meet a fault depends on the order concurrent deliveries reach the proxy;
      // every single write meeting every fault is the protocol unit suite's exhaustive test.
      expect(proxy.counts().totalFaults).toBeGreaterThan(0);
      expect(await harness.cellTotals(YEAR)).toEqual(expectedTotals(files.flat(), YEAR));
      for (const [index, key] of keys.entries()) {
        expect(await harness.store.getRecord(key)).toMatchObject({
          status: 'ingested',
          accepted: files[index]?.length,
          rejected: 0,
          years: [YEAR],
        });
      }
    });
  });
}
