import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport } from '#shared/domain/report/build-report.ts';
import type { ReportCell } from '#shared/domain/report/model.ts';
import { complementarySuppression } from '#shared/domain/report/suppression.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { ROLES, SENIORITIES } from '#shared/domain/taxonomy.ts';
import { TooFewRespondentsError } from '#shared/errors.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import { baseCellsOf, type RawRow } from './raw-rows.ts';

const MIN = DEFAULT_THRESHOLDS.minRespondents;

function reportOf(rows: readonly RawRow[]) {
  return buildReport({
    year: 2025,
    cells: baseCellsOf(rows),
    files: [{ accepted: rows.length, rejected: 0, rejectedByReason: {} }],
    normalization: { exchangeRates: { USD: 1 }, seniorityRules: {} },
    baseCountry: 'US',
    thresholds: DEFAULT_THRESHOLDS,
    generatedAt: new Date('2026-01-05T06:00:00.000Z'),
    versionNumber: 1,
  });
}

describe('complementarySuppression', () => {
  // One parent (index 0) over children 1…k, with these respondent counts.
  const family = (counts: number[]) => ({
    respondents: counts,
    groupings: [{ parent: 0, children: counts.slice(1).map((_, index) => index + 1) }],
  });
  const hidden = (counts: number[]) => {
    const { respondents, groupings } = family(counts);
    return complementarySuppression(respondents, groupings, MIN);
  };

  it('publishes every cell of a family without small cells', () => {
    expect(hidden([30, 10, 20])).toEqual([false, false, false]);
  });

  it('hides the smallest published sibling of a lone small cell', () => {
    expect(hidden([63, 3, 40, 8, 12])).toEqual([false, true, false, true, false]);
  });

  it('breaks ties between equally small siblings by report order', () => {
    expect(hidden([23, 3, 10, 10])).toEqual([false, true, true, false]);
  });

  it('hides a sibling when two small cells together have fewer than the threshold', () => {
    expect(hidden([33, 1, 2, 30])).toEqual([false, true, true, true]);
  });

  it('leaves two small cells alone when together they reach the threshold', () => {
    expect(hidden([36, 2, 4, 30])).toEqual([false, true, true, false]);
  });

  it('hides the parent of an only child that is hidden for another sum', () => {
    // 0 → [1]; 2 → [1, 3]: the small cell 3 makes 1 hidden, and 0 equals 1.
    const suppressed = complementarySuppression(
      [40, 40, 43, 3],
      [
        { parent: 0, children: [1] },
        { parent: 2, children: [1, 3] },
      ],
      MIN,
    );
    expect(suppressed).toEqual([true, true, false, true]);
  });

  it('hides the smallest child of a hidden parent whose children were all published', () => {
    // 0 → [1, 2]; 1 → [3, 4]: cell 1 is hidden to protect 2, so one of its children must be too.
    const suppressed = complementarySuppression(
      [53, 50, 3, 20, 30],
      [
        { parent: 0, children: [1, 2] },
        { parent: 1, children: [3, 4] },
      ],
      MIN,
    );
    expect(suppressed).toEqual([false, true, true, true, false]);
  });
});

/** The sums a report publishes, rebuilt from the cells' keys independently of the code under test. */
function publishedSums(cells: readonly ReportCell[]) {
  const at = (level: ReportCell['level'], match: (cell: ReportCell) => boolean) =>
    cells.filter((cell) => cell.level === level && match(cell));
  const sums: { parent: ReportCell; children: ReportCell[] }[] = [];
  for (const parent of cells) {
    const same = (cell: ReportCell, keys: ('country' | 'role' | 'seniority')[]) =>
      keys.every((key) => cell[key] === parent[key]);
    if (parent.level === 'overall') {
      sums.push({ parent, children: at('country', () => true) });
      sums.push({ parent, children: at('role-seniority', () => true) });
    } else if (parent.level === 'country') {
      sums.push({ parent, children: at('country-role', (cell) => same(cell, ['country'])) });
    } else if (parent.level === 'country-role') {
      sums.push({
        parent,
        children: at('country-role-seniority', (cell) => same(cell, ['country', 'role'])),
      });
    } else if (parent.level === 'role-seniority') {
      sums.push({
        parent,
        children: at('country-role-seniority', (cell) => same(cell, ['role', 'seniority'])),
      });
    }
  }
  return sums;
}

const rowArbitrary = fc.record({
  country: fc.constantFrom('AR', 'BR', 'MX', 'US'),
  role: fc.constantFrom(...ROLES.slice(0, 3)),
  seniority: fc.constantFrom(...SENIORITIES.slice(0, 3)),
  monthlyUsdCents: fc.integer({ min: 50_000, max: 2_000_000 }),
});

describe('buildReport complementary suppression', () => {
  it(
    'never lets a published sum reveal a suppressed cell, on random surveys',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(fc.array(rowArbitrary, { minLength: MIN, maxLength: 160 }), (rows) => {
          const report = reportOf(rows);
          const respondents = (cell: ReportCell) =>
            rows.filter((row) =>
              (['country', 'role', 'seniority'] as const).every(
                (key) => cell[key] === undefined || cell[key] === row[key],
              ),
            ).length;

          for (const cell of report.cells) {
            if (respondents(cell) < MIN) expect(cell.suppressed, JSON.stringify(cell)).toBe(true);
            if (!cell.suppressed) expect(cell.n).toBe(respondents(cell));
            // The label tells the truth: primary exactly for the cells below the threshold.
            else {
              expect(cell.suppression, JSON.stringify(cell)).toBe(
                respondents(cell) < MIN ? 'primary' : 'complementary',
              );
            }
          }
          expect(report.cells[0]).toMatchObject({ level: 'overall', suppressed: false });

          for (const { parent, children } of publishedSums(report.cells)) {
            const hiddenChildren = children.filter((cell) => cell.suppressed);
            const where = JSON.stringify(parent);
            if (parent.suppressed) {
              // Otherwise the parent is the sum of its published children.
              expect(hiddenChildren.length, where).toBeGreaterThan(0);
              continue;
            }
            if (hiddenChildren.length === 0) continue;
            // Parent minus the published children is all a reader learns about the hidden ones:
            // a total shared by at least two cells and at least MIN respondents.
            const publishedN = children.reduce(
              (total, cell) => total + (cell.suppressed ? 0 : cell.n),
              0,
            );
            expect(hiddenChildren.length, where).toBeGreaterThanOrEqual(2);
            expect(parent.n - publishedN, where).toBeGreaterThanOrEqual(MIN);
            expect(hiddenChildren.reduce((total, cell) => total + respondents(cell), 0)).toBe(
              parent.n - publishedN,
            );
          }
        }),
        { seed: 20260105, numRuns: 300 },
      );
    },
  );

  it('refuses a year with fewer respondents than the threshold: even the count would identify them', () => {
    const respondent = (monthlyUsdCents: number): RawRow => ({
      country: 'US',
      role: 'backend',
      seniority: 'senior',
      monthlyUsdCents,
    });
    const four = [1, 2, 3, 4].map((index) => respondent(900_000 + index));
    expect(() => reportOf(four)).toThrow(TooFewRespondentsError);
    expect(() => reportOf(four)).toThrow(/fewer than 5 respondents in 2025/);
    expect(reportOf([...four, respondent(950_000)]).cells[0]).toMatchObject({
      level: 'overall',
      n: MIN,
    });
  });
});
