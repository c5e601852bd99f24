import { SalaryAggregate } from './aggregate.ts';
import { cellId } from './cell.ts';
import type { RejectionReason, RowRejection, SalarySubmission } from './submission.ts';

interface CellEntry {
  /** The first submission of the cell: its `cell` names the cell. */
  submission: SalarySubmission;
  aggregate: SalaryAggregate;
  yearCounts: YearCounts;
}

export interface YearCounts {
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

/**
 * The running totals of one file: a partial aggregate per cell plus counts. Memory grows with the
 * number of distinct cells the file touches, never with its rows.
 */
export class FileAggregation {
  /** Cell id → partial aggregate, in first-seen order. */
  readonly cells = new Map<string, CellEntry>();
  accepted = 0;
  rejected = 0;
  readonly rejectedByReason: Partial<Record<RejectionReason, number>> = {};
  readonly perYear = new Map<number, YearCounts>();
  /**
   * year → country → role → seniority → entry. Runs once per row: nested lookups on the rules'
   * interned strings avoid building and hashing a fresh cell-id string for every row.
   */
  private readonly index = new Map<number, Map<string, Map<string, Map<string, CellEntry>>>>();

  addSubmission(submission: SalarySubmission): void {
    const entry = this.entryFor(submission);
    entry.aggregate.add(submission.monthlyUsdCents);
    entry.yearCounts.accepted += 1;
    this.accepted += 1;
  }

  private entryFor(submission: SalarySubmission): CellEntry {
    const { year, country, role, seniority } = submission.cell;
    let byCountry = this.index.get(year);
    if (!byCountry) {
      byCountry = new Map();
      this.index.set(year, byCountry);
    }
    let byRole = byCountry.get(country);
    if (!byRole) {
      byRole = new Map();
      byCountry.set(country, byRole);
    }
    let bySeniority = byRole.get(role);
    if (!bySeniority) {
      bySeniority = new Map();
      byRole.set(role, bySeniority);
    }
    let entry = bySeniority.get(seniority);
    if (!entry) {
      entry = { submission, aggregate: new SalaryAggregate(), yearCounts: this.yearCounts(year) };
      bySeniority.set(seniority, entry);
      this.cells.set(cellId(submission.cell), entry);
    }
    return entry;
  }

  addRejection(rejection: RowRejection): void {
    this.rejected += 1;
    this.rejectedByReason[rejection.reason] = (this.rejectedByReason[rejection.reason] ?? 0) + 1;
    if (rejection.year !== undefined) {
      const counts = this.yearCounts(rejection.year);
      counts.rejected += 1;
      counts.rejectedByReason[rejection.reason] =
        (counts.rejectedByReason[rejection.reason] ?? 0) + 1;
    }
  }

  private yearCounts(year: number): YearCounts {
    let counts = this.perYear.get(year);
    if (!counts) {
      counts = { accepted: 0, rejected: 0, rejectedByReason: {} };
      this.perYear.set(year, counts);
    }
    return counts;
  }
}

const UPLOAD_KEY_YEAR = /^uploads\/(\d{4})\//;

/** The year in an `uploads/<year>/…` key, the last fallback for a row's year. */
export function yearFromUploadKey(key: string): number | undefined {
  const match = UPLOAD_KEY_YEAR.exec(key);
  return match?.[1] ? Number(match[1]) : undefined;
}
