import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, localDynamoClient, startLocalAws } from '#cli/local/local-aws.ts';
import { BATCH_WRITE_CONCURRENCY, batchWriteAll } from '#shared/adapters/batch-write.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';

const TABLE = 'batch-write-test';
const NO_WAIT = {
  maxAttempts: 3,
  baseDelayMs: 0,
  maxDelayMs: 0,
  sleep: async () => {},
  random: () => 0,
};

/** A client on dynalite that counts BatchWriteItem calls in flight, and can fail the nth one. */
function observedClient(aws: LocalAws, failCall?: number) {
  const client = localDynamoClient(aws.dynamoEndpoint);
  const seen = { calls: 0, inFlight: 0, mostInFlight: 0, startedAfterFailure: 0, failed: false };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      seen.calls += 1;
      if (seen.failed) seen.startedAfterFailure += 1;
      seen.inFlight += 1;
      seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight);
      try {
        if (seen.calls === failCall) {
          seen.failed = true;
          throw new Error('injected failure');
        }
        return await next(args);
      } finally {
        seen.inFlight -= 1;
      }
    },
    { step: 'initialize', name: 'observeBatchWrites' },
  );
  return { documents: DynamoDBDocumentClient.from(client), client, seen };
}

const puts = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({
    PutRequest: { Item: { PK: `P#${prefix}`, SK: `S#${String(index).padStart(4, '0')}` } },
  }));

async function storedCount(aws: LocalAws, prefix: string): Promise<number> {
  let count = 0;
  for await (const _ of new DynamoConditionalStore(aws.dynamo, TABLE).queryKeys(
    `P#${prefix}`,
    'S#',
  )) {
    count += 1;
  }
  return count;
}

describe('batchWriteAll on dynalite', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({ bucketName: 'batch-write-test', tableName: TABLE });
  });
  afterAll(async () => {
    await aws.stop();
  });

  it('writes every request, a few BatchWriteItem calls at a time', async () => {
    const { documents, client, seen } = observedClient(aws);
    await batchWriteAll(documents, TABLE, puts('all', 25 * 10 + 3), NO_WAIT);
    client.destroy();
    expect(seen.calls).toBe(11);
    expect(seen.mostInFlight).toBe(BATCH_WRITE_CONCURRENCY);
    expect(await storedCount(aws, 'all')).toBe(253);
  });

  it('starts no call after one failed, and throws once the calls in flight have ended', async () => {
    const { documents, client, seen } = observedClient(aws, 2);
    await expect(
      batchWriteAll(documents, TABLE, puts('failing', 25 * 10), NO_WAIT),
    ).rejects.toThrow('injected failure');
    expect(seen.inFlight).toBe(0);
    expect(seen.startedAfterFailure).toBeLessThan(BATCH_WRITE_CONCURRENCY);
    expect(seen.calls).toBeLessThan(10);
    client.destroy();
  });
});
