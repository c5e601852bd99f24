import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  floorQuotient,
  PUBLISHED_QUANTILES,
  roundHalfUpCents,
  type7Quantile,
  type7QuantileCents,
  type7QuantileUsdInto,
} from '#shared/domain/salaries/type7.ts';
import { naiveType7Cents } from '#test/support/naive-quantile.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

const LEVELS = Object.entries(PUBLISHED_QUANTILES).map(([name, level]) => ({
  name,
  level,
  q: level.numerator / level.denominator,
}));

const sortedOf = (values: readonly number[]) => Float64Array.from(values).sort();

describe('type7Quantile', () => {
  it('matches the textbook values of R, numpy and Excel PERCENTILE.INC', () => {
    // R: quantile(1:10, c(.1, .25, .5, .75, .9), type = 7) → 1.9 3.25 5.5 7.75 9.1
    const oneToTen = sortedOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((usd) => usd * 100));
    expect(LEVELS.map(({ level }) => type7QuantileCents(oneToTen, level))).toEqual([
      190, 325, 550, 775, 910,
    ]);
    // numpy.percentile([1, 2, 3, 4], 25) = 1.75; median of an even count is the midpoint.
    const four = sortedOf([100, 200, 300, 400]);
    expect(type7QuantileCents(four, PUBLISHED_QUANTILES.p25)).toBe(175);
    expect(type7QuantileCents(four, PUBLISHED_QUANTILES.median)).toBe(250);
    // A single respondent is every quantile.
    expect(type7QuantileCents(sortedOf([123_456]), PUBLISHED_QUANTILES.p90)).toBe(123_456);
  });

  it('keeps the exact fraction and rounds half-up only once, after scaling', () => {
    // Two values a cent apart: the median is 100.5 cents, p25 100.25, p75 100.75.
    const pair = sortedOf([100, 101]);
    expect(type7Quantile(pair, PUBLISHED_QUANTILES.median)).toEqual({
      numerator: 201n,
      denominator: 2n,
    });
    expect(type7QuantileCents(pair, PUBLISHED_QUANTILES.median)).toBe(101); // 100.5 → 101
    expect(type7QuantileCents(pair, PUBLISHED_QUANTILES.p25)).toBe(100); // 100.25 → 100
    expect(type7QuantileCents(pair, PUBLISHED_QUANTILES.p75)).toBe(101); // 100.75 → 101
    // Annual = 12 × the exact monthly quantile, rounded once: 12 × 100.25 = 1203, not 12 × 100.
    expect(type7QuantileCents(pair, PUBLISHED_QUANTILES.p25, 12)).toBe(1_203);
    expect(roundHalfUpCents({ numerator: 5n, denominator: 10n })).toBe(1);
    expect(roundHalfUpCents({ numerator: 4n, denominator: 10n })).toBe(0);
  });

  it('is exact where floating point is not: 0.1 × (n − 1) for n = 4 is 0.30000000000000004', () => {
    const values = sortedOf([1_000, 2_000, 3_000, 4_000]);
    // h = 0.3: 1000 + 0.3 × 1000 = 1300 exactly.
    expect(type7Quantile(values, PUBLISHED_QUANTILES.p10)).toEqual({
      numerator: 13_000n,
      denominator: 10n,
    });
  });

  it(
    'equals the independent reference for random samples, every level, monthly and annual',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 20_000_000 }), { minLength: 1, maxLength: 300 }),
          (values) => {
            const sorted = sortedOf(values);
            for (const { level, q } of LEVELS) {
              for (const factor of [1, 12]) {
                expect(type7QuantileCents(sorted, level, factor)).toBe(
                  naiveType7Cents(values, q, factor),
                );
              }
            }
          },
        ),
        { seed: 10_2025, numRuns: 300 },
      );
    },
  );

  it(
    'writes the monthly and the annual amount of one lookup, each the reference in USD',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.integer({ min: 1, max: 20_000_000 }),
              fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 4) }),
            ),
            { minLength: 1, maxLength: 200 },
          ),
          fc.constantFrom(12, 7, 1),
          fc.nat({ max: 3 }),
          (values, factor, margin) => {
            const sorted = sortedOf(values);
            // The same values inside a larger array, read from `margin` on.
            const inside = new Float64Array(sorted.length + 2 * margin).fill(7);
            inside.set(sorted, margin);
            for (const { level, q } of LEVELS) {
              const out = new Float64Array(9).fill(-1);
              type7QuantileUsdInto(sorted, level, factor, out, 2, 6);
              expect(out[2]).toBe(naiveType7Cents(values, q, 1) / 100);
              expect(out[8]).toBe(naiveType7Cents(values, q, factor) / 100);
              expect([...out].filter((value) => value === -1)).toHaveLength(7);
              const within = new Float64Array(9).fill(-1);
              type7QuantileUsdInto(inside, level, factor, within, 2, 6, margin, sorted.length);
              expect(within).toEqual(out);
            }
          },
        ),
        { seed: 12_2026, numRuns: 300 },
      );
    },
  );

  it('stays exact for values up to 2^53 / 240', () => {
    const big = Math.floor(Number.MAX_SAFE_INTEGER / 240);
    const values = [big - 7, big - 3, big];
    for (const { level, q } of LEVELS) {
      expect(type7QuantileCents(sortedOf(values), level, 12)).toBe(naiveType7Cents(values, q, 12));
    }
  });

  it('refuses an empty sample, a level outside 0…1 and values that are not whole cents', () => {
    expect(() => type7Quantile(new Float64Array(0), PUBLISHED_QUANTILES.median)).toThrow(
      /no values/,
    );
    expect(() => type7Quantile(sortedOf([1]), { numerator: 3, denominator: 2 })).toThrow(
      /not a fraction/,
    );
    expect(() => type7Quantile(Float64Array.of(1.5, 2), PUBLISHED_QUANTILES.median)).toThrow(
      /whole number of cents/,
    );
  });
});

describe('floorQuotient', () => {
  const exact = (dividend: number, divisor: number) => Number(BigInt(dividend) / BigInt(divisor));

  it(
    'is the exact floor of the quotient below 2^53, near multiples of the divisor above all',
    PROPERTY_TEST,
    () => {
      const LIMIT = 2 ** 53;
      const case_ = fc.oneof(
        // Anywhere in range.
        fc.tuple(fc.nat({ max: LIMIT - 1 }), fc.integer({ min: 1, max: LIMIT - 1 })),
        // One below, at and one above a multiple of a small divisor, with a large quotient: where
        // the quotient of the doubles comes closest to an integer.
        fc
          .tuple(
            fc.integer({ min: 1, max: 480 }),
            fc.integer({ min: -1, max: 1 }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          )
          .map(([divisor, offset, where]) => {
            const multiple = Math.floor((where * (LIMIT - 2 * divisor)) / divisor) * divisor;
            return [Math.min(LIMIT - 1, Math.max(0, multiple + offset)), divisor] as const;
          }),
      );
      fc.assert(
        fc.property(case_, ([dividend, divisor]) => {
          expect(floorQuotient(dividend, divisor)).toBe(exact(dividend, divisor));
        }),
        { seed: 20261203, numRuns: 20_000 },
      );
    },
  );

  it('is exact at the ends of its range', () => {
    for (const [a, b] of [
      [2 ** 53 - 1, 3],
      [2 ** 53 - 1, 2 ** 53 - 2],
      [2 ** 53 - 2, 2 ** 26 + 1],
      [2 ** 52 + 1, 2 ** 52],
      [0, 7],
      [6, 3],
    ] as const) {
      expect(floorQuotient(a, b)).toBe(exact(a, b));
    }
  });
});
