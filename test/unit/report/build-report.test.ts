import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  buildReportSnapshot,
  MAX_EXACT_CELL_RESPONDENTS,
  type ReportInput,
} from '#shared/domain/report/build-report.ts';
import type { BaseCell } from '#shared/domain/report/cells.ts';
import type { PublishedCell, Report, ReportCell } from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import {
  SalaryAggregate,
  SKETCH_RELATIVE_ACCURACY,
} from '#shared/domain/salaries/salary-aggregate.ts';
import { naiveType7Cents, QUANTILES } from '#test/support/naive-quantile.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import { storedSketchOf } from '#test/support/sketch-format.ts';
import { baseCellsOf, exactStatistics, type RawRow, rowsFor, seededRandom } from './raw-rows.ts';

const NORMALIZATION = {
  exchangeRates: { MXN: 17.2, EUR: 0.92, USD: 1 },
  seniorityRules: { default: { junior: 0, mid: 3, senior: 6, lead: 10 } },
};

function reportOf(rows: readonly RawRow[], overrides: Partial<ReportInput> = {}): Report {
  return buildReport({
    year: 2025,
    cells: baseCellsOf(rows),
    files: [{ accepted: rows.length, rejected: 3, rejectedByReason: { unknown_country: 3 } }],
    normalization: NORMALIZATION,
    baseCountry: 'US',
    thresholds: DEFAULT_THRESHOLDS,
    generatedAt: new Date('2026-01-05T06:00:00.000Z'),
    versionNumber: 1,
    ...overrides,
  });
}

function cellAt(report: Report, key: Omit<ReportCell, 'suppressed'>): ReportCell {
  const found = report.cells.find(
    (cell) =>
      cell.level === key.level &&
      cell.country === key.country &&
      cell.role === key.role &&
      cell.seniority === key.seniority,
  );
  if (!found) throw new Error(`no cell ${JSON.stringify(key)}`);
  return found;
}

function published(cell: ReportCell): PublishedCell {
  if (cell.suppressed) throw new Error(`cell ${JSON.stringify(cell)} is suppressed`);
  return cell;
}

/** A sketch quantile is within its relative accuracy of the exact sample value (plus a cent). */
function expectWithinSketchError(actual: number | null, exact: number) {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? 0) - exact)).toBeLessThanOrEqual(
    exact * SKETCH_RELATIVE_ACCURACY + 0.01,
  );
}

const random = seededRandom(20250105);
const SURVEY: RawRow[] = [
  ...rowsFor({ country: 'US', role: 'backend', seniority: 'senior' }, 120, 9000, random),
  ...rowsFor({ country: 'US', role: 'backend', seniority: 'junior' }, 40, 5000, random),
  ...rowsFor({ country: 'US', role: 'frontend', seniority: 'senior' }, 12, 8000, random),
  ...rowsFor({ country: 'MX', role: 'backend', seniority: 'senior' }, 60, 4000, random),
  ...rowsFor({ country: 'MX', role: 'backend', seniority: 'junior' }, 7, 1500, random),
  // Small qa cells: CA and MX qa junior are too small, and the complementary suppression that
  // protects them stays among these cells (see complementary-suppression.test.ts).
  ...rowsFor({ country: 'MX', role: 'qa', seniority: 'junior' }, 3, 1500, random),
  ...rowsFor({ country: 'MX', role: 'qa', seniority: 'mid' }, 5, 2000, random),
  ...rowsFor({ country: 'DE', role: 'qa', seniority: 'junior' }, 5, 3000, random),
  ...rowsFor({ country: 'DE', role: 'qa', seniority: 'mid' }, 6, 3500, random),
  ...rowsFor({ country: 'CA', role: 'qa', seniority: 'junior' }, 4, 3000, random),
];

