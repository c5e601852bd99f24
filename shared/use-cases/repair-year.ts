import type { AggregateReader, YearSnapshot } from '../ports/ingestion-store.ts';
import { type IngestDependencies, type IngestOutcome, publishOrRepair } from './ingest-upload.ts';

export interface RepairDependencies extends IngestDependencies {
  aggregates: AggregateReader;
}

export interface FileRepair {
  key: string;
  /** What the file needed: nothing, its pointers re-derived from its record, or a new ingestion. */
  action: 'unchanged' | 'pointers-rewritten' | 'ingested-again';
  outcome?: IngestOutcome;
}

export interface YearRepair {
  year: number;
  files: FileRepair[];
  /** The year as readers see it after the repair. */
  snapshot: YearSnapshot;
}

/**
 * Re-derives a year's pointers from what is stored (`salary-report repair <year>`).
 *
 * Input: a year. Output: what each file needed, and the year as read afterwards.
 * Steps: 1. list every file with a pointer in the year (deleted ones too: their pointers must be
 * retracted); 2. publish each file's committed version again: its pointers in every year become
 * what its ingestion record says, other runs' partials are deleted; 3. a file whose committed
 * partials are not all stored is ingested again from its object (a repair version, see
 * `publishOrRepair`); 4. read the year: consistent now, or the error names what is still wrong
 * (a file whose object is gone cannot be read again: upload it again or delete it).
 */
export async function repairYear(year: number, deps: RepairDependencies): Promise<YearRepair> {
  const records = await deps.aggregates.listIngestionRecords(year, { includeDeleted: true });
  const files: FileRepair[] = [];
  for (const { key } of records) {
    const { pointersWritten, repair } = await publishOrRepair(key, deps, { mayRepair: true });
    if (repair) files.push({ key, action: 'ingested-again', outcome: repair });
    else files.push({ key, action: pointersWritten > 0 ? 'pointers-rewritten' : 'unchanged' });
  }
  return { year, files, snapshot: await deps.aggregates.readYear(year) };
}
