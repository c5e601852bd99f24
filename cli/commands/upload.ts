import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Upload } from '@aws-sdk/lib-storage';
import { SingleBar } from 'cli-progress';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { profileKey, uploadKey } from '#shared/bucket-layout.ts';
import { isProfileName, PROFILE_METADATA_KEY } from '#shared/domain/profile.ts';
import type { IngestionRecord } from '#shared/ports/ingestion-store.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { loadNormalizationRules } from '#shared/use-cases/load-rules.ts';
import { CliError, reasonOf } from '../errors.ts';
import { count, counted, excludedRows, suggestedCommand } from '../format.ts';
import type { CliIo } from '../io.ts';
import { required, type Target } from '../target.ts';
import { readLocalProfile, validateLocalProfile } from './profile.ts';

export interface UploadCommandOptions {
  year: number;
  /** A profile file (`p.json`, put in the bucket when new or changed) or a profile's name. */
  profile?: string;
  /** The name a profile file gets in the bucket (default: its file name without `.json`). */
  profileName?: string;
  wait: boolean;
  /** Seconds to wait for each file's ingestion. */
  timeout: number;
}

/** Multipart above this size, in parts of this size (S3's minimum part is 5 MiB). */
const PART_BYTES = 8 * 1024 * 1024;
/** Smaller files upload in a blink: no bar. */
const PROGRESS_MIN_BYTES = 1024 * 1024;
/** Ingestion states that end a wait; `processing` is the only one in between. */
const SETTLED = new Set<IngestionRecord['status']>(['ingested', 'rejected', 'superseded']);

interface UploadedFile {
  path: string;
  key: string;
  etag: string | undefined;
  startedAt: Date;
}

/**
 * Puts each file in the bucket under `uploads/<year>/`, then waits for ingestion to settle each
 * one and prints its counts and where its rejected rows are. Exit code 1 when a file was
 * rejected as a whole or did not settle in time.
 */
