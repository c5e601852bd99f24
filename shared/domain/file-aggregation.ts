import { cellId } from './cell.ts';
import { SalaryAggregate } from './salaries/salary-aggregate.ts';
import type {
  ExclusionReason,
  RejectionReason,
  RowRejection,
  SalarySubmission,
} from './submission.ts';
import { ROLES, SENIORITIES } from './taxonomy.ts';

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
  /** Rows left out by the upload's profile or pay basis, by reason: never counted in a report. */
  excludedTotal = 0;
  readonly excluded: Record<ExclusionReason, number> = {};
  readonly perYear = new Map<number, YearCounts>();
  /** Cell code (see `cellCode`) → entry: one lookup with a small-integer key per row. */
  private readonly index = new Map<number, CellEntry>();

  addSubmission(submission: SalarySubmission): void {
    const code = cellCode(submission);
    let entry = this.index.get(code);
    if (!entry) {
      entry = {
        submission,
        aggregate: new SalaryAggregate(),
        yearCounts: this.yearCounts(submission.cell.year),
      };
      this.index.set(code, entry);
      this.cells.set(cellId(submission.cell), entry);
    }
    entry.aggregate.add(submission.monthlyUsdCents);
    entry.yearCounts.accepted += 1;
    this.accepted += 1;
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

  addExclusion(reason: ExclusionReason): void {
    this.excludedTotal += 1;
    this.excluded[reason] = (this.excluded[reason] ?? 0) + 1;
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

/**
 * A cell as one small integer, computed without building or hashing a string (this runs once per
 * row): the year, the two letters of the ISO country code, and the role's and seniority's
 * positions in the taxonomy.
 */
function cellCode({ cell }: SalarySubmission): number {
  const country = (cell.country.charCodeAt(0) - 65) * 26 + (cell.country.charCodeAt(1) - 65);
  const role = ROLES.indexOf(cell.role);
  const seniority = SENIORITIES.indexOf(cell.seniority);
  return (
    (((cell.year - 1900) * 676 + country) * ROLES.length + role) * SENIORITIES.length + seniority
  );
}
