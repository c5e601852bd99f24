import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SalaryAggregate,
  SKETCH_RELATIVE_ACCURACY,
} from '#shared/domain/salaries/salary-aggregate.ts';
import { PUBLISHED_QUANTILES } from '#shared/domain/salaries/type7.ts';
import { naiveType7Usd } from '#test/support/naive-quantile.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import { storedSketchOf } from '#test/support/sketch-format.ts';

const centsArbitrary = fc.integer({ min: 10_000, max: 10_000_000 });
const LEVELS = Object.values(PUBLISHED_QUANTILES);

function aggregateOf(values: readonly number[]): SalaryAggregate {
  const aggregate = new SalaryAggregate();
  for (const value of values) aggregate.add(value);
  return aggregate;
}

function fingerprint(aggregate: SalaryAggregate) {
  return {
    count: aggregate.count,
    sumCents: aggregate.sumCents,
    sumSquaresCents: aggregate.sumSquaresCents,
    exact: aggregate.exact,
    quantiles: LEVELS.flatMap((level) => [
      aggregate.quantileUsd(level),
      aggregate.quantileUsd(level, 12),
    ]),
  };
}

function shuffle<T>(items: readonly T[], keys: fc.Stream<number>): T[] {
  return items
    .map((item, index) => ({ item, key: keys.next().value + index / 100 }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

describe('SalaryAggregate', () => {
  it(
    'publishes the exact type-7 quantile of its values, monthly and annual, to the cent',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(fc.array(centsArbitrary, { minLength: 1, maxLength: 500 }), (values) => {
          const aggregate = aggregateOf(values);
          expect(aggregate.exact).toBe(true);
          for (const level of LEVELS) {
            const q = level.numerator / level.denominator;
            expect(aggregate.quantileUsd(level)).toBe(naiveType7Usd(values, q));
            expect(aggregate.quantileUsd(level, 12)).toBe(naiveType7Usd(values, q, 12));
          }
        }),
        { seed: 7, numRuns: 200 },
      );
    },
  );

  it(
    'merging per-file aggregates in any order equals aggregating the concatenated file',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(centsArbitrary, { maxLength: 60 }), { minLength: 1, maxLength: 8 }),
          fc.infiniteStream(fc.nat()),
          (files, keys) => {
            const merged = SalaryAggregate.merged(shuffle(files.map(aggregateOf), keys));
            expect(fingerprint(merged)).toEqual(fingerprint(aggregateOf(files.flat())));
            expect(merged.count).toBe(files.flat().length);
            expect([...merged.sortedCents()]).toEqual(files.flat().sort((a, b) => a - b));
          },
        ),
        { seed: 20251, numRuns: 200 },
      );
    },
  );

  it('rebuilds count, sums and quantiles from stored sorted values', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(fc.array(centsArbitrary, { maxLength: 300 }), (values) => {
        const restored = SalaryAggregate.ofSortedCents(Float64Array.from(values).sort());
        expect(fingerprint(restored)).toEqual(fingerprint(aggregateOf(values)));
      }),
      { seed: 72, numRuns: 100 },
    );
  });

  it('leaves the aggregates it merged unchanged, so a cell can feed several levels', () => {
    const part = aggregateOf([300_000, 100_000]);
    const other = aggregateOf([200_000]);
    const first = SalaryAggregate.merged([part, other]);
    const second = SalaryAggregate.merged([part]);
    first.add(50_000);
    expect([...part.sortedCents()]).toEqual([100_000, 300_000]);
    expect([...second.sortedCents()]).toEqual([100_000, 300_000]);
    expect([...first.sortedCents()]).toEqual([50_000, 100_000, 200_000, 300_000]);
  });

  it('never returns the smallest or largest salary as p10 or p90 of ten respondents', () => {
    const cents = [
      100_000, 250_000, 260_000, 270_000, 280_000, 290_000, 300_000, 310_000, 320_000, 900_000,
    ];
    const aggregate = aggregateOf(cents);
    // h = 0.9 and 8.1: 1000 + 0.9 × 1500 and 3200 + 0.1 × 5800.
    expect(aggregate.quantileUsd(PUBLISHED_QUANTILES.p10)).toBe(2_350);
    expect(aggregate.quantileUsd(PUBLISHED_QUANTILES.p90)).toBe(3_780);
  });

  it('keeps sums exact beyond 2^53 cents squared', () => {
    const aggregate = aggregateOf(Array.from({ length: 1_000 }, () => 9_999_999));
    expect(aggregate.sumSquaresCents).toBe(1_000n * 9_999_999n * 9_999_999n);
    expect(aggregate.mean()).toBe(99_999.99);
    expect(aggregate.quantileUsd(PUBLISHED_QUANTILES.median)).toBe(99_999.99);
  });

  it('computes mean and sample standard deviation from the integer moments', () => {
    const aggregate = aggregateOf([200_000, 400_000, 600_000]);
    expect(aggregate.mean()).toBe(4_000);
    expect(aggregate.standardDeviation()).toBeCloseTo(2_000, 9);
  });
});

describe('SalaryAggregate of the sketch format (partials stored before exact values)', () => {
  it(
    'reads back the counts and sums exactly and estimates quantiles within 1%',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(fc.array(centsArbitrary, { minLength: 1, maxLength: 2_000 }), (values) => {
          const stored = SalaryAggregate.fromStored(storedSketchOf(values));
          expect(stored.exact).toBe(false);
          expect(stored.count).toBe(values.length);
          expect(stored.sumCents).toBe(values.reduce((sum, value) => sum + BigInt(value), 0n));
          for (const level of LEVELS) {
            const exact = naiveType7Usd(values, level.numerator / level.denominator);
            const estimate = stored.quantileUsd(level);
            expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(
              exact * SKETCH_RELATIVE_ACCURACY + 0.01,
            );
          }
        }),
        { seed: 71, numRuns: 100 },
      );
    },
  );

  it('turns a merge with an exact aggregate into a sketch of both, in either order', () => {
    const exactPart = aggregateOf([100_000, 200_000, 300_000]);
    const sketchPart = SalaryAggregate.fromStored(storedSketchOf([400_000, 500_000]));
    const mergedOneWay = SalaryAggregate.merged([exactPart, sketchPart]);
    const mergedOtherWay = SalaryAggregate.merged([sketchPart, exactPart]);
    expect(mergedOneWay.exact).toBe(false);
    expect(fingerprint(mergedOneWay)).toEqual(fingerprint(mergedOtherWay));
    expect(mergedOneWay.count).toBe(5);
    expect(mergedOneWay.sumCents).toBe(1_500_000n);
    expect(mergedOneWay.quantileUsd(PUBLISHED_QUANTILES.median)).toBeCloseTo(3_000, -2);
    expect(() => mergedOneWay.sortedCents()).toThrow(/no values/);
  });

  it('approximates an exact aggregate as the same sketch the stored form would give', () => {
    const values = Array.from({ length: 500 }, (_, index) => 100_000 + index * 997);
    const approximated = aggregateOf(values).approximate();
    expect(approximated.exact).toBe(false);
    expect(fingerprint(approximated)).toEqual(
      fingerprint(SalaryAggregate.fromStored(storedSketchOf(values))),
    );
  });
});
