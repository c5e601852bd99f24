import { createReadStream, statSync } from 'node:fs';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  ObjectChangedError,
  type ObjectStore,
  type ObjectVersion,
  type OpenedObject,
} from '../ports/object-store.ts';

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucketName: string,
  ) {}

  async openRead(version: ObjectVersion): Promise<OpenedObject> {
    try {
      const response = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucketName,
          Key: version.key,
          ...pinned(version),
        }),
      );
      if (!response.Body) throw new ObjectChangedError(version.key);
      return {
        metadata: response.Metadata ?? {},
        body: response.Body as AsyncIterable<Uint8Array>,
      };
    } catch (error) {
      if (isGoneOrChanged(error)) throw new ObjectChangedError(version.key);
      throw error;
    }
  }

  async headCurrent(key: string): Promise<Omit<ObjectVersion, 'key'> | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: key }));
      return {
        ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}),
        ...(head.ETag ? { etag: head.ETag.replace(/"/g, '') } : {}),
      };
    } catch (error) {
      if (error instanceof NotFound || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  readText(key: string): Promise<string | undefined> {
    return readTextObject(this.s3, this.bucketName, key);
  }

  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucketName, Prefix: prefix },
    )) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    return keys;
  }

  async putFile(key: string, path: string, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Body: createReadStream(path),
        ContentLength: statSync(path).size,
        ContentType: contentType,
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucketName, Key: key }));
  }
}

/** A small text object's content, or undefined when there is no such key. */
export async function readTextObject(
  s3: S3Client,
  bucketName: string,
  key: string,
): Promise<string | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
    return await response.Body?.transformToString('utf-8');
  } catch (error) {
    if (error instanceof NoSuchKey || statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * The version id pins the exact bytes on a versioned bucket; the ETag does the same elsewhere: a
 * re-upload under the same key answers 412 instead of the newer content.
 */
function pinned(version: ObjectVersion): { VersionId?: string; IfMatch?: string } {
  if (version.versionId) return { VersionId: version.versionId };
  return version.etag ? { IfMatch: quoteEtag(version.etag) } : {};
}

function quoteEtag(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isGoneOrChanged(error: unknown): boolean {
  const status = statusOf(error);
  return error instanceof NoSuchKey || status === 404 || status === 412;
}
