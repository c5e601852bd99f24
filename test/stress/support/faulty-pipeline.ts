import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { type DeadLetter, LocalIngestionQueue } from '#cli/local/ingestion-queue.ts';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type LocalAws,
  localS3Client,
  startLocalAws,
} from '#cli/local/local-aws.ts';
import { SequencerClock, toS3NotificationBody } from '#cli/local/s3-notifications.ts';
import { INGESTION } from '#infra/stateless-stack.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { cellId } from '#shared/domain/cell.ts';
import type { IngestDependencies } from '#shared/use-cases/ingest-upload.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import {
  DynamoDbFaultProxy,
  type FaultProxyOptions,
} from '../../support/faults/dynamodb-fault-proxy.ts';
import { S3FaultProxy, type S3FaultProxyOptions } from '../../support/faults/s3-fault-proxy.ts';
import type { CellTotals } from '../../support/ingest-harness.ts';

export const BUCKET = 'salary-report-stress';
export const TABLE = 'salary-report-stress';

export interface FaultyPipelineOptions {
  /** Fault rules of the S3 proxy between ingestion and s3rver. */
  s3?: Omit<S3FaultProxyOptions, 'target'>;
  /** Fault rules of the DynamoDB proxy between ingestion and dynalite. */
  dynamo?: Omit<FaultProxyOptions, 'target'>;
  /** Queues consuming side by side, each fed every other event (Lambda's concurrent pollers). */
  consumers?: number;
  /**
   * The dependencies of one invocation (default: the production wiring on the proxied clients,
   * built once). `wire` builds the production wiring on other clients, e.g. with crash points.
   */
  dependenciesFor?: (
    event: SQSEvent,
    wire: (s3: S3Client, dynamo: DynamoDBClient) => IngestDependencies,
  ) => IngestDependencies;
}

/**
 * The deployed ingestion path on local stand-ins, with a fault proxy in front of each: uploads go
 * straight to s3rver (fault-free, as a user's upload succeeded); each S3 event becomes an SQS
 * message on the local queue with the stack's redrive policy (INGESTION.maxReceiveCount, read
 * from infra/); the real handler, with its production wiring and SDK retry settings, reads and
 * writes through the proxies. Totals are read fault-free.
 */
export class FaultyPipeline {
  /** Fault-free reader of the aggregates and ingestion records. */
  readonly store: IngestionProtocol;
  private readonly clock = new SequencerClock();
  private sent = 0;

  private constructor(
    readonly aws: LocalAws,
    readonly s3Proxy: S3FaultProxy,
    readonly dynamoProxy: DynamoDbFaultProxy,
    readonly faultyS3: S3Client,
    readonly faultyDynamo: DynamoDBClient,
    private readonly queues: LocalIngestionQueue[],
    /** Messages that failed INGESTION.maxReceiveCount times, oldest first. */
    readonly deadLetters: DeadLetter[],
    private readonly unsubscribe: () => void,
  ) {
    this.store = new IngestionProtocol(new DynamoConditionalStore(aws.dynamo, TABLE));
  }

  static async start(options: FaultyPipelineOptions = {}): Promise<FaultyPipeline> {
    const aws = await startLocalAws({ bucketName: BUCKET, tableName: TABLE });
    const s3Proxy = await S3FaultProxy.start({ target: aws.s3Endpoint, ...options.s3 });
    const dynamoProxy = await DynamoDbFaultProxy.start({
      target: aws.dynamoEndpoint,
      ...options.dynamo,
    });
    const faultyS3 = localS3Client(s3Proxy.endpoint);
    // The deployed handler's DynamoDB client settings (functions/ingest-upload.ts).
    const faultyDynamo = new DynamoDBClient({
      endpoint: dynamoProxy.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 8,
    });
    process.env.TABLE_NAME ??= TABLE;
    process.env.BUCKET_NAME ??= BUCKET;
    const { createIngestDependencies, ingestUploads } = await import('#functions/ingest-upload.ts');
    const wire = (s3: S3Client, dynamo: DynamoDBClient) =>
      createIngestDependencies(s3, dynamo, { bucketName: BUCKET, tableName: TABLE });
    const production = wire(faultyS3, faultyDynamo);
    const deadLetters: DeadLetter[] = [];
    const queues = Array.from(
      { length: options.consumers ?? 1 },
      () =>
        new LocalIngestionQueue({
          consume: (event: SQSEvent) =>
            ingestUploads(event, options.dependenciesFor?.(event, wire) ?? production),
          onDeadLetter: (letter) => deadLetters.push(letter),
          maxReceiveCount: INGESTION.maxReceiveCount,
          batchSize: INGESTION.batchSize,
          visibilityDelayMs: () => 0,
        }),
    );
    let pipeline: FaultyPipeline | undefined;
    const unsubscribe = aws.onS3Event((raw) => pipeline?.route(raw));
    pipeline = new FaultyPipeline(
      aws,
      s3Proxy,
      dynamoProxy,
      faultyS3,
      faultyDynamo,
      queues,
      deadLetters,
      unsubscribe,
    );
    return pipeline;
  }

  /** Puts an object directly (fault-free): its event is queued before this resolves. */
  async upload(key: string, body: string | Uint8Array): Promise<void> {
    await this.aws.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }

  /** Resolves once every event so far was ingested or dead-lettered. */
  async settled(): Promise<void> {
    while (this.queues.some((queue) => queue.depth > 0)) {
      await Promise.all(this.queues.map((queue) => queue.idle()));
    }
    await this.dynamoProxy.settled();
  }

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
    for (const queue of this.queues) await queue.stop();
    this.unsubscribe();
    this.faultyS3.destroy();
    this.faultyDynamo.destroy();
    await this.s3Proxy.stop();
    await this.dynamoProxy.stop();
    await this.aws.stop();
  }

  private route(raw: Parameters<typeof toS3NotificationBody>[0]): void {
    const queue = this.queues[this.sent++ % this.queues.length];
    queue?.send(toS3NotificationBody(raw, this.clock));
  }
}
