import { type AttributeValue, DeleteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localDynamoClient } from '#cli/local/local-aws.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { TempFileRejectionLog } from '#shared/adapters/temp-file-rejection-log.ts';
import { RULES_KEY } from '#shared/bucket-layout.ts';
import { applyRuleOverrides, DEFAULT_RULES, rulesFingerprint } from '#shared/domain/rules/index.ts';
import type { IngestionStore } from '#shared/ports/ingestion-store.ts';
import type { ObjectStore } from '#shared/ports/object-store.ts';
import { partialsOfItem } from '#shared/use-cases/ingestion/partials.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { fileIdOf } from '#shared/use-cases/ingestion/records.ts';
import { InconsistentYearError } from '#shared/use-cases/ingestion/year-reads.ts';
import { repairYear } from '#shared/use-cases/repair-year.ts';
import { type DynamoBackend, IngestHarness, TABLE } from '../support/ingest-harness.ts';
import type { MotoAws } from '../support/moto.ts';
import { expectedTotals, randomRows, surveyCsv, type UsdRow } from '../support/survey-csv.ts';

const YEAR = 2025;

const rowsA: UsdRow[] = [
  { country: 'US', role: 'Backend Developer', seniority: 'senior', monthlyUsd: 9000 },
  { country: 'US', role: 'Backend Developer', seniority: 'senior', monthlyUsd: 10_500.5 },
  { country: 'MX', role: 'Backend Developer', seniority: 'senior', monthlyUsd: 4475 },
  { country: 'MX', role: 'Frontend Developer', seniority: 'junior', monthlyUsd: 1500 },
];
const rowsB: UsdRow[] = [
  { country: 'US', role: 'Backend Developer', seniority: 'senior', monthlyUsd: 8000 },
  { country: 'CA', role: 'Data Engineer', seniority: 'mid', monthlyUsd: 6100.25 },
];

function merged(...groups: UsdRow[][]) {
  return expectedTotals(groups.flat(), YEAR);
}

/**
 * The ingestion invariant, through the real handler on real SDK clients: for every cell, the
 * table holds the aggregate of the accepted rows of exactly the files now in the bucket.
 */
