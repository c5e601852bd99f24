import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '../observability.ts';

/**
 * How often a DynamoDB call is attempted before its error surfaces. Background work (ingestion,
 * report generation) waits out throttling with the SDK's backoff; an HTTP answer must not: the API
 * function's timeout is 15 s and the client retries itself.
 */
export const DYNAMO_MAX_ATTEMPTS = { background: 8, request: 3 } as const;
export type DynamoRetryProfile = keyof typeof DYNAMO_MAX_ATTEMPTS;

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
    client = tracer.captureAWSv3Client(
      new DynamoDBClient({ maxAttempts: DYNAMO_MAX_ATTEMPTS[profile] }),
    );
    dynamo.set(profile, client);
  }
  return client;
}
