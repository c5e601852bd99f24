import type { PartialItem } from '../../domain/partial-payload.ts';
import type { ConditionalStore, ItemKey, StoredItem } from '../../ports/conditional-store.ts';
import type { IngestionRun } from '../../ports/ingestion-store.ts';
import { fileIdOf } from './records.ts';

/**
 * Partial items live in their year's partition under keys that name the file, the event's
 * sequencer and the run (`PART#<fileId>#<sequencer>#<runId>#<cell>#<part>`): every run writes its
 * own items, so writing them again writes the same items, and nothing a reader merges is ever
 * overwritten. Readers merge only the items of the run a pointer names.
 */
export interface StoredPartial extends PartialItem {
  key: ItemKey;
  fileId: string;
  sequencer: string;
  runId: string;
}

export const PARTIAL_PREFIX = 'PART#';

export function yearPartition(year: number): string {
  return `YEAR#${year}`;
}

function runPrefix(fileId: string, run?: { sequencer: string; runId: string }): string {
  return run
    ? `${PARTIAL_PREFIX}${fileId}#${run.sequencer}#${run.runId}#`
    : `${PARTIAL_PREFIX}${fileId}#`;
}

/** Writes the run's items; a repeat writes the same keys with the same values. */
export async function writeRunPartials(
  store: ConditionalStore,
  run: IngestionRun,
  partials: readonly PartialItem[],
): Promise<void> {
  const fileId = fileIdOf(run.key);
  await store.putAll(
    partials.map((partial) => ({
      key: {
        partition: yearPartition(partial.year),
        sort: `${runPrefix(fileId, run)}${partial.cell}#${partial.part}`,
      },
      attributes: {
        fileId,
        sequencer: run.sequencer,
        runId: run.runId,
        cell: partial.cell,
        part: partial.part,
        payload: partial.payload,
      },
    })),
  );
}

export function partialFromItem(year: number, item: StoredItem): StoredPartial {
  const attributes = item.attributes as unknown as Omit<StoredPartial, 'key' | 'year'>;
  return {
    key: { partition: item.partition, sort: item.sort },
    year,
    fileId: String(attributes.fileId),
    sequencer: String(attributes.sequencer),
    runId: String(attributes.runId),
    cell: String(attributes.cell),
    part: Number(attributes.part),
    payload: attributes.payload,
  };
}

/** The file's partial items in a year, of every run (or of one run). */
export async function filePartials(
  store: ConditionalStore,
  year: number,
  fileId: string,
  run?: { sequencer: string; runId: string },
): Promise<StoredPartial[]> {
  const partials: StoredPartial[] = [];
  for await (const item of store.query(yearPartition(year), runPrefix(fileId, run))) {
    partials.push(partialFromItem(year, item));
  }
  return partials;
}

/** Deletes items; deleting an item already gone is a no-op, so a repeat is harmless. */
export async function deletePartials(
  store: ConditionalStore,
  partials: readonly StoredPartial[],
): Promise<void> {
  await store.deleteAll(partials.map((partial) => partial.key));
}
