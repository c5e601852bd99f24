import { createHash } from 'node:crypto';
import { SalaryReportError } from '../../errors.ts';
import type {
  Attributes,
  ConditionalStore,
  ItemKey,
  StoredItem,
} from '../../ports/conditional-store.ts';
import type { IngestionRecord } from '../../ports/ingestion-store.ts';

/** Counts of one year of one committed version, and how many partial items its run wrote there. */
export interface CommittedYear {
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  partials: number;
}

/** The version of the file that counts: which run of which event, and what it holds per year. */
export interface CommittedVersion {
  sequencer: string;
  runId: string;
  /** Years with accepted rows: their pointers are active, every other touched year's retracted. */
  years: number[];
  perYear: Record<string, CommittedYear>;
}

/**
 * The ingestion record as stored: what `status` shows (the newest event seen and its attempt),
 * the committed version (what readers count), and every year any committed version touched.
 */
export interface FileRecord extends IngestionRecord {
  fileId: string;
  committed?: CommittedVersion;
  touchedYears: number[];
}

export interface VersionedRecord {
  version: number;
  record: FileRecord;
}

/** The run id a deletion commits under: it has no partials. */
export const DELETION_RUN = 'deletion';
/** Index partition listing every ingestion record. */
export const RECORD_INDEX_PARTITION = 'FILES';
/** Conditional writes a record update retries after losing to other writers before giving up. */
const MAX_RECORD_WRITES = 20;

/** The first 20 hex digits of SHA-256 of the object key: sort keys stay short for 1 KB keys. */
export function fileIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 20);
}

export function recordKey(key: string): ItemKey {
  return { partition: `FILE#${key}`, sort: 'META' };
}

export function recordFromItem(item: StoredItem): VersionedRecord {
  const record = item.attributes as unknown as FileRecord;
  return {
    version: item.version,
    record: {
      ...record,
      years: [...(record.years ?? [])].map(Number),
      touchedYears: [...(record.touchedYears ?? [])].map(Number),
    },
  };
}

/**
 * The record as `status` and the API show it. Per-year counts are those of the committed version
 * when it is the version the record describes (not while a newer event is being ingested).
 */
export function toPublicRecord(stored: FileRecord): IngestionRecord {
  const { fileId: _fileId, committed, touchedYears: _touched, ...record } = stored;
  const shown: IngestionRecord = { ...record, years: [...record.years].sort((a, b) => a - b) };
  if (committed && committed.sequencer === record.sequencer) {
    shown.perYear = Object.fromEntries(
      Object.entries(committed.perYear).map(([year, counts]) => [
        year,
        { accepted: counts.accepted, rejected: counts.rejected },
      ]),
    );
  }
  return shown;
}

/** A decision on the stored record: write this new record (result if it applies), or stop here. */
export type RecordDecision<Result> = { write: FileRecord; result: Result } | { result: Result };

/** The record's key was written by others more often than an update retries. */
export class RecordContentionError extends SalaryReportError {}

/**
 * Reads a file's record, lets `decide` choose, and writes its choice conditionally on the version
 * read. When the write does not apply, `decide` runs again on what is stored then: another writer
 * got there first, or this very write was applied and its answer lost (the client retried it and
 * the retry met its own write) — either way the stored record tells what is true now.
 */
export async function updateRecord<Result>(
  store: ConditionalStore,
  key: string,
  decide: (current: VersionedRecord | undefined) => RecordDecision<Result>,
): Promise<Result> {
  const itemKey = recordKey(key);
  let stored = await store.get(itemKey);
  for (let attempt = 1; attempt <= MAX_RECORD_WRITES; attempt++) {
    const current = stored ? recordFromItem(stored) : undefined;
    const decision = decide(current);
    if (!('write' in decision)) return decision.result;
    const attributes = recordAttributes(decision.write);
    const index = { partition: RECORD_INDEX_PARTITION, sort: key };
    const outcome = current
      ? await store.compareAndSet(itemKey, current.version, attributes, index)
      : await store.putIfAbsent(itemKey, attributes, index);
    if (outcome.written) return decision.result;
    stored = outcome.current;
  }
  throw new RecordContentionError(
    `the ingestion record of ${key} kept changing during ${MAX_RECORD_WRITES} conditional writes`,
    { key },
  );
}

export async function readRecord(
  store: ConditionalStore,
  key: string,
): Promise<VersionedRecord | undefined> {
  const item = await store.get(recordKey(key));
  return item ? recordFromItem(item) : undefined;
}

function recordAttributes(record: FileRecord): Attributes {
  return withoutUndefined(record) as Attributes;
}

/** Drops undefined fields at every depth: stores keep no "undefined" (DynamoDB cannot). */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([name, field]) => [name, withoutUndefined(field)]),
  );
}
