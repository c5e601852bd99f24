import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROPERTY_TEST } from '#test/support/property.ts';
import {
  type CollectedCsv,
  collectCsv,
  FIXTURES,
  fixtureBytes,
  splitAt,
  splitEvery,
} from './collect-records.ts';

const FAST_CHECK = { seed: 20251125, numRuns: 150 } as const;
const CHUNK_SIZES = [1, 2, 3, 7, 64 * 1024];
const FIXTURE_FILES = readdirSync(FIXTURES).filter((name) => name.endsWith('.csv'));

/** What a read produced, or the message it failed with: equal outcomes compare equal. */
async function outcome(
  pieces: readonly Uint8Array[],
  parseBatchChars?: number,
): Promise<CollectedCsv | string> {
  try {
    return await collectCsv(pieces, parseBatchChars === undefined ? {} : { parseBatchChars });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

type Delimiter = ',' | ';' | '\t';

interface GeneratedCsv {
  text: string;
  /** The fields of the header and of each record, in order, with the line each starts on. */
  expected: { fields: string[]; line: number }[];
}

/**
 * A CSV written from a model, so the expected fields and line numbers are known independently of
 * the reader: quoted fields with doubled quotes, delimiters, LF and CRLF inside; multi-byte and
 * astral characters; CRLF and LF record ends; ragged records; with or without a final line break.
 */
function generatedCsv(): fc.Arbitrary<GeneratedCsv> {
  return fc
    .constantFrom<Delimiter>(',', ';', '\t')
    .chain((delimiter) => {
      const others = [',', ';', '\t'].filter((char) => char !== delimiter);
      const plainChar = fc.constantFrom('a', 'Z', '1', 'é', 'ñ', '😀', ' ', ...others);
      const quotedChar = fc.constantFrom('a', 'é', '😀', ',', ';', '\t', '"', '\n', '\r\n', ' ');
      const plain = fc.array(plainChar, { maxLength: 6 }).map((chars) => ({
        value: chars.join(''),
        written: chars.join(''),
      }));
      const quoted = fc.array(quotedChar, { maxLength: 6 }).map((chars) => ({
        value: chars.join(''),
        written: `"${chars.join('').replaceAll('"', '""')}"`,
      }));
      // A first field with a letter keeps every record non-blank.
      const first = fc.stringMatching(/^[A-Za-z][a-z0-9 ]{0,5}$/).map((value) => ({
        value,
        written: value,
      }));
      const record = fc
        .tuple(first, fc.array(fc.oneof(plain, quoted), { maxLength: 5 }))
        .map(([head, rest]) => [head, ...rest]);
      const header = fc.array(fc.stringMatching(/^[a-z][a-z_]{0,7}$/), {
        minLength: 2,
        maxLength: 6,
      });
      return fc.record({
        delimiter: fc.constant(delimiter),
        header,
        records: fc.array(record, { maxLength: 25 }),
        endings: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 26, maxLength: 26 }),
        finalBreak: fc.boolean(),
      });
    })
    .map(({ delimiter, header, records, endings, finalBreak }) => {
      const lines = [header.join(delimiter)];
      const expected = [{ fields: header, line: 1 }];
      let line = 2;
      for (const record of records) {
        lines.push(record.map((field) => field.written).join(delimiter));
        const fields = record.map((field) => field.value);
        expected.push({ fields, line });
        line += 1 + fields.join('').split('\n').length - 1;
      }
      let text = '';
      lines.forEach((written, index) => {
        const last = index === lines.length - 1;
        text += written + (last && !finalBreak ? '' : (endings[index] ?? '\n'));
      });
      return { text, expected };
    });
}

function cutsWithin(length: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 40 });
}

describe('readCsv chunking', () => {
  it.each(FIXTURE_FILES)(
    'reads %s identically in chunks of 1, 2, 3, 7 bytes and 64 KiB',
    async (name) => {
      const bytes = await fixtureBytes(name);
      const whole = await outcome([bytes]);

      for (const size of CHUNK_SIZES) {
        expect(await outcome(splitEvery(bytes, size), 1)).toEqual(whole);
        expect(await outcome(splitEvery(bytes, size))).toEqual(whole);
      }
    },
  );

  it(
    'gives the same outcome for any chunking and parser batch size of any fixture',
    PROPERTY_TEST,
    async () => {
      const files = await Promise.all(FIXTURE_FILES.map(fixtureBytes));
      const wholes = await Promise.all(files.map((bytes) => outcome([bytes])));

      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: files.length - 1 }).chain((index) =>
            fc.record({
              index: fc.constant(index),
              cuts: cutsWithin(files[index]?.length ?? 1),
              batch: fc.integer({ min: 1, max: 64 }),
            }),
          ),
          async ({ index, cuts, batch }) => {
            const bytes = files[index] ?? new Uint8Array();
            expect(await outcome(splitAt(bytes, cuts), batch)).toEqual(wholes[index]);
          },
        ),
        FAST_CHECK,
      );
    },
  );

  it(
    'reads generated CSVs into exactly the modelled fields and lines, however they are chunked',
    PROPERTY_TEST,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          generatedCsv().chain((csv) => {
            const length = Buffer.byteLength(csv.text);
            return fc.record({
              csv: fc.constant(csv),
              cuts: cutsWithin(length),
              batch: fc.integer({ min: 1, max: 64 }),
            });
          }),
          async ({ csv, cuts, batch }) => {
            const bytes = new TextEncoder().encode(csv.text);

            const read = await collectCsv(splitAt(bytes, cuts), { parseBatchChars: batch });

            const [header, ...records] = csv.expected;
            expect(read.header).toEqual(header);
            expect(read.records).toEqual(records);
          },
        ),
        FAST_CHECK,
      );
    },
  );

  it(
    'reads the same records from UTF-16 with a BOM, whatever splits code units and surrogate pairs',
    PROPERTY_TEST,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          generatedCsv().chain((csv) =>
            fc.record({
              csv: fc.constant(csv),
              bigEndian: fc.boolean(),
              cuts: cutsWithin(2 + csv.text.length * 2),
              batch: fc.integer({ min: 1, max: 64 }),
            }),
          ),
          async ({ csv, bigEndian, cuts, batch }) => {
            const littleEndian = Buffer.from(`\uFEFF${csv.text}`, 'utf16le');
            const bytes = bigEndian ? littleEndian.swap16() : littleEndian;

            const read = await collectCsv(splitAt(bytes, cuts), { parseBatchChars: batch });

            expect(read.summary.format.encoding).toBe(bigEndian ? 'utf-16be' : 'utf-16le');
            expect([read.header, ...read.records]).toEqual(csv.expected);
          },
        ),
        FAST_CHECK,
      );
    },
  );
});
