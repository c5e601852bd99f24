import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecord } from '#shared/domain/csv/csv-record.ts';
import { readCsv, readCsvRecords } from '#shared/domain/csv/read-csv.ts';
import { CsvRecordSplitter } from '#shared/domain/csv/split-records.ts';
import { mapColumns } from '#shared/domain/header-mapping.ts';
import {
  createRecordNormalizer,
  createRowNormalizer,
  type RecordNormalizer,
} from '#shared/domain/normalize.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import type { RowOutcome } from '#shared/domain/submission.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import { splitAt, utf8 } from '../csv/collect-records.ts';

const FAST_CHECK = { seed: 20261202, numRuns: 300 } as const;
const FILE = 'uploads/2025/survey.csv';

/**
 * Cell texts per column: the spellings the rules know, blanks, spaces, quotes, amounts and dates
 * in every shape the normalizer reads in place, and text it rejects, so every step's accept,
 * reject and fallback paths are reached.
 */
const CELLS = {
  country: ['Mexico', 'MX', 'México', ' mexico ', 'US', 'Atlantis', '', '"Mexico"', '"Me""xico"'],
  role: ['Backend Developer', 'Engineering Manager', 'Data Scientist', 'Chef', '', '" QA "'],
  seniority: ['Senior', 'Jr', 'Mid', 'Sr', '', 'Wizard', '"Semi Senior"'],
  years: ['13', '0', '2', ' 4 ', '3.5', '10+', '99', 'x', '', '"1 - 2"'],
  salary: [
    '107728',
    '"23,330.57"',
    ' 45000 ',
    '45.000',
    'MXN 45000',
    '"$45,000"',
    '45000 USD',
    '15000',
    'NA',
    '',
    '0',
    '12e3',
  ],
  currency: ['MXN', 'USD', 'usd', '$', '', 'XXX', '"MXN\tMexican peso"'],
  period: ['Monthly', 'Annual', 'yearly', '', 'Sometimes', '"Mensual"'],
  year: ['2025', '2024', ' 2025', '2019', '1850', '2100', '20a5', '', '"2025"'],
  submitted_at: [
    '19/04/2025 03:51:10',
    '2025-01-15',
    '2025-01-15T10:00:00Z',
    '4/19/2025 3:51 PM',
    '31/31/2025',
    '2025-13-01',
    '2100-01-01',
    '31/12/1999 23:59',
    'yesterday',
    '',
    '  ',
  ],
  city: ['Monterrey', '"Ciudad ""de"" México,\nDF"', ''],
} as const;

type Column = keyof typeof CELLS;
const REQUIRED: Column[] = ['country', 'role', 'seniority', 'salary', 'currency', 'period'];
const OPTIONAL: Column[] = ['years', 'year', 'submitted_at', 'city'];

/** A survey CSV with some of the columns, in some order, and rows of any of their cells. */
function surveyCsv(): fc.Arbitrary<string> {
  return fc
    .record({
      optional: fc.subarray(OPTIONAL),
      order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }),
      rows: fc.array(fc.array(fc.nat(20), { minLength: 12, maxLength: 12 }), { maxLength: 25 }),
      lineBreak: fc.constantFrom('\n', '\r\n'),
      ragged: fc.nat(5),
    })
    .map(({ optional, order, rows, lineBreak, ragged }) => {
      const columns = [...REQUIRED, ...optional]
        .map((column, index) => ({ column, rank: order[index] ?? 0 }))
        .sort((a, b) => a.rank - b.rank)
        .map(({ column }) => column);
      const lines = [columns.join(',')];
      rows.forEach((picks, line) => {
        const cells = columns.map((column, index) => {
          const choices = CELLS[column];
          return choices[(picks[index] ?? 0) % choices.length] as string;
        });
        // Now and then a blank row, or one with text only in its last field, and a row with a
        // missing or an extra field.
        const shape = (picks[11] ?? 0) % 9;
        if (shape < 2) cells.fill(shape === 0 ? ' ' : '');
        if (shape === 1) cells[cells.length - 1] = 'x';
        if (ragged > 0 && line % (ragged + 2) === 0) cells.pop();
        if (ragged > 0 && line % (ragged + 3) === 0) cells.push('extra');
        lines.push(cells.join(','));
      });
      return `${lines.join(lineBreak)}${lineBreak}`;
    });
}

