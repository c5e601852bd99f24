import type { PartialItem } from '../../domain/partial-payload.ts';
import { ByteReader, ByteWriter } from '../../domain/salaries/cents-codec.ts';
import { MAX_CHUNK_BYTES } from '../../domain/salaries/chunks.ts';
import { StoredAggregateError } from '../../errors.ts';
import type {
  Attributes,
  ConditionalStore,
  ItemKey,
  StoredItem,
} from '../../ports/conditional-store.ts';
import type { IngestionRun } from '../../ports/ingestion-store.ts';
import { fileIdOf } from './records.ts';

/**
 * Partial items live in their year's partition under keys that name the file, the event's
 * sequencer and the run (`PART#<fileId>#<sequencer>#<runId>#…`): every run writes its own items,
 * so writing them again writes the same items, and nothing a reader merges is ever overwritten.
 * Readers merge only the items of the run a pointer names, and count them against the pointer.
 *
 * Two layouts (docs/data-model.md, "Items"), both read:
 * - packed (written since 2 December 2026): `…#<runId>#<n>`, attribute `pack`: the payloads of
 *   several cells (`encodePartials`' items, unchanged) in one item of at most `MAX_PACK_BYTES`,
 *   numbered from 0 per year;
 * - one item per payload (written before): `…#<runId>#<cell>#<part>`, attribute `payload`.
 */
export interface StoredPartialKey {
  key: ItemKey;
  fileId: string;
  sequencer: string;
  runId: string;
}

/** One cell's payload (or one part of it) of one run, whichever item layout held it. */
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

/** An item to write: its key and its attributes. */
export interface PartialItemWrite {
  key: ItemKey;
  attributes: Attributes;
}

/**
 * How a run's payloads become items. The same partials always give the same items under the same
 * keys (a repeated write overwrites, never adds), and `itemsPerYear` says how many `itemsOf`
 * gives, without building them: the commit records it, the pointer counts it, readers check it.
 */
export interface PartialLayout {
  itemsOf(
    fileId: string,
    run: { sequencer: string; runId: string },
    partials: readonly PartialItem[],
  ): PartialItemWrite[];
  itemsPerYear(partials: readonly PartialItem[]): Map<number, number>;
}

/**
 * A packed item's size limit, framing included: the same margin under DynamoDB's 400 KB item
 * limit as a payload chunk's (`MAX_CHUNK_BYTES`). A chunk that fills a whole chunk goes alone in
 * its item (its framing adds a few dozen bytes, well inside that margin).
 */
export const MAX_PACK_BYTES = MAX_CHUNK_BYTES;

/**
 * A packed item's bytes (attribute `pack`): `u8 format (3) · varint entries · per entry: varint
 * cell byte length · cell (UTF-8) · varint part · varint payload length · payload`. Format 3 is
 * never a payload's first byte (1: sketch, 2: exact chunk).
 */
export const PACK_FORMAT = 3;

const encoder = new TextEncoder();

function varintBytes(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) bytes += 1;
  return bytes;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface PackPlan {
  year: number;
  entries: PartialItem[];
  bytes: number;
}

/** Format byte and an entry count of up to 4 bytes. */
const PACK_HEADER_BYTES = 5;

function entryBytes(partial: PartialItem): number {
  const cell = Buffer.byteLength(partial.cell);
  return (
    varintBytes(cell) +
    cell +
    varintBytes(partial.part) +
    varintBytes(partial.payload.length) +
    partial.payload.length
  );
}

/**
 * The packs of a run: per year, first fit decreasing: the payloads from the largest down (ties in
 * cell and part order), each into the first pack it fits in under `MAX_PACK_BYTES`, else into a
 * new one; then each pack's payloads in (cell, part) order. Deterministic: it depends on the
 * payloads only, not on the order they come in.
 */
function packPlan(partials: readonly PartialItem[]): PackPlan[] {
  const sized = partials
    .map((partial) => ({ partial, bytes: entryBytes(partial) }))
    .sort(
      (a, b) =>
        a.partial.year - b.partial.year ||
        b.bytes - a.bytes ||
        compareText(a.partial.cell, b.partial.cell) ||
        a.partial.part - b.partial.part,
    );
  const packs: PackPlan[] = [];
  let yearPacks: PackPlan[] = [];
  for (const { partial, bytes } of sized) {
    if (yearPacks[0]?.year !== partial.year) {
      yearPacks = [];
    }
    let pack = yearPacks.find((open) => open.bytes + bytes <= MAX_PACK_BYTES);
    if (!pack) {
      pack = { year: partial.year, entries: [], bytes: PACK_HEADER_BYTES };
      yearPacks.push(pack);
      packs.push(pack);
    }
    pack.entries.push(partial);
    pack.bytes += bytes;
  }
  for (const pack of packs) {
    pack.entries.sort((a, b) => compareText(a.cell, b.cell) || a.part - b.part);
  }
  return packs;
}

/**
 * Plans by the partials they were made for: the commit counts the items of the very partials
 * the run has just written (the same array), without planning them again.
 */
const plans = new WeakMap<readonly PartialItem[], PackPlan[]>();

function planOf(partials: readonly PartialItem[]): PackPlan[] {
  let plan = plans.get(partials);
  if (!plan) {
    plan = packPlan(partials);
    plans.set(partials, plan);
  }
  return plan;
}