export function defineIngestPipelineSuite(backend: DynamoBackend): void {
  describe(`ingestion pipeline (S3 → SQS → ingest-upload → DynamoDB on ${backend})`, () => {
    let harness: IngestHarness;
    let fileCounter = 0;
    const nextKey = (name = 'survey') => `uploads/${YEAR}/${name}-${++fileCounter}.csv`;

    beforeAll(async () => {
      harness = await IngestHarness.start(backend);
    });
    afterAll(async () => {
      await harness?.stop();
    });
    beforeEach(async () => {
      // Every test starts from an empty bucket so totals are exact.
      for (const key of await harness.objects.listKeys('uploads/')) {
        await harness.deliver([await harness.remove(key)]);
      }
      expect(await harness.cellTotals(YEAR)).toEqual(new Map());
    });

    it.runIf(backend === 'moto')(
      'acknowledges the s3:TestEvent S3 sends first when the notification is configured',
      async () => {
        const response = await harness.deliver([(harness.aws as MotoAws).testEventBody]);
        expect(response.batchItemFailures).toEqual([]);
        expect(await harness.cellTotals(YEAR)).toEqual(new Map());
      },
    );

    it('aggregates an uploaded file into exact per-cell totals', async () => {
      const event = await harness.put(nextKey(), surveyCsv(rowsA));
      const response = await harness.deliver([event]);
      expect(response.batchItemFailures).toEqual([]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
    });

    it('counts a file once however many times its event is delivered', async () => {
      const event = await harness.put(nextKey(), surveyCsv(rowsA));
      await harness.deliver([event]);
      await harness.deliver([event, event]);
      await Promise.all([harness.deliver([event]), harness.deliver([event])]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
    });

    it('recovers exactly when the function crashes while writing partial aggregates', async () => {
      const event = await harness.put(nextKey(), surveyCsv([...rowsA, ...rowsB]));
      const failing = storeFailingOnBatchWrite(harness, 1);
      const first = await harness.deliver([event], { store: failing });
      expect(first.batchItemFailures).toHaveLength(1);
      const retry = await harness.deliver([event]);
      expect(retry.batchItemFailures).toEqual([]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA, rowsB));
    });

    it('writes the errors file whole when writing the partials beside it fails first', async () => {
      const key = nextKey();
      const event = await harness.put(
        key,
        `${surveyCsv(rowsA)}US,Backend Developer,senior,lots,USD,monthly,${YEAR}\n`,
      );
      const failing: IngestionStore = Object.assign(Object.create(harness.store), {
        writePartials: async () => {
          throw new Error('injected partial write failure');
        },
      });
      const slowUploads: ObjectStore = Object.assign(Object.create(harness.objects), {
        putFile: async (...args: Parameters<ObjectStore['putFile']>) => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return harness.objects.putFile(...args);
        },
      });
      const first = await harness.deliver([event], {
        store: failing,
        newRejectionLog: () => new TempFileRejectionLog(slowUploads),
      });
      expect(first.batchItemFailures).toHaveLength(1);
      expect(await harness.readObject(`rejected/${key}.errors.csv`)).toContain('lots');
      const retry = await harness.deliver([event]);
      expect(retry.batchItemFailures).toEqual([]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
    });

    it('recovers exactly when the object stream breaks mid-file', async () => {
      const rows = randomRows(20_000, 7);
      const event = await harness.put(nextKey(), surveyCsv(rows));
      const first = await harness.deliver([event], {
        objects: objectsBreakingAfterFirstChunk(harness),
      });
      expect(first.batchItemFailures).toHaveLength(1);
      await harness.deliver([event]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rows));
    });

    it('recovers exactly when the function crashes after committing but before publishing', async () => {
      const key = nextKey();
      await harness.deliver([await harness.put(key, surveyCsv(rowsA))]);
      const event = await harness.put(key, surveyCsv(rowsB));
      const crashing: IngestionStore = Object.assign(Object.create(harness.store), {
        publish: async () => {
          throw new Error('injected crash before publish');
        },
      });
      const first = await harness.deliver([event], { store: crashing });
      expect(first.batchItemFailures).toHaveLength(1);
      // Until the retry publishes, readers still see exactly the previous version.
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
      await harness.deliver([event]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsB));
    });

    it('replaces the numbers of a key re-uploaded with new content', async () => {
      const key = nextKey();
      await harness.deliver([await harness.put(key, surveyCsv(rowsA))]);
      await harness.deliver([await harness.put(key, surveyCsv(rowsB))]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsB));
      const record = await harness.store.getRecord(key);
      expect(record).toMatchObject({ status: 'ingested', accepted: rowsB.length, rejected: 0 });
    });

    it('keeps the newest version when events for one key arrive out of order', async () => {
      const key = nextKey();
      const older = await harness.put(key, surveyCsv(rowsA));
      const newer = await harness.put(key, surveyCsv(rowsB));
      await harness.deliver([newer]);
      await harness.deliver([older]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsB));
    });

    it('takes a deleted file out of the aggregates, and ignores its late creation event', async () => {
      const keep = nextKey('keep');
      const drop = nextKey('drop');
      await harness.deliver([await harness.put(keep, surveyCsv(rowsA))]);
      const created = await harness.put(drop, surveyCsv(rowsB));
      await harness.deliver([created]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA, rowsB));
      const removed = await harness.remove(drop);
      await harness.deliver([removed]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
      await harness.deliver([created, removed]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
      expect(await harness.store.getRecord(drop)).toMatchObject({ status: 'deleted', accepted: 0 });
    });

    it('loses no update when two files touching the same cells are ingested concurrently', async () => {
      const first = await harness.put(nextKey('a'), surveyCsv(rowsA));
      const second = await harness.put(nextKey('b'), surveyCsv([...rowsA, ...rowsB]));
      await Promise.all([harness.deliver([first]), harness.deliver([second])]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA, rowsA, rowsB));
    });

    it('re-sends batch writes DynamoDB leaves unprocessed, dropping none', async () => {
      const rows = randomRows(3_000, 11);
      const event = await harness.put(nextKey(), surveyCsv(rows));
      const { store, unprocessedReturned } = storeWithUnprocessedItems(harness);
      const response = await harness.deliver([event], { store });
      expect(response.batchItemFailures).toEqual([]);
      expect(unprocessedReturned()).toBeGreaterThan(0);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rows));
    });

    it('decodes object keys exactly as S3 encodes them', async () => {
      const key = `uploads/${YEAR}/Encuesta México + Q1 (final) ${++fileCounter}.csv`;
      const event = await harness.put(key, surveyCsv(rowsA));
      expect(event).toContain('Encuesta+M%C3%A9xico+%2B+Q1');
      await harness.deliver([event]);
      expect(await harness.store.getRecord(key)).toMatchObject({ status: 'ingested', accepted: 4 });
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
    });

    it('ignores objects outside uploads/ and non-CSV objects', async () => {
      // moto filters as the stack configures S3 (prefix uploads/): it sends no event for config/;
      // s3rver notifies every key, so the handler's own check is exercised there.
      const outside =
        backend === 'moto' ? [] : [await harness.put('config/notes.csv', surveyCsv(rowsA))];
      const notCsv = await harness.put(`uploads/${YEAR}/readme.txt`, surveyCsv(rowsA));
      const response = await harness.deliver([...outside, notCsv]);
      expect(response.batchItemFailures).toEqual([]);
      expect(await harness.cellTotals(YEAR)).toEqual(new Map());
      await harness.aws.s3.send(
        new (await import('@aws-sdk/client-s3')).DeleteObjectCommand({
          Bucket: harness.aws.bucketName,
          Key: 'config/notes.csv',
        }),
      );
    });

    it('reports only the failing message of a batch for retry', async () => {
      const good = await harness.put(nextKey(), surveyCsv(rowsA));
      const response = await harness.deliver([good, '{"not":"an s3 event"}']);
      expect(response.batchItemFailures).toHaveLength(1);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
    });

    it('keeps a file counted when a removal event arrives but the key still has an object', async () => {
      // On a versioned bucket, deleting a noncurrent version (or a version id) emits
      // ObjectRemoved:Delete while the key keeps a current object.
      const key = nextKey('versioned');
      await harness.deliver([await harness.put(key, surveyCsv(rowsA))]);
      await harness.deliver([removalOf(await harness.put(key, surveyCsv(rowsB)))]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsB));
      expect(await harness.store.getRecord(key)).toMatchObject({ status: 'ingested', accepted: 2 });
    });

    it('discards the partials of an older version that loses the race to a newer one', async () => {
      const key = nextKey('race');
      const older = await harness.put(key, surveyCsv(rowsA));
      const gate = new Gate();
      const slowDelivery = harness.deliver([older], {
        objects: objectsWaitingAtEnd(harness, gate),
      });
      await gate.reached;
      await harness.deliver([await harness.put(key, surveyCsv(rowsB))]);
      gate.open();
      const slow = await slowDelivery;
      expect(slow.batchItemFailures).toEqual([]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsB));
      expect(await partialPayloads(harness)).toBe(merged(rowsB).size);
    });

    it('commits exactly one of two concurrent runs of the same event', async () => {
      const event = await harness.put(nextKey('twins'), surveyCsv([...rowsA, ...rowsB]));
      const gate = new Gate(2);
      const objects = objectsWaitingAtEnd(harness, gate);
      const runs = Promise.all([
        harness.deliver([event], { objects }),
        harness.deliver([event], { objects }),
      ]);
      await gate.reached;
      gate.open();
      for (const response of await runs) expect(response.batchItemFailures).toEqual([]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA, rowsB));
      expect(await partialPayloads(harness)).toBe(merged(rowsA, rowsB).size);
    });

    it('retracts a year a re-uploaded file no longer has rows in', async () => {
      const key = nextKey('years');
      const twoYears = `${surveyCsv(rowsA, YEAR - 1)}${surveyCsv(rowsB, YEAR).split('\n').slice(1).join('\n')}`;
      await harness.deliver([await harness.put(key, twoYears)]);
      expect(await harness.cellTotals(YEAR - 1)).toEqual(expectedTotals(rowsA, YEAR - 1));
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsB));
      await harness.deliver([await harness.put(key, surveyCsv(rowsA, YEAR))]);
      expect(await harness.cellTotals(YEAR - 1)).toEqual(new Map());
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
    });

    it('names the file whose partials are missing, and a redelivery of its event repairs it', async () => {
      const key = nextKey('torn');
      const event = await harness.put(key, surveyCsv(rowsA));
      await harness.deliver([event]);
      await deleteOnePartial(harness);
      const error = await harness.store.readYear(YEAR).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InconsistentYearError);
      expect((error as Error).message).toContain(`${key} (sequencer`);
      expect((error as Error).message).toContain(`salary-report repair ${YEAR}`);

      const redelivery = await harness.deliver([event]);
      expect(redelivery.batchItemFailures).toEqual([]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
      const record = await harness.store.getRecord(key);
      expect(record).toMatchObject({ status: 'ingested', accepted: rowsA.length });
      expect(record?.sequencer).toMatch(/R0001$/);
      expect(await partialPayloads(harness)).toBe(merged(rowsA).size);
    });

    it('repairs a year: pointers re-derived from the records, missing partials ingested again', async () => {
      const intact = nextKey('intact');
      const damaged = nextKey('damaged');
      await harness.deliver([await harness.put(intact, surveyCsv(rowsA))]);
      await harness.deliver([await harness.put(damaged, surveyCsv(rowsB))]);
      await deleteOnePartial(harness, damaged);
      await expect(harness.store.readYear(YEAR)).rejects.toThrow(InconsistentYearError);
      const repairOnce = async () => {
        const repair = await repairYear(YEAR, {
          ...harness.dependencies(),
          aggregates: harness.store,
        });
        // Files deleted by earlier tests are listed too (their pointers are checked): unchanged.
        return repair.files.filter((file) => file.key === damaged || file.key === intact);
      };

      expect(await repairOnce()).toEqual([
        {
          key: damaged,
          action: 'ingested-again',
          outcome: { kind: 'ingested', key: damaged, accepted: rowsB.length, rejected: 0 },
        },
        { key: intact, action: 'unchanged' },
      ]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA, rowsB));
      expect(await repairOnce()).toEqual([
        { key: damaged, action: 'unchanged' },
        { key: intact, action: 'unchanged' },
      ]);
    });

    it("lists a whole-file rejection among the uploads of its key's year", async () => {
      const key = nextKey('refused');
      await harness.deliver([await harness.put(key, 'país;puesto\nMéxico;Backend\n')]);
      const records = await harness.store.listIngestionRecords(YEAR);
      expect(records.map((record) => [record.key, record.status])).toEqual([[key, 'rejected']]);
    });

    it('records the fingerprint of the rules in force: the shipped ones, then the overrides', async () => {
      const shipped = nextKey();
      await harness.deliver([await harness.put(shipped, surveyCsv(rowsA))]);
      expect(await harness.store.getRecord(shipped)).toMatchObject({
        rulesFingerprint: rulesFingerprint(DEFAULT_RULES),
      });

      const overrides = JSON.stringify({ roles: { backend: ['Server-side Ninja'] } });
      // Not through harness.put: no event comes for config/ where S3 filters by prefix (moto).
      await harness.aws.s3.send(
        new (await import('@aws-sdk/client-s3')).PutObjectCommand({
          Bucket: harness.aws.bucketName,
          Key: RULES_KEY,
          Body: overrides,
        }),
      );
      try {
        const overridden = nextKey();
        await harness.deliver([await harness.put(overridden, surveyCsv(rowsA))]);
        const inForce = applyRuleOverrides(DEFAULT_RULES, {
          rulesFile: { name: RULES_KEY, text: overrides },
        });
        expect(await harness.store.getRecord(overridden)).toMatchObject({
          rulesFingerprint: rulesFingerprint(inForce),
        });
        expect(rulesFingerprint(inForce)).not.toBe(rulesFingerprint(DEFAULT_RULES));
      } finally {
        await harness.aws.s3.send(
          new (await import('@aws-sdk/client-s3')).DeleteObjectCommand({
            Bucket: harness.aws.bucketName,
            Key: RULES_KEY,
          }),
        );
      }
    });

    it('ingests upper-case .CSV uploads from Excel', async () => {
      const key = `uploads/${YEAR}/Encuesta ${++fileCounter}.CSV`;
      await harness.deliver([await harness.put(key, surveyCsv(rowsA))]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rowsA));
    });

    it('aggregates a file of a few hundred thousand rows exactly', async () => {
      const rows = randomRows(300_000, 2025);
      const event = await harness.put(nextKey('large'), surveyCsv(rows));
      const response = await harness.deliver([event]);
      expect(response.batchItemFailures).toEqual([]);
      expect(await harness.cellTotals(YEAR)).toEqual(merged(rows));
    });
  });
}

