import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import type { Report } from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { generateReport } from '#shared/use-cases/generate-report.ts';
import { naiveType7Usd } from '#test/support/naive-quantile.ts';
import { type DynamoBackend, IngestHarness } from '../support/ingest-harness.ts';
import { surveyCsv, type UsdRow } from '../support/survey-csv.ts';

const YEAR = 2025;
const KEYS = ['a', 'b', 'c'].map((name) => `uploads/${YEAR}/${name}.csv`);
const ROLE_SLUG = {
  'Backend Developer': 'backend',
  'Frontend Developer': 'frontend',
  'Data Engineer': 'data',
} as const;
const QUANTILES = [
  ['p10', 0.1],
  ['p25', 0.25],
  ['median', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
] as const;

const rowArbitrary: fc.Arbitrary<UsdRow> = fc.record({
  country: fc.constantFrom('US', 'MX'),
  role: fc.constantFrom('Backend Developer', 'Data Engineer'),
  seniority: fc.constantFrom('junior', 'senior'),
  monthlyUsd: fc.oneof(
    fc.integer({ min: 100_00, max: 30_000_00 }).map((cents) => cents / 100),
    // Round amounts, so respondents tie.
    fc.constantFrom(2_000, 4_500, 9_000),
  ),
});

/** Upload (or re-upload) a key with these rows, or delete it. */
type Operation = { key: string; rows: UsdRow[] } | { key: string; remove: true };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      key: fc.constantFrom(...KEYS),
      rows: fc.array(rowArbitrary, { minLength: 1, maxLength: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ key: fc.constantFrom(...KEYS), remove: fc.constant(true as const) }),
  },
);

/**
 * The proof, through the real ingestion handler and report generation: for random surveys
 * split into files, re-uploaded and deleted, with every S3 event delivered in a random order and
 * some twice, each published p10…p90 equals the exact type-7 quantile of the accepted values of
 * the files now in the bucket, to the cent, at every level.
 */
export function defineExactQuantilesSuite(backend: DynamoBackend, numRuns: number): void {
  describe(`exact quantiles through ingestion and report generation on ${backend}`, () => {
    let harness: IngestHarness;

    beforeAll(async () => {
      harness = await IngestHarness.start(backend);
    });
    afterAll(async () => {
      await harness?.stop();
    });

    it('publishes the exact type-7 quantiles of the rows of the files in the bucket', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(operationArbitrary, { minLength: 1, maxLength: 6 }),
          fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
          async (operations, shuffle) => {
            // A failed run (and fast-check's shrinking) leaves files behind: start empty.
            for (const key of await harness.objects.listKeys('uploads/')) {
              await harness.deliver([await harness.remove(key)]);
            }
            const bucket = new Map<string, UsdRow[]>();
            const events: string[] = [];
            for (const operation of operations) {
              if ('remove' in operation) {
                // Deleting a key that holds nothing makes no event.
                if (!bucket.has(operation.key)) continue;
                events.push(await harness.remove(operation.key));
                bucket.delete(operation.key);
              } else {
                events.push(await harness.put(operation.key, surveyCsv(operation.rows, YEAR)));
                bucket.set(operation.key, operation.rows);
              }
            }
            // Any order, a duplicate of the first: the model's convergence (docs/data-model.md).
            const deliveries = [...events, ...events.slice(0, 1)]
              .map((body, index) => ({ body, key: (shuffle[index] ?? 0) + index / 100 }))
              .sort((a, b) => a.key - b.key)
              .map(({ body }) => body);
            for (const body of deliveries) {
              expect((await harness.deliver([body])).batchItemFailures).toEqual([]);
            }

            const rows = [...bucket.values()].flat();
            const report = await reportOrUndefined(harness);
            if (rows.length < DEFAULT_THRESHOLDS.minRespondents) {
              expect(report).toBeUndefined();
            } else {
              expectExactQuantiles(report, rows);
            }
          },
        ),
        { seed: 1010, numRuns },
      );
    }, 300_000);

    it('stores a cell of 400,000 salaries across items under the 400 KB limit and reads it back exactly', async () => {
      for (const key of await harness.objects.listKeys('uploads/')) {
        await harness.deliver([await harness.remove(key)]);
      }
      // Spread over the plausible range: about a byte each, more than one item's worth.
      const rows: UsdRow[] = Array.from({ length: 400_000 }, (_, index) => ({
        country: 'US',
        role: 'Backend Developer',
        seniority: 'senior',
        monthlyUsd: (10_000 + ((index * 7_919) % 9_990_001)) / 100,
      }));
      const event = await harness.put(`uploads/${YEAR}/large.csv`, surveyCsv(rows, YEAR));
      expect((await harness.deliver([event])).batchItemFailures).toEqual([]);
      expectExactQuantiles(await reportOrUndefined(harness), rows);
    }, 300_000);
  });
}

async function reportOrUndefined(harness: IngestHarness): Promise<Report | undefined> {
  const store = new InMemoryReportStore();
  try {
    const { report } = await generateReport(YEAR, {
      aggregates: harness.store,
      snapshots: store,
      pointers: store,
      normalizationUsed: async () => ({ exchangeRates: { USD: 1 }, seniorityRules: {} }),
      baseCountry: 'US',
      thresholds: DEFAULT_THRESHOLDS,
      now: () => new Date('2026-01-05T06:00:00Z'),
    });
    return report;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TooFewRespondentsError' || name === 'NotFoundError') return undefined;
    throw error;
  }
}

function expectExactQuantiles(report: Report | undefined, rows: readonly UsdRow[]): void {
  expect(report?.methodology.quantiles).toMatchObject({ exact: true, relativeAccuracy: 0 });
  for (const cell of report?.cells ?? []) {
    if (cell.suppressed) continue;
    const covered = rows
      .filter(
        (row) =>
          (cell.country === undefined || row.country === cell.country) &&
          (cell.role === undefined || ROLE_SLUG[row.role] === cell.role) &&
          (cell.seniority === undefined || row.seniority === cell.seniority),
      )
      .map((row) => Math.round(row.monthlyUsd * 100));
    const where = `${cell.level} ${cell.country ?? ''} ${cell.role ?? ''} ${cell.seniority ?? ''}`;
    expect(cell.n, where).toBe(covered.length);
    for (const [name, q] of QUANTILES) {
      const withheld =
        (name === 'p10' || name === 'p90') &&
        cell.n < DEFAULT_THRESHOLDS.minRespondentsForOuterPercentiles;
      expect(cell.monthly[name], `${where} ${name}`).toBe(
        withheld ? null : naiveType7Usd(covered, q),
      );
      expect(cell.annual[name], `${where} annual ${name}`).toBe(
        withheld ? null : naiveType7Usd(covered, q, 12),
      );
    }
  }
}
