import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import { loadApiConfig } from '#shared/config.ts';
import type { Report } from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { naiveType7Usd, QUANTILES } from '#test/support/naive-quantile.ts';
import { BUCKET, type DynamoBackend, IngestHarness } from '../support/ingest-harness.ts';
import { surveyCsv, type UsdRow } from '../support/survey-csv.ts';

const YEAR = 2025;
const KEYS = ['a', 'b', 'c'].map((name) => `uploads/${YEAR}/${name}.csv`);
const ROLE_SLUG = {
  'Backend Developer': 'backend',
  'Frontend Developer': 'frontend',
  'Data Engineer': 'data',
} as const;

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

/** A survey and, for each row, the file (index into KEYS) it is split into. */
const surveySplitArbitrary = fc.array(rowArbitrary, { minLength: 0, maxLength: 80 }).chain((rows) =>
  fc.record({
    rows: fc.constant(rows),
    files: fc.array(fc.nat({ max: KEYS.length - 1 }), {
      minLength: rows.length,
      maxLength: rows.length,
    }),
  }),
);

/** The split survey's files, each with its rows in survey order (files without rows left out). */
function filesOf(split: { rows: UsdRow[]; files: number[] }): Map<string, UsdRow[]> {
  const files = new Map<string, UsdRow[]>();
  split.rows.forEach((row, index) => {
    const key = KEYS[split.files[index] ?? 0] as string;
    files.set(key, [...(files.get(key) ?? []), row]);
  });
  return files;
}

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
 * The proof, through the real ingestion handler and the real generate-report handler
 * (production wiring: snapshot in the bucket, pointer in the table): a random survey split into
 * files at random, then random re-uploads and deletes, every S3 event delivered in a random order
 * and one twice; each published p10…p90 (monthly and annual) equals the exact type-7 quantile of
 * the accepted values of the files now in the bucket, to the cent, at every level. The reference
 * (`test/support/naive-quantile.ts`) is written independently of the domain's.
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

    it(
      'publishes the exact type-7 quantiles of the rows of the files in the bucket',
      async () => {
        await fc.assert(
          fc.asyncProperty(
            surveySplitArbitrary,
            fc.array(operationArbitrary, { minLength: 0, maxLength: 5 }),
            fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
            async (split, operations, shuffle) => {
              // A failed run (and fast-check's shrinking) leaves files behind: start empty.
              for (const key of await harness.objects.listKeys('uploads/')) {
                await harness.deliver([await harness.remove(key)]);
              }
              const bucket = new Map<string, UsdRow[]>();
              const events: string[] = [];
              for (const [key, rows] of filesOf(split)) {
                events.push(await harness.put(key, surveyCsv(rows, YEAR)));
                bucket.set(key, rows);
              }
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
          // A failure is reported as found, unshrunk: each shrinking step re-runs whole
          // ingestions, and on a busy machine shrinking outlasted the timeout, which then hid
          // the failure behind "test timed out".
          { seed: 1010, numRuns, endOnFailure: true },
        );
      },
      Math.max(300_000, numRuns * 10_000),
    ); // generous: a busy machine, or npm run test:exact

    it('over the exact limit, publishes every quantile from sketches and says so', async () => {
      for (const key of await harness.objects.listKeys('uploads/')) {
        await harness.deliver([await harness.remove(key)]);
      }
      const rows: UsdRow[] = Array.from({ length: 300 }, (_, index) => ({
        country: index % 3 === 0 ? 'MX' : 'US',
        role: index % 2 === 0 ? 'Backend Developer' : 'Data Engineer',
        seniority: index % 5 === 0 ? 'junior' : 'senior',
        monthlyUsd: (100_000 + ((index * 7_919) % 900_000)) / 100,
      }));
      for (const [index, key] of KEYS.entries()) {
        const part = rows.filter((_, row) => row % KEYS.length === index);
        expect(
          (await harness.deliver([await harness.put(key, surveyCsv(part, YEAR))]))
            .batchItemFailures,
        ).toEqual([]);
      }
      // The overall cell is the largest: at the limit the report stays exact, one more is over.
      expectExactQuantiles(
        await reportOrUndefined(harness, { maxExactCellRespondents: 300 }),
        rows,
      );
      const over = await reportOrUndefined(harness, { maxExactCellRespondents: 299 });
      expect(over?.methodology.quantiles).toEqual({
        method: 'DDSketch order statistics, linearly interpolated (type 7)',
        exact: false,
        relativeAccuracy: 0.01,
        sketchReason: 'over-exact-limit',
      });
      let compared = 0;
      forEachPublishedQuantile(over, rows, (published, exact, where) => {
        expect(published, where).not.toBeNull();
        // Each order statistic within 1 % of its value, so the interpolation between them too.
        expect(Math.abs((published as number) - exact), where).toBeLessThanOrEqual(
          exact * 0.01 + 0.01,
        );
        compared += 1;
      });
      expect(compared).toBeGreaterThan(50);
    }, 120_000);

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

/**
 * Runs the real generate-report handler with its production wiring (report snapshot in the
 * bucket, pointer in the table) and reads the published report.json back from the bucket.
 */
async function reportOrUndefined(
  harness: IngestHarness,
  options: { maxExactCellRespondents?: number } = {},
): Promise<Report | undefined> {
  // The handler module wires production dependencies from the environment when loaded.
  process.env.TABLE_NAME ??= harness.tableName;
  process.env.BUCKET_NAME ??= BUCKET;
  const config = { ...loadApiConfig(), bucketName: BUCKET, tableName: harness.tableName };
  const { createGenerateReportDependencies, generateReportHandler } = await import(
    '#functions/generate-report.ts'
  );
  try {
    const outcome = await generateReportHandler(
      { year: YEAR },
      {
        ...createGenerateReportDependencies(harness.aws.s3, harness.aws.dynamo, config),
        now: () => new Date('2026-01-05T06:00:00Z'),
        ...options,
      },
    );
    const json = await new S3ReportSnapshotStore(harness.aws.s3, BUCKET).readJson(outcome.jsonKey);
    return JSON.parse(json ?? 'null') as Report;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TooFewRespondentsError' || name === 'NotFoundError') return undefined;
    throw error;
  }
}

function expectExactQuantiles(report: Report | undefined, rows: readonly UsdRow[]): void {
  expect(report?.methodology.quantiles).toMatchObject({ exact: true, relativeAccuracy: 0 });
  forEachPublishedQuantile(report, rows, (published, exact, where) => {
    expect(published, where).toBe(exact);
  });
}

/**
 * Calls `check` with every quantile each published cell of the report shows (monthly and annual)
 * and the exact type-7 value of the rows the cell covers, computed here from the rows; p10 and
 * p90 of cells too small for them must be withheld (null).
 */
function forEachPublishedQuantile(
  report: Report | undefined,
  rows: readonly UsdRow[],
  check: (published: number | null, exact: number, where: string) => void,
): void {
  expect(report).toBeDefined();
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
      if (withheld) {
        expect(cell.monthly[name], `${where} ${name}`).toBeNull();
        expect(cell.annual[name], `${where} annual ${name}`).toBeNull();
        continue;
      }
      check(cell.monthly[name], naiveType7Usd(covered, q), `${where} ${name}`);
      check(cell.annual[name], naiveType7Usd(covered, q, 12), `${where} annual ${name}`);
    }
  }
}