/** The S3 notification of a permanent version delete, for a key that still has an object. */
function removalOf(createdBody: string): string {
  const message = JSON.parse(createdBody) as { Records: Array<{ eventName: string }> };
  for (const record of message.Records) record.eventName = 'ObjectRemoved:Delete';
  return JSON.stringify(message);
}

/** Lets `parties` callers run up to a point, then holds them until the test opens it. */
class Gate {
  private arrived = 0;
  private release: () => void = () => {};
  private readonly opened = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  private signal: () => void = () => {};
  readonly reached = new Promise<void>((resolve) => {
    this.signal = resolve;
  });

  constructor(private readonly parties = 1) {}

  async pass(): Promise<void> {
    if (++this.arrived === this.parties) this.signal();
    await this.opened;
  }

  open(): void {
    this.release();
  }
}

/** An object store whose streams hold at their end until the gate opens: a slow reader. */
function objectsWaitingAtEnd(harness: IngestHarness, gate: Gate): ObjectStore {
  return Object.assign(Object.create(harness.objects), {
    openRead: async (version: Parameters<ObjectStore['openRead']>[0]) => {
      const { metadata, body } = await harness.objects.openRead(version);
      return {
        metadata,
        body: (async function* () {
          yield* body;
          await gate.pass();
        })(),
      };
    },
  });
}

