import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

/** One put or delete in a BatchWriteItem call. */
export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export interface BackoffPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxAttempts: 10,
  baseDelayMs: 50,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

const BATCH_LIMIT = 25;
/**
 * BatchWriteItem calls in flight at once. A file's partials are a few hundred items: one call
 * after the other, each waits a round trip; a few at a time, DynamoDB takes them in parallel.
 * Kept small: ingestion runs up to 5 functions at once (the queue's maximum concurrency).
 */
export const BATCH_WRITE_CONCURRENCY = 4;

export class UnprocessedItemsError extends Error {
  constructor(
    readonly tableName: string,
    readonly remaining: number,
    readonly attempts: number,
  ) {
    super(`${remaining} write(s) to ${tableName} still unprocessed after ${attempts} attempts`);
    this.name = 'UnprocessedItemsError';
  }
}

/**
 * Writes every request, 25 per BatchWriteItem call and up to `concurrency` calls at once,
 * re-sending `UnprocessedItems` with exponential backoff and full jitter (AWS's advice for
 * throttled batches) until none is left. Throttling exceptions are retried by the SDK's own retry
 * strategy; what still fails after the last attempt throws, so the message is retried as a whole:
 * no write is ever silently dropped. After a failure no further call starts, and the error is
 * thrown once the calls in flight have ended: nothing is still being written when this returns.
 */
export async function batchWriteAll(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  concurrency = BATCH_WRITE_CONCURRENCY,
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let start = 0; start < requests.length; start += BATCH_LIMIT) {
    batches.push(requests.slice(start, start + BATCH_LIMIT));
  }
  let next = 0;
  let failure: { error: unknown } | undefined;
  const writeBatches = async () => {
    for (let batch = batches[next++]; batch && !failure; batch = batches[next++]) {
      try {
        await writeBatch(documentClient, tableName, batch, policy);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, batches.length) }, () => writeBatches()),
  );
  if (failure) throw failure.error;
}

/** One BatchWriteItem call of at most 25 requests, and its unprocessed items re-sent. */
async function writeBatch(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  batch: WriteRequest[],
  policy: BackoffPolicy,
): Promise<void> {
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const response = await documentClient.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
    );
    pending = (response.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    if (pending.length === 0) break;
    if (attempt >= policy.maxAttempts) {
      throw new UnprocessedItemsError(tableName, pending.length, attempt);
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    await policy.sleep(Math.floor(policy.random() * ceiling));
  }
}
