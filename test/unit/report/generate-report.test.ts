import { describe, expect, it } from 'vitest';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import type { Report } from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { NotFoundError, TooFewRespondentsError, ValidationError } from '#shared/errors.ts';
import {
  type GenerateReportDependencies,
  generateReport,
} from '#shared/use-cases/generate-report.ts';
import { InMemoryAggregates } from './fake-aggregates.ts';
import { rowsFor, seededRandom } from './raw-rows.ts';

function setup(times: string[] = ['2026-01-05T06:00:00.000Z', '2026-01-06T06:00:00.000Z']) {
  const aggregates = new InMemoryAggregates();
  const store = new InMemoryReportStore();
  const clock = [...times];
  const deps: GenerateReportDependencies = {
    aggregates,
    snapshots: store,
    pointers: store,
    normalizationUsed: async (year) => ({
      exchangeRates: { MXN: year === 2025 ? 19.2 : 18.3, USD: 1 },
      seniorityRules: { default: [{ fromYears: 0, seniority: 'junior' }] },
    }),
    baseCountry: 'US',
    thresholds: DEFAULT_THRESHOLDS,
    now: () => new Date(clock.shift() ?? '2026-12-31T00:00:00.000Z'),
  };
  return { aggregates, store, deps };
}

const random = seededRandom(7);
const ROWS_2025 = [
  ...rowsFor({ country: 'US', role: 'backend', seniority: 'senior' }, 30, 9000, random),
  ...rowsFor({ country: 'MX', role: 'backend', seniority: 'senior' }, 20, 4000, random),
];
const ROWS_2024 = [
  ...rowsFor({ country: 'US', role: 'backend', seniority: 'senior' }, 25, 8500, random),
  ...rowsFor({ country: 'MX', role: 'backend', seniority: 'senior' }, 3, 3800, random),
  // Without a third country, the US figures minus the overall ones would give Mexico's away.
  ...rowsFor({ country: 'CA', role: 'backend', seniority: 'senior' }, 6, 7000, random),
];

