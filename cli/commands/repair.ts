import { randomUUID } from 'node:crypto';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { TempFileRejectionLog } from '#shared/adapters/temp-file-rejection-log.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { InconsistentYearError } from '#shared/use-cases/ingestion/year-reads.ts';
import { type FileRepair, repairYear } from '#shared/use-cases/repair-year.ts';
import { CliError, reasonOf } from '../errors.ts';
import { count } from '../format.ts';
import type { CliIo } from '../io.ts';
import { required, type Target } from '../target.ts';

const ACTIONS: Record<FileRepair['action'], string> = {
  unchanged: 'consistent, unchanged',
  'pointers-rewritten': 'pointers re-derived from its ingestion record',
  'ingested-again': 'partials were missing: ingested again from its object',
};

/**
 * Re-derives a year's pointers from what is stored and ingests again any file whose partials are
 * missing (the repair-year use case, run in this process against the target's bucket and table),
 * then reads the year to confirm. Exit code 1 when the year still cannot be read.
 */
export async function repairCommand(year: number, target: Target, io: CliIo): Promise<number> {
  const bucketName = required(target, 'bucketName', 'repairing a year');
  const tableName = required(target, 'tableName', 'repairing a year');
  const objects = new S3ObjectStore(await target.s3(), bucketName);
  const protocol = new IngestionProtocol(
    new DynamoConditionalStore(await target.dynamo(), tableName),
  );
  try {
    const repair = await repairYear(year, {
      objects,
      store: protocol,
      aggregates: protocol,
      newRejectionLog: () => new TempFileRejectionLog(objects),
      newRunId: () => randomUUID().slice(0, 8),
      now: () => new Date(),
      log: () => {},
    });
    const lines = repair.files.map((file) => `  ${file.key}: ${ACTIONS[file.action]}`);
    const accepted = repair.snapshot.files.reduce((total, file) => total + file.accepted, 0);
    io.stdout(
      `${repair.files.length === 0 ? `No files in ${year}` : `Files of ${year}:\n${lines.join('\n')}`}\n` +
        `${year} reads consistently: ${count(repair.snapshot.files.length)} files, ` +
        `${count(accepted)} accepted rows, ${count(repair.snapshot.cells.length)} cells.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof InconsistentYearError) {
      io.stdout(`${year} still cannot be read: ${error.message}\n`);
      return 1;
    }
    throw new CliError(`could not repair ${year} on ${target.label}: ${reasonOf(error)}`);
  }
}
