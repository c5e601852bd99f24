import type { CellKey } from './cell.ts';

/** One accepted survey row after normalization: where it counts and what it earns. */
export interface SalarySubmission {
  cell: CellKey;
  /** Pay normalized to USD per month, rounded half-up to whole cents. */
  monthlyUsdCents: number;
}

/** Why a row was not used. Stable slugs: they appear in error files, ingestion records and reports. */
export const REJECTION_REASONS = [
  'missing_value',
  'unknown_country',
  'unknown_role',
  'unknown_seniority',
  'unknown_currency',
  'unknown_period',
  'invalid_number',
  'invalid_year',
  'invalid_date',
  'no_exchange_rate',
  'implausible_salary',
  'malformed_row',
  /** The currency written next to the salary ("45000 USD") disagrees with the currency column. */
  'conflicting_currency',
  /** The pay basis is neither gross nor net (bruto/neto, before/after tax). */
  'unknown_pay_basis',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** A row that was not used, with enough context for an analyst to fix it in the source file. */
export interface RowRejection {
  /** 1-based physical line in the file where the record starts (the header is line 1). */
  line: number;
  /** The column as written in the file's header ("Salario"), or the canonical name if absent. */
  column: string;
  /** The raw value as found (may be empty). */
  value: string;
  reason: RejectionReason;
  /** A human sentence ("unknown country \"Mexco\""). */
  message: string;
  /** Year the row belongs to when it could be determined, so per-year stats can count it. */
  year?: number;
}

/** An excluded row's reason: net pay, or the field whose profile `include` list left it out. */
export type ExclusionReason = string;
/** Reports are gross pay: a net-pay row is excluded, never converted with a guessed tax rate. */
export const NET_PAY: ExclusionReason = 'net_pay';

/**
 * What became of a row: a submission; a rejection (an error the file's owner can fix); or an
 * exclusion (a valid row the upload's profile or pay basis leaves out: counted, not an error,
 * never in a report).
 */
export type RowOutcome =
  | { ok: true; submission: SalarySubmission }
  | { ok: false; rejection: RowRejection; excluded?: undefined }
  | { ok: false; excluded: ExclusionReason; rejection?: undefined };