describe('buildReport statistics', () => {
  const report = reportOf(SURVEY);

  it('publishes n, the mean and every quantile exactly, to the cent, per finest cell', () => {
    const rows = SURVEY.filter(
      (row) => row.country === 'US' && row.role === 'backend' && row.seniority === 'senior',
    );
    const exact = exactStatistics(rows);
    const cell = published(
      cellAt(report, {
        level: 'country-role-seniority',
        country: 'US',
        role: 'backend',
        seniority: 'senior',
      }),
    );
    expect(cell.n).toBe(exact.n);
    expect(cell.monthly.mean).toBe(exact.meanUsd);
    expect(cell.annual.mean).toBe(exact.annualMeanUsd);
    for (const [name, q] of QUANTILES) {
      expect(cell.monthly[name], name).toBe(exact.quantileUsd(q));
      expect(cell.annual[name], name).toBe(exact.quantileUsd(q, 12));
    }
    expect(report.methodology.quantiles).toEqual({
      method: 'exact order statistics, linearly interpolated (type 7)',
      exact: true,
      relativeAccuracy: 0,
    });
  });

  it('rolls every level up from the raw rows it covers, not from averages of averages', () => {
    const groups: [Omit<ReportCell, 'suppressed'>, (row: RawRow) => boolean][] = [
      [{ level: 'overall' }, () => true],
      [{ level: 'country', country: 'MX' }, (row) => row.country === 'MX'],
      [
        { level: 'country-role', country: 'US', role: 'backend' },
        (row) => row.country === 'US' && row.role === 'backend',
      ],
      [
        { level: 'role-seniority', role: 'backend', seniority: 'senior' },
        (row) => row.role === 'backend' && row.seniority === 'senior',
      ],
    ];
    for (const [key, belongs] of groups) {
      const exact = exactStatistics(SURVEY.filter(belongs));
      const cell = published(cellAt(report, key));
      expect(cell.n, JSON.stringify(key)).toBe(exact.n);
      expect(cell.monthly.mean, JSON.stringify(key)).toBe(exact.meanUsd);
      for (const [name, q] of QUANTILES) {
        expect(cell.monthly[name], `${JSON.stringify(key)} ${name}`).toBe(exact.quantileUsd(q));
      }
    }
  });

  it('keeps means and quantiles exact when a roll-up sums past 2^53 cents', () => {
    const huge = 2 ** 50;
    const rows: RawRow[] = [];
    for (const [index, country] of ['US', 'MX', 'DE'].entries()) {
      for (const seniority of ['junior', 'senior'] as const) {
        for (let respondent = 0; respondent < 6; respondent++) {
          rows.push({
            country,
            role: 'backend',
            seniority,
            monthlyUsdCents:
              huge + index * 1_000_003 + respondent * 7 + (seniority === 'senior' ? 1 : 0),
          });
        }
      }
    }
    const hugeReport = reportOf(rows);
    const belongs = (cell: PublishedCell) => (row: RawRow) =>
      (cell.country === undefined || row.country === cell.country) &&
      (cell.role === undefined || row.role === cell.role) &&
      (cell.seniority === undefined || row.seniority === cell.seniority);
    const halfUpUsd = (sum: bigint, n: number, factor: number) =>
      Number((2n * sum * BigInt(factor) + BigInt(n)) / (2n * BigInt(n))) / 100;
    let overLimit = 0;
    for (const cell of hugeReport.cells.map(published)) {
      const values = rows.filter(belongs(cell)).map((row) => row.monthlyUsdCents);
      const sum = values.reduce((total, value) => total + BigInt(value), 0n);
      if (sum > BigInt(Number.MAX_SAFE_INTEGER)) overLimit += 1;
      const key = JSON.stringify({ ...cell, monthly: undefined, annual: undefined });
      expect(cell.n, key).toBe(values.length);
      expect(cell.monthly.mean, key).toBe(halfUpUsd(sum, values.length, 1));
      expect(cell.annual.mean, key).toBe(halfUpUsd(sum, values.length, 12));
      for (const [name, q] of QUANTILES) {
        const monthly = cell.monthly[name];
        if (monthly === null) continue;
        expect(monthly, `${key} ${name}`).toBe(naiveType7Cents(values, q) / 100);
        expect(cell.annual[name], `${key} ${name}`).toBe(naiveType7Cents(values, q, 12) / 100);
      }
    }
    expect(overLimit).toBeGreaterThan(3);
  });

  it('counts suppressed respondents in the roll-ups above them', () => {
    expect(cellAt(report, { level: 'country', country: 'CA' }).suppressed).toBe(true);
    expect(published(cellAt(report, { level: 'overall' })).n).toBe(SURVEY.length);
  });

  it('lists cells level by level, countries by code, roles and seniorities in taxonomy order', () => {
    const keys = report.cells.map((cell) =>
      [cell.level, cell.country, cell.role, cell.seniority].filter(Boolean).join(' '),
    );
    expect(keys.slice(0, 5)).toEqual([
      'overall',
      'country CA',
      'country DE',
      'country MX',
      'country US',
    ]);
    expect(keys).toContain('country-role-seniority US backend junior');
    expect(keys.indexOf('country-role-seniority US backend junior')).toBeLessThan(
      keys.indexOf('country-role-seniority US backend senior'),
    );
    expect(keys.at(-1)).toBe('role-seniority qa mid');
  });

  it('summarizes files, accepted and rejected rows, rules and thresholds in the methodology', () => {
    expect(report.methodology).toMatchObject({
      version: report.version,
      generatedAt: '2026-01-05T06:00:00.000Z',
      baseCountry: 'US',
      thresholds: DEFAULT_THRESHOLDS,
      files: 1,
      acceptedRows: SURVEY.length,
      rejectedRows: 3,
      rejectedByReason: { unknown_country: 3 },
      normalization: {
        exchangeRates: { EUR: 0.92, MXN: 17.2, USD: 1 },
        seniorityRules: NORMALIZATION.seniorityRules,
      },
    });
    expect(Object.keys(report.methodology.normalization.exchangeRates)).toEqual([
      'EUR',
      'MXN',
      'USD',
    ]);
  });

  it('refuses a year without accepted rows', () => {
    expect(() => reportOf([])).toThrow(/no accepted rows for 2025/);
  });
});

