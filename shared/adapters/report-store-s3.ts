import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { reportSnapshotKeys } from '../bucket-layout.ts';
import type { ReportSnapshotStore } from '../ports/report-store.ts';
import { readTextObject } from './s3-object-store.ts';

/** Report snapshots in the bucket: `reports/<year>/<version>/report.{json,csv}`, never rewritten. */
export class S3ReportSnapshotStore implements ReportSnapshotStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucketName: string,
  ) {}

  async write(snapshot: { year: number; version: string; json: Uint8Array; csv: Uint8Array }) {
    const keys = reportSnapshotKeys(snapshot.year, snapshot.version);
    await Promise.all([
      this.put(keys.jsonKey, snapshot.json, 'application/json; charset=utf-8'),
      this.put(keys.csvKey, snapshot.csv, 'text/csv; charset=utf-8'),
    ]);
    return keys;
  }

  readJson(jsonKey: string): Promise<string | undefined> {
    return readTextObject(this.s3, this.bucketName, jsonKey);
  }

  private async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Body: body,
        ContentType: contentType,
        // A version's files never change: anything in front of the bucket may keep them forever.
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
  }
}
