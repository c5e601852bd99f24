import type { IngestionRecord } from '../../ports/ingestion-store.ts';

/**
 * Rejected rows of an ingested file whose year could not be read (or lay outside the survey
 * years): in the file's `rejected` count, in no year's report. Undefined when the record does not
 * say (not ingested, or written before per-year counts were kept). The API's uploads listing and
 * the CLI's `status` show it.
 */
export function rejectedWithoutYear(record: IngestionRecord): number | undefined {
  if (record.status !== 'ingested' || !record.perYear) return undefined;
  const inYears = Object.values(record.perYear).reduce(
    (total, counts) => total + counts.rejected,
    0,
  );
  return record.rejected - inYears;
}