describe('buildReport privacy thresholds', () => {
  const sizes = [4, 5, 9, 10, 14, 15, 49, 50];
  const rows = [
    ...sizes.flatMap((size, index) =>
      rowsFor(
        { country: `Q${index}`, role: 'qa', seniority: 'mid' },
        size,
        3000,
        seededRandom(size),
      ),
    ),
    // A second small cell, so the 4-respondent one needs no complementary suppression: together
    // they are two suppressed cells of 5 respondents under every sum they belong to.
    ...rowsFor({ country: 'Q9', role: 'qa', seniority: 'mid' }, 1, 3000, seededRandom(1)),
  ];
  const report = reportOf(rows);
  const cellOfSize = (size: number) =>
    cellAt(report, {
      level: 'country-role-seniority',
      country: `Q${sizes.indexOf(size)}`,
      role: 'qa',
      seniority: 'mid',
    });

  it('suppresses a cell of 4 respondents down to its keys, saying it is too small', () => {
    expect(cellOfSize(4)).toEqual({
      level: 'country-role-seniority',
      country: 'Q0',
      role: 'qa',
      seniority: 'mid',
      suppressed: true,
      suppression: 'primary',
    });
  });

  it('publishes 5 respondents with a low confidence but without p10 and p90', () => {
    const cell = published(cellOfSize(5));
    expect(cell.confidence).toBe('low');
    expect(cell.monthly.p10).toBeNull();
    expect(cell.monthly.p90).toBeNull();
    expect(cell.annual.p90).toBeNull();
    expect(cell.monthly.median).toBeGreaterThan(0);
  });

  it('withholds p10 and p90 at 9 respondents and publishes them at 10', () => {
    expect(published(cellOfSize(9)).monthly.p10).toBeNull();
    expect(published(cellOfSize(10)).monthly.p10).not.toBeNull();
    expect(published(cellOfSize(10)).monthly.p90).not.toBeNull();
  });

  it('labels confidence low up to 14, medium from 15 to 49 and high from 50', () => {
    expect(published(cellOfSize(14)).confidence).toBe('low');
    expect(published(cellOfSize(15)).confidence).toBe('medium');
    expect(published(cellOfSize(49)).confidence).toBe('medium');
    expect(published(cellOfSize(50)).confidence).toBe('high');
  });

  it('never publishes a minimum or a maximum, not even as a quantile of a small cell', () => {
    const keys = (value: unknown): string[] =>
      typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([key, inner]) => [key, ...keys(inner)])
        : [];
    for (const n of [5, 6, 7, 8, 9]) {
      const cents = Array.from({ length: n }, (_, index) => Math.round(300_000 * 1.12 ** index));
      const small = reportOf([
        ...cents.map((monthlyUsdCents) => ({
          country: 'US',
          role: 'qa' as const,
          seniority: 'mid' as const,
          monthlyUsdCents,
        })),
      ]);
      const cell = published(cellAt(small, { level: 'overall' }));
      const smallest = (cents[0] ?? 0) / 100;
      const largest = (cents.at(-1) ?? 0) / 100;
      for (const [name] of QUANTILES) {
        const value = cell.monthly[name];
        expect(value, `n=${n} ${name} is the minimum`).not.toBe(smallest);
        expect(value, `n=${n} ${name} is the maximum`).not.toBe(largest);
      }
      expect(cell.monthly.p10).toBeNull();
      expect(cell.monthly.p90).toBeNull();
      const names = keys(small);
      expect(names.filter((key) => /^(min|max)(imum)?$/i.test(key))).toEqual([]);
    }
    expect(JSON.stringify(report)).not.toMatch(/"(min|max)"/);
  });

  it('follows configured thresholds', () => {
    const strict = reportOf(rows, {
      thresholds: {
        ...DEFAULT_THRESHOLDS,
        minRespondents: 10,
        minRespondentsForOuterPercentiles: 15,
      },
    });
    const nine = strict.cells.find((cell) => cell.country === 'Q2' && cell.level === 'country');
    expect(nine?.suppressed).toBe(true);
  });
});

