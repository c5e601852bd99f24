import { mulberry32 } from '#cli/sample/prng.ts';
import type { BaseCell } from '#shared/domain/report/cells.ts';
import { SalaryAggregate } from '#shared/domain/salaries/salary-aggregate.ts';
import type { Role, Seniority } from '#shared/domain/taxonomy.ts';
import { naiveType7Usd } from '#test/support/naive-quantile.ts';

/** One respondent as the report tests see it: where it counts and its monthly pay in cents. */
export interface RawRow {
  country: string;
  role: Role;
  seniority: Seniority;
  monthlyUsdCents: number;
}

/** Deterministic pseudo-random numbers in [0, 1): the sample generator's mulberry32. */
export const seededRandom = mulberry32;

/** `count` respondents in one cell with pay spread log-uniformly around `centerUsd`. */
export function rowsFor(
  cell: Omit<RawRow, 'monthlyUsdCents'>,
  count: number,
  centerUsd: number,
  random: () => number,
): RawRow[] {
  return Array.from({ length: count }, () => ({
    ...cell,
    monthlyUsdCents: Math.round(centerUsd * 100 * Math.exp((random() - 0.5) * 1.5)),
  }));
}

/** What the ingestion store would hand over for these rows: one aggregate per finest cell. */
export function baseCellsOf(rows: readonly RawRow[], year = 2025): BaseCell[] {
  const cells = new Map<string, BaseCell>();
  for (const row of rows) {
    const id = `${row.country}#${row.role}#${row.seniority}`;
    let entry = cells.get(id);
    if (!entry) {
      entry = {
        cell: { year, country: row.country, role: row.role, seniority: row.seniority },
        aggregate: new SalaryAggregate(),
      };
      cells.set(id, entry);
    }
    entry.aggregate.add(row.monthlyUsdCents);
  }
  return [...cells.values()];
}

/** Exact statistics of raw pay, computed without any aggregate (see test/support/naive-quantile.ts). */
export function exactStatistics(rows: readonly RawRow[]) {
  const cents = rows.map((row) => row.monthlyUsdCents);
  const sum = cents.reduce((total, value) => total + value, 0);
  return {
    n: cents.length,
    /** Half-up to whole cents, in USD (sums stay far below 2^53, so this arithmetic is exact). */
    meanUsd: Math.round(sum / cents.length) / 100,
    annualMeanUsd: Math.round((sum * 12) / cents.length) / 100,
    /** The type-7 quantile the report publishes, × `factor`, rounded half-up to the cent. */
    quantileUsd: (q: number, factor = 1) => naiveType7Usd(cents, q, factor),
  };
}
