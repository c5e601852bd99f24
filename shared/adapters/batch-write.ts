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
 * Writes every request, 25 per BatchWriteItem call, re-sending `UnprocessedItems` with exponential
 * backoff and full jitter (AWS's advice for throttled batches) until none is left. Throttling
 * exceptions are retried by the SDK's own retry strategy; what still fails after the last attempt
 * throws, so the message is retried as a whole: no write is ever silently dropped.
 */
export async function batchWriteAll(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_LIMIT) {
    let pending: WriteRequest[] = requests.slice(start, start + BATCH_LIMIT);
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
}