export async function uploadCommand(
  files: readonly string[],
  options: UploadCommandOptions,
  target: Target,
  io: CliIo,
): Promise<number> {
  const bucketName = required(target, 'bucketName', 'uploading');
  const paths = files.map((file) => checkedFile(resolve(io.cwd, file)));
  const profile =
    options.profile === undefined
      ? undefined
      : await ensureProfile(target, bucketName, options.profile, options.profileName, io);
  const uploaded: UploadedFile[] = [];
  for (const path of paths) {
    const key = uploadKey(options.year, basename(path));
    const startedAt = new Date();
    const etag = await putFile(target, bucketName, key, path, io, profile);
    io.stdout(`Uploaded ${path} to s3://${bucketName}/${key}\n`);
    uploaded.push({ path, key, etag, startedAt });
  }
  if (!options.wait) return 0;
  if (!target.tableName) {
    io.stdout('Not waiting for ingestion: pass --table <name> (or --stack) to see the results.\n');
    return 0;
  }
  const store = new IngestionProtocol(
    new DynamoConditionalStore(await target.dynamo(), target.tableName),
  );
  let exitCode = 0;
  for (const file of uploaded) {
    const record = await waitForUpload(store, file, options.timeout * 1000, target);
    if (!record) {
      io.stdout(
        `${file.key}: not ingested after ${options.timeout} s; check later with ` +
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

function checkedFile(path: string): string {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new CliError(`${path} is not a file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${path}: ${reasonOf(error)}`);
  }
  if (!path.toLowerCase().endsWith('.csv')) {
    throw new CliError(`${path}: only .csv files are ingested`);
  }
  if (size === 0) throw new CliError(`${path} is empty`);
  return path;
}

/**
 * The profile an upload names. A file (an existing path, or a name ending in `.json`) is
 * validated against the bucket's rules and put at `config/profiles/<name>.json` when that object
 * is missing or different; a bare name must already be in the bucket.
 */
async function ensureProfile(
  target: Target,
  bucketName: string,
  profile: string,
  name: string | undefined,
  io: CliIo,
): Promise<string> {
  const objects = new S3ObjectStore(await target.s3(), bucketName);
  const path = resolve(io.cwd, profile);
  const isFile = profile.toLowerCase().endsWith('.json') || existsSync(path);
  try {
    if (!isFile) {
      if (!isProfileName(profile)) {
        throw new CliError(`"${profile}" is neither a profile file nor a profile name`);
      }
      if ((await objects.readText(profileKey(profile))) === undefined) {
        throw new CliError(
          `there is no profile "${profile}" in ${target.label} (${profileKey(profile)}): pass its file, --profile ${profile}.json`,
        );
      }
      return profile;
    }
    const local = readLocalProfile(path, name);
    validateLocalProfile(local, await loadNormalizationRules(objects));
    const key = profileKey(local.name);
    const stored = await objects.readText(key);
    if (stored === local.text) {
      io.stdout(`Profile "${local.name}" is unchanged at s3://${bucketName}/${key}\n`);
    } else {
      await objects.putFile(key, path, 'application/json');
      io.stdout(
        `Profile "${local.name}" ${stored === undefined ? 'put' : 'updated'} at s3://${bucketName}/${key}\n`,
      );
    }
    return local.name;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`could not check the profile in ${target.label}: ${reasonOf(error)}`);
  }
}

async function putFile(
  target: Target,
  bucketName: string,
  key: string,
  path: string,
  io: CliIo,
  profile: string | undefined,
): Promise<string | undefined> {
  const size = statSync(path).size;
  const upload = new Upload({
    client: await target.s3(),
    params: {
      Bucket: bucketName,
      Key: key,
      Body: createReadStream(path),
      ContentType: 'text/csv',
      ...(profile ? { Metadata: { [PROFILE_METADATA_KEY]: profile } } : {}),
    },
    partSize: PART_BYTES,
    queueSize: 2,
  });
  const bar =
    io.isTerminal && size >= PROGRESS_MIN_BYTES
      ? new SingleBar({
          format: `${basename(path)} [{bar}] {percentage}% | {value}/{total} MiB`,
          hideCursor: true,
        })
      : undefined;
  const mebibytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  bar?.start(mebibytes(size), 0);
  upload.on('httpUploadProgress', (progress) => bar?.update(mebibytes(progress.loaded ?? 0)));
  try {
    const result = await upload.done();
    return result.ETag;
  } catch (error) {
    throw new CliError(`could not upload ${path} to ${target.label}: ${reasonOf(error)}`);
  } finally {
    bar?.stop();
  }
}

/** Polls the file's ingestion record until it describes this upload and has settled. */
function waitForUpload(
  store: IngestionProtocol,
  file: UploadedFile,
  timeoutMs: number,
  target: Target,
): Promise<IngestionRecord | undefined> {
  return waitForIngestion(
    store,
    file.key,
    (record) => describesUpload(record, file),
    timeoutMs,
    target,
  );
}

/**
 * Polls a key's ingestion record until `isThisVersion` accepts it and it has settled (ingested,
 * rejected or superseded); undefined after `timeoutMs`.
 */
export async function waitForIngestion(
  store: IngestionProtocol,
  key: string,
  isThisVersion: (record: IngestionRecord) => boolean,
  timeoutMs: number,
  target: Target,
): Promise<IngestionRecord | undefined> {
  const deadline = Date.now() + timeoutMs;
  const pollMs = target.local ? 200 : 2000;
  for (;;) {
    let record: IngestionRecord | undefined;
    try {
      record = await store.getRecord(key);
    } catch (error) {
      throw new CliError(`could not read ingestion records of ${target.label}: ${reasonOf(error)}`);
    }
    // Settled, and published: the year's readers (status, report) see this version already.
    if (
      record &&
      isThisVersion(record) &&
      SETTLED.has(record.status) &&
      (record.status === 'superseded' || (await store.isPublished(key)))
    ) {
      return record;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The record is about this version of the key: same ETag (or, without one, started after it). */
function describesUpload(record: IngestionRecord, file: UploadedFile): boolean {
  const unquote = (etag: string) => etag.replace(/^"|"$/g, '');
  if (record.etag && file.etag) return unquote(record.etag) === unquote(file.etag);
  return Date.parse(record.startedAt) >= file.startedAt.getTime() - 1000;
}

/** One line per file, and the command that shows its rejected rows when there are any. */
export function describeOutcome(record: IngestionRecord, target: Target): string {
  const excluded = excludedRows(record.excluded);
  const counts =
    `${counted(record.accepted, 'row')} accepted, ${count(record.rejected)} rejected` +
    (excluded ? `, ${count(excluded.total)} excluded (${excluded.reasons})` : '') +
    (record.profile ? ` [profile ${record.profile}]` : '');
  const showRejected = `\n  see them: ${suggestedCommand(['rejected', record.key, ...target.commandFlags])}`;
  switch (record.status) {
    case 'ingested':
      return record.errorsKey
        ? `${record.key}: ${counts}${showRejected}`
        : `${record.key}: ${counts}`;
    case 'rejected':
      return (
        `${record.key}: the whole file was rejected: ${record.message ?? 'see its errors file'}` +
        (record.errorsKey ? showRejected : '')
      );
    default:
      return `${record.key}: ${record.status}${record.message ? ` (${record.message})` : ''}`;
  }
}
