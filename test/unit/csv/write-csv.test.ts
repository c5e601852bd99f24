import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsvLine } from '#shared/domain/csv/write-csv.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import { collectCsv, utf8 } from './collect-records.ts';

describe('toCsvLine', () => {
  it('joins plain fields with commas and ends the line with CRLF', () => {
    expect(toCsvLine([12, 'country', 'Mexco', 'unknown_country'])).toBe(
      '12,country,Mexco,unknown_country\r\n',
    );
  });

  it('quotes fields containing a comma, quote, line break, semicolon or tab, doubling quotes', () => {
    expect(toCsvLine(['45,000', 'Toronto "GTA"', 'Ciudad de\nMéxico', 'a;b', 'a\tb', 'x\ry'])).toBe(
      '"45,000","Toronto ""GTA""","Ciudad de\nMéxico","a;b","a\tb","x\ry"\r\n',
    );
  });

  it('writes empty strings as empty fields', () => {
    expect(toCsvLine(['', 'salary', ''])).toBe(',salary,\r\n');
  });

  it.each([
    ['=HYPERLINK("http://x","click")', `"'=HYPERLINK(""http://x"",""click"")"`],
    ['+52 33 1234', "'+52 33 1234"],
    ['-45000', "'-45000"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['=1,2', `"'=1,2"`],
  ])('neutralizes the spreadsheet formula %j by prefixing a quote', (value, written) => {
    expect(toCsvLine([value])).toBe(`${written}\r\n`);
  });

  it('leaves formula characters alone when they are not the first character', () => {
    expect(toCsvLine(['a=b', 'MXN -5', '1+1'])).toBe('a=b,MXN -5,1+1\r\n');
  });

  it('writes numbers as numbers, negative ones included', () => {
    expect(toCsvLine([-45000, 3.5, 0, 2025])).toBe('-45000,3.5,0,2025\r\n');
  });
});

describe('toCsvLine read back by readCsv', () => {
  const FORMULA_START = /^[=+\-@\t\r]/;

  /** What the reader returns for a written string: the formula guard, and no CR ending a record. */
  function readBack(value: string | number, last: boolean): string {
    if (typeof value === 'number') return String(value);
    const guarded = FORMULA_START.test(value) ? `'${value}` : value;
    return last && guarded.endsWith('\r') ? guarded.slice(0, -1) : guarded;
  }

  it('returns every field as written, apart from the formula guard', PROPERTY_TEST, async () => {
    const char = fc.constantFrom(
      'a',
      'é',
      '😀',
      '"',
      ',',
      ';',
      '\t',
      '\r',
      '\n',
      '=',
      '+',
      '-',
      '@',
      ' ',
    );
    const field = fc.oneof(fc.string({ unit: char, maxLength: 8 }), fc.integer());
    // A first field with a letter keeps every record non-blank, so none is skipped.
    const record = fc
      .tuple(fc.stringMatching(/^[A-Za-z]\w{0,4}$/), fc.array(field, { maxLength: 5 }))
      .map(([first, rest]) => [first, ...rest]);

    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 20 }), async (rows) => {
        const text = rows.map((row) => toCsvLine(row)).join('');

        const read = await collectCsv([utf8(text)]);

        const expected = rows.map((row) =>
          row.map((value, index) => readBack(value, index === row.length - 1)),
        );
        expect([read.header, ...read.records].map((entry) => entry?.fields)).toEqual(expected);
      }),
      { seed: 20251125, numRuns: 200 },
    );
  });
});
