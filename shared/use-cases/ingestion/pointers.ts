import type { ConditionalStore, ItemKey, StoredItem } from '../../ports/conditional-store.ts';
import { yearPartition } from './partials.ts';
import { RecordContentionError } from './records.ts';

/**
 * Which run of which version of a file counts in a year. `recordVersion` is the version of the
 * ingestion record the pointer was derived from: record versions only grow, so a publish that
 * read an older record (a slow, stale publisher) never moves a pointer back.
 */
export interface YearPointer {
  key: string;
  fileId: string;
  sequencer: string;
  runId: string;
  status: 'active' | 'retracted';
  /** Partial items the run has in this year: a reader must find exactly these. */
  partials: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  recordVersion: number;
}

export const POINTER_PREFIX = 'FILE#';
const MAX_POINTER_WRITES = 20;

export function pointerKey(year: number, fileId: string): ItemKey {
  return { partition: yearPartition(year), sort: `${POINTER_PREFIX}${fileId}` };
}

export function pointerFromItem(item: StoredItem): YearPointer {
  return item.attributes as unknown as YearPointer;
}

export type PointerOutcome = 'written' | 'unchanged' | 'newer';

/**
 * Sets the pointer unless it was derived from a newer record. A write that does not apply is
 * decided again on what is stored: its own earlier write (applied, answer lost) reads back as
 * `unchanged`.
 */
export async function setPointer(
  store: ConditionalStore,
  year: number,
  desired: YearPointer,
): Promise<PointerOutcome> {
  const key = pointerKey(year, desired.fileId);
  let stored = await store.get(key);
  for (let attempt = 1; attempt <= MAX_POINTER_WRITES; attempt++) {
    const current = stored ? pointerFromItem(stored) : undefined;
    if (current && current.recordVersion > desired.recordVersion) return 'newer';
    if (current && samePointer(current, desired)) return 'unchanged';
    const attributes = { ...desired };
    const outcome = stored
      ? await store.compareAndSet(key, stored.version, attributes)
      : await store.putIfAbsent(key, attributes);
    if (outcome.written) return 'written';
    stored = outcome.current;
  }
  throw new RecordContentionError(
    `the ${year} pointer of ${desired.key} kept changing during ${MAX_POINTER_WRITES} conditional writes`,
    { key: desired.key, year },
  );
}

/** Same run, status and counts: the pointer already says what this publish would write. */
function samePointer(a: YearPointer, b: YearPointer): boolean {
  return (
    a.sequencer === b.sequencer &&
    a.runId === b.runId &&
    a.status === b.status &&
    a.partials === b.partials &&
    a.accepted === b.accepted &&
    a.rejected === b.rejected &&
    JSON.stringify(sortedEntries(a.rejectedByReason)) ===
      JSON.stringify(sortedEntries(b.rejectedByReason))
  );
}

function sortedEntries(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
