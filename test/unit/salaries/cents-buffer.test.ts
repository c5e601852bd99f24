import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellKey } from '#shared/domain/cell.ts';
import { BLOCK_VALUES, CentsBuffer, SortSpace } from '#shared/domain/salaries/cents-buffer.ts';
import {
  ByteReader,
  ByteWriter,
  encodePartialPayload,
  mergeEncodedRuns,
  readSortedCents,
  readSortedCentsInto,
  writeSortedCents,
} from '#shared/domain/salaries/cents-codec.ts';
import { SalaryAggregate } from '#shared/domain/salaries/salary-aggregate.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

const salaryCents = fc.integer({ min: 10_000, max: 10_000_000 });
const anyWholeCents = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
/** Salaries mostly, now and then a value beyond 32 bits, a fraction or a negative number. */
const mixedValues = fc.oneof(
  { weight: 8, arbitrary: salaryCents },
  { weight: 1, arbitrary: anyWholeCents },
  {
    weight: 1,
    arbitrary: fc
      .double({ min: -1e6, max: 1e12, noNaN: true, noDefaultInfinity: true })
      .filter((value) => !Object.is(value, -0)),
  },
);
const blockSizes = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(BLOCK_VALUES));

/** The reference: every value in one plain array, sorted by comparison. */
const naiveSorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

function bufferOf(values: readonly number[], blockValues?: number): CentsBuffer {
  const buffer = new CentsBuffer(blockValues);
  for (const value of values) buffer.push(value);
  return buffer;
}

const cell: CellKey = { year: 2025, country: 'MX', role: 'backend', seniority: 'senior' };

function encoded(sortedCents: Float64Array): Uint8Array {
  return encodePartialPayload({ year: cell.year, cells: [{ cell, sortedCents }] });
}

describe('CentsBuffer', () => {
  it(
    'hands back every value pushed, sorted, whatever the block size and the values',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(fc.array(mixedValues, { maxLength: 600 }), blockSizes, (values, block) => {
          const buffer = bufferOf(values, block);
          expect(buffer.length).toBe(values.length);
          expect([...buffer.sortedIn(new SortSpace())]).toEqual(naiveSorted(values));
          expect([...buffer.takeSorted()]).toEqual(naiveSorted(values));
          expect(buffer.length).toBe(0);
        }),
        { seed: 301, numRuns: 300 },
      );
    },
  );

  it(
    'gives the identical encoded partial for blocks of any size as one sort of every salary',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(salaryCents, { minLength: 1, maxLength: 3_000 }),
          fc.integer({ min: 1, max: 300 }),
          (values, block) => {
            const reference = encoded(Float64Array.from(naiveSorted(values)));
            expect(encoded(bufferOf(values, block).sortedIn(new SortSpace()))).toEqual(reference);
            expect(encoded(bufferOf(values).sortedIn(new SortSpace()))).toEqual(reference);
          },
        ),
        { seed: 302, numRuns: 120 },
      );
    },
  );

  it(
    'holds after pushAll of slices what pushing the same values one by one holds',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(mixedValues, { maxLength: 600 }),
          blockSizes,
          fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 6 }),
          (values, block, cuts) => {
            const all = Float64Array.from(values);
            const bounds = [0, ...cuts.map((cut) => Math.min(cut, values.length)), values.length];
            bounds.sort((a, b) => a - b);
            const buffer = new CentsBuffer(block);
            for (let index = 1; index < bounds.length; index++) {
              buffer.pushAll(all, bounds[index - 1] as number, bounds[index] as number);
            }
            const reference = bufferOf(values, block);
            expect(buffer.length).toBe(values.length);
            expect([...buffer.sortedIn(new SortSpace())]).toEqual([
              ...reference.sortedIn(new SortSpace()),
            ]);
          },
        ),
        { seed: 303, numRuns: 300 },
      );
    },
  );

  it('keeps its values when sorted in a space, however often', () => {
    const buffer = bufferOf([500, 100, 400, 300, 200, 100, 900], 2);
    const space = new SortSpace();
    expect([...buffer.sortedIn(space)]).toEqual([100, 100, 200, 300, 400, 500, 900]);
    buffer.push(50);
    expect([...buffer.sortedIn(space)]).toEqual([50, 100, 100, 200, 300, 400, 500, 900]);
    expect(buffer.length).toBe(8);
  });

  it('sorts cell after cell in one space, each cell getting only its own values', () => {
    const space = new SortSpace();
    const cells = [
      [7, 3, 5, 1, 9, 2, 8],
      [40, 10],
      [600, 100, 500, 200, 400, 300, 700, 800, 900, 50, 60],
    ];
    const sorted = cells.map((values) => [...bufferOf(values, 3).sortedIn(space)]);
    expect(sorted).toEqual(cells.map(naiveSorted));
  });

  it('starts empty again after handing its values over, leaving them untouched', () => {
    const buffer = bufferOf([300, 100, 200], 2);
    const first = buffer.takeSorted();
    buffer.push(50);
    expect(buffer.length).toBe(1);
    expect([...first]).toEqual([100, 200, 300]);
    expect([...buffer.takeSorted()]).toEqual([50]);
  });

  it('turns to 8-byte values for a salary beyond 32 bits, keeping those already pushed', () => {
    const buffer = bufferOf([2 ** 32 - 1, 5, 2 ** 40, 7, 2 ** 32], 3);
    expect([...buffer.takeSorted()]).toEqual([5, 7, 2 ** 32 - 1, 2 ** 32, 2 ** 40]);
  });

  it('refuses a block of no values', () => {
    expect(() => new CentsBuffer(0)).toThrow(RangeError);
  });
});

