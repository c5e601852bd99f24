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
export interface StoredPartialKey {
  key: ItemKey;
  fileId: string;
  sequencer: string;
  runId: string;
  cell: string;
  part: number;
}

export interface StoredPartial extends StoredPartialKey, PartialItem {}

export const PARTIAL_PREFIX = 'PART#';

export function yearPartition(year: number): string {
  return `YEAR#${year}`;
}

function runPrefix(fileId: string, run?: { sequencer: string; runId: string }): string {
  return run
    ? `${PARTIAL_PREFIX}${fileId}#${run.sequencer}#${run.runId}#`
    : `${PARTIAL_PREFIX}${fileId}#`;
}

/**
 * Writes the run's items; a repeat writes the same keys with the same values. An item holds its
 * payload and nothing else: its key names the file, sequencer, run, cell and part.
 */
export async function writeRunPartials(
  store: ConditionalStore,
  run: IngestionRun,
  partials: readonly PartialItem[],
): Promise<void> {
  if (run.sequencer.includes('#') || run.runId.includes('#')) {
    // Readers take the run out of the sort key (partialKeyOf): it must split there.
    throw new RangeError(`sequencer ${run.sequencer} or run id ${run.runId} contains #`);
  }
  const fileId = fileIdOf(run.key);
  await store.putAll(
    partials.map((partial) => ({
      key: {
        partition: yearPartition(partial.year),
        sort: `${runPrefix(fileId, run)}${partial.cell}#${partial.part}`,
      },
      attributes: { payload: partial.payload },
    })),
  );
}

/**
 * What a partial item's sort key names. File ids, sequencers and run ids never contain `#`, and
 * the part is a number, so the cell is whatever lies between the run id and the last `#`.
 */
export function partialKeyOf(key: ItemKey): StoredPartialKey {
  const [prefix, fileId, sequencer, runId, ...rest] = key.sort.split('#');
  const part = Number(rest.pop());
  if (`${prefix}#` !== PARTIAL_PREFIX || !fileId || !sequencer || !runId || rest.length === 0) {
    throw new RangeError(`not a partial item's sort key: ${key.sort}`);
  }
  if (!Number.isInteger(part) || part < 0) {
    throw new RangeError(`no part number in the partial item's sort key ${key.sort}`);
  }
  return {
    key: { partition: key.partition, sort: key.sort },
    fileId,
    sequencer,
    runId,
    cell: rest.join('#'),
    part,
  };
}

export function partialFromItem(year: number, item: StoredItem): StoredPartial {
  return { ...partialKeyOf(item), year, payload: item.attributes.payload as Uint8Array };
}

/**
 * The keys of the file's partial items in a year, of every run (or of one run): what publishing
 * counts and deletes, read without the payloads.
 */
export async function filePartials(
  store: ConditionalStore,
  year: number,
  fileId: string,
  run?: { sequencer: string; runId: string },
): Promise<StoredPartialKey[]> {
  const partials: StoredPartialKey[] = [];
  for await (const key of store.queryKeys(yearPartition(year), runPrefix(fileId, run))) {
    partials.push(partialKeyOf(key));
  }
  return partials;
}

/** Deletes items; deleting an item already gone is a no-op, so a repeat is harmless. */
export async function deletePartials(
  store: ConditionalStore,
  partials: readonly StoredPartialKey[],
): Promise<void> {
  await store.deleteAll(partials.map((partial) => partial.key));
}
