import type { SalaryAggregate } from '../domain/aggregate.ts';
import type { CellKey } from '../domain/cell.ts';

export type IngestionStatus =
  | 'processing'
  | 'ingested'
  | 'rejected'
  | 'failed'
  | 'deleted'
  | 'superseded';

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
  /** Where the rejected rows are listed, when there are any. */
  errorsKey?: string;
  /** Why the whole file was rejected or failed. */
  message?: string;
  encoding?: string;
  delimiter?: string;
  rulesFingerprint?: string;
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
  /** Ingestion records of files touching `year` (or all files when omitted), sorted by key. */
  listIngestionRecords(year?: number): Promise<IngestionRecord[]>;
}
