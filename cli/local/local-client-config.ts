import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * How SDK clients reach the local stand-ins. Plain settings, no SDK code: a CLI command builds
 * only the clients it uses, loading only their packages.
 */

/** s3rver only accepts these credentials; dynalite accepts any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'us-east-1';

/**
 * s3rver needs two client settings to behave like S3 for us: checksums only when required
 * (otherwise streamed uploads are stored with their aws-chunked framing) and path-style URLs.
 */
export function localS3ClientConfig(endpoint: string): S3ClientConfig {
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export function localDynamoClientConfig(endpoint: string): DynamoDBClientConfig {
  return { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
}