async function partialKeys(harness: IngestHarness): Promise<Record<string, AttributeValue>[]> {
  const page = await harness.aws.dynamo.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :part)',
      ExpressionAttributeValues: { ':pk': { S: `YEAR#${YEAR}` }, ':part': { S: 'PART#' } },
      ProjectionExpression: 'PK, SK',
    }),
  );
  return page.Items ?? [];
}

/** Deletes one partial item (of the file `key`, or any), as damage from outside would. */
async function deleteOnePartial(harness: IngestHarness, key?: string): Promise<void> {
  const keys = await partialKeys(harness);
  const fileId = key === undefined ? undefined : fileIdOf(key);
  const victim = keys.find(
    (item) => fileId === undefined || item.SK?.S?.startsWith(`PART#${fileId}#`),
  );
  if (!victim) throw new Error('no partial written');
  await harness.aws.dynamo.send(new DeleteItemCommand({ TableName: TABLE, Key: victim }));
}

/**
 * The cell payloads the year's partial items hold, whatever their layout: after a race or a
 * repair, exactly the winning version's cells must be left (a packed item holds several).
 */
async function partialPayloads(harness: IngestHarness): Promise<number> {
  const store = new DynamoConditionalStore(harness.aws.dynamo, TABLE);
  let payloads = 0;
  for await (const item of store.query(`YEAR#${YEAR}`, 'PART#')) {
    payloads += partialsOfItem(YEAR, item).length;
  }
  return payloads;
}

