import { compareCells } from '../../domain/cell.ts';
import { type CellPartial, decodePartial } from '../../domain/partial-payload.ts';
import { SalaryReportError } from '../../errors.ts';
import type { ConditionalStore, StoredItem } from '../../ports/conditional-store.ts';
import type {
  FileYearContribution,
  IngestionRecord,
  YearSnapshot,
} from '../../ports/ingestion-store.ts';
import {
  PARTIAL_PREFIX,
  partialKeyOf,
  partialsOfItem,
  type StoredPartial,
  type StoredPartialKey,
  yearPartition,
} from './partials.ts';
import { POINTER_PREFIX, pointerFromItem, type YearPointer } from './pointers.ts';
import { RECORD_INDEX_PARTITION, recordFromItem, recordKey, toPublicRecord } from './records.ts';

/** One file whose pointer and stored partial items disagree. */
export interface YearDisagreement {
  key: string;
  sequencer: string;
  runId: string;
  expectedPartials: number;
  foundPartials: number;
}

/**
 * A year's pointers and partials disagreed on every read attempt: either a publish kept racing
 * the reads, or items a pointer names are missing. Names each file and run concerned;
 * `salary-report repair <year>` (or the next ingestion of the file) re-derives them.
 */
export class InconsistentYearError extends SalaryReportError {
  constructor(
    readonly year: number,
    readonly disagreements: readonly YearDisagreement[],
  ) {
    super(
      `the stored aggregates of ${year} disagree with their pointers: ${disagreements
        .map(
          (file) =>
            `${file.key} (sequencer ${file.sequencer}, run ${file.runId}) has ` +
            `${file.foundPartials} of ${file.expectedPartials} partial items`,
        )
        .join('; ')}; run \`salary-report repair ${year}\``,
      { year, files: disagreements },
    );
  }
}

export interface ReadPolicy {
  /** Reads of a year that changed under the reader before it gives up. */
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_READ_POLICY: ReadPolicy = {
  attempts: 5,
  baseDelayMs: 50,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Merges the partials of the runs the year's pointers name, from one strongly consistent read of
 * the year's partition. A publish racing the read can move a pointer and delete what it named
 * between two pages, so every pointer states how many items its run has; a read that does not
 * find exactly those is repeated with backoff, then fails naming the files that disagree.
 */
export async function readYear(
  store: ConditionalStore,
  year: number,
  policy: ReadPolicy = DEFAULT_READ_POLICY,
): Promise<YearSnapshot> {
  let disagreements: YearDisagreement[] = [];
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const read = await readYearOnce(store, year);
    if (read.disagreements.length === 0) return snapshotOf(year, read.pointers, read.verified);
    disagreements = read.disagreements;
    if (attempt < policy.attempts) await policy.sleep(policy.baseDelayMs * 2 ** (attempt - 1));
  }
  throw new InconsistentYearError(year, disagreements);
}

interface YearRead {
  pointers: YearPointer[];
  /** Items of the runs the pointers name. */
  verified: StoredPartial[];
  disagreements: YearDisagreement[];
}

export async function readYearOnce(store: ConditionalStore, year: number): Promise<YearRead> {
  const pointers = new Map<string, YearPointer>();
  const partials: { named: StoredPartialKey; item: StoredItem }[] = [];
  for await (const item of store.query(yearPartition(year), '')) {
    if (item.sort.startsWith(POINTER_PREFIX)) {
      const pointer = pointerFromItem(item);
      pointers.set(pointer.fileId, pointer);
    } else if (item.sort.startsWith(PARTIAL_PREFIX)) {
      partials.push({ named: partialKeyOf(item), item });
    }
  }
  const verifiedItems = partials.filter(({ named }) => {
    const pointer = pointers.get(named.fileId);
    return (
      pointer?.status === 'active' &&
      pointer.sequencer === named.sequencer &&
      pointer.runId === named.runId
    );
  });
  // Pointers count items (a packed item holds several cells' payloads): count items, then unpack.
  const found = new Map<string, number>();
  for (const { named } of verifiedItems) {
    found.set(named.fileId, (found.get(named.fileId) ?? 0) + 1);
  }
  const verified = verifiedItems.flatMap(({ item }) => partialsOfItem(year, item));
  const disagreements = [...pointers.values()]
    .filter(
      (pointer) => pointer.status === 'active' && found.get(pointer.fileId) !== pointer.partials,
    )
    .map((pointer) => ({
      key: pointer.key,
      sequencer: pointer.sequencer,
      runId: pointer.runId,
      expectedPartials: pointer.partials,
      foundPartials: found.get(pointer.fileId) ?? 0,
    }));
  return { pointers: [...pointers.values()], verified, disagreements };
}

function snapshotOf(
  year: number,
  pointers: YearPointer[],
  verified: StoredPartial[],
): YearSnapshot {
  // One file's run may split a cell over several items: decode per file and cell, then merge.
  const pieces = new Map<string, StoredPartial[]>();
  for (const partial of verified) {
    const id = `${partial.fileId}#${partial.cell}`;
    const group = pieces.get(id) ?? [];
    group.push(partial);
    pieces.set(id, group);
  }
  const byCell = new Map<string, CellPartial>();
  for (const group of pieces.values()) {
    const [first] = group;
    if (!first) continue;
    const ordered = group.sort((a, b) => a.part - b.part).map((partial) => partial.payload);
    const decoded = decodePartial(year, first.cell, ordered);
    const existing = byCell.get(first.cell);
    if (existing) existing.aggregate.merge(decoded.aggregate);
    else byCell.set(first.cell, decoded);
  }
  const files: FileYearContribution[] = pointers
    .filter((pointer) => pointer.accepted > 0 || pointer.rejected > 0)
    .map((pointer) => ({
      key: pointer.key,
      sequencer: pointer.sequencer,
      accepted: pointer.accepted,
      rejected: pointer.rejected,
      rejectedByReason: pointer.rejectedByReason,
    }))
    .sort((a, b) => compareText(a.key, b.key));
  const cells = [...byCell.values()].sort((a, b) => compareCells(a.cell, b.cell));
  return { year, cells, files };
}

/** Ingestion records of the files with a pointer in `year` (deleted ones left out), or of every file. */
export async function listIngestionRecords(
  store: ConditionalStore,
  year?: number,
  options: { includeDeleted?: boolean } = {},
): Promise<IngestionRecord[]> {
  const keys: string[] = [];
  if (year === undefined) {
    for await (const item of store.queryIndex(RECORD_INDEX_PARTITION)) {
      keys.push(recordFromItem(item).record.key);
    }
  } else {
    for await (const item of store.query(yearPartition(year), POINTER_PREFIX)) {
      keys.push(pointerFromItem(item).key);
    }
  }
  const items = await store.getMany(keys.map(recordKey));
  return items
    .map((item) => toPublicRecord(recordFromItem(item).record))
    .filter((record) => year === undefined || options.includeDeleted || record.status !== 'deleted')
    .sort((a, b) => compareText(a.key, b.key));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
