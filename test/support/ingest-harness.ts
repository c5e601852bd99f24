import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse } from 'aws-lambda';
import { type LocalAws, startLocalAws } from '#cli/local/local-aws.ts';
import { SequencerClock, toS3NotificationBody, toSqsEvent } from '#cli/local/s3-notifications.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { TempFileRejectionLog } from '#shared/adapters/temp-file-rejection-log.ts';
import { cellId } from '#shared/domain/cell.ts';
import type { IngestDependencies } from '#shared/use-cases/ingest-upload.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { type MotoAws, startMotoAws } from './moto.ts';

export const BUCKET = 'salary-uploads-test';
export const TABLE = 'salary-report-test';

/** Which DynamoDB implementation the integration suite runs against. */
export type DynamoBackend = 'dynalite' | 'dynamodb-local' | 'moto';

export interface CellTotals {
  count: number;
  sumCents: bigint;
}

/**
 * The ingestion pipeline on local stand-ins, with S3 notifications captured as real S3 would
 * send them to the queue, so a test decides when (and how often, in which order) they arrive.
 */
export class IngestHarness {
  readonly pendingBodies: string[] = [];
  readonly store: IngestionProtocol;
  readonly objects: S3ObjectStore;
  private readonly clock = new SequencerClock();
  private runs = 0;
  private unsubscribe: () => void = () => {};
  private readonly waiting: Array<() => void> = [];

  private constructor(
    readonly aws: LocalAws,
    private readonly dynamoLocal: DynamoDbLocal | undefined,
  ) {
    this.store = new IngestionProtocol(
      new DynamoConditionalStore(aws.dynamo, aws.tableName, {
        maxAttempts: 10,
        baseDelayMs: 1,
        maxDelayMs: 5,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: () => 0.5,
      }),
    );
    this.objects = new S3ObjectStore(aws.s3, BUCKET);
    const arrived = (body: string) => {
      this.pendingBodies.push(body);
      for (const wake of this.waiting.splice(0)) wake();
    };
    this.unsubscribe =
      'onNotification' in aws
        ? (aws as MotoAws).onNotification(arrived)
        : aws.onS3Event((raw) => arrived(toS3NotificationBody(raw, this.clock)));
  }

  /**
   * Starts the local servers and the backend; `dynamoEndpoint` uses an already running DynamoDB
   * Local (two harnesses on one Java process, each with its own table) instead of starting one.
   */
  static async start(
    backend: DynamoBackend = 'dynalite',
    options: { tableName?: string; dynamoEndpoint?: string } = {},
  ): Promise<IngestHarness> {
    if (backend === 'moto') {
      // moto stands in for S3, SQS and DynamoDB at once; events reach its queue as the stack
      // configures the bucket's notifications (read from the synthesized stack, loaded only here).
      const { stackNotificationConfiguration } = await import('./stack-notifications.ts');
      const aws = await startMotoAws({
        bucketName: BUCKET,
        tableName: options.tableName ?? TABLE,
        notification: stackNotificationConfiguration,
      });
      return new IngestHarness(aws, undefined);
    }
    const dynamoLocal =
      backend === 'dynamodb-local' && !options.dynamoEndpoint
        ? await startDynamoDbLocal()
        : undefined;
    const endpoint = options.dynamoEndpoint ?? dynamoLocal?.endpoint;
    const aws = await startLocalAws({
      bucketName: BUCKET,
      tableName: options.tableName ?? TABLE,
      ...(endpoint ? { externalDynamoEndpoint: endpoint } : {}),
    });
    return new IngestHarness(aws, dynamoLocal);
  }

  get tableName(): string {
    return this.aws.tableName;
  }

  dependencies(overrides: Partial<IngestDependencies> = {}): IngestDependencies {
    return {
      objects: this.objects,
      store: this.store,
      newRejectionLog: () => new TempFileRejectionLog(this.objects),
      newRunId: () => `run${++this.runs}`,
      now: () => new Date('2026-01-05T06:00:00Z'),
      log: () => {},
      ...overrides,
    };
  }

  /** Puts an object (with user metadata, if given) and returns the notification S3 emitted. */
  async put(
    key: string,
    body: string | Uint8Array,
    metadata?: Record<string, string>,
  ): Promise<string> {
    const before = this.pendingBodies.length;
    await this.aws.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: body,
        ...(metadata ? { Metadata: metadata } : {}),
      }),
    );
    return this.takeNewEvent(before);
  }

  async remove(key: string): Promise<string> {
    const before = this.pendingBodies.length;
    await this.aws.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    return this.takeNewEvent(before);
  }

  async readObject(key: string): Promise<string | undefined> {
    try {
      const response = await this.aws.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return await response.Body?.transformToString('utf-8');
    } catch {
      return undefined;
    }
  }

  /**
   * Loads the handler module, as Lambda does at INIT before the first invocation (the module
   * builds its production wiring at load: it is given names it can read). `deliver` loads it when
   * needed; a measurement loads it first so the invocation it times is only the invocation.
   */
  async loadHandler(): Promise<typeof import('#functions/ingest-upload.ts')> {
    process.env.TABLE_NAME ??= TABLE;
    process.env.BUCKET_NAME ??= BUCKET;
    return import('#functions/ingest-upload.ts');
  }

  /** Delivers message bodies to the real handler function, as one SQS batch. */
  async deliver(
    bodies: readonly string[],
    overrides: Partial<IngestDependencies> = {},
  ): Promise<SQSBatchResponse> {
    const { ingestUploads } = await this.loadHandler();
    return ingestUploads(toSqsEvent(bodies), this.dependencies(overrides));
  }

  /** Count and exact sum per cell id (`year#country#role#seniority`), as readers see them. */
  async cellTotals(year: number): Promise<Map<string, CellTotals>> {
    const snapshot = await this.store.readYear(year);
    return new Map(
      snapshot.cells.map(({ cell, aggregate }) => [
        cellId(cell),
        { count: aggregate.count, sumCents: aggregate.sumCents },
      ]),
    );
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.aws.stop();
    await this.dynamoLocal?.stop();
  }

  /**
   * The event of the request just made: s3rver emits it before it answers, so it is there when
   * the call returns; moto's arrives through its queue, shortly after.
   */
  private async takeNewEvent(before: number): Promise<string> {
    while (this.pendingBodies.length === before) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const [body] = this.pendingBodies.splice(before, 1);
    if (!body) throw new Error('no S3 event arrived');
    return body;
  }
}
