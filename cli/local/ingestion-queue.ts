import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toSqsEvent } from '#cli/local/s3-notifications.ts';

/** One message on the local queue: an S3 notification body, as S3 sends it to SQS. */
export interface QueuedMessage {
  messageId: string;
  body: string;
  /** How many times it was handed to the consumer (SQS's ApproximateReceiveCount). */
  receiveCount: number;
  /** When it was sent (SQS's SentTimestamp), epoch milliseconds. */
  sentAt: number;
}

/** A message the consumer failed `maxReceiveCount` times, parked as SQS parks it in the DLQ. */
export interface DeadLetter extends QueuedMessage {
  failedAt: string;
}

export interface LocalIngestionQueueOptions {
  /** The consumer: the ingestion handler, one SQS batch at a time. */
  consume: (event: SQSEvent) => Promise<SQSBatchResponse>;
  onDeadLetter: (letter: DeadLetter) => void;
  /**
   * Keeps every message here, one file each, from the moment it is sent until it is consumed or
   * dead-lettered, so a stop or a crash loses none: the next queue on this directory delivers
   * them again (with their receive counts). In memory only when omitted.
   */
  directory?: string;
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
 * receives a message goes to the dead-letter list instead. With a directory it is durable, as
 * SQS is: messages waiting, invisible or in flight when the process stops are delivered by the
 * next queue started on that directory.
 */
export class LocalIngestionQueue {
  private readonly ready: QueuedMessage[] = [];
  private readonly invisible = new Map<string, NodeJS.Timeout>();
  private readonly journal: MessageJournal | undefined;
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
    if (options.directory) {
      this.journal = new MessageJournal(options.directory);
      this.ready.push(...this.journal.load());
      this.pump();
    }
  }

  /**
   * Sends one message. It is on disk (with a directory) when this returns, even after `stop`:
   * S3 has accepted the object, so its event must not be lost.
   */
  send(body: string): void {
    const message: QueuedMessage = {
      messageId: randomUUID(),
      body,
      receiveCount: 0,
      sentAt: Date.now(),
    };
    this.journal?.save(message);
    if (this.stopped) return;
    this.ready.push(message);
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

  /**
   * Stops receiving: the batch in flight finishes. Waiting messages stay in the directory for
   * the next start (without one, they are dropped).
   */
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
    for (const message of batch) {
      // Counted before the consumer runs, as SQS counts a receive: a crash mid-batch still counts.
      message.receiveCount += 1;
      this.journal?.save(message);
    }
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
      else this.journal?.remove(message);
    }
  }

  private fail(message: QueuedMessage): void {
    if (this.stopped) return;
    if (message.receiveCount >= this.maxReceiveCount) {
      // Parked first, then removed: a crash in between delivers it once more, never loses it.
      this.options.onDeadLetter({ ...message, failedAt: new Date().toISOString() });
      this.journal?.remove(message);
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

/** One JSON file per message, named so that listing the directory gives the send order. */
class MessageJournal {
  private sent = 0;
  private readonly names = new Map<string, string>();

  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
  }

  load(): QueuedMessage[] {
    const files = readdirSync(this.directory);
    // A write a crash interrupted before its rename: the message's previous file still stands.
    for (const name of files.filter((file) => file.endsWith('.tmp'))) {
      rmSync(join(this.directory, name), { force: true });
    }
    const names = files.filter((name) => name.endsWith('.json')).sort();
    return names.map((name) => {
      const message = JSON.parse(readFileSync(join(this.directory, name), 'utf8')) as QueuedMessage;
      this.names.set(message.messageId, name);
      return message;
    });
  }

  /** Atomic: a crash leaves the previous content or the new one, never half a message. */
  save(message: QueuedMessage): void {
    let name = this.names.get(message.messageId);
    if (!name) {
      name = `${String(message.sentAt).padStart(15, '0')}-${String(++this.sent).padStart(9, '0')}-${message.messageId}.json`;
      this.names.set(message.messageId, name);
    }
    const path = join(this.directory, name);
    const temporary = `${path}.tmp`;
    writeFileSync(temporary, JSON.stringify(message));
    renameSync(temporary, path);
  }

  remove(message: QueuedMessage): void {
    const name = this.names.get(message.messageId);
    if (!name) return;
    rmSync(join(this.directory, name), { force: true });
    this.names.delete(message.messageId);
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
        attributes: {
          ...record.attributes,
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
        },
      };
    }),
  };
}