describe('buildReport determinism', () => {
  it('gives identical statistics for the same aggregates in any order, at any time', () => {
    const first = reportOf(SURVEY);
    const second = buildReport({
      year: 2025,
      cells: baseCellsOf([...SURVEY].reverse()).reverse(),
      files: [{ accepted: SURVEY.length, rejected: 3, rejectedByReason: { unknown_country: 3 } }],
      normalization: NORMALIZATION,
      baseCountry: 'US',
      thresholds: DEFAULT_THRESHOLDS,
      generatedAt: new Date('2026-02-01T00:00:00.000Z'),
      versionNumber: 2,
    });
    expect(JSON.stringify(second.cells)).toBe(JSON.stringify(first.cells));
    expect(JSON.stringify(second.comparisons)).toBe(JSON.stringify(first.comparisons));
    const { version: _v1, generatedAt: _g1, ...firstMethodology } = first.methodology;
    const { version: _v2, generatedAt: _g2, ...secondMethodology } = second.methodology;
    expect(JSON.stringify(secondMethodology)).toBe(JSON.stringify(firstMethodology));
    expect(second.version.split('-')[1]).toBe(first.version.split('-')[1]);
    expect(second.version > first.version).toBe(true);
  });

  it('names the version after the generation time and a digest of the statistics', () => {
    expect(reportOf(SURVEY).version).toMatch(/^20260105T060000000Z-[0-9a-f]{12}$/);
  });

  it('digests the JSON of year, cells, comparisons and methodology figures, and snapshots the report as JSON.stringify does', () => {
    const previous = reportOf(SURVEY);
    const { report, json } = buildReportSnapshot({
      year: 2026,
      cells: baseCellsOf(SURVEY, 2026),
      files: [{ accepted: SURVEY.length, rejected: 0, rejectedByReason: {} }],
      normalization: { ...NORMALIZATION, rulesFingerprint: 'rules-1' },
      baseCountry: 'MX',
      thresholds: DEFAULT_THRESHOLDS,
      previous: { year: 2025, version: previous.version, cells: previous.cells },
      generatedAt: new Date('2027-01-05T06:00:00.000Z'),
      versionNumber: 3,
    });
    expect(report.cells.some((cell) => cell.suppressed)).toBe(true);
    expect(json).toBe(JSON.stringify(report));
    const { version: _version, generatedAt: _generatedAt, ...statistics } = report.methodology;
    const plainText = JSON.stringify({
      year: report.year,
      cells: report.cells,
      comparisons: report.comparisons,
      statistics,
    });
    const digest = createHash('sha256').update(plainText).digest('hex').slice(0, 12);
    expect(report.version).toBe(`20270105T060000000Z-${digest}`);
  });
});

