import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadUrlSigner } from '../use-cases/serve-report/grant-upload.ts';

/**
 * Headers the signature covers: S3 rejects an upload whose type or size (or user metadata, when
 * the grant names any) differs from the grant.
 */
const BOUND_HEADERS = ['content-type', 'content-length'];

export class S3UploadPresigner implements UploadUrlSigner {
  constructor(
    private readonly s3: S3Client,
    private readonly bucketName: string,
  ) {}

  async presignPut(request: {
    key: string;
    contentType: string;
    contentLength: number;
    expiresInSeconds: number;
    metadata?: Record<string, string>;
  }) {
    const metadata = request.metadata ?? {};
    const metadataHeaders = Object.fromEntries(
      Object.entries(metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
    );
    const bound = new Set([...BOUND_HEADERS, ...Object.keys(metadataHeaders)]);
    const command = new PutObjectCommand({
      Bucket: this.bucketName,
      Key: request.key,
      ContentType: request.contentType,
      ContentLength: request.contentLength,
      ...(request.metadata ? { Metadata: metadata } : {}),
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: request.expiresInSeconds,
      signableHeaders: bound,
      unhoistableHeaders: bound,
    });
    return {
      url,
      headers: {
        'content-type': request.contentType,
        'content-length': String(request.contentLength),
        ...metadataHeaders,
      },
    };
  }
}
