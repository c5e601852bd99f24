import { cellId } from './cell.ts';
import type { AcceptedRow } from './normalize.ts';
import { SalaryAggregate } from './salaries/salary-aggregate.ts';
import type {
  ExclusionReason,
  RejectionReason,
  RowRejection,
  SalarySubmission,
} from './submission.ts';
import { type CountryCode, ROLES, type Role, SENIORITIES, type Seniority } from './taxonomy.ts';

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
  private readonly cellsById = new Map<string, CellEntry>();
  accepted = 0;
  rejected = 0;
  readonly rejectedByReason: Partial<Record<RejectionReason, number>> = {};
  /** Rows left out by the upload's profile or pay basis, by reason: never counted in a report. */
  excludedTotal = 0;
  readonly excluded: Record<ExclusionReason, number> = {};
  private readonly yearCountsByYear = new Map<number, YearCounts>();
  /** Cell code (see `cellCode`) → the cell's slot in `entries`: one small-integer lookup per row. */
  private readonly slots = new Map<number, number>();
  private readonly entries: CellEntry[] = [];
  /**
   * Accepted salaries not yet added to their cells, with their cells' slots, in row order: adding
   * them a block at a time, cell by cell, keeps each cell's values and totals in cache instead of
   * visiting a different cell's objects on every row.
   */
  private readonly pendingSlots = new Int32Array(PENDING_ROWS);
  private readonly pendingCents = new Float64Array(PENDING_ROWS);
  private pending = 0;

  /** Cell id → partial aggregate, in first-seen order. */
  get cells(): Map<string, CellEntry> {
    this.flush();
    return this.cellsById;
  }

  get perYear(): Map<number, YearCounts> {
    this.flush();
    return this.yearCountsByYear;
  }

  addSubmission(submission: SalarySubmission): void {
    const { cell } = submission;
    const code = cellCode(cell.year, cell.country, cell.role, cell.seniority);
    const slot = this.slots.get(code) ?? this.addCell(code, submission);
    this.addToSlot(slot, submission.monthlyUsdCents);
  }

  /** As `addSubmission`, from a row read into fields (the first of its cell is copied). */
  addAccepted(row: AcceptedRow): void {
    const code = cellCode(row.year, row.country, row.role, row.seniority);
    let slot = this.slots.get(code);
    if (slot === undefined) {
      const { year, country, role, seniority, monthlyUsdCents } = row;
      slot = this.addCell(code, { cell: { year, country, role, seniority }, monthlyUsdCents });
    }
    this.addToSlot(slot, row.monthlyUsdCents);
  }

  private addCell(code: number, submission: SalarySubmission): number {
    const slot = this.entries.length;
    const entry = {
      submission,
      aggregate: new SalaryAggregate(),
      yearCounts: this.yearCounts(submission.cell.year),
    };
    this.entries.push(entry);
    this.slots.set(code, slot);
    this.cellsById.set(cellId(submission.cell), entry);
    return slot;
  }

  private addToSlot(slot: number, monthlyUsdCents: number): void {
    const at = this.pending;
    this.pendingSlots[at] = slot;
    this.pendingCents[at] = monthlyUsdCents;
    this.pending = at + 1;
    if (at + 1 === PENDING_ROWS) this.flush();
    this.accepted += 1;
  }

  /** Adds the pending salaries to their cells, each cell's in row order (a counting sort by slot). */
  private flush(): void {
    const count = this.pending;
    if (count === 0) return;
    this.pending = 0;
    const { pendingSlots, pendingCents, entries } = this;
    const slots = entries.length;
    const bounds = new Int32Array(slots + 1);
    for (let row = 0; row < count; row++) {
      const after = (pendingSlots[row] as number) + 1;
      bounds[after] = (bounds[after] as number) + 1;
    }
    for (let slot = 0; slot < slots; slot++) {
      bounds[slot + 1] = (bounds[slot + 1] as number) + (bounds[slot] as number);
    }
    const bySlot = sortSpace(count);
    const next = bounds.slice(0, slots);
    for (let row = 0; row < count; row++) {
      const slot = pendingSlots[row] as number;
      const at = next[slot] as number;
      bySlot[at] = pendingCents[row] as number;
      next[slot] = at + 1;
    }
    for (let slot = 0; slot < slots; slot++) {
      const start = bounds[slot] as number;
      const end = bounds[slot + 1] as number;
      if (start === end) continue;
      const entry = entries[slot] as CellEntry;
      entry.aggregate.addAll(bySlot, start, end);
      entry.yearCounts.accepted += end - start;
    }
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
    let counts = this.yearCountsByYear.get(year);
    if (!counts) {
      counts = { accepted: 0, rejected: 0, rejectedByReason: {} };
      this.yearCountsByYear.set(year, counts);
    }
    return counts;
  }
}

/** Accepted rows held before they are added to their cells (see `FileAggregation.flush`). */
const PENDING_ROWS = 8192;
let sortedPending = new Float64Array(PENDING_ROWS);
/** Where a flush sorts the pending salaries by cell (one buffer for every aggregation). */
function sortSpace(count: number): Float64Array {
  if (sortedPending.length < count) sortedPending = new Float64Array(count);
  return sortedPending;
}

/**
 * A cell as one small integer, computed without building or hashing a string (this runs once per
 * row): the year, the two letters of the ISO country code, and the role's and seniority's
 * positions in the taxonomy.
 */
function cellCode(year: number, country: CountryCode, role: Role, seniority: Seniority): number {
  const letters = (country.charCodeAt(0) - 65) * 26 + (country.charCodeAt(1) - 65);
  return (
    (((year - 1900) * 676 + letters) * ROLES.length + (ROLE_INDEX.get(role) as number)) *
      SENIORITIES.length +
    (SENIORITY_INDEX.get(seniority) as number)
  );
}

const ROLE_INDEX = new Map<string, number>(ROLES.map((role, index) => [role, index]));
const SENIORITY_INDEX = new Map<string, number>(
  SENIORITIES.map((seniority, index) => [seniority, index]),
);
