import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { TABLE_SCHEMA } from '#shared/adapters/table-schema.ts';
import { localDynamoClientConfig, localS3ClientConfig } from './local-client-config.ts';

export { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-client-config.ts';

export interface LocalAwsOptions {
  bucketName: string;
  tableName: string;
  /** Keep data on disk under this directory (local mode); in memory / a temp dir when omitted. */
  dataDirectory?: string;
  s3Port?: number;
  dynamoPort?: number;
  /** Use an already running DynamoDB-compatible server (e.g. DynamoDB Local) instead of dynalite. */
  externalDynamoEndpoint?: string;
}

/** A running pair of wire-compatible stand-ins and clients configured for them. */
export interface LocalAws {
  s3Endpoint: string;
  dynamoEndpoint: string;
  bucketName: string;
  tableName: string;
  s3: S3Client;
  dynamo: DynamoDBClient;
  /** Subscribes to s3rver's raw notifications (keys NOT encoded, sequencer not monotonic). */
  onS3Event(listener: (event: RawS3rverEvent) => void): () => void;
  stop(): Promise<void>;
}

export interface RawS3rverEvent {
  Records: Array<{
    eventName: string;
    eventTime: string;
    s3: {
      bucket: { name: string; arn: string };
      object: { key: string; size?: number; eTag?: string; sequencer?: string };
    };
  }>;
}

export function localS3Client(endpoint: string): S3Client {
  return new S3Client(localS3ClientConfig(endpoint));
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient(localDynamoClientConfig(endpoint));
}

/**
 * Starts s3rver and dynalite in this process on loopback, creates the bucket and the table.
 * Port 0 (the default) picks free ports.
 */
export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const s3Directory = options.dataDirectory
    ? join(options.dataDirectory, 's3')
    : join(
        (await import('node:os')).tmpdir(),
        `salary-report-s3-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      );
  mkdirSync(s3Directory, { recursive: true });
  // Loaded here, not at module load: the CLI's commands use this module's clients only.
  const { default: S3rver } = await import('s3rver');
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: options.s3Port ?? 0,
    silent: true,
    directory: s3Directory,
    resetOnClose: !options.dataDirectory,
    configureBuckets: [{ name: options.bucketName, configs: [] }],
  });
  const s3Address = (await s3rver.run()) as AddressInfo;
  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;

  const dynamoServer = options.externalDynamoEndpoint ? undefined : await startDynalite(options);
  const dynamoEndpoint = dynamoServer
    ? `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`
    : (options.externalDynamoEndpoint ?? '');

  const s3 = localS3Client(s3Endpoint);
  const dynamo = localDynamoClient(dynamoEndpoint);
  await ensureBucket(s3, options.bucketName);
  await ensureTable(dynamo, options.tableName);

  return {
    s3Endpoint,
    dynamoEndpoint,
    bucketName: options.bucketName,
    tableName: options.tableName,
    s3,
    dynamo,
    onS3Event(listener) {
      // s3rver is an EventEmitter at run time; its published types omit that.
      const emitter = s3rver as unknown as EventEmitter;
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async stop() {
      s3.destroy();
      dynamo.destroy();
      await s3rver.close();
      if (dynamoServer) await new Promise<void>((resolve) => dynamoServer.close(() => resolve()));
    },
  };
}

async function startDynalite(options: LocalAwsOptions): Promise<Server> {
  let path: string | undefined;
  if (options.dataDirectory) {
    path = join(options.dataDirectory, 'dynamodb');
    mkdirSync(path, { recursive: true });
  }
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, path });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.dynamoPort ?? 0, '127.0.0.1', () => resolve());
  });
  return server;
}

async function ensureBucket(s3: S3Client, bucketName: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

/** Creates the table with the same key schema as the CDK stack (see TABLE_SCHEMA). */
export async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const [index] = TABLE_SCHEMA.indexes;
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: TABLE_SCHEMA.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_SCHEMA.sortKey, AttributeType: 'S' },
          { AttributeName: index.partitionKey, AttributeType: 'S' },
          { AttributeName: index.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const description = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    if (description.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}