describe('buildReport exact quantiles', () => {
  const rowArbitrary = fc.record({
    country: fc.constantFrom('MX', 'US', 'AR'),
    role: fc.constantFrom('backend', 'frontend', 'qa'),
    seniority: fc.constantFrom('junior', 'senior'),
    monthlyUsdCents: fc.oneof(
      fc.integer({ min: 10_000, max: 10_000_000 }),
      // Round amounts repeat in real surveys: ties between respondents.
      fc.integer({ min: 10, max: 100 }).map((hundreds) => hundreds * 10_000),
    ),
  }) as fc.Arbitrary<RawRow>;

  it(
    'publishes every quantile of every published cell as the exact type-7 value, files merged in any split',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(rowArbitrary, { minLength: 5, maxLength: 400 }),
          fc.array(fc.nat({ max: 5 }), { minLength: 400, maxLength: 400 }),
          (rows, fileOf) => {
            // The rows split into up to 6 files: one partial per file and cell, merged per cell
            // the way the aggregate store merges the partials of a year's active files.
            const files = new Map<number, RawRow[]>();
            rows.forEach((row, index) => {
              const file = fileOf[index] ?? 0;
              files.set(file, [...(files.get(file) ?? []), row]);
            });
            const byCell = new Map<string, BaseCell>();
            for (const fileRows of files.values()) {
              for (const partial of baseCellsOf(fileRows)) {
                const id = `${partial.cell.country}#${partial.cell.role}#${partial.cell.seniority}`;
                const existing = byCell.get(id);
                if (existing) existing.aggregate.merge(partial.aggregate);
                else byCell.set(id, partial);
              }
            }
            const report = reportOf(rows, { cells: [...byCell.values()] });
            expect(report.methodology.quantiles.exact).toBe(true);
            for (const cell of report.cells) {
              if (cell.suppressed) continue;
              const covered = rows.filter(
                (row) =>
                  (cell.country === undefined || row.country === cell.country) &&
                  (cell.role === undefined || row.role === cell.role) &&
                  (cell.seniority === undefined || row.seniority === cell.seniority),
              );
              const exact = exactStatistics(covered);
              expect(cell.n).toBe(exact.n);
              for (const [name, q] of QUANTILES) {
                const outer = name === 'p10' || name === 'p90';
                const withheld =
                  outer && cell.n < DEFAULT_THRESHOLDS.minRespondentsForOuterPercentiles;
                expect(cell.monthly[name]).toBe(withheld ? null : exact.quantileUsd(q));
                expect(cell.annual[name]).toBe(withheld ? null : exact.quantileUsd(q, 12));
              }
            }
          },
        ),
        { seed: 10_10, numRuns: 100 },
      );
    },
  );

  it('gives different medians to cells whose medians differ by a cent', () => {
    const cents = [400_000, 400_001, 400_002];
    const rows = cents.flatMap((center, index) =>
      Array.from({ length: 5 }, (_, respondent) => ({
        country: 'MX',
        role: (['backend', 'fullstack', 'mobile'] as const)[index] ?? 'backend',
        seniority: 'senior' as const,
        monthlyUsdCents: center + (respondent - 2) * 1_000,
      })),
    );
    const medians = reportOf(rows)
      .cells.filter((cell) => cell.level === 'country-role-seniority')
      .map((cell) => published(cell).monthly.median);
    expect(medians).toEqual([4_000, 4_000.01, 4_000.02]);
  });
});

