import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SalaryAggregate, SKETCH_RELATIVE_ACCURACY } from '#shared/domain/aggregate.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

const centsArbitrary = fc.integer({ min: 10_000, max: 10_000_000 });

function aggregateOf(values: readonly number[]): SalaryAggregate {
  const aggregate = new SalaryAggregate();
  for (const value of values) aggregate.add(value);
  return aggregate;
}

/** The exact type-7 quantile: interpolated between the order statistics around q·(n−1). */
function exactQuantile(sorted: readonly number[], q: number): number {
  const rank = q * (sorted.length - 1);
  const lower = Math.floor(rank);
  const below = sorted[lower] ?? Number.NaN;
  const above = sorted[Math.min(lower + 1, sorted.length - 1)] ?? below;
  return (below + (above - below) * (rank - lower)) / 100;
}

function fingerprint(aggregate: SalaryAggregate) {
  return {
    count: aggregate.count,
    sumCents: aggregate.sumCents,
    sumSquaresCents: aggregate.sumSquaresCents,
    quantiles: [0.1, 0.25, 0.5, 0.75, 0.9].map((q) => aggregate.quantile(q)),
  };
}

describe('SalaryAggregate', () => {
  it(
    'merging per-file aggregates in any order equals aggregating the concatenated file',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(centsArbitrary, { maxLength: 60 }), { minLength: 1, maxLength: 8 }),
          fc.infiniteStream(fc.nat()),
          (files, shuffle) => {
            const whole = aggregateOf(files.flat());
            const parts = files.map((file) =>
              SalaryAggregate.fromStored(aggregateOf(file).toStored()),
            );
            const order = parts
              .map((part, index) => ({ part, key: shuffle.next().value + index / 100 }))
              .sort((a, b) => a.key - b.key)
              .map(({ part }) => part);
            const merged = SalaryAggregate.merged(order);
            expect(fingerprint(merged)).toEqual(
              fingerprint(SalaryAggregate.fromStored(whole.toStored())),
            );
            expect(merged.count).toBe(files.flat().length);
          },
        ),
        { seed: 20251, numRuns: 200 },
      );
    },
  );

  it('estimates every quantile within 1% of the exact sample value', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(fc.array(centsArbitrary, { minLength: 1, maxLength: 2_000 }), (values) => {
        const aggregate = aggregateOf(values);
        const sorted = [...values].sort((a, b) => a - b);
        for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) {
          const exact = exactQuantile(sorted, q);
          const estimate = aggregate.quantile(q);
          expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(
            SKETCH_RELATIVE_ACCURACY + 1e-12,
          );
        }
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('never returns the smallest or largest salary as p10 or p90 of ten respondents', () => {
    const cents = [
      100_000, 250_000, 260_000, 270_000, 280_000, 290_000, 300_000, 310_000, 320_000, 900_000,
    ];
    const aggregate = aggregateOf(cents);
    expect(aggregate.quantile(0.1)).toBeGreaterThan(1_000 * 1.01);
    expect(aggregate.quantile(0.9)).toBeLessThan(9_000 * 0.99);
    const exact = exactQuantile(cents, 0.1);
    expect(Math.abs(aggregate.quantile(0.1) - exact) / exact).toBeLessThanOrEqual(
      SKETCH_RELATIVE_ACCURACY,
    );
  });

  it('keeps sums exact beyond 2^53 cents squared', () => {
    const aggregate = aggregateOf(Array.from({ length: 1_000 }, () => 9_999_999));
    expect(aggregate.sumSquaresCents).toBe(1_000n * 9_999_999n * 9_999_999n);
    expect(aggregate.mean()).toBe(99_999.99);
  });

  it('computes mean and sample standard deviation from the integer moments', () => {
    const aggregate = aggregateOf([200_000, 400_000, 600_000]);
    expect(aggregate.mean()).toBe(4_000);
    expect(aggregate.standardDeviation()).toBeCloseTo(2_000, 9);
  });

  it('survives a storage round trip unchanged', () => {
    const original = aggregateOf([123_456, 789_012, 345_678]);
    const restored = SalaryAggregate.fromStored(original.toStored());
    expect(fingerprint(restored)).toEqual(
      fingerprint(SalaryAggregate.fromStored(restored.toStored())),
    );
    expect(restored.count).toBe(3);
    expect(restored.sumCents).toBe(1_258_146n);
  });

  it('keeps a stored sketch small whatever the number of rows', () => {
    const values = Array.from(
      { length: 100_000 },
      (_, index) => 10_000 + ((index * 7919) % 9_990_000),
    );
    expect(aggregateOf(values).toStored().sketch.byteLength).toBeLessThan(8_000);
  });
});
