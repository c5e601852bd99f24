import type { CellKey } from '../domain/cell.ts';
import type { PartialItem } from '../domain/partial-payload.ts';
import type { SalaryAggregate } from '../domain/salaries/salary-aggregate.ts';

export type IngestionStatus = 'processing' | 'ingested' | 'rejected' | 'deleted' | 'superseded';

/** The per-file ingestion record the CLI and the API show: counts only, never row data. */
export interface IngestionRecord {
  key: string;
  /** S3 event sequencer of the version this record describes (zero-padded, comparable as text). */
  sequencer: string;
  versionId?: string;
  etag?: string;
  size?: number;
  status: IngestionStatus;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Years the accepted rows belong to. */
  years: number[];
  /**
   * Accepted and rejected rows per year (keys are years) of the version ingested. A rejected row
   * whose year cannot be read is in no year: `rejected` minus these years' rejected rows.
   */
  perYear?: Record<string, { accepted: number; rejected: number }>;
  /** Where the rejected rows are listed, when there are any. */
  errorsKey?: string;
  /** Why the whole file was rejected or failed. */
  message?: string;
  encoding?: string;
  delimiter?: string;
  rulesFingerprint?: string;
  /** Rows the upload's profile or pay basis left out, by reason (a field name, or net_pay). */
  excluded?: Record<string, number>;
  /** The mapping profile the upload named (config/profiles/<name>.json), and its digest. */
  profile?: string;
  profileFingerprint?: string;
  startedAt: string;
  finishedAt?: string;
}

/** One active file's contribution to a year: what the report's methodology block counts. */
export interface FileYearContribution {
  key: string;
  sequencer: string;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

export interface CellAggregate {
  cell: CellKey;
  aggregate: SalaryAggregate;
}

/** Everything stored about a year, with per-file partials already merged per cell. */
export interface YearSnapshot {
  year: number;
  /** Sorted by `compareCells`; only cells with at least one accepted row. */
  cells: CellAggregate[];
  /** Files whose current version contributes to this year, sorted by key. */
  files: FileYearContribution[];
}

/** Read side of the aggregates, used by report generation and the API. */
export interface AggregateReader {
  readYear(year: number): Promise<YearSnapshot>;
  /**
   * Ingestion records of files with a pointer in `year` (or all files when omitted), sorted by
   * key; a year's deleted files only with `includeDeleted`.
   */
  listIngestionRecords(
    year?: number,
    options?: { includeDeleted?: boolean },
  ): Promise<IngestionRecord[]>;
}

/** What one ingestion of one object version produced, ready to be stored. */
export interface FileIngestionResult {
  status: 'ingested' | 'rejected';
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** The per-cell partial aggregates of the accepted rows, as the items they are stored in. */
  partials: PartialItem[];
  /** Accepted and rejected counts per year, for the per-year ingestion index. */
  perYear: Map<
    number,
    { accepted: number; rejected: number; rejectedByReason: Record<string, number> }
  >;
  errorsKey?: string;
  message?: string;
  encoding?: string;
  delimiter?: string;
  rulesFingerprint?: string;
  /** Rows left out by the profile or pay basis, by reason; never in any report. */
  excluded?: Record<string, number>;
  profile?: string;
  profileFingerprint?: string;
}

export interface ObjectVersionEvent {
  key: string;
  /** Normalized (padded) S3 sequencer. */
  sequencer: string;
  versionId?: string;
  etag?: string;
  size?: number;
}

export type ClaimOutcome =
  /** This event is the newest seen for the key: go ahead. */
  | { kind: 'claimed' }
  /** A newer event for the key was already seen: do nothing. */
  | { kind: 'stale'; current: IngestionRecord }
  /** This exact event was already fully applied: only re-publish (idempotent) and stop. */
  | { kind: 'done'; current: IngestionRecord };

/**
 * One attempt at ingesting an object version. A retry after a crash is a new run: its partials
 * live under its own keys, so a run that died half-way (or read other rules) never mixes in.
 */
export interface IngestionRun extends ObjectVersionEvent {
  runId: string;
}

export type CommitOutcome =
  /** This run's partials are now the version's partials. */
  | 'committed'
  /** Another run of the same event committed first: this run's partials are not used. */
  | 'duplicate'
  /** A newer event for the key was claimed meanwhile. */
  | 'superseded';

export interface PublishOutcome {
  /** Year pointers this publish changed (0 when every pointer already named the committed run). */
  pointersWritten: number;
  /**
   * Years where the committed run's partial items are not all stored (only damage outside the
   * protocol does that): their pointers were left as they were, and the object must be ingested
   * again to repair them.
   */
  incompleteYears: number[];
}

/**
 * The ingestion protocol, as the ingestion use case drives it (implemented once, over a
 * conditional store, in `use-cases/ingestion/protocol.ts`). Every step is safe to repeat after
 * any failure, and conditional on the S3 sequencer, so duplicate, late and concurrent deliveries
 * converge (see docs/data-model.md).
 */
export interface IngestionStore {
  getRecord(key: string): Promise<IngestionRecord | undefined>;
  /** Marks the key as being processed for this event unless a newer event was seen. */
  claim(event: ObjectVersionEvent, startedAt: string): Promise<ClaimOutcome>;
  /** Writes the run's partial items under keys of their own (invisible until published). */
  writePartials(run: IngestionRun, partials: readonly PartialItem[]): Promise<void>;
  /**
   * Makes this run's partials the file's current version, unless a newer event was claimed or
   * another run of the same event committed first (the caller then discards its partials).
   */
  commit(
    run: IngestionRun,
    result: FileIngestionResult,
    finishedAt: string,
  ): Promise<CommitOutcome>;
  /** Records a deletion as the file's current state, unless a newer event was seen. */
  commitDeletion(event: ObjectVersionEvent, finishedAt: string): Promise<boolean>;
  /** Marks a claimed event whose object vanished or changed before it could be read. */
  markSuperseded(event: ObjectVersionEvent, finishedAt: string): Promise<void>;
  /**
   * Points every affected year at the file's committed run, then deletes every other partial of
   * the file up to that version. Safe to repeat; a no-op where a newer version is published.
   */
  publish(key: string): Promise<PublishOutcome>;
  /** Deletes this run's partials (after losing a race); never those of the committed run. */
  discardPartials(run: IngestionRun, years: readonly number[]): Promise<void>;
}
