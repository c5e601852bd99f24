import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CsvFormat } from '#shared/domain/csv/read-csv.ts';
import { FileRejectedError } from '#shared/errors.ts';
import { collectCsv, FIXTURES, fixtureBytes } from './collect-records.ts';

interface ExpectedFile {
  format?: CsvFormat;
  fileError?: string;
  accepted?: number;
  acceptedCells?: { line: number }[];
  rejections?: { line: number }[];
}

const EXPECTED: { files: Record<string, ExpectedFile> } = JSON.parse(
  readFileSync(join(FIXTURES, 'expected.json'), 'utf8'),
);

async function readFixture(name: string) {
  return collectCsv([await fixtureBytes(name)], { fileName: name });
}

function linesOf(records: readonly { line: number }[]): number[] {
  return records.map((record) => record.line);
}

describe('readCsv on the fixture corpus', () => {
  it('reads a UTF-8 file with a byte order mark, without the BOM in the first header name', async () => {
    const csv = await readFixture('utf8-bom-comma.csv');

    expect(csv.starts).toEqual([{ encoding: 'utf-8', bom: true, delimiter: ',' }]);
    expect(csv.header).toEqual({
      fields: [
        'country',
        'role',
        'seniority',
        'years_experience',
        'salary',
        'currency',
        'period',
        'year',
        'city',
      ],
      line: 1,
    });
    expect(linesOf(csv.records)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(csv.records[2]?.fields).toEqual([
      'AR',
      'Data Engineer',
      'junior',
      '1',
      '1500000',
      'ARS',
      'monthly',
      '2025',
      'Córdoba',
    ]);
    expect(csv.summary).toMatchObject({ records: 7, lines: 8, bytes: 506 });
  });

  it('detects the semicolon of a Spanish-locale export and keeps accented header names', async () => {
    const csv = await readFixture('utf8-semicolon-spanish-headers.csv');

    expect(csv.starts).toEqual([{ encoding: 'utf-8', bom: false, delimiter: ';' }]);
    expect(csv.header?.fields).toEqual([
      'País',
      'Puesto',
      'Nivel',
      'Años de experiencia',
      'Salario',
      'Moneda',
      'Periodo',
    ]);
    expect(csv.records[0]?.fields).toEqual([
      'México',
      'Desarrollador Backend',
      'Senior',
      '8',
      '65000',
      'MXN',
      'Mensual',
    ]);
    expect(linesOf(csv.records)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('re-reads an Excel windows-1252 file so "México" and "Años" come out right', async () => {
    const csv = await readFixture('latin1-excel.csv');

    expect(csv.starts).toEqual([{ encoding: 'windows-1252', bom: false, delimiter: ',' }]);
    expect(csv.header?.fields.slice(0, 4)).toEqual([
      'País',
      'Puesto',
      'Nivel',
      'Años de experiencia',
    ]);
    expect(csv.records.map((record) => [record.fields[0], record.fields[8]])).toEqual([
      ['México', 'Ciudad de México'],
      ['México', 'Mérida'],
      ['Colombia', 'Bogotá'],
      ['Brasil', 'São Paulo'],
    ]);
    expect(linesOf(csv.records)).toEqual([2, 3, 4, 5]);
  });

  it('reads Excel "Unicode text": UTF-16 LE with a BOM, tab-delimited, CRLF', async () => {
    const csv = await readFixture('utf16le-bom-tab.csv');

    expect(csv.starts).toEqual([{ encoding: 'utf-16le', bom: true, delimiter: '\t' }]);
    expect(csv.header?.fields[0]).toBe('country');
    expect(csv.records[0]?.fields).toEqual([
      'Canada',
      'Backend Developer',
      'senior',
      '140000',
      'CAD',
      'annual',
      '2025',
      'Montréal',
    ]);
    expect(linesOf(csv.records)).toEqual([2, 3, 4, 5]);
  });

  it('detects a tab delimiter in a .csv file', async () => {
    const csv = await readFixture('tab-delimited.csv');

    expect(csv.summary.format.delimiter).toBe('\t');
    expect(csv.records[3]?.fields).toEqual([
      'CL',
      'Data Engineer',
      '2',
      '1500000',
      'CLP',
      'monthly',
      '2025-02-16T12:00:00Z',
    ]);
  });

  it('keeps quoted newlines, doubled quotes and delimiters inside fields, and counts their lines', async () => {
    const csv = await readFixture('crlf-quoted-newlines.csv');

    expect(csv.records.map((record) => [record.line, record.fields[0], record.fields[7]])).toEqual([
      [2, 'MX', 'Ciudad de\r\nMéxico'],
      [4, 'CA', 'Toronto "GTA"'],
      [5, 'US', 'San Francisco,\r\nBay Area,\r\nCA'],
      [8, 'Narnia', 'Guadalajara'],
      [9, 'CO', 'Bogotá, D.C.'],
    ]);
    expect(csv.records[0]?.fields[3]).toBe('72,000');
    expect(csv.summary.lines).toBe(9);
  });

  it('skips blank lines and lines of bare delimiters but counts them, keeping trailing empty fields', async () => {
    const csv = await readFixture('blank-lines-trailing-delimiters.csv');

    expect(csv.header?.fields).toHaveLength(8);
    expect(linesOf(csv.records)).toEqual([2, 4, 7, 9]);
    expect(csv.records[2]?.fields).toEqual([
      'AR',
      'QA Engineer',
      'junior',
      '900000',
      'ARS',
      'monthly',
      '2025',
      '',
      '',
      '',
    ]);
    expect(csv.summary).toMatchObject({ records: 4, lines: 11 });
  });

  it('passes salary text through untouched for the normalizer to parse', async () => {
    const csv = await readFixture('salary-formats.csv');

    expect(csv.records.map((record) => record.fields[3])).toEqual([
      '45000',
      '45,000.50',
      '$45,000',
      'MXN 45000',
      '$145,000.00',
      ' 120000 ',
    ]);
  });

  it('passes bad and ragged rows through with their line numbers', async () => {
    const csv = await readFixture('bad-rows.csv');

    expect(linesOf(csv.records)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(csv.records[6]?.fields).toEqual(['MX', 'Backend Developer', 'senior']);
  });

  it('reads a file whose required columns are missing (rejecting it is the column mapper’s job)', async () => {
    const csv = await readFixture('missing-columns.csv');

    expect(csv.header?.fields).toEqual(['country', 'role', 'seniority', 'year', 'city']);
    expect(csv.summary.records).toBe(2);
  });

  it('rejects a file with a quote that is never closed, naming the file and the line', async () => {
    const reading = readFixture('unclosed-quote.csv');

    await expect(reading).rejects.toThrow(FileRejectedError);
    await expect(reading).rejects.toThrow(
      'unclosed-quote.csv, line 4: a quoted field starts here and its closing quote is missing',
    );
  });

  describe('expected.json', () => {
    it('has an entry for every fixture file', () => {
      const fixtureFiles = readdirSync(FIXTURES).filter((name) => name.endsWith('.csv'));

      expect(Object.keys(EXPECTED.files).sort()).toEqual(fixtureFiles.sort());
    });

    it.each(Object.entries(EXPECTED.files))(
      'accounts for every record of %s exactly once, at the line the reader reports',
      async (name, expected) => {
        const reading = readFixture(name);
        if (expected.format === undefined) {
          await expect(reading).rejects.toThrow(expected.fileError);
          return;
        }
        const csv = await reading;
        expect(csv.summary.format).toEqual(expected.format);
        if (expected.fileError !== undefined) return;

        const accountedLines = [
          ...(expected.acceptedCells ?? []).map((cell) => cell.line),
          ...(expected.rejections ?? []).map((rejection) => rejection.line),
        ].sort((a, b) => a - b);
        expect(accountedLines).toEqual(linesOf(csv.records));
        expect(expected.acceptedCells).toHaveLength(expected.accepted ?? -1);
      },
    );
  });
});