describe('SalaryAggregate.sortedCentsIn', () => {
  it(
    'equals sortedCents, for values added one by one and merged from other aggregates',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(salaryCents, { maxLength: 200 }), { minLength: 1, maxLength: 5 }),
          fc.array(salaryCents, { maxLength: 200 }),
          (merged, added) => {
            const build = () => {
              const aggregate = SalaryAggregate.merged(
                merged.map((values) => {
                  const part = new SalaryAggregate();
                  for (const value of values) part.add(value);
                  return part;
                }),
              );
              for (const value of added) aggregate.add(value);
              return aggregate;
            };
            const expected = naiveSorted([...merged.flat(), ...added]);
            expect([...build().sortedCentsIn(new SortSpace())]).toEqual(expected);
            expect([...build().sortedCents()]).toEqual(expected);
          },
        ),
        { seed: 303, numRuns: 150 },
      );
    },
  );
});

describe('mergeEncodedRuns', () => {
  const run = (values: readonly number[]) => {
    const writer = new ByteWriter();
    writeSortedCents(writer, Float64Array.from(naiveSorted(values)));
    return writer.finish();
  };

  it('is the encoded run of both runs values, in no more bytes than both', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(salaryCents, anyWholeCents), { maxLength: 400 }),
        fc.array(fc.oneof(salaryCents, anyWholeCents), { maxLength: 400 }),
        (left, right) => {
          const merged = mergeEncodedRuns(run(left), run(right));
          expect(merged).toEqual(run([...left, ...right]));
          expect(merged.length).toBeLessThanOrEqual(run(left).length + run(right).length);
        },
      ),
      { seed: 304, numRuns: 300 },
    );
  });

  it('keeps duplicates across both runs', () => {
    const merged = mergeEncodedRuns(run([5, 5, 9]), run([5, 9, 9]));
    expect([...readSortedCents(new ByteReader(merged))]).toEqual([5, 5, 5, 9, 9, 9]);
  });
});

describe('readSortedCentsInto', () => {
  it('decodes runs side by side into one buffer and refuses one without room', () => {
    const writer = new ByteWriter();
    writeSortedCents(writer, Float64Array.of(3, 8));
    writeSortedCents(writer, Float64Array.of(1, 2, 9));
    const bytes = writer.finish();
    const target = new Float64Array(5);
    const reader = new ByteReader(bytes);
    expect(readSortedCentsInto(reader, target, 0)).toBe(2);
    expect(readSortedCentsInto(reader, target, 2)).toBe(3);
    expect([...target]).toEqual([3, 8, 1, 2, 9]);
    expect(() => readSortedCentsInto(new ByteReader(bytes), new Float64Array(1), 0)).toThrow(
      RangeError,
    );
  });
});
