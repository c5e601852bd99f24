import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  type CsvDelimiter,
  type CsvLineBreak,
  CsvRecordSplitter,
  type SplitResult,
} from '#shared/domain/csv/split-records.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import { collectCsv, splitAt, utf8 } from './collect-records.ts';

const FAST_CHECK = { seed: 20251202, numRuns: 400 } as const;

interface Split {
  records: { fields: string[]; line: number }[];
  result: SplitResult;
}

function split(
  text: string,
  { delimiter = ',', lineBreak = '\n', final = true, firstLine = 1 } = {} as {
    delimiter?: CsvDelimiter;
    lineBreak?: CsvLineBreak;
    final?: boolean;
    firstLine?: number;
  },
): Split {
  const records: Split['records'] = [];
  const result = new CsvRecordSplitter(delimiter, lineBreak).split(
    text,
    firstLine,
    final,
    (fields, line) => records.push({ fields: [...fields], line }),
  );
  return { records, result };
}

function fieldsOf({ records }: Split): string[][] {
  return records.map((record) => record.fields);
}

describe('CsvRecordSplitter', () => {
  it('splits unquoted records on the delimiter and numbers them by line', () => {
    const read = split('a,b,c\n1,,3\n');

    expect(read.records).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', '', '3'], line: 2 },
    ]);
    expect(read.result).toEqual({ consumed: 11, nextLine: 3 });
  });

  it('keeps delimiters, line breaks and doubled quotes inside quoted fields', () => {
    const read = split('"a,b","say ""hi""","two\nlines"\nnext,x\n');

    expect(read.records).toEqual([
      { fields: ['a,b', 'say "hi"', 'two\nlines'], line: 1 },
      { fields: ['next', 'x'], line: 3 },
    ]);
  });

  it('drops the CR of a CRLF from the last field, quoted or not, and keeps a CR elsewhere', () => {
    expect(fieldsOf(split('a,b\r\n"c","d"\r\ne\r,f\r\n'))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e\r', 'f'],
    ]);
  });

  it('reads old Mac files whose line break is a lone CR', () => {
    expect(fieldsOf(split('a;b\rc;"d\re"\r', { delimiter: ';', lineBreak: '\r' }))).toEqual([
      ['a', 'b'],
      ['c', 'd\re'],
    ]);
  });

  it('closes a quoted field when only spaces stand between its quote and the delimiter', () => {
    expect(fieldsOf(split('"a"  ,"b" \t\n'))).toEqual([['a', 'b']]);
  });

  it('keeps a quote followed by other text as data, as spreadsheets write stray quotes', () => {
    expect(fieldsOf(split('"a"b,c",d\nx,y"z\n'))).toEqual([
      ['a"b,c', 'd'],
      ['x', 'y"z'],
    ]);
  });

  it('keeps ragged records and trailing empty fields as they are', () => {
    expect(fieldsOf(split('a,b,c\n1\n1,2,3,,\n'))).toEqual([
      ['a', 'b', 'c'],
      ['1'],
      ['1', '2', '3', '', ''],
    ]);
  });

  it('stops before an unfinished record, to be called again with more text', () => {
    const read = split('a,b\n"c\nd', { final: false, firstLine: 7 });

    expect(read.records).toEqual([{ fields: ['a', 'b'], line: 7 }]);
    expect(read.result).toEqual({ consumed: 4, nextLine: 8 });
  });

  it('waits for the next character before deciding whether a quote at the end is doubled', () => {
    const read = split('"a""', { final: false });

    expect(read.records).toEqual([]);
    expect(read.result.consumed).toBe(0);
  });

  it('names the line of a quoted field that is never closed at the end of the file', () => {
    const read = split('a,b\nc,d\ne,"f\ng\n');

    expect(fieldsOf(read)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(read.result.unclosedQuoteLine).toBe(3);
  });

  it(
    'reads any text exactly as PapaParse does (the reference for lenient quoting)',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(messyCsv(), ({ text, delimiter, lineBreak }) => {
          const ended = text.endsWith(lineBreak) ? text : text + lineBreak;
          const papa = Papa.parse<string[]>(ended, { delimiter, newline: lineBreak });
          const unclosed = papa.errors.find((error) => error.code === 'MissingQuotes');
          // Papa ends with the empty record after the last line break, or with the unclosed one.
          const papaRecords = papa.data.slice(0, unclosed ? unclosed.row : -1).map((fields) => {
            // Our reader always dropped the CR of a CRLF from a record's last field.
            const last = fields.at(-1) ?? '';
            return lineBreak === '\n' && last.endsWith('\r')
              ? [...fields.slice(0, -1), last.slice(0, -1)]
              : fields;
          });

          const read = split(ended, { delimiter, lineBreak });

          expect(fieldsOf(read)).toEqual(papaRecords);
          expect(read.result.unclosedQuoteLine !== undefined).toBe(unclosed !== undefined);
          if (!unclosed) expect(read.result.nextLine).toBe(ended.split(lineBreak).length);
        }),
        FAST_CHECK,
      );
    },
  );

  it('gives readCsv the same outcome for any chunking of any text', PROPERTY_TEST, async () => {
    await fc.assert(
      fc.asyncProperty(
        messyCsv().chain((csv) =>
          fc.record({
            csv: fc.constant(csv),
            cuts: fc.array(fc.integer({ min: 1, max: Math.max(1, csv.text.length * 2) }), {
              maxLength: 20,
            }),
            batch: fc.integer({ min: 1, max: 32 }),
          }),
        ),
        async ({ csv, cuts, batch }) => {
          const bytes = utf8(`h1${csv.delimiter}h2${csv.lineBreak}${csv.text}`);
          const whole = await outcome([bytes]);

          expect(await outcome(splitAt(bytes, cuts), batch)).toEqual(whole);
        },
      ),
      FAST_CHECK,
    );
  });
});

/** What a read produced, or the message it failed with. */
async function outcome(pieces: readonly Uint8Array[], parseBatchChars?: number) {
  try {
    return await collectCsv(pieces, parseBatchChars === undefined ? {} : { parseBatchChars });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Text made mostly of the characters CSV syntax cares about, in any order. */
function messyCsv(): fc.Arbitrary<{
  text: string;
  delimiter: CsvDelimiter;
  lineBreak: CsvLineBreak;
}> {
  return fc.record({
    text: fc
      .array(fc.constantFrom('a', 'é', '😀', ' ', ',', ';', '\t', '"', '""', '\n', '\r', '\r\n'), {
        maxLength: 60,
      })
      .map((pieces) => pieces.join('')),
    delimiter: fc.constantFrom<CsvDelimiter>(',', ';', '\t'),
    lineBreak: fc.constantFrom<CsvLineBreak>('\n', '\n', '\r'),
  });
}
