import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '../observability.ts';

/**
 * How often a DynamoDB call is attempted before its error surfaces. Background work (ingestion,
 * report generation) waits out throttling with the SDK's backoff; an HTTP answer must not: the API
 * function's timeout is 15 s and the client retries itself.
 */
export const DYNAMO_MAX_ATTEMPTS = { background: 8, request: 3 } as const;
export type DynamoRetryProfile = keyof typeof DYNAMO_MAX_ATTEMPTS;

/**
 * How long one DynamoDB attempt may wait, in milliseconds: to connect, and for the answer to begin.
 * Without them a connection that stays open and silent (a write applied whose answer never comes)
 * holds the call until the function times out; with them the attempt fails as a `TimeoutError`,
 * which the SDK retries like any transient error (every write is safe to repeat:
 * docs/data-model.md). DynamoDB answers in milliseconds; the largest request here, a batch of
 * 25 partial chunks, carries under 9 MB. An HTTP answer gets less time than background work,
 * so its three attempts fit in the API function's 15 s.
 */
export const DYNAMO_TIMEOUTS_MS = {
  background: { connection: 3_000, request: 10_000 },
  request: { connection: 1_000, request: 3_000 },
} as const;

/** The settings of a function's DynamoDB client (endpoint, region and credentials from the environment). */
export function dynamoClientConfig(profile: DynamoRetryProfile): DynamoDBClientConfig {
  const timeouts = DYNAMO_TIMEOUTS_MS[profile];
  return {
    maxAttempts: DYNAMO_MAX_ATTEMPTS[profile],
    requestHandler: {
      connectionTimeout: timeouts.connection,
      requestTimeout: timeouts.request,
      throwOnRequestTimeout: true,
    },
  };
}

let s3: S3Client | undefined;
const dynamo = new Map<DynamoRetryProfile, DynamoDBClient>();

/**
 * The functions' SDK clients, each built once per process (reused across invocations, so their
 * connections are too) and traced: every call is an X-Ray subsegment when tracing is active. They
 * use the default credential chain and region, and the `AWS_ENDPOINT_URL_*` variables if set.
 */
export function s3Client(): S3Client {
  s3 ??= tracer.captureAWSv3Client(new S3Client({}));
  return s3;
}

export function dynamoClient(profile: DynamoRetryProfile): DynamoDBClient {
  let client = dynamo.get(profile);
  if (!client) {
    client = tracer.captureAWSv3Client(new DynamoDBClient(dynamoClientConfig(profile)));
    dynamo.set(profile, client);
  }
  return client;
}
