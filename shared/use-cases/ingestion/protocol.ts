import type { PartialItem } from '../../domain/partial-payload.ts';
import type { ConditionalStore } from '../../ports/conditional-store.ts';
import type {
  AggregateReader,
  ClaimOutcome,
  CommitOutcome,
  FileIngestionResult,
  IngestionRecord,
  IngestionRun,
  IngestionStore,
  ObjectVersionEvent,
  PublishOutcome,
  YearSnapshot,
} from '../../ports/ingestion-store.ts';
import {
  deletePartials,
  filePartials,
  PACKED_LAYOUT,
  type PartialLayout,
  writeRunPartials,
} from './partials.ts';
import { pointerFromItem, pointerKey, setPointer, type YearPointer } from './pointers.ts';
import {
  type CommittedVersion,
  DELETION_RUN,
  type FileRecord,
  fileIdOf,
  type RecordDecision,
  readRecord,
  toPublicRecord,
  updateRecord,
  type VersionedRecord,
} from './records.ts';
import {
  DEFAULT_READ_POLICY,
  listIngestionRecords,
  type ReadPolicy,
  readYear,
} from './year-reads.ts';

/**
 * The ingestion protocol (docs/data-model.md): claim, write partials, commit, publish, supersede,
 * delete; sequencer order per key, the first committed run of an event wins, deletions retract,
 * readers detect torn reads. Every decision is made here, on records read from a conditional
 * store, and every write is conditional on the version read or writes items of its own run, so
 * each step can be repeated after any failure — including a write that was applied but whose
 * answer was lost, which a retry finds already in place.
 */
export class IngestionProtocol implements IngestionStore, AggregateReader {
  constructor(
    private readonly store: ConditionalStore,
    private readonly readPolicy: ReadPolicy = DEFAULT_READ_POLICY,
    /** How partials become items: packed; tests also write the layout of earlier versions. */
    private readonly layout: PartialLayout = PACKED_LAYOUT,
  ) {}

  async getRecord(key: string): Promise<IngestionRecord | undefined> {
    const current = await readRecord(this.store, key);
    return current ? toPublicRecord(current.record) : undefined;
  }

  /** Marks the key as being processed for this event, unless a newer event was seen. */
  claim(event: ObjectVersionEvent, startedAt: string): Promise<ClaimOutcome> {
    return updateRecord(this.store, event.key, (current) => decideClaim(current, event, startedAt));
  }

  writePartials(run: IngestionRun, partials: readonly PartialItem[]): Promise<void> {
    return writeRunPartials(this.store, run, partials, this.layout);
  }

  commit(
    run: IngestionRun,
    result: FileIngestionResult,
    finishedAt: string,
  ): Promise<CommitOutcome> {
    const itemsPerYear = this.layout.itemsPerYear(result.partials);
    return updateRecord(this.store, run.key, (current) =>
      decideCommit(current, run, result, finishedAt, itemsPerYear),
    );
  }

  commitDeletion(event: ObjectVersionEvent, finishedAt: string): Promise<boolean> {
    return updateRecord(this.store, event.key, (current) =>
      decideDeletion(current, event, finishedAt),
    );
  }

  async markSuperseded(event: ObjectVersionEvent, finishedAt: string): Promise<void> {
    await updateRecord(this.store, event.key, (current) =>
      current?.record.sequencer === event.sequencer && current.record.status === 'processing'
        ? { write: { ...current.record, status: 'superseded', finishedAt }, result: undefined }
        : { result: undefined },
    );
  }

  /**
   * Points every year the file ever touched at its committed run, then deletes the file's other
   * partials up to that version (never a newer sequencer's: its run may still be in flight). A
   * year whose committed run's items are not all there is left as it was and reported: the
   * caller re-ingests the object (`incompleteYears`).
   */
  async publish(key: string): Promise<PublishOutcome> {
    const current = await readRecord(this.store, key);
    const committed = current?.record.committed;
    if (!current || !committed) return { incompleteYears: [], pointersWritten: 0 };
    const incompleteYears: number[] = [];
    let pointersWritten = 0;
    for (const year of [...current.record.touchedYears].sort((a, b) => a - b)) {
      const pointer = pointerFor(current, committed, year);
      const partials = await filePartials(this.store, year, pointer.fileId);
      const own = partials.filter(
        (partial) => partial.sequencer === committed.sequencer && partial.runId === committed.runId,
      );
      if (own.length !== pointer.partials) {
        incompleteYears.push(year);
        continue;
      }
      const written = await setPointer(this.store, year, pointer);
      if (written === 'newer') continue;
      if (written === 'written') pointersWritten += 1;
      await deletePartials(
        this.store,
        partials.filter(
          (partial) =>
            partial.sequencer < committed.sequencer ||
            (partial.sequencer === committed.sequencer && partial.runId !== committed.runId),
        ),
      );
    }
    return { incompleteYears, pointersWritten };
  }

  /**
   * True when readers see the key's committed version: every year it touched points at that run
   * (or at a newer one). False while a commit waits for its publish.
   */
  async isPublished(key: string): Promise<boolean> {
    const current = await readRecord(this.store, key);
    const committed = current?.record.committed;
    if (!current || !committed) return false;
    for (const year of current.record.touchedYears) {
      const item = await this.store.get(pointerKey(year, current.record.fileId));
      const pointer = item ? pointerFromItem(item) : undefined;
      if (!pointer) return false;
      const same = pointer.sequencer === committed.sequencer && pointer.runId === committed.runId;
      if (!same && pointer.recordVersion <= current.version) return false;
    }
    return true;
  }