async function outcomesByRecords(pieces: Uint8Array[], batch: number): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  let normalize: RecordNormalizer | undefined;
  await readCsvRecords(
    FILE,
    async function* () {
      yield* pieces;
    },
    {
      onStart: () => {},
      onHeader: (header) => {
        normalize = createRecordNormalizer(DEFAULT_RULES, mapColumns(header, FILE), {
          fileName: FILE,
          yearFromKey: 2025,
          latestYear: 2026,
        });
        return normalize.fieldsRead;
      },
      onRecord: (record, line) => {
        if (normalize) outcomes.push(normalize(record, line));
      },
    },
    { parseBatchChars: batch },
  );
  return outcomes;
}

async function outcomesByStrings(bytes: Uint8Array): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  let normalize: ((fields: readonly string[], line: number) => RowOutcome) | undefined;
  await readCsv(
    FILE,
    async function* () {
      yield bytes;
    },
    {
      onStart: () => {},
      onHeader: (header) => {
        normalize = createRowNormalizer(DEFAULT_RULES, mapColumns(header, FILE), {
          fileName: FILE,
          yearFromKey: 2025,
          latestYear: 2026,
        });
      },
      onRecord: (fields, line) => {
        if (normalize) outcomes.push(normalize([...fields], line));
      },
    },
  );
  return outcomes;
}

describe('createRecordNormalizer', () => {
  it(
    'gives every row the outcome the string normalizer gives it, for any chunking',
    PROPERTY_TEST,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          surveyCsv().chain((text) =>
            fc.record({
              text: fc.constant(text),
              cuts: fc.array(fc.integer({ min: 1, max: text.length * 2 }), { maxLength: 12 }),
              batch: fc.integer({ min: 1, max: 200 }),
            }),
          ),
          async ({ text, cuts, batch }) => {
            const bytes = utf8(text);
            const expected = await outcomesByStrings(bytes);

            const actual = await outcomesByRecords(splitAt(bytes, cuts), batch);

            expect(actual).toEqual(expected);
          },
        ),
        FAST_CHECK,
      );
    },
  );

  it('reads fields handed over as strings as it reads fields found in the text', () => {
    const normalize = createRecordNormalizer(
      DEFAULT_RULES,
      mapColumns(['country', 'role', 'seniority', 'salary', 'currency', 'period', 'year'], FILE),
      { fileName: FILE },
    );
    const fields = ['MX', 'Backend Developer', 'Senior', '"45,000"', 'MXN', 'Monthly', '2025'];
    const fromText = new CsvRecord();
    fromText.text = `x${fields.join(',')}`;
    let at = 1;
    fields.forEach((field, index) => {
      fromText.starts[index] = at;
      fromText.ends[index] = at + field.length;
      at += field.length + 1;
    });
    fromText.count = fields.length;

    const outcome = normalize(fromText, 2);

    expect(outcome).toEqual(normalize(new CsvRecord().setFields(fields), 2));
    expect(outcome).toMatchObject({ ok: false, rejection: { reason: 'invalid_number' } });
  });
});

describe('CsvRecordSplitter.fieldsWanted', () => {
  it('hands over the rest of a line as one field only when it holds no quote', () => {
    const splitter = new CsvRecordSplitter(',', '\n');
    splitter.fieldsWanted = 2;
    const records: { fields: string[]; rest: number; blank: boolean }[] = [];

    splitter.splitRecords('a,b,c,d\na,b,"c",d\na\n,,, \n,,,x\n', 1, true, (record) =>
      records.push({ fields: record.fieldsInto([]), rest: record.rest, blank: record.isBlank() }),
    );

    expect(records).toEqual([
      { fields: ['a', 'b', 'c,d'], rest: 2, blank: false },
      { fields: ['a', 'b', 'c', 'd'], rest: -1, blank: false },
      { fields: ['a'], rest: -1, blank: false },
      { fields: ['', '', ', '], rest: 2, blank: true },
      { fields: ['', '', ',x'], rest: 2, blank: false },
    ]);
  });
});

describe('CsvRecord', () => {
  it('reads a field past the end of a short record, or at index -1, as empty', () => {
    const record = new CsvRecord().setFields(['a', 'b']);

    expect([record.field(2), record.field(-1), record.field(1)]).toEqual(['', '', 'b']);
  });

  it('is blank when every field is empty or whitespace, whether in the text or given', () => {
    const record = new CsvRecord();
    record.text = 'a, \t,,\u00a0';
    record.starts.push(2, 4, 5, 6);
    record.ends.push(4, 4, 5, 7);
    record.count = 3;
    expect(record.isBlank()).toBe(true);
    record.count = 4;
    expect(record.isBlank()).toBe(true);
    expect(new CsvRecord().setFields(['', ' x ']).isBlank()).toBe(false);
    expect(new CsvRecord().setFields(['', '  ']).isBlank()).toBe(true);
  });
});
