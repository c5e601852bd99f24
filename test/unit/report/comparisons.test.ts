import { describe, expect, it } from 'vitest';
import {
  buildComparisons,
  findComparison,
  rebaseComparison,
} from '#shared/domain/report/comparisons.ts';
import type { PublishedCell, ReportCell } from '#shared/domain/report/model.ts';

function published(country: string, median: number, mean: number, n = 20): PublishedCell {
  const statistics = { mean, p10: null, p25: median, median, p75: median, p90: null };
  return {
    level: 'country-role-seniority',
    country,
    role: 'backend',
    seniority: 'senior',
    suppressed: false,
    n,
    confidence: 'medium',
    monthly: statistics,
    annual: statistics,
  };
}

function suppressed(country: string): ReportCell {
  return {
    level: 'country-role-seniority',
    country,
    role: 'backend',
    seniority: 'senior',
    suppressed: true,
    suppression: 'primary',
  };
}

describe('buildComparisons', () => {
  it('divides each country by the base country, from the published figures', () => {
    const [comparison] = buildComparisons(
      [published('US', 9000, 9900), published('MX', 3000, 6000)],
      'US',
      undefined,
    );
    expect(comparison?.base).toEqual({ median: 9000, mean: 9900 });
    const mexico = comparison?.countries.find((entry) => entry.country === 'MX');
    expect(mexico).toMatchObject({ medianRatio: 0.3333, meanRatio: 0.6061 });
    const us = comparison?.countries.find((entry) => entry.country === 'US');
    expect(us).toMatchObject({ medianRatio: 1, meanRatio: 1 });
  });

  it('omits ratios and says why when the base country is suppressed', () => {
    const [comparison] = buildComparisons(
      [suppressed('US'), published('MX', 3000, 3100)],
      'US',
      undefined,
    );
    expect(comparison).toMatchObject({
      base: null,
      baseUnavailableReason: 'base-suppressed',
      suppressedCountries: ['US'],
      suppressedCountryDetails: [{ country: 'US', suppression: 'primary' }],
    });
    expect(comparison?.countries[0]).toMatchObject({
      country: 'MX',
      medianRatio: null,
      meanRatio: null,
      ratioUnavailableReason: 'base-suppressed',
    });
  });

  it('omits ratios and says why when the base country has no respondents', () => {
    const [comparison] = buildComparisons([published('MX', 3000, 3100)], 'US', undefined);
    expect(comparison?.baseUnavailableReason).toBe('base-missing');
    expect(comparison?.countries[0]?.ratioUnavailableReason).toBe('base-missing');
  });

  it('compares each country with the same cell of the previous year', () => {
    const previous = {
      year: 2024,
      version: '20250105T060000000Z-aaaaaaaaaaaa',
      cells: [published('US', 8000, 8800), suppressed('MX'), published('AR', 2000, 2000)],
    };
    const [comparison] = buildComparisons(
      [published('US', 9000, 9900), published('MX', 3000, 3100), published('BR', 2500, 2600)],
      'US',
      previous,
    );
    const byCountry = new Map(comparison?.countries.map((entry) => [entry.country, entry]));
    expect(byCountry.get('US')?.change).toEqual({
      previousYear: 2024,
      previousVersion: previous.version,
      previousMedian: 8000,
      previousMean: 8800,
      medianChange: 0.125,
      meanChange: 0.125,
    });
    expect(byCountry.get('MX')).toMatchObject({
      change: null,
      changeUnavailableReason: 'previous-suppressed',
    });
    expect(byCountry.get('BR')).toMatchObject({
      change: null,
      changeUnavailableReason: 'previous-missing',
    });
  });

  it('writes each comparison exactly as rebasing it on its own base country would, key for key', () => {
    const cells = [
      published('AR', 2500, 2600),
      suppressed('BR'),
      published('MX', 3000, 3100),
      published('US', 9000, 9900),
    ];
    for (const base of ['US', 'BR', 'DE'] as const) {
      for (const comparison of buildComparisons(cells, base, {
        year: 2024,
        version: 'v2024',
        cells: [published('MX', 2900, 3000), suppressed('AR')],
      })) {
        expect(JSON.stringify(rebaseComparison(comparison, base))).toBe(JSON.stringify(comparison));
      }
    }
  });

  it('says when there is no previous report at all', () => {
    const [comparison] = buildComparisons([published('US', 9000, 9900)], 'US', undefined);
    expect(comparison?.countries[0]?.changeUnavailableReason).toBe('no-previous-report');
  });
});

describe('findComparison', () => {
  const report = {
    comparisons: buildComparisons(
      [published('US', 9000, 9900), published('MX', 3000, 6000)],
      'US',
      undefined,
    ),
  };

  it('rebases the ratios on another country', () => {
    const comparison = findComparison(report, 'backend', 'senior', 'MX');
    expect(comparison.baseCountry).toBe('MX');
    expect(comparison.countries.find((entry) => entry.country === 'US')).toMatchObject({
      medianRatio: 3,
      meanRatio: 1.65,
    });
    expect(comparison.countries.some((entry) => 'ratioUnavailableReason' in entry)).toBe(false);
  });

  it('answers an empty comparison for a role and seniority without respondents', () => {
    expect(findComparison(report, 'qa', 'junior', 'US')).toEqual({
      role: 'qa',
      seniority: 'junior',
      baseCountry: 'US',
      base: null,
      baseUnavailableReason: 'base-missing',
      countries: [],
      suppressedCountries: [],
      suppressedCountryDetails: [],
    });
  });
});
