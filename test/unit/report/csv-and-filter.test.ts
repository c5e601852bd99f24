import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsvLine } from '#shared/domain/csv/write-csv.ts';
import { REPORT_CSV_HEADER, reportCsv } from '#shared/domain/report/csv.ts';
import { filterCells } from '#shared/domain/report/filter.ts';
import type { MoneyStatistics, ReportCell } from '#shared/domain/report/model.ts';
import { meanUsd, roundRatio, roundUsd } from '#shared/domain/report/rounding.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

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

/** The report CSV written the plain way: every field of every row through `toCsvLine`. */
function plainReportCsv(report: { year: number; version: string }, cells: readonly ReportCell[]) {
  const names = ['mean', 'p10', 'p25', 'median', 'p75', 'p90'] as const;
  const money = (statistics: MoneyStatistics | undefined) =>
    names.map((name) => {
      const value = statistics?.[name] ?? null;
      return value === null ? '' : value.toFixed(2);
    });
  let csv = toCsvLine(REPORT_CSV_HEADER);
  for (const cell of cells) {
    const published = cell.suppressed ? undefined : cell;
    csv += toCsvLine([
      report.year,
      report.version,
      cell.level,
      cell.country ?? '',
      cell.role ?? '',
      cell.seniority ?? '',
      String(cell.suppressed),
      cell.suppressed ? cell.suppression : '',
      published ? published.n : '',
      published?.confidence ?? '',
      ...money(published?.monthly),
      ...money(published?.annual),
    ]);
  }
  return csv;
}

describe('reportCsv against every field through the shared CSV writer', () => {
  const text = fc.oneof(
    fc.constantFrom('MX', 'backend', 'senior', '', '=1+1', '-2', '@x', 'a,b', 'say "hi"', 'a;b'),
    fc.string({ maxLength: 6 }),
  );
  const amount = fc.oneof(
    fc.constant(null),
    fc.double({ min: -1e6, max: 1e22, noNaN: true }),
    fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents / 100),
  );
  const statistics = fc.record({
    mean: amount,
    p10: amount,
    p25: amount,
    median: amount,
    p75: amount,
    p90: amount,
  });
  // Arbitrary text and amounts, beyond what a report holds, so the writer's guards are exercised.
  const cell = fc.oneof(
    fc.record({
      level: text,
      country: fc.option(text, { nil: undefined }),
      role: fc.option(text, { nil: undefined }),
      seniority: fc.option(text, { nil: undefined }),
      suppressed: fc.constant(true),
      suppression: text,
    }),
    fc.record({
      level: text,
      country: fc.option(text, { nil: undefined }),
      role: fc.option(text, { nil: undefined }),
      seniority: fc.option(text, { nil: undefined }),
      suppressed: fc.constant(false),
      n: fc.integer({ min: 1, max: 1e9 }),
      confidence: text,
      monthly: statistics,
      annual: statistics,
    }),
  ) as unknown as fc.Arbitrary<ReportCell>;

  it('writes the same bytes', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        text,
        fc.array(cell),
        (year, version, cells) => {
          expect(reportCsv({ year, version }, cells)).toBe(
            plainReportCsv({ year, version }, cells),
          );
        },
      ),
      { seed: 12, numRuns: 300 },
    );
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

  it(
    'rounds every mean as integer arithmetic on bigints would, small sums or huge',
    PROPERTY_TEST,
    () => {
      const plainMeanUsd = (sumCents: bigint, count: number, factor: number) => {
        const n = BigInt(count);
        const doubled = 2n * sumCents * BigInt(factor);
        return Number((doubled + n) / (2n * n)) / 100;
      };
      fc.assert(
        fc.property(
          fc.oneof(
            fc.bigInt({ min: 0n, max: 10_000_000_000n }),
            fc.bigInt({ min: 0n, max: 2n ** 70n }),
          ),
          fc.integer({ min: 1, max: 10_000_000 }),
          fc.constantFrom(1, 12),
          (sumCents, count, factor) => {
            expect(meanUsd(sumCents, count, factor)).toBe(plainMeanUsd(sumCents, count, factor));
            // The same sum as a number (a roll-up's, while it is a safe integer).
            if (sumCents <= BigInt(Number.MAX_SAFE_INTEGER)) {
              expect(meanUsd(Number(sumCents), count, factor)).toBe(
                plainMeanUsd(sumCents, count, factor),
              );
            }
          },
        ),
        { seed: 31, numRuns: 2_000 },
      );
    },
  );

  it('rounds float amounts and ratios half-up despite binary noise', () => {
    expect(roundUsd(1.005)).toBe(1.01);
    expect(roundUsd(4123.454999)).toBe(4123.45);
    expect(roundRatio(0.60605)).toBe(0.6061);
    expect(roundRatio(-0.12345)).toBe(-0.1235);
  });
});
