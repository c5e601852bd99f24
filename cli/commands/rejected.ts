import { createWriteStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { BUCKET_PREFIXES } from '#shared/bucket-layout.ts';
import type { IngestionRecord } from '#shared/ports/ingestion-store.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { CliError, reasonOf } from '../errors.ts';
import { counted } from '../format.ts';
import type { CliIo } from '../io.ts';
import { required, type Target } from '../target.ts';

export interface RejectedCommandOptions {
  out?: string;
}

/**
 * Prints (or saves with `--out`) the rejected rows of one upload: the errors CSV ingestion wrote,
 * one line per rejected row with its line number, column, value, reason and message. The upload
 * is named by its key (`uploads/2025/survey.csv`) or by its file name when only one upload has it.
 */
export async function rejectedCommand(
  upload: string,
  options: RejectedCommandOptions,
  target: Target,
  io: CliIo,
): Promise<void> {
  const bucketName = required(target, 'bucketName', 'reading rejected rows');
  const tableName = required(target, 'tableName', 'finding the upload');
  const record = await findUpload(
    new IngestionProtocol(new DynamoConditionalStore(await target.dynamo(), tableName)),
    upload,
    target,
  );
  if (!record.errorsKey) {
    io.stdout(
      record.status === 'ingested' || record.status === 'rejected'
        ? `${record.key}: no rejected rows.\n`
        : `${record.key}: ${record.status}${record.message ? ` (${record.message})` : ''}; no rejected rows to show.\n`,
    );
    return;
  }
  let body: Readable;
  try {
    const answer = await (await target.s3()).send(
      new GetObjectCommand({ Bucket: bucketName, Key: record.errorsKey }),
    );
    body = answer.Body as Readable;
  } catch (error) {
    throw new CliError(`could not read s3://${bucketName}/${record.errorsKey}: ${reasonOf(error)}`);
  }
  if (!options.out) {
    const decoder = new TextDecoder();
    for await (const chunk of body) io.stdout(decoder.decode(chunk as Buffer, { stream: true }));
    io.stdout(decoder.decode());
    return;
  }
  const path = resolve(io.cwd, options.out);
  try {
    await pipeline(body, createWriteStream(path));
  } catch (error) {
    throw new CliError(`could not write ${path}: ${reasonOf(error)}`);
  }
  io.stderr(`Wrote ${counted(record.rejected, 'rejected row')} of ${record.key} to ${path}\n`);
}

/** The upload a key or a file name names; a name that several uploads share must be a key. */
async function findUpload(
  store: IngestionProtocol,
  upload: string,
  target: Target,
): Promise<IngestionRecord> {
  const read = async <T>(what: () => Promise<T>) => {
    try {
      return await what();
    } catch (error) {
      throw new CliError(`could not read ingestion records of ${target.label}: ${reasonOf(error)}`);
    }
  };
  if (upload.startsWith(BUCKET_PREFIXES.uploads)) {
    const record = await read(() => store.getRecord(upload));
    if (!record) throw new CliError(`no upload ${upload} on ${target.label}`);
    return record;
  }
  const name = basename(upload);
  const matches = (await read(() => store.listIngestionRecords())).filter(
    (record) => basename(record.key) === name && record.status !== 'deleted',
  );
  const [only, ...others] = matches;
  if (!only) {
    throw new CliError(
      `no upload named ${name} on ${target.label}; \`salary-report status\` lists them`,
    );
  }
  if (others.length > 0) {
    throw new CliError(
      `${matches.length} uploads are named ${name}: ${matches.map((record) => record.key).join(', ')}; name one by its key`,
    );
  }
  return only;
}