/** A store on its own client whose Nth BatchWriteItem call fails, like a crash mid-write. */
function storeFailingOnBatchWrite(harness: IngestHarness, failOnCall: number): IngestionStore {
  const client = localDynamoClient(harness.aws.dynamoEndpoint);
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'BatchWriteItemCommand' && ++calls === failOnCall) {
        await next(args);
        throw new Error('injected crash after a partial batch write');
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectCrash' },
  );
  return new IngestionProtocol(new DynamoConditionalStore(client, TABLE));
}

/**
 * A store on its own client where DynamoDB accepts only half of each BatchWriteItem and hands
 * the rest back as UnprocessedItems, as it does under throttling.
 */
function storeWithUnprocessedItems(harness: IngestHarness) {
  const client = localDynamoClient(harness.aws.dynamoEndpoint);
  let returned = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      const input = args.input as { RequestItems: Record<string, unknown[]> };
      const requests = input.RequestItems[TABLE] ?? [];
      if (requests.length < 2) {
        // A batch of one item (a small file's partials are one packed item): left unprocessed
        // whole, once, as DynamoDB may do under load.
        if (returned > 0 || requests.length === 0) return next(args);
        returned += requests.length;
        return { output: { $metadata: {}, UnprocessedItems: { [TABLE]: requests } }, response: {} };
      }
      const kept = requests.slice(0, Math.ceil(requests.length / 2));
      const withheld = requests.slice(kept.length);
      returned += withheld.length;
      const result = await next({ ...args, input: { ...input, RequestItems: { [TABLE]: kept } } });
      const output = result.output as { UnprocessedItems?: Record<string, unknown[]> };
      output.UnprocessedItems = { [TABLE]: withheld };
      return result;
    },
    { step: 'serialize', priority: 'high', name: 'withholdHalf' },
  );
  return {
    store: new IngestionProtocol(
      new DynamoConditionalStore(client, TABLE, {
        maxAttempts: 20,
        baseDelayMs: 1,
        maxDelayMs: 2,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: () => 0.5,
      }),
    ),
    unprocessedReturned: () => returned,
  };
}

/** An object store whose streams break after the first chunk, like a dropped connection. */
function objectsBreakingAfterFirstChunk(harness: IngestHarness): ObjectStore {
  return Object.assign(Object.create(harness.objects), {
    openRead: async (version: Parameters<ObjectStore['openRead']>[0]) => {
      const { metadata, body } = await harness.objects.openRead(version);
      return {
        metadata,
        body: (async function* () {
          for await (const chunk of body) {
            yield chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2)));
            throw new Error('injected connection reset');
          }
        })(),
      };
    },
  });
}