/** A packed item's bytes (`PACK_FORMAT`): the payloads in the order given. */
export function encodePack(
  partials: readonly Pick<PartialItem, 'cell' | 'part' | 'payload'>[],
): Uint8Array {
  const cells = partials.map((partial) => encoder.encode(partial.cell));
  const writer = new ByteWriter(
    partials.reduce((total, partial) => total + partial.payload.length + 48, 16),
  );
  writer.byte(PACK_FORMAT);
  writer.varint(partials.length);
  partials.forEach((partial, index) => {
    const cell = cells[index] as Uint8Array;
    writer.varint(cell.length);
    writer.bytesOf(cell);
    writer.varint(partial.part);
    writer.varint(partial.payload.length);
    writer.bytesOf(partial.payload);
  });
  return writer.finish();
}

/** Several cells' payloads per item: a 100k-row file is one item, not one per cell. */
export const PACKED_LAYOUT: PartialLayout = {
  itemsOf(fileId, run, partials) {
    const prefix = runPrefix(fileId, run);
    const numbers = new Map<number, number>();
    return planOf(partials).map((plan) => {
      const index = numbers.get(plan.year) ?? 0;
      numbers.set(plan.year, index + 1);
      return {
        key: { partition: yearPartition(plan.year), sort: `${prefix}${index}` },
        attributes: { pack: encodePack(plan.entries) },
      };
    });
  },
  itemsPerYear(partials) {
    const counts = new Map<number, number>();
    for (const plan of planOf(partials)) counts.set(plan.year, (counts.get(plan.year) ?? 0) + 1);
    return counts;
  },
};

/**
 * Writes the run's items; a repeat writes the same keys with the same values. An item holds its
 * payloads and nothing else: its key names the file, sequencer and run.
 */
export async function writeRunPartials(
  store: ConditionalStore,
  run: IngestionRun,
  partials: readonly PartialItem[],
  layout: PartialLayout = PACKED_LAYOUT,
): Promise<void> {
  if (run.sequencer.includes('#') || run.runId.includes('#')) {
    // Readers take the run out of the sort key (partialKeyOf): it must split there.
    throw new RangeError(`sequencer ${run.sequencer} or run id ${run.runId} contains #`);
  }
  await store.putAll(layout.itemsOf(fileIdOf(run.key), run, partials));
}

type ParsedKey = StoredPartialKey &
  ({ layout: 'packed'; pack: number } | { layout: 'per-payload'; cell: string; part: number });

function parseKey(key: ItemKey): ParsedKey {
  const [prefix, fileId, sequencer, runId, ...rest] = key.sort.split('#');
  const last = Number(rest.pop());
  if (`${prefix}#` !== PARTIAL_PREFIX || !fileId || !sequencer || !runId) {
    throw new RangeError(`not a partial item's sort key: ${key.sort}`);
  }
  if (!Number.isInteger(last) || last < 0) {
    throw new RangeError(`no item number in the partial item's sort key ${key.sort}`);
  }
  const named = { key: { partition: key.partition, sort: key.sort }, fileId, sequencer, runId };
  // File ids, sequencers and run ids never contain `#`: a packed item's key ends with its number
  // right after the run id; an item of one payload names the cell (`country#role#seniority`)
  // between the run id and its part.
  return rest.length === 0
    ? { ...named, layout: 'packed', pack: last }
    : { ...named, layout: 'per-payload', cell: rest.join('#'), part: last };
}

/** What a partial item's sort key names: the file, sequencer and run, in either layout. */
export function partialKeyOf(key: ItemKey): StoredPartialKey {
  const { key: itemKey, fileId, sequencer, runId } = parseKey(key);
  return { key: itemKey, fileId, sequencer, runId };
}

/** The payloads one partial item holds: several for a packed item, one for an item of one payload. */
export function partialsOfItem(year: number, item: StoredItem): StoredPartial[] {
  const parsed = parseKey(item);
  const { key, fileId, sequencer, runId } = parsed;
  const named = { key, fileId, sequencer, runId, year };
  const { pack, payload } = item.attributes;
  if (parsed.layout === 'per-payload') {
    if (!(payload instanceof Uint8Array)) throw damagedItem(item, 'no payload');
    return [{ ...named, cell: parsed.cell, part: parsed.part, payload }];
  }
  if (!(pack instanceof Uint8Array)) throw damagedItem(item, 'a packed item without its pack');
  const reader = new ByteReader(pack);
  const format = reader.byte();
  if (format !== PACK_FORMAT) throw damagedItem(item, `unknown pack format ${format}`);
  const count = reader.varint();
  if (count < 1) throw damagedItem(item, 'an empty pack');
  const partials: StoredPartial[] = [];
  for (let entry = 0; entry < count; entry++) {
    const cell = reader.text();
    const part = reader.varint();
    partials.push({ ...named, cell, part, payload: reader.take(reader.varint()) });
  }
  if (!reader.done) throw damagedItem(item, `${reader.remaining} bytes after the last payload`);
  return partials;
}

function damagedItem(item: ItemKey, reason: string): StoredAggregateError {
  return new StoredAggregateError(
    `partial item ${item.partition} ${item.sort} is damaged: ${reason}`,
    {
      partition: item.partition,
      sort: item.sort,
      reason,
    },
  );
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