  /** Deletes a losing run's partials; never those of the run the record has committed. */
  async discardPartials(run: IngestionRun, years: readonly number[]): Promise<void> {
    const current = await readRecord(this.store, run.key);
    const committed = current?.record.committed;
    if (committed?.sequencer === run.sequencer && committed.runId === run.runId) return;
    for (const year of years) {
      await deletePartials(
        this.store,
        await filePartials(this.store, year, fileIdOf(run.key), run),
      );
    }
  }

  readYear(year: number): Promise<YearSnapshot> {
    return readYear(this.store, year, this.readPolicy);
  }

  listIngestionRecords(
    year?: number,
    options?: { includeDeleted?: boolean },
  ): Promise<IngestionRecord[]> {
    return listIngestionRecords(this.store, year, options);
  }
}

/**
 * Claim: go ahead if the event is newer than any seen for the key, or is the one being processed
 * (a retry, or this claim's own write read back); stop if a newer one was seen (stale) or this
 * one was already applied (done: only publish again).
 */
export function decideClaim(
  current: VersionedRecord | undefined,
  event: ObjectVersionEvent,
  startedAt: string,
): RecordDecision<ClaimOutcome> {
  if (current) {
    const { record } = current;
    if (record.sequencer > event.sequencer) {
      return { result: { kind: 'stale', current: toPublicRecord(record) } };
    }
    if (record.sequencer === event.sequencer) {
      return record.status === 'processing'
        ? { result: { kind: 'claimed' } }
        : { result: { kind: 'done', current: toPublicRecord(record) } };
    }
  }
  const claimed: FileRecord = {
    key: event.key,
    fileId: fileIdOf(event.key),
    sequencer: event.sequencer,
    status: 'processing',
    accepted: 0,
    rejected: 0,
    rejectedByReason: {},
    years: [],
    startedAt,
    ...(event.etag ? { etag: event.etag } : {}),
    ...(event.versionId ? { versionId: event.versionId } : {}),
    ...(event.size !== undefined ? { size: event.size } : {}),
    touchedYears: current?.record.touchedYears ?? [],
    ...(current?.record.committed ? { committed: current.record.committed } : {}),
  };
  return { write: claimed, result: { kind: 'claimed' } };
}

/**
 * Commit: the run's partials become the version's, unless a newer event was claimed (superseded)
 * or another run of this event committed first (duplicate). The record already naming this very
 * run means an earlier attempt of this write was applied: committed.
 */
export function decideCommit(
  current: VersionedRecord | undefined,
  run: IngestionRun,
  result: FileIngestionResult,
  finishedAt: string,
  /** The partial items the run wrote per year (`PartialLayout.itemsPerYear`). */
  itemsPerYear: ReadonlyMap<number, number>,
): RecordDecision<CommitOutcome> {
  const record = current?.record;
  if (record?.committed?.sequencer === run.sequencer && record.committed.runId === run.runId) {
    return { result: 'committed' };
  }
  if (!record || record.sequencer !== run.sequencer) return { result: 'superseded' };
  if (record.committed?.sequencer === run.sequencer) return { result: 'duplicate' };

  const years = [...result.perYear.keys()].sort((a, b) => a - b);
  const committed: CommittedVersion = {
    sequencer: run.sequencer,
    runId: run.runId,
    years: years.filter((year) => (result.perYear.get(year)?.accepted ?? 0) > 0),
    perYear: Object.fromEntries(
      [...result.perYear.entries()].map(([year, counts]) => [
        String(year),
        { ...counts, partials: itemsPerYear.get(year) ?? 0 },
      ]),
    ),
  };
  const { partials: _partials, perYear: _perYear, ...shown } = result;
  return {
    write: {
      ...record,
      ...shown,
      years,
      finishedAt,
      committed,
      touchedYears: union(record.touchedYears, years),
    },
    result: 'committed',
  };
}

/**
 * Deletion: a tombstone committed under the removal event's sequencer, unless a newer event was
 * seen. It retracts every touched year at publish and makes late events of older versions stale.
 */
export function decideDeletion(
  current: VersionedRecord | undefined,
  event: ObjectVersionEvent,
  finishedAt: string,
): RecordDecision<boolean> {
  const record = current?.record;
  if (record && record.sequencer > event.sequencer) return { result: false };
  if (
    record?.status === 'deleted' &&
    record.committed?.sequencer === event.sequencer &&
    record.committed.runId === DELETION_RUN
  ) {
    return { result: true };
  }
  const tombstone: FileRecord = {
    ...(record ?? {}),
    key: event.key,
    fileId: fileIdOf(event.key),
    sequencer: event.sequencer,
    status: 'deleted',
    accepted: 0,
    rejected: 0,
    rejectedByReason: {},
    years: [],
    startedAt: record?.startedAt ?? finishedAt,
    finishedAt,
    committed: { sequencer: event.sequencer, runId: DELETION_RUN, years: [], perYear: {} },
    touchedYears: record?.touchedYears ?? [],
  };
  delete tombstone.errorsKey;
  delete tombstone.message;
  return { write: tombstone, result: true };
}

function pointerFor(
  current: VersionedRecord,
  committed: CommittedVersion,
  year: number,
): YearPointer {
  const counts = committed.perYear[String(year)];
  const active = committed.years.includes(year);
  return {
    key: current.record.key,
    fileId: current.record.fileId,
    sequencer: committed.sequencer,
    runId: committed.runId,
    status: active ? 'active' : 'retracted',
    partials: active ? (counts?.partials ?? 0) : 0,
    accepted: counts?.accepted ?? 0,
    rejected: counts?.rejected ?? 0,
    rejectedByReason: counts?.rejectedByReason ?? {},
    recordVersion: current.version,
  };
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
