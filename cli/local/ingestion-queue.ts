import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toSqsEvent } from '#shared/adapters/local/s3-notifications.ts';

/** One message on the local queue: an S3 notification body, as S3 sends it to SQS. */
export interface QueuedMessage {
  messageId: string;
  body: string;
  /** How many times it was handed to the consumer (SQS's ApproximateReceiveCount). */
  receiveCount: number;
}

/** A message the consumer failed `maxReceiveCount` times, parked as SQS parks it in the DLQ. */
export interface DeadLetter extends QueuedMessage {
  failedAt: string;
}

export interface LocalIngestionQueueOptions {
  /** The consumer: the ingestion handler, one SQS batch at a time. */
  consume: (event: SQSEvent) => Promise<SQSBatchResponse>;
  onDeadLetter: (letter: DeadLetter) => void;
  /** The stack's redrive policy (the infra's INGESTION.maxReceiveCount). */
  maxReceiveCount?: number;
  batchSize?: number;
  /** How long a failed message stays invisible before it is received again. */
  visibilityDelayMs?: (receiveCount: number) => number;
}

/**
 * The deployed queue's settings (`INGESTION` in infra/stateless-stack.ts, kept equal by a test:
 * the CLI does not load the CDK library to read them).
 */
export const DEPLOYED_QUEUE_SETTINGS = { maxReceiveCount: 5, batchSize: 5 } as const;
const defaultVisibilityDelay = (receiveCount: number) => 250 * 2 ** (receiveCount - 1);

/**
 * The SQS queue between the bucket and the ingestion function, in process: messages are
 * delivered in batches, the ones the consumer reports in `batchItemFailures` (or a whole batch
 * whose invocation threw) come back after a visibility delay, and after `maxReceiveCount`
 * receives a message goes to the dead-letter list instead.
 */
export class LocalIngestionQueue {
  private readonly ready: QueuedMessage[] = [];
  private readonly invisible = new Map<string, NodeJS.Timeout>();
  private inFlight: Promise<void> | undefined;
  private waiters: Array<() => void> = [];
  private stopped = false;
  private readonly maxReceiveCount: number;
  private readonly batchSize: number;
  private readonly visibilityDelayMs: (receiveCount: number) => number;

  constructor(private readonly options: LocalIngestionQueueOptions) {
    this.maxReceiveCount = options.maxReceiveCount ?? DEPLOYED_QUEUE_SETTINGS.maxReceiveCount;
    this.batchSize = options.batchSize ?? DEPLOYED_QUEUE_SETTINGS.batchSize;
    this.visibilityDelayMs = options.visibilityDelayMs ?? defaultVisibilityDelay;
  }

  send(body: string): void {
    if (this.stopped) return;
    this.ready.push({ messageId: randomUUID(), body, receiveCount: 0 });
    this.pump();
  }

  /** Messages waiting, in flight or invisible after a failure. */
  get depth(): number {
    return this.ready.length + this.invisible.size + (this.inFlight ? 1 : 0);
  }

  /** Resolves once every message sent so far was consumed or dead-lettered. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops receiving: the batch in flight finishes; waiting messages are dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.invisible.values()) clearTimeout(timer);
    this.invisible.clear();
    this.ready.length = 0;
    await this.inFlight;
    this.notifyIfIdle();
  }

  private isIdle(): boolean {
    return this.ready.length === 0 && this.invisible.size === 0 && this.inFlight === undefined;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private pump(): void {
    if (this.inFlight || this.stopped || this.ready.length === 0) {
      this.notifyIfIdle();
      return;
    }
    const batch = this.ready.splice(0, this.batchSize);
    this.inFlight = this.deliver(batch).finally(() => {
      this.inFlight = undefined;
      this.pump();
    });
  }

  private async deliver(batch: QueuedMessage[]): Promise<void> {
    for (const message of batch) message.receiveCount += 1;
    let failedIds: Set<string>;
    try {
      const response = await this.options.consume(sqsEventOf(batch));
      failedIds = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch {
      // An invocation error fails the whole batch, as Lambda's poller treats it.
      failedIds = new Set(batch.map((message) => message.messageId));
    }
    for (const message of batch) {
      if (failedIds.has(message.messageId)) this.fail(message);
    }
  }

  private fail(message: QueuedMessage): void {
    if (this.stopped) return;
    if (message.receiveCount >= this.maxReceiveCount) {
      this.options.onDeadLetter({ ...message, failedAt: new Date().toISOString() });
      return;
    }
    const timer = setTimeout(() => {
      this.invisible.delete(message.messageId);
      this.ready.push(message);
      this.pump();
    }, this.visibilityDelayMs(message.receiveCount));
    this.invisible.set(message.messageId, timer);
  }
}

/** The batch as Lambda's SQS poller delivers it, with this queue's ids and receive counts. */
function sqsEventOf(batch: readonly QueuedMessage[]): SQSEvent {
  const event = toSqsEvent(batch.map((message) => message.body));
  return {
    Records: event.Records.map((record, index) => {
      const message = batch[index];
      if (!message) return record;
      return {
        ...record,
        messageId: message.messageId,
        attributes: { ...record.attributes, ApproximateReceiveCount: String(message.receiveCount) },
      };
    }),
  };
}
