import { mulberry32 } from '#cli/sample/prng.ts';

/** A survey row written in USD per month, so expected cents are plain arithmetic in tests. */
export interface UsdRow {
  country: 'US' | 'MX' | 'CA';
  role: 'Backend Developer' | 'Frontend Developer' | 'Data Engineer';
  seniority: 'junior' | 'mid' | 'senior';
  monthlyUsd: number;
}

const ROLE_SLUG = {
  'Backend Developer': 'backend',
  'Frontend Developer': 'frontend',
  'Data Engineer': 'data',
} as const;

export function surveyCsv(rows: readonly UsdRow[], year = 2025): string {
  const lines = ['country,role,seniority,salary,currency,period,year'];
  for (const row of rows) {
    lines.push(`${row.country},${row.role},${row.seniority},${row.monthlyUsd},USD,monthly,${year}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Expected count and cents per cell id, computed from the rows independently of the pipeline. */
export function expectedTotals(
  rows: readonly UsdRow[],
  year = 2025,
): Map<string, { count: number; sumCents: bigint }> {
  const totals = new Map<string, { count: number; sumCents: bigint }>();
  for (const row of rows) {
    const id = `${year}#${row.country}#${ROLE_SLUG[row.role]}#${row.seniority}`;
    const entry = totals.get(id) ?? { count: 0, sumCents: 0n };
    entry.count += 1;
    entry.sumCents += BigInt(Math.round(row.monthlyUsd * 100));
    totals.set(id, entry);
  }
  return totals;
}

/** Deterministic pseudo-random rows, for large files. */
export function randomRows(count: number, seed: number): UsdRow[] {
  const next = mulberry32(seed);
  const countries = ['US', 'MX', 'CA'] as const;
  const roles = ['Backend Developer', 'Frontend Developer', 'Data Engineer'] as const;
  const seniorities = ['junior', 'mid', 'senior'] as const;
  const rows: UsdRow[] = [];
  for (let index = 0; index < count; index++) {
    rows.push({
      country: countries[Math.floor(next() * countries.length)] ?? 'US',
      role: roles[Math.floor(next() * roles.length)] ?? 'Backend Developer',
      seniority: seniorities[Math.floor(next() * seniorities.length)] ?? 'mid',
      monthlyUsd: Math.round(1000 + next() * 12_000) + Math.floor(next() * 100) / 100,
    });
  }
  return rows;
}
