import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport } from '#shared/domain/report/build-report.ts';
import {
  buildReportCells,
  cellGroupings,
  reportCellsOf,
  rollUp,
  rollupGroupings,
} from '#shared/domain/report/cells.ts';
import { buildComparisons, type PreviousReport } from '#shared/domain/report/comparisons.ts';
import { cellTableCsv, reportCsv } from '#shared/domain/report/csv.ts';
import type { ReportThresholds } from '#shared/domain/report/model.ts';
import {
  cellsJson,
  comparisonsJson,
  writeAmount,
  writeRatio,
} from '#shared/domain/report/snapshot-text.ts';
import { putDigits, TextWriter } from '#shared/domain/report/text-writer.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { ROLES, SENIORITIES } from '#shared/domain/taxonomy.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import { baseCellsOf, type RawRow } from './raw-rows.ts';

/**
 * The snapshot's cells, comparisons and CSV are written straight from the cell table; they must be
 * the very bytes `JSON.stringify` and `reportCsv` give for the report's objects.
 */

const COUNTRIES = ['US', 'MX', 'AR', 'DE', 'BR'] as const;

/** A survey: per cell, how many respondents and their pay (small cells, so many are suppressed). */
const survey = fc
  .array(
    fc.record({
      country: fc.constantFrom(...COUNTRIES),
      role: fc.constantFrom(...ROLES.slice(0, 3)),
      seniority: fc.constantFrom(...SENIORITIES.slice(0, 3)),
      pay: fc.array(
        fc.oneof(
          fc.integer({ min: 1, max: 2_000_000 }),
          fc.integer({ min: 1, max: 2 ** 32 - 1 }),
          fc.constant(123_456),
        ),
        { minLength: 1, maxLength: 40 },
      ),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((cells) =>
    cells.flatMap(({ country, role, seniority, pay }): RawRow[] =>
      pay.map((monthlyUsdCents) => ({ country, role, seniority, monthlyUsdCents })),
    ),
  );

const thresholds = fc.constantFrom<ReportThresholds>(DEFAULT_THRESHOLDS, {
  minRespondents: 3,
  minRespondentsForOuterPercentiles: 20,
  mediumConfidenceFrom: 4,
  highConfidenceFrom: 30,
});

function previousOf(rows: readonly RawRow[]): PreviousReport | undefined {
  try {
    const report = buildReport({
      year: 2024,
      cells: baseCellsOf(rows, 2024),
      files: [],
      normalization: { exchangeRates: {}, seniorityRules: {} },
      baseCountry: 'US',
      thresholds: DEFAULT_THRESHOLDS,
      generatedAt: new Date('2025-01-05T06:00:00.000Z'),
      versionNumber: 1,
    });
    return { year: report.year, version: report.version, cells: report.cells };
  } catch {
    return undefined; // too few respondents for a report
  }
}

describe('the snapshot text written from the cell table', () => {
  it(
    'is JSON.stringify of the cells and comparisons, and the CSV is reportCsv of the cells',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          survey,
          fc.option(survey, { nil: undefined }),
          thresholds,
          fc.constantFrom('US', 'MX', 'FR'),
          (rows, previousRows, limits, baseCountry) => {
            const table = buildReportCells(baseCellsOf(rows), limits);
            const cells = reportCellsOf(table);
            const previous = previousRows ? previousOf(previousRows) : undefined;
            expect(cellsJson(table)).toBe(JSON.stringify(cells));
            expect(comparisonsJson(table, baseCountry, previous)).toBe(
              JSON.stringify(buildComparisons(cells, baseCountry, previous)),
            );
            const head = { year: 2025, version: '20260105T060000000Z-abc' };
            expect(cellTableCsv(head, table)).toBe(reportCsv(head, cells));
          },
        ),
        { seed: 20261202, numRuns: 300 },
      );
    },
  );

  it(
    'writes every amount as JSON.stringify does, whole cents from their digits',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.integer({ min: 0, max: 2 ** 50 + 10 }).map((cents) => cents / 100),
            fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100),
            fc.double(),
            fc.constantFrom(0, -0, 0.1, 0.05, 1e21, -12.5, Number.NaN, Number.POSITIVE_INFINITY),
          ),
          (value) => {
            const out = new TextWriter(4);
            out.text('é'); // the writer grows, and reads back text that is not ASCII
            writeAmount(out, value);
            expect(out.toString()).toBe(`é${JSON.stringify(value)}`);
            expect(out.bytes().toString('utf8')).toBe(`é${JSON.stringify(value)}`);
          },
        ),
        { seed: 1202, numRuns: 5_000 },
      );
    },
  );
});

describe('whole numbers in the snapshot text', () => {
  it('are written as String writes them, from 0 to 2^53 − 1, at every count of digits', () => {
    const edges = [0, 2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER - 47, Number.MAX_SAFE_INTEGER];
    for (let digits = 1; digits <= 16; digits++) edges.push(10 ** (digits - 1), 10 ** digits - 1);
    const buffer = new Uint8Array(40);
    for (const value of edges) {
      buffer.fill(120);
      const end = putDigits(buffer, 3, value);
      expect(Buffer.from(buffer.subarray(3, end)).toString('latin1')).toBe(String(value));
      expect(buffer[end]).toBe(120); // nothing written past the digits
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (value) => {
        const end = putDigits(buffer, 0, value);
        expect(Buffer.from(buffer.subarray(0, end)).toString('latin1')).toBe(String(value));
      }),
      { seed: 2026, numRuns: 2_000 },
    );
  });
});

describe('ratios in the snapshot text', () => {
  it(
    'are written as JSON.stringify does, whole ten-thousandths from their digits',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.integer({ min: -(2 ** 50) - 10, max: 2 ** 50 + 10 }).map((units) => units / 10_000),
            fc.integer({ min: -30_000, max: 30_000 }).map((units) => units / 10_000),
            fc.double(),
            fc.constantFrom(0, -0, 0.0001, -0.0001, 1.5, -0.172, 6.3748, 1e21, Number.NaN),
          ),
          (value) => {
            const out = new TextWriter(4);
            writeRatio(out, value);
            expect(out.toString()).toBe(JSON.stringify(value));
          },
        ),
        { seed: 1204, numRuns: 5_000 },
      );
    },
  );
});

describe('the published sums read off the roll-up', () => {
  it('are the groupings found by dimensions, in the same order', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(survey, (rows) => {
        const base = baseCellsOf(rows);
        const table = buildReportCells(base, DEFAULT_THRESHOLDS);
        expect(rollupGroupings(rollUp(base))).toEqual(cellGroupings(table.dimensions));
      }),
      { seed: 1203, numRuns: 300 },
    );
  });
});
