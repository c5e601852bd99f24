import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadUrlSigner } from '../use-cases/serve-report/grant-upload.ts';

/** Headers the signature covers: S3 rejects an upload whose type or size differs from the grant. */
const BOUND_HEADERS = new Set(['content-type', 'content-length']);

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
  }) {
    const command = new PutObjectCommand({
      Bucket: this.bucketName,
      Key: request.key,
      ContentType: request.contentType,
      ContentLength: request.contentLength,
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: request.expiresInSeconds,
      signableHeaders: BOUND_HEADERS,
      unhoistableHeaders: BOUND_HEADERS,
    });
    return {
      url,
      headers: {
        'content-type': request.contentType,
        'content-length': String(request.contentLength),
      },
    };
  }
}
