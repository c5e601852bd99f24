import { CopyObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import type { IngestionRecord } from '#shared/ports/ingestion-store.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { CliError, reasonOf } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { required, type Target } from '../target.ts';
import { describeOutcome, waitForIngestion } from './upload.ts';

export interface ReingestCommandOptions {
  wait: boolean;
  /** Seconds to wait for each file's ingestion. */
  timeout: number;
}

/** User metadata the copy sets, so the object says when and why it was rewritten. */
const REINGESTED_AT = 'reingested-at';

/**
 * Ingests again every file whose rows count in `year`, with the pipeline's own path: each object
 * is copied onto itself (same bytes, one metadata entry added), which S3 announces as a new
 * `ObjectCreated:Copy` event with a newer sequencer, so ingestion replaces the file's partials
 * exactly as for a re-upload. Used to move partials of the sketch format to exact values
 * (docs/data-model.md, "Migration"); it also applies the normalization rules in force now.
 * Exit code 1 when a file did not settle in time or was rejected.
 */
export async function reingestCommand(
  year: number,
  options: ReingestCommandOptions,
  target: Target,
  io: CliIo,
): Promise<number> {
  const bucketName = required(target, 'bucketName', 're-ingesting');
  const tableName = required(target, 'tableName', 're-ingesting');
  const store = new IngestionProtocol(new DynamoConditionalStore(await target.dynamo(), tableName));
  let records: IngestionRecord[];
  try {
    records = await store.listIngestionRecords(year);
  } catch (error) {
    throw new CliError(`could not read ingestion records of ${target.label}: ${reasonOf(error)}`);
  }
  const files = records.filter((record) => record.status === 'ingested');
  if (files.length === 0) {
    io.stdout(`No ingested files with rows in ${year} on ${target.label}: nothing to re-ingest.\n`);
    return 0;
  }
  const copied: IngestionRecord[] = [];
  for (const record of files) {
    if (await copyOntoItself(target, bucketName, record.key)) {
      io.stdout(`Re-ingesting s3://${bucketName}/${record.key}\n`);
      copied.push(record);
    } else {
      io.stdout(`${record.key}: deleted or replaced meanwhile; its own event covers it\n`);
    }
  }
  if (!options.wait) return 0;
  let exitCode = 0;
  for (const before of copied) {
    const record = await waitForIngestion(
      store,
      before.key,
      // The copy's event is newer than the one the record described.
      (current) => current.sequencer > before.sequencer,
      options.timeout * 1000,
      target,
    );
    if (!record) {
      io.stdout(
        `${before.key}: not re-ingested after ${options.timeout} s; check later with ` +
          '`salary-report status`.\n',
      );
      exitCode = 1;
      continue;
    }
    io.stdout(`${describeOutcome(record, target)}\n`);
    if (record.status !== 'ingested') exitCode = 1;
  }
  return exitCode;
}

/**
 * False when the object is gone or was replaced meanwhile (its own event covers it). S3 copies an
 * object onto itself only when something changes: here one metadata entry.
 */
async function copyOntoItself(target: Target, bucketName: string, key: string): Promise<boolean> {
  try {
    const head = await (await target.s3()).send(
      new HeadObjectCommand({ Bucket: bucketName, Key: key }),
    );
    await (await target.s3()).send(
      new CopyObjectCommand({
        Bucket: bucketName,
        Key: key,
        CopySource: `${bucketName}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
        // The version looked at, not one uploaded since (whose own event ingests it).
        CopySourceIfMatch: head.ETag,
        MetadataDirective: 'REPLACE',
        ContentType: head.ContentType,
        Metadata: { ...head.Metadata, [REINGESTED_AT]: new Date().toISOString() },
      }),
    );
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NotFound' || name === 'NoSuchKey' || name === 'PreconditionFailed') return false;
    throw new CliError(`could not re-ingest ${key} on ${target.label}: ${reasonOf(error)}`);
  }
}
