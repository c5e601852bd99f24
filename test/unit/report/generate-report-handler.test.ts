import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import { normalizationUsedFor } from '#shared/domain/report/normalization-used.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { DEFAULT_RULES, rulesFingerprint } from '#shared/domain/rules/index.ts';
import { ValidationError } from '#shared/errors.ts';
import { InMemoryAggregates } from './fake-aggregates.ts';
import { rowsFor, seededRandom } from './raw-rows.ts';

type HandlerModule = typeof import('#functions/generate-report.ts');
let handlerModule: HandlerModule;

beforeAll(async () => {
  // The module wires its production dependencies from the environment when loaded.
  process.env.TABLE_NAME ??= 'unit-table';
  process.env.BUCKET_NAME ??= 'unit-bucket';
  handlerModule = await import('#functions/generate-report.ts');
});

describe('yearToGenerate', () => {
  const now = new Date('2026-01-05T06:00:00.000Z');

  it('reports the year before the schedule fired when no year is given', () => {
    expect(handlerModule.yearToGenerate({}, now)).toBe(2025);
    expect(handlerModule.yearToGenerate({ time: '2027-01-02T06:00:00Z' }, now)).toBe(2026);
  });

  it('takes an explicit year, as a number or as text', () => {
    expect(handlerModule.yearToGenerate({ year: 2023 }, now)).toBe(2023);
    expect(handlerModule.yearToGenerate({ year: '2024' }, now)).toBe(2024);
  });

  it('refuses a year that is not a whole number', () => {
    expect(() => handlerModule.yearToGenerate({ year: 'last' }, now)).toThrow(ValidationError);
    expect(() => handlerModule.yearToGenerate({ year: 2024.5 }, now)).toThrow(ValidationError);
  });
});

describe('generateReportHandler', () => {
  function dependencies() {
    const aggregates = new InMemoryAggregates();
    aggregates.setYear(
      2025,
      rowsFor({ country: 'MX', role: 'data', seniority: 'mid' }, 8, 3000, seededRandom(1)),
    );
    const store = new InMemoryReportStore();
    let minutes = 0;
    return {
      store,
      deps: {
        aggregates,
        snapshots: store,
        pointers: store,
        normalizationUsed: async (year: number) => normalizationUsedFor(DEFAULT_RULES, year),
        baseCountry: 'US' as const,
        thresholds: DEFAULT_THRESHOLDS,
        now: () => new Date(Date.UTC(2026, 0, 5, 6, minutes++)),
      },
    };
  }

  it('publishes the requested year and answers where the snapshot lives', async () => {
    const { store, deps } = dependencies();
    const outcome = await handlerModule.generateReportHandler({ year: 2025 }, deps);
    expect(outcome).toMatchObject({
      year: 2025,
      versionNumber: 1,
      current: true,
      generated: true,
      counts: { respondents: 8 },
    });
    expect(store.objects.has(outcome.jsonKey)).toBe(true);
  });

  it('answers the unchanged version when run again, a new one with "regenerate"', async () => {
    const { deps } = dependencies();
    const first = await handlerModule.generateReportHandler({ year: 2025 }, deps);
    const repeated = await handlerModule.generateReportHandler({ year: 2025 }, deps);
    const forced = await handlerModule.generateReportHandler(
      { year: 2025, regenerate: true },
      deps,
    );

    expect(repeated).toEqual({ ...first, generated: false });
    expect(forced).toMatchObject({ versionNumber: 2, generated: true, current: true });
  });

  it('refuses a "regenerate" that is not a boolean', async () => {
    const { deps } = dependencies();
    await expect(
      handlerModule.generateReportHandler({ year: 2025, regenerate: 'yes' as never }, deps),
    ).rejects.toThrow(/"regenerate" must be true or false/);
  });
});

describe('normalizationUsedFor', () => {
  it("publishes the year's exchange rates, the seniority rules and the rules' fingerprint", () => {
    const used = normalizationUsedFor(DEFAULT_RULES, 2025);
    expect(used.exchangeRates.USD).toBe(1);
    expect(used.exchangeRates.MXN).toBe(DEFAULT_RULES.exchangeRates['2025']?.MXN);
    expect(used.seniorityRules).toMatchObject({
      byExperience: { default: [{ fromYears: 0, seniority: 'junior' }, {}, {}, {}] },
    });
    expect(used.rulesFingerprint).toBe(rulesFingerprint(DEFAULT_RULES));
  });
});
