import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSortedRun,
  mergeSortedRuns,
  sortCents,
  sortUint32,
  sortWithPayload,
} from '#shared/domain/salaries/sorted-cents.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

const cents = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const salaryCents = fc.integer({ min: 10_000, max: 10_000_000 });

/** The reference: every value in one plain array, sorted by comparison. */
const naiveSorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

describe('sortCents', () => {
  it(
    'sorts like a comparison sort, for salaries, any whole cents and fractions alike',
    PROPERTY_TEST,
    () => {
      const anyValue = fc.oneof(
        salaryCents,
        cents,
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
      );
      fc.assert(
        fc.property(
          fc.oneof(
            fc.array(salaryCents, { minLength: 200, maxLength: 3_000 }),
            fc.array(anyValue, { maxLength: 3_000 }),
          ),
          (values) => {
            expect([...sortCents(Float64Array.from(values))]).toEqual(naiveSorted(values));
          },
        ),
        { seed: 202, numRuns: 150 },
      );
    },
  );
});

describe('sortUint32', () => {
  it('sorts whole numbers below 2^32 like a comparison sort, short and long', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 3_000 }),
        (values) => {
          expect([...sortUint32(Uint32Array.from(values))]).toEqual(naiveSorted(values));
        },
      ),
      { seed: 203, numRuns: 150 },
    );
  });

  it(
    'sorts keys of any span, offset anywhere below 2^32, with as many passes as the span needs',
    PROPERTY_TEST,
    () => {
      const spanned = fc
        .record({
          bits: fc.integer({ min: 0, max: 32 }),
          base: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          length: fc.integer({ min: 1_000, max: 5_000 }),
          seed: fc.integer(),
        })
        .map(({ bits, base, length, seed }) => {
          const span = Math.min(2 ** bits, 2 ** 32 - base);
          let state = seed >>> 0;
          return Array.from({ length }, () => {
            state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
            return base + Math.floor((state / 2 ** 32) * span);
          });
        });
      fc.assert(
        fc.property(spanned, (values) => {
          expect([...sortUint32(Uint32Array.from(values))]).toEqual(naiveSorted(values));
        }),
        { seed: 204, numRuns: 120 },
      );
    },
  );
});

describe('mergeSortedRuns', () => {
  it(
    'equals sorting every value of every run, in any number and order of runs',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(salaryCents, { maxLength: 200 }), { maxLength: 40 }),
          (runs) => {
            const merged = mergeSortedRuns(runs.map((run) => Float64Array.from(run).sort()));
            expect([...merged]).toEqual(naiveSorted(runs.flat()));
            expect(isSortedRun(merged)).toBe(true);
          },
        ),
        { seed: 102, numRuns: 300 },
      );
    },
  );

  it(
    'equals sorting every value of many short runs (a roll-up over hundreds of countries)',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(salaryCents, { minLength: 1, maxLength: 12 }), {
            minLength: 33,
            maxLength: 400,
          }),
          (runs) => {
            const sortedRuns = runs.map((run) => Float64Array.from(run).sort());
            const copies = sortedRuns.map((run) => [...run]);
            const merged = mergeSortedRuns(sortedRuns);
            expect([...merged]).toEqual(naiveSorted(runs.flat()));
            expect(sortedRuns.map((run) => [...run])).toEqual(copies);
          },
        ),
        { seed: 103, numRuns: 100 },
      );
    },
  );

  it(
    'sorts values with a payload each, stably, for salaries, any whole cents and fractions',
    PROPERTY_TEST,
    () => {
      const anyValue = fc.oneof(
        salaryCents,
        cents,
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
      );
      fc.assert(
        fc.property(
          fc.oneof(
            fc.array(salaryCents, { maxLength: 3000 }),
            fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3000 }),
            fc.array(anyValue, { maxLength: 300 }),
          ),
          (list) => {
            const values = Float64Array.from(list);
            const payload = Int32Array.from(list, (_, index) => index);
            sortWithPayload(values, payload);
            // The reference: positions sorted by value, equal values in their first order.
            const expected = list
              .map((value, index) => ({ value, index }))
              .sort((a, b) => a.value - b.value || a.index - b.index);
            expect([...values]).toEqual(expected.map(({ value }) => value));
            expect([...payload]).toEqual(expected.map(({ index }) => index));
          },
        ),
        { seed: 104, numRuns: 200 },
      );
    },
  );

  it('keeps duplicates, across runs and within them', () => {
    const merged = mergeSortedRuns([Float64Array.of(5, 5, 9), Float64Array.of(5, 9, 9)]);
    expect([...merged]).toEqual([5, 5, 5, 9, 9, 9]);
  });

  it('returns an empty run for no runs and a single run as it is', () => {
    expect(mergeSortedRuns([]).length).toBe(0);
    expect(mergeSortedRuns([new Float64Array(0), new Float64Array(0)]).length).toBe(0);
    const only = Float64Array.of(1, 2, 3);
    expect(mergeSortedRuns([new Float64Array(0), only])).toBe(only);
  });

  it('does not modify the runs it merges', () => {
    const left = Float64Array.of(1, 4, 7);
    const right = Float64Array.of(2, 3, 9);
    mergeSortedRuns([left, right]);
    expect([...left]).toEqual([1, 4, 7]);
    expect([...right]).toEqual([2, 3, 9]);
  });
});

describe('isSortedRun', () => {
  it('tells a non-decreasing run from one that decreases anywhere', () => {
    expect(isSortedRun(Float64Array.of(1, 1, 2))).toBe(true);
    expect(isSortedRun(Float64Array.of(1, 3, 2))).toBe(false);
    expect(isSortedRun(new Float64Array(0))).toBe(true);
  });
});
