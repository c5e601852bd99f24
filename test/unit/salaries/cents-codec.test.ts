import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '#cli/sample/prng.ts';
import type { CellKey } from '#shared/domain/cell.ts';
import {
  ByteReader,
  ByteWriter,
  decodePartialPayload,
  encodePartialPayload,
  type PartialPayload,
  readSortedCents,
  writeSortedCents,
} from '#shared/domain/salaries/cents-codec.ts';
import { ROLES, SENIORITIES } from '#shared/domain/taxonomy.ts';
import { StoredAggregateError } from '#shared/errors.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

const sortedOf = (values: readonly number[]) => Float64Array.from(values).sort();

function roundTrip(values: readonly number[]): number[] {
  const writer = new ByteWriter();
  writeSortedCents(writer, sortedOf(values));
  const reader = new ByteReader(writer.finish());
  const decoded = readSortedCents(reader);
  expect(reader.done).toBe(true);
  return [...decoded];
}

const cellArbitrary = fc.record({
  country: fc.constantFrom('MX', 'US', 'AR', 'DE', 'ÅX'),
  role: fc.constantFrom(...ROLES),
  seniority: fc.constantFrom(...SENIORITIES),
});

const payloadArbitrary = fc
  .uniqueArray(
    fc.record({
      key: cellArbitrary,
      values: fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 80 }),
    }),
    { selector: ({ key }) => `${key.country}#${key.role}#${key.seniority}`, maxLength: 12 },
  )
  .map(
    (cells): PartialPayload => ({
      year: 2025,
      cells: cells.map(({ key, values }) => ({
        cell: { year: 2025, ...key } as CellKey,
        sortedCents: sortedOf(values),
      })),
    }),
  );

describe('sorted cents codec', () => {
  it(
    'round-trips any sorted run of safe integers, duplicates and extremes included',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { maxLength: 300 }),
          (values) => {
            expect(roundTrip(values)).toEqual([...values].sort((a, b) => a - b));
          },
        ),
        { seed: 201, numRuns: 300 },
      );
      expect(
        roundTrip([0, 0, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER]),
      ).toEqual([0, 0, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER]);
    },
  );

  it('stores a realistic cell of salaries in under 2 bytes per value', () => {
    const random = mulberry32(7);
    const values = Array.from({ length: 1_000 }, () =>
      Math.round(400_000 * Math.exp((random() - 0.5) * 1.5)),
    );
    const writer = new ByteWriter();
    writeSortedCents(writer, sortedOf(values));
    expect(writer.length / values.length).toBeLessThan(2);
  });

  it('refuses values it could not store exactly, and unsorted runs', () => {
    expect(() => writeSortedCents(new ByteWriter(), Float64Array.of(3, 2))).toThrow(/sorted/);
    expect(() => writeSortedCents(new ByteWriter(), Float64Array.of(1.5))).toThrow(/whole/);
    expect(() => writeSortedCents(new ByteWriter(), Float64Array.of(-1))).toThrow(/sorted/);
    expect(() => writeSortedCents(new ByteWriter(), Float64Array.of(2 ** 53))).toThrow();
  });

  it('writes the bytes of a plain LEB128 encoder, run lengths beyond a stretch included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 9_000 }),
        fc.integer({ min: 1, max: 2 ** 20 }),
        (large, many, spread) => {
          const random = mulberry32(many + spread);
          const values = [...large, ...Array.from({ length: many }, () => random() * spread)].map(
            Math.floor,
          );
          const sorted = sortedOf(values);
          const writer = new ByteWriter(16);
          writeSortedCents(writer, sorted);
          expect(Buffer.from(writer.finish())).toEqual(Buffer.from(plainEncoding(sorted)));
          if (sorted.every((value) => value < 2 ** 32)) {
            const narrow = new ByteWriter(16);
            writeSortedCents(narrow, Uint32Array.from(sorted));
            expect(Buffer.from(narrow.finish())).toEqual(Buffer.from(plainEncoding(sorted)));
          }
        },
      ),
      { seed: 204, numRuns: 60 },
    );
  });

  it('names the first value it refuses, wherever it is in the run', () => {
    const refusal = (values: number[]) => () =>
      writeSortedCents(new ByteWriter(), Float64Array.from(values));
    expect(refusal([1, 5, 3, 2])).toThrow('3 at 2 after 5');
    expect(refusal([1, 2, 2.5])).toThrow('2.5 at 2 after 2');
    expect(refusal([0, Number.NaN])).toThrow('NaN at 1 after 0');
    expect(refusal([7, Number.POSITIVE_INFINITY])).toThrow('Infinity at 1 after 7');
    // One more than the largest safe integer is a gap of 1 from it.
    expect(refusal([Number.MAX_SAFE_INTEGER, 2 ** 53])).toThrow(`${2 ** 53} at 1 after`);
    expect(refusal([...Array.from({ length: 5_000 }, (_, index) => index), 4_000])).toThrow(
      '4000 at 5000 after 4999',
    );
  });

  it('writes texts as their UTF-8 bytes, ASCII or not, short or long', () => {
    const texts = [
      '',
      'MX',
      'backend',
      'ÅX',
      'Ingeniería',
      '日本',
      'x'.repeat(127),
      'y'.repeat(300),
    ];
    const writer = new ByteWriter(4);
    for (const text of texts) writer.text(text);
    const reader = new ByteReader(writer.finish());
    expect(texts.map(() => reader.text())).toEqual(texts);
    expect(reader.done).toBe(true);
  });
});

