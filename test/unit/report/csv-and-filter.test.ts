import { describe, expect, it } from 'vitest';
import { REPORT_CSV_HEADER, reportCsv } from '#shared/domain/report/csv.ts';
import { filterCells } from '#shared/domain/report/filter.ts';
import type { ReportCell } from '#shared/domain/report/model.ts';
import { meanUsd, roundRatio, roundUsd } from '#shared/domain/report/rounding.ts';

const statistics = { mean: 1234.5, p10: null, p25: 1000, median: 1200, p75: 1400, p90: null };
const CELLS: ReportCell[] = [
  {
    level: 'overall',
    suppressed: false,
    n: 7,
    confidence: 'low',
    monthly: statistics,
    annual: statistics,
  },
  { level: 'country', country: 'MX', suppressed: true, suppression: 'primary' },
  {
    level: 'country-role',
    country: 'MX',
    role: 'backend',
    suppressed: false,
    n: 7,
    confidence: 'low',
    monthly: statistics,
    annual: statistics,
  },
  {
    level: 'role-seniority',
    role: 'backend',
    seniority: 'senior',
    suppressed: true,
    suppression: 'complementary',
  },
];

describe('reportCsv', () => {
  const lines = reportCsv({ year: 2025, version: 'v1' }, CELLS).split('\r\n');

  it('writes one row per cell under a fixed header, money with two decimals', () => {
    expect(lines[0]).toBe(REPORT_CSV_HEADER.join(','));
    expect(lines[1]).toBe(
      '2025,v1,overall,,,,false,,7,low,1234.50,,1000.00,1200.00,1400.00,,1234.50,,1000.00,1200.00,1400.00,',
    );
    expect(lines.at(-1)).toBe('');
  });

  it('leaves every number of a suppressed cell empty and says why it is suppressed', () => {
    expect(lines[2]).toBe(`2025,v1,country,MX,,,true,primary${','.repeat(14)}`);
    expect(lines[4]).toBe(
      `2025,v1,role-seniority,,backend,senior,true,complementary${','.repeat(14)}`,
    );
  });
});

describe('reportCsv spreadsheet safety', () => {
  it('defuses text a spreadsheet would evaluate, with the shared CSV writer', () => {
    const csv = reportCsv({ year: 2025, version: '=HYPERLINK("x")' }, CELLS.slice(0, 1));
    expect(csv.split('\r\n')[1]).toMatch(/^2025,"'=HYPERLINK\(""x""\)",overall,/);
  });
});

describe('filterCells', () => {
  it('keeps only cells that have a filtered dimension with a listed value', () => {
    const kept = filterCells(CELLS, { countries: new Set(['MX']) });
    expect(kept.map((cell) => cell.level)).toEqual(['country', 'country-role']);
  });

  it('combines dimensions and levels', () => {
    const kept = filterCells(CELLS, {
      roles: new Set(['backend'] as const),
      levels: new Set(['role-seniority'] as const),
    });
    expect(kept).toEqual([CELLS[3]]);
  });
});

describe('report rounding', () => {
  it('rounds the exact mean of integer cents half-up', () => {
    expect(meanUsd(3n, 2)).toBe(0.02);
    expect(meanUsd(1n, 3)).toBe(0);
    expect(meanUsd(100_001n, 2, 12)).toBe(6000.06);
  });

  it('rounds float amounts and ratios half-up despite binary noise', () => {
    expect(roundUsd(1.005)).toBe(1.01);
    expect(roundUsd(4123.454999)).toBe(4123.45);
    expect(roundRatio(0.60605)).toBe(0.6061);
    expect(roundRatio(-0.12345)).toBe(-0.1235);
  });
});
