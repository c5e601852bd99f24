import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { ensureTable, type LocalAws } from '#cli/local/local-aws.ts';
import { SequencerClock } from '#cli/local/s3-notifications.ts';

/**
 * moto's standalone server (`moto_server`, Python): a third implementation of S3, SQS and
 * DynamoDB, written by others, with real S3 → SQS event notifications. Part of this machine's
 * image; CI runs the moto suites when the command exists and skips them with a reason otherwise.
 */
export function motoAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v moto_server'], { stdio: 'ignore' }).status === 0;
}

export const MOTO_SKIP_REASON =
  'needs moto_server (moto 5, Python) on the PATH; `pip install "moto[server]"` provides it';

const REGION = 'us-east-1';
/** moto accepts any credentials. */
const CREDENTIALS = { accessKeyId: 'moto', secretAccessKey: 'moto' };
const POLL_MS = 100;

export interface MotoAws extends LocalAws {
  /** The body of the `s3:TestEvent` message moto sent when the notification was configured. */
  testEventBody: string;
  /**
   * Subscribes to the bodies of the messages moto put on the queue, as polled from it, in order.
   * moto's records lack the `sequencer` S3 always sends (the only field ingestion needs that moto
   * leaves out): it is added, increasing in the order moto sent the messages; nothing else changes.
   */
  onNotification(listener: (body: string) => void): () => void;
}

/**
 * Starts moto on a free port and creates the bucket and the table. With `notification`, also an
 * SQS queue the bucket's notifications go to (the stack's own configuration); `onNotification`
 * listeners then receive the bodies of the messages moto puts on it, polled from it: moto's
 * events, not ours. `stop` ends the moto process it started.
 */
export async function startMotoAws(options: {
  bucketName: string;
  tableName: string;
  /**
   * The bucket's notification configuration, queue ARNs replaced by the moto queue's. Without
   * one, no queue is made (suites that need no events).
   */
  notification?: (queueArn: string) => NotificationConfiguration;
}): Promise<MotoAws> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await untilAnswering(endpoint, child, () => output);

  const s3 = new S3Client({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    forcePathStyle: true,
  });
  const dynamo = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  const sqs = new SQSClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  await s3.send(new CreateBucketCommand({ Bucket: options.bucketName }));
  await ensureTable(dynamo, options.tableName);
  const events = options.notification
    ? await subscribeQueue(s3, sqs, options.bucketName, options.notification)
    : undefined;

  return {
    s3Endpoint: endpoint,
    dynamoEndpoint: endpoint,
    bucketName: options.bucketName,
    tableName: options.tableName,
    s3,
    dynamo,
    testEventBody: events?.testEventBody ?? '',
    onS3Event() {
      throw new Error("moto's events come from its queue: use onNotification");
    },
    onNotification(listener) {
      if (!events) throw new Error('started without a notification configuration');
      return events.subscribe(listener);
    },
    async stop() {
      await events?.stop();
      s3.destroy();
      dynamo.destroy();
      sqs.destroy();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

async function untilAnswering(endpoint: string, child: ChildProcess, output: () => string) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited:\n${output()}`);
    try {
      await fetch(endpoint);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Adds a sequencer to each record moto sent without one (real S3 always sends it). */
function withSequencers(body: string, clock: SequencerClock): string {
  const message = JSON.parse(body) as {
    Records?: Array<{ s3?: { object?: { sequencer?: string } } }>;
  };
  if (!message.Records) return body;
  for (const record of message.Records) {
    if (record.s3?.object && record.s3.object.sequencer === undefined) {
      record.s3.object.sequencer = clock.next();
    }
  }
  return JSON.stringify(message);
}

/**
 * Creates a queue, points the bucket's notifications at it and polls it: the test event first,
 * then every message moto sends, each deleted once received.
 */
async function subscribeQueue(
  s3: S3Client,
  sqs: SQSClient,
  bucketName: string,
  notification: (queueArn: string) => NotificationConfiguration,
) {
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${bucketName}-ingest` }),
  );
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = attributes.Attributes?.QueueArn;
  if (!queueUrl || !queueArn) throw new Error('moto created no queue');
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucketName,
      NotificationConfiguration: notification(queueArn),
    }),
  );

  const receive = async () => {
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    for (const message of response.Messages ?? []) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    }
    return (response.Messages ?? []).map((message) => message.Body ?? '');
  };
  let testEventBody: string | undefined;
  const early: string[] = [];
  while (testEventBody === undefined) {
    for (const body of await receive()) {
      if (testEventBody === undefined && body.includes('s3:TestEvent')) testEventBody = body;
      else early.push(body);
    }
  }

  const clock = new SequencerClock();
  const listeners = new Set<(body: string) => void>();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      try {
        for (const body of await receive()) {
          for (const listener of listeners) listener(withSequencers(body, clock));
        }
      } catch (error) {
        if (polling) throw error;
      }
    }
  })();
  return {
    testEventBody,
    subscribe(listener: (body: string) => void): () => void {
      for (const body of early.splice(0)) listener(withSequencers(body, clock));
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      polling = false;
      await poller.catch(() => {});
    },
  };
}