/** The run format written the obvious way: count, first value, gaps, each an LEB128 varint. */
function plainEncoding(sorted: Float64Array): Uint8Array {
  const bytes: number[] = [];
  const varint = (value: number) => {
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest % 0x80) + 0x80);
      rest = Math.floor(rest / 0x80);
    }
    bytes.push(rest);
  };
  varint(sorted.length);
  let previous = 0;
  for (const value of sorted) {
    varint(value - previous);
    previous = value;
  }
  return Uint8Array.from(bytes);
}

describe('partial payload', () => {
  it(
    'round-trips the cells of a run, listed in cell order whatever the input order',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(payloadArbitrary, (payload) => {
          const decoded = decodePartialPayload(encodePartialPayload(payload));
          expect(decoded.year).toBe(payload.year);
          const expected = [...payload.cells]
            .map(({ cell, sortedCents }) => ({ cell, values: [...sortedCents] }))
            .sort((a, b) => (cellText(a.cell) < cellText(b.cell) ? -1 : 1));
          expect(
            decoded.cells.map(({ cell, sortedCents }) => ({ cell, values: [...sortedCents] })),
          ).toEqual(expected);
        }),
        { seed: 202, numRuns: 200 },
      );
    },
  );

  it(
    'gives the same bytes for the same cells in another order (rewrites are idempotent)',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(payloadArbitrary, (payload) => {
          const reversed = { ...payload, cells: [...payload.cells].reverse() };
          expect(Buffer.from(encodePartialPayload(reversed))).toEqual(
            Buffer.from(encodePartialPayload(payload)),
          );
        }),
        { seed: 203, numRuns: 100 },
      );
    },
  );

  it('fails with StoredAggregateError on every truncation and on trailing bytes', () => {
    const bytes = encodePartialPayload({
      year: 2025,
      cells: [
        { cell: cell('MX', 'backend', 'senior'), sortedCents: Float64Array.of(400_000, 410_000) },
        { cell: cell('US', 'backend', 'senior'), sortedCents: Float64Array.of(900_000) },
      ],
    });
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodePartialPayload(bytes.subarray(0, length)), `length ${length}`).toThrow(
        StoredAggregateError,
      );
    }
    expect(() => decodePartialPayload(Uint8Array.of(...bytes, 0))).toThrow(/after the last cell/);
    expect(() => decodePartialPayload(Uint8Array.of(9, ...bytes.subarray(1)))).toThrow(
      /unknown format 9/,
    );
  });

  it('refuses a cell listed twice, a cell of another year and a cell without values', () => {
    const mx = cell('MX', 'backend', 'senior');
    expect(() =>
      encodePartialPayload({
        year: 2025,
        cells: [
          { cell: mx, sortedCents: Float64Array.of(1) },
          { cell: mx, sortedCents: Float64Array.of(2) },
        ],
      }),
    ).toThrow(/twice/);
    expect(() =>
      encodePartialPayload({ year: 2024, cells: [{ cell: mx, sortedCents: Float64Array.of(1) }] }),
    ).toThrow(/of 2025 in a payload of 2024/);
    expect(() =>
      encodePartialPayload({ year: 2025, cells: [{ cell: mx, sortedCents: new Float64Array(0) }] }),
    ).toThrow(/no values/);
  });
});

function cell(country: string, role: string, seniority: string): CellKey {
  return { year: 2025, country, role, seniority } as CellKey;
}

function cellText(key: CellKey): string {
  return `${key.country}#${key.role}#${key.seniority}`;
}
