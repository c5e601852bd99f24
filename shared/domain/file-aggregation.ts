import { SalaryAggregate } from './aggregate.ts';
import { cellId } from './cell.ts';
import type { RejectionReason, RowRejection, SalarySubmission } from './submission.ts';

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
  readonly cells = new Map<string, { submission: SalarySubmission; aggregate: SalaryAggregate }>();
  accepted = 0;
  rejected = 0;
  readonly rejectedByReason: Partial<Record<RejectionReason, number>> = {};
  readonly perYear = new Map<number, YearCounts>();

  addSubmission(submission: SalarySubmission): void {
    const id = cellId(submission.cell);
    let entry = this.cells.get(id);
    if (!entry) {
      entry = { submission, aggregate: new SalaryAggregate() };
      this.cells.set(id, entry);
    }
    entry.aggregate.add(submission.monthlyUsdCents);
    this.accepted += 1;
    this.yearCounts(submission.cell.year).accepted += 1;
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