describe('generateReport', () => {
  it('writes the JSON and CSV snapshot under a new version and makes it current', async () => {
    const { aggregates, store, deps } = setup();
    aggregates.setYear(2025, ROWS_2025);

    const { published, current, report } = await generateReport(2025, deps);

    expect(current).toBe(true);
    expect(published).toMatchObject({
      year: 2025,
      version: report.version,
      versionNumber: 1,
      jsonKey: `reports/2025/${report.version}/report.json`,
      csvKey: `reports/2025/${report.version}/report.csv`,
      counts: { respondents: 50, files: 1, suppressedCells: 0 },
    });
    expect(JSON.parse(store.text(published.jsonKey) ?? '')).toEqual(report);
    expect(store.text(published.csvKey)).toMatch(/^year,version,level,/);
    expect(await store.current(2025)).toEqual(published);
    expect(report.methodology).toMatchObject({
      acceptedRows: 50,
      rejectedRows: 2,
      rejectedByReason: { unknown_role: 2 },
      normalization: { exchangeRates: { MXN: 19.2, USD: 1 } },
    });
  });

  it('keeps the published report unchanged by later uploads until it is regenerated', async () => {
    const { aggregates, store, deps } = setup();
    aggregates.setYear(2025, ROWS_2025);
    const first = await generateReport(2025, deps);

    aggregates.setYear(2025, [...ROWS_2025, ...ROWS_2025.slice(0, 5)]);
    const stillPublished = JSON.parse(store.text(first.published.jsonKey) ?? '') as Report;
    expect(await store.current(2025)).toEqual(first.published);
    expect(stillPublished.cells[0]).toEqual(first.report.cells[0]);

    const second = await generateReport(2025, deps);
    expect(second.published.version > first.published.version).toBe(true);
    expect(await store.current(2025)).toEqual(second.published);
    expect((await store.history(2025)).map((entry) => entry.version)).toEqual([
      first.published.version,
      second.published.version,
    ]);
  });

  it('publishes nothing new when the aggregates, rules and settings are unchanged', async () => {
    const { aggregates, store, deps } = setup();
    aggregates.setYear(2025, ROWS_2025);
    const first = await generateReport(2025, deps);
    const objects = store.objects.size;

    let snapshotReads = 0;
    const readJson = store.readJson.bind(store);
    store.readJson = (key) => {
      snapshotReads += 1;
      return readJson(key);
    };

    const again = await generateReport(2025, deps);

    expect(again).toEqual({ ...first, generated: false });
    expect(store.objects.size).toBe(objects);
    expect(await store.history(2025)).toEqual([first.published]);
    // The current version's report, as stored, made from this generation's own snapshot text
    // (generated a day later) under the current version's name, number and time.
    expect(again.report).toEqual(JSON.parse(store.text(first.published.jsonKey) ?? ''));
    expect(again.report.generatedAt).toBe('2026-01-05T06:00:00.000Z');
    expect(snapshotReads).toBe(0);
  });

  it('publishes a new version when the rules, thresholds or base country change', async () => {
    const { aggregates, store, deps } = setup([
      '2026-01-05T06:00:00.000Z',
      '2026-01-05T07:00:00.000Z',
      '2026-01-05T08:00:00.000Z',
      '2026-01-05T09:00:00.000Z',
    ]);
    aggregates.setYear(2025, ROWS_2025);
    await generateReport(2025, deps);

    const rules = await generateReport(2025, {
      ...deps,
      normalizationUsed: async () => ({ exchangeRates: { MXN: 20, USD: 1 }, seniorityRules: {} }),
    });
    const thresholds = await generateReport(2025, {
      ...deps,
      thresholds: { ...DEFAULT_THRESHOLDS, highConfidenceFrom: 40 },
    });
    const base = await generateReport(2025, { ...deps, baseCountry: 'MX' });

    expect([rules, thresholds, base].map((outcome) => outcome.generated)).toEqual([
      true,
      true,
      true,
    ]);
    expect((await store.history(2025)).map((entry) => entry.versionNumber)).toEqual([1, 2, 3, 4]);
  });

  it('publishes the same content as a new version when asked to regenerate', async () => {
    const { aggregates, store, deps } = setup();
    aggregates.setYear(2025, ROWS_2025);
    const first = await generateReport(2025, deps);
    const second = await generateReport(2025, deps, { regenerate: true });

    expect(second.generated).toBe(true);
    expect(second.report.versionNumber).toBe(2);
    expect(await store.current(2025)).toEqual(second.published);
    expect(second.report.generatedAt).not.toBe(first.report.generatedAt);
    expect(JSON.stringify(second.report.cells)).toBe(JSON.stringify(first.report.cells));
    expect(JSON.stringify(second.report.comparisons)).toBe(
      JSON.stringify(first.report.comparisons),
    );
  });

  it("compares with the previous year's current report", async () => {
    const { aggregates, deps } = setup(['2025-01-05T06:00:00.000Z', '2026-01-05T06:00:00.000Z']);
    aggregates.setYear(2024, ROWS_2024);
    aggregates.setYear(2025, ROWS_2025);
    const previous = await generateReport(2024, deps);
    const { report } = await generateReport(2025, deps);

    const [comparison] = report.comparisons;
    const us = comparison?.countries.find((entry) => entry.country === 'US');
    const mx = comparison?.countries.find((entry) => entry.country === 'MX');
    expect(us?.change?.previousVersion).toBe(previous.published.version);
    expect(us?.change?.previousMedian).toBeGreaterThan(0);
    expect(mx).toMatchObject({ change: null, changeUnavailableReason: 'previous-suppressed' });
  });

  it('refuses a year without data with a clear error instead of an empty report', async () => {
    const { deps, store } = setup();
    await expect(generateReport(2023, deps)).rejects.toThrow(NotFoundError);
    await expect(generateReport(2023, deps)).rejects.toThrow(/no accepted survey rows for 2023/);
    expect(store.objects.size).toBe(0);
  });

  it('refuses a year with fewer respondents than the threshold and publishes no count', async () => {
    const { aggregates, deps, store } = setup();
    aggregates.setYear(2025, ROWS_2025.slice(0, DEFAULT_THRESHOLDS.minRespondents - 1));
    await expect(generateReport(2025, deps)).rejects.toThrow(TooFewRespondentsError);
    await expect(generateReport(2025, deps)).rejects.toThrow(/fewer than 5 respondents in 2025/);
    expect(store.objects.size).toBe(0);
    expect(await store.listCurrent()).toEqual([]);
  });

  it('refuses years outside the range', async () => {
    const { deps } = setup();
    await expect(generateReport(1999, deps)).rejects.toThrow(ValidationError);
    await expect(generateReport(2027, deps)).rejects.toThrow(ValidationError);
  });

  it('never lets an older generation replace a newer current version', async () => {
    const { aggregates, store, deps } = setup([
      '2026-01-06T06:00:00.000Z',
      '2026-01-05T06:00:00.000Z',
    ]);
    aggregates.setYear(2025, ROWS_2025);
    const newer = await generateReport(2025, deps);
    // Started earlier, on the data before the latest upload: its clock says so.
    aggregates.setYear(2025, ROWS_2025.slice(5));
    const older = await generateReport(2025, deps);
    expect(older).toMatchObject({ generated: true, current: false });
    expect(await store.current(2025)).toEqual(newer.published);
  });
});