describe('buildReport quantile method', () => {
  it('uses sketches for every cell when some partials were stored as sketches, and says why', () => {
    const cells = baseCellsOf(SURVEY);
    const [first, ...rest] = cells as [BaseCell, ...BaseCell[]];
    const legacy = {
      ...first,
      aggregate: SalaryAggregate.fromStored(storedSketchOf([...first.aggregate.sortedCents()])),
    };
    const report = reportOf(SURVEY, { cells: [legacy, ...rest] });
    expect(report.methodology.quantiles).toEqual({
      method: 'DDSketch order statistics, linearly interpolated (type 7)',
      exact: false,
      relativeAccuracy: SKETCH_RELATIVE_ACCURACY,
      sketchReason: 'sketch-format-partials',
    });
    const exactReport = reportOf(SURVEY);
    expect(report.version.split('-')[1]).not.toBe(exactReport.version.split('-')[1]);
    for (const [index, cell] of report.cells.entries()) {
      const exactCell = exactReport.cells[index] as ReportCell;
      expect(cell.suppressed).toBe(exactCell.suppressed);
      if (cell.suppressed || exactCell.suppressed) continue;
      expect(cell.n).toBe(exactCell.n);
      expect(cell.monthly.mean).toBe(exactCell.monthly.mean);
      for (const [name] of QUANTILES) {
        if (exactCell.monthly[name] === null) continue;
        expectWithinSketchError(cell.monthly[name], exactCell.monthly[name] as number);
      }
    }
  });

  it('falls back to sketches above the per-cell limit, counted on the largest cell', () => {
    const limited = reportOf(SURVEY, { maxExactCellRespondents: SURVEY.length - 1 });
    expect(limited.methodology.quantiles).toMatchObject({
      exact: false,
      sketchReason: 'over-exact-limit',
    });
    expect(
      reportOf(SURVEY, { maxExactCellRespondents: SURVEY.length }).methodology.quantiles,
    ).toMatchObject({ exact: true });
  });

  it(`stays exact up to ${MAX_EXACT_CELL_RESPONDENTS.toLocaleString('en-US')} respondents in a cell and not beyond`, () => {
    const aggregate = new SalaryAggregate();
    for (let index = 0; index < MAX_EXACT_CELL_RESPONDENTS; index++) {
      aggregate.add(300_000 + (index % 1_000));
    }
    const cell = { year: 2025, country: 'US', role: 'backend', seniority: 'senior' } as const;
    const atLimit = reportOf([], { cells: [{ cell, aggregate }] });
    expect(atLimit.methodology.quantiles.exact).toBe(true);
    // Ranks 2,499,999 and 2,500,000 hold $3,004.99 and $3,005.00: the median is 300,499.5 cents.
    expect(published(cellAt(atLimit, { level: 'overall' })).monthly.median).toBe(3_005);
    aggregate.add(300_000);
    const overLimit = reportOf([], { cells: [{ cell, aggregate }] });
    expect(overLimit.methodology.quantiles).toMatchObject({
      exact: false,
      sketchReason: 'over-exact-limit',
    });
    const overall = published(cellAt(overLimit, { level: 'overall' }));
    expect(overall.n).toBe(MAX_EXACT_CELL_RESPONDENTS + 1);
    // One more $3,000 salary moves the exact median to rank 2,500,000: $3,004.99.
    expectWithinSketchError(overall.monthly.median, 3_004.99);
  }, 120_000); // 5 million values: a few seconds on a busy machine
});
