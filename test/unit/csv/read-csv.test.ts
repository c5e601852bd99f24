import { describe, expect, it } from 'vitest';
import { readCsv } from '#shared/domain/csv/read-csv.ts';
import { FileRejectedError } from '#shared/errors.ts';
import { collectCsv, splitEvery, utf8 } from './collect-records.ts';

function read(text: string) {
  return collectCsv([utf8(text)]);
}

function records(csv: Awaited<ReturnType<typeof read>>): [number, string[]][] {
  return csv.records.map((record) => [record.line, record.fields]);
}

describe('readCsv', () => {
  describe('line breaks and line numbers', () => {
    it('reads CRLF files without a CR left in the last field', async () => {
      const csv = await read('country,salary\r\nMX,45000\r\nUS,9000\r\n');

      expect(records(csv)).toEqual([
        [2, ['MX', '45000']],
        [3, ['US', '9000']],
      ]);
    });

    it('reads a file mixing CRLF and LF lines', async () => {
      const csv = await read('country,salary\r\nMX,45000\nUS,9000\r\nCA,"7000"\n');

      expect(records(csv)).toEqual([
        [2, ['MX', '45000']],
        [3, ['US', '9000']],
        [4, ['CA', '7000']],
      ]);
    });

    it('reads old Mac files whose lines end with a lone CR', async () => {
      const csv = await read('country,salary\rMX,45000\r\rUS,9000\r');

      expect(records(csv)).toEqual([
        [2, ['MX', '45000']],
        [4, ['US', '9000']],
      ]);
      expect(csv.summary.lines).toBe(4);
    });

    it('reads a last record that has no line break', async () => {
      const csv = await read('country,salary\nMX,45000\nUS,"9000"');

      expect(records(csv)).toEqual([
        [2, ['MX', '45000']],
        [3, ['US', '9000']],
      ]);
      expect(csv.summary.lines).toBe(3);
    });

    it('reads a quoted last field followed by a bare CR at the end of the file', async () => {
      const csv = await read('country,salary\r\nMX,"45000"\r');

      expect(records(csv)).toEqual([[2, ['MX', '45000']]]);
    });

    it('reads a closing quote followed by spaces at the very end of the file', async () => {
      const csv = await read('country,salary\nMX,"45000"  ');

      expect(records(csv)).toEqual([[2, ['MX', '45000']]]);
      expect(csv.summary.lines).toBe(2);
    });

    it('numbers records after a multi-line field by physical line, as a text editor does', async () => {
      const csv = await read('country,city\nMX,"Ciudad\nde\nMéxico"\n\nUS,Austin\n');

      expect(records(csv)).toEqual([
        [2, ['MX', 'Ciudad\nde\nMéxico']],
        [6, ['US', 'Austin']],
      ]);
      expect(csv.summary.lines).toBe(6);
    });

    it('starts at the first non-blank line, counting the blank ones before it', async () => {
      const csv = await read('\n\n,,\ncountry;role\nMX;Backend Developer\n');

      expect(csv.header).toEqual({ fields: ['country', 'role'], line: 4 });
      expect(records(csv)).toEqual([[5, ['MX', 'Backend Developer']]]);
    });

    it('treats whitespace-only lines as blank', async () => {
      const csv = await read('country,role\n  \n \t \nMX,QA Engineer\n');

      expect(records(csv)).toEqual([[4, ['MX', 'QA Engineer']]]);
    });
  });

  describe('delimiter detection', () => {
    it('counts delimiters in the header outside quotes', async () => {
      const csv = await read('"Salario (MXN, mensual)";País;Año\n45000;México;2025\n');

      expect(csv.summary.format.delimiter).toBe(';');
      expect(csv.header?.fields).toEqual(['Salario (MXN, mensual)', 'País', 'Año']);
    });

    it('takes the most frequent candidate', async () => {
      const csv = await read('country,role;x,salary\nMX,Backend;x,1\n');

      expect(csv.summary.format.delimiter).toBe(',');
    });

    it('breaks ties in favour of the rarer character in text: tab, then semicolon, then comma', async () => {
      expect((await read('a,b;c\n')).summary.format.delimiter).toBe(';');
      expect((await read('a;b\tc\n')).summary.format.delimiter).toBe('\t');
    });

    it('reads a one-column file as comma-delimited', async () => {
      const csv = await read('country\nMX\nUS\n');

      expect(csv.summary.format.delimiter).toBe(',');
      expect(records(csv)).toEqual([
        [2, ['MX']],
        [3, ['US']],
      ]);
    });
  });

  describe('encodings', () => {
    it('reads UTF-16 big-endian with a BOM', async () => {
      const littleEndian = Buffer.from('\uFEFFpaís\taño\nMéxico\t2025\n', 'utf16le');
      const bigEndian = Buffer.from(littleEndian).swap16();

      const csv = await collectCsv(splitEvery(bigEndian, 3));

      expect(csv.starts).toEqual([{ encoding: 'utf-16be', bom: true, delimiter: '\t' }]);
      expect(csv.header?.fields).toEqual(['país', 'año']);
      expect(records(csv)).toEqual([[2, ['México', '2025']]]);
    });

    it('restarts from the beginning as windows-1252 when invalid UTF-8 appears at row 500,000', async () => {
      const rows = 'MX,1\n'.repeat(500_000);
      const bytes = Buffer.concat([
        Buffer.from(`country,salary\n${rows}`),
        Buffer.from([0x42, 0x6f, 0x67, 0x6f, 0x74, 0xe1, 0x2c, 0x32, 0x0a]), // "Bogotá,2" in windows-1252
      ]);
      let opened = 0;
      let closed = 0;
      const open = async function* () {
        opened += 1;
        try {
          yield* splitEvery(bytes, 64 * 1024);
        } finally {
          closed += 1;
        }
      };

      const csv = await collectCsv(open);

      expect(csv.starts.map((format) => format.encoding)).toEqual(['utf-8', 'windows-1252']);
      expect(opened).toBe(2);
      expect(closed).toBe(2);
      expect(csv.records).toHaveLength(500_001);
      expect(csv.records.at(-1)).toEqual({ fields: ['Bogotá', '2'], line: 500_002 });
      expect(csv.summary.records).toBe(500_001);
    });

    it('decodes the windows-1252 bytes 0x80–0x9F as Excel means them: curly quotes, dashes, euro', async () => {
      // “Backend” – … €, as Excel on Windows saves them: 0x93, 0x94, 0x96, 0x80.
      const bytes = Buffer.from(
        'rol,salario\nDesarrollador \x93Backend\x94 \x96 Sr,45.000 \x80\n',
        'latin1',
      );

      const csv = await collectCsv([bytes]);

      expect(csv.summary.format.encoding).toBe('windows-1252');
      expect(records(csv)).toEqual([[2, ['Desarrollador “Backend” – Sr', '45.000 €']]]);
    });

    it('never produces a replacement character when chunks split multi-byte characters', async () => {
      const bytes = utf8('país,ciudad\nMéxico,São Paulo 😀\n');

      const csv = await collectCsv(splitEvery(bytes, 1), { parseBatchChars: 1 });

      expect(csv.starts.map((format) => format.encoding)).toEqual(['utf-8']);
      expect(records(csv)).toEqual([[2, ['México', 'São Paulo 😀']]]);
    });

    it('rejects a file whose UTF-8 byte order mark is followed by invalid UTF-8', async () => {
      const bytes = Buffer.concat([Buffer.from('\uFEFFcountry\nM'), Buffer.from([0xe9, 0x0a])]);

      await expect(collectCsv([bytes], { fileName: 'bom.csv' })).rejects.toThrow(
        /^bom\.csv: not valid utf-8 text/,
      );
    });

    it('rejects UTF-16 text without a byte order mark instead of reading NUL-riddled headers', async () => {
      const bytes = Buffer.from('country,salary\n', 'utf16le');

      await expect(collectCsv([bytes])).rejects.toThrow(/UTF-16 text without a byte order mark/);
    });
  });

  describe('whole-file rejections', () => {
    it('rejects an empty file', async () => {
      const reading = collectCsv([], { fileName: 'empty.csv' });

      await expect(reading).rejects.toThrow(FileRejectedError);
      await expect(reading).rejects.toThrow(
        'empty.csv, line 1: no header: the file is empty or has only blank lines',
      );
    });

    it('rejects a file of blank lines', async () => {
      await expect(read('\r\n,,,\r\n   \r\n')).rejects.toThrow(/no header/);
    });

    it('names the line of an unclosed quote even when the rest of the file is larger than a record can be', async () => {
      const text = `country,role\nMX,Backend\nUS,"Frontend\n${'CA,Plain row of some length\n'.repeat(50_000)}`;

      const reading = collectCsv(splitEvery(utf8(text), 64 * 1024), { fileName: 'big.csv' });

      await expect(reading).rejects.toThrow(
        'big.csv, line 3: a quoted field starts here and its closing quote is missing',
      );
    });

    it('refuses a record longer than a mebibyte, counted in bytes when UTF-8 is split as bytes', async () => {
      const text = `country,notes\nMX,${'é'.repeat(600_000)}\nUS,short\n`;
      const bytes = splitEvery(utf8(text), 64 * 1024);

      // 600,000 characters are 1.2 MB of UTF-8: too long read as bytes, not as characters.
      await expect(collectCsv(bytes, { fileName: 'long.csv', utf8Bytes: true })).rejects.toThrow(
        'long.csv, line 2: a record longer than 1048576 bytes starts here',
      );
      const asText = await collectCsv(bytes, { fileName: 'long.csv', utf8Bytes: false });
      expect(asText.records.map(({ fields }) => fields[1]?.length)).toEqual([600_000, 5]);
    });

    it('lets an error thrown by a handler through and closes the source', async () => {
      let closed = false;
      const open = async function* () {
        try {
          yield utf8('país,año\nMéxico,2025\n');
        } finally {
          closed = true;
        }
      };
      const missingColumns = new FileRejectedError('survey.csv: missing column "salary"');

      const reading = readCsv('survey.csv', open, {
        onStart() {},
        onHeader() {
          throw missingColumns;
        },
        onRecord() {},
      });

      await expect(reading).rejects.toBe(missingColumns);
      expect(closed).toBe(true);
    });
  });

  it('announces the format before the header, and the header before any record', async () => {
    const calls: string[] = [];

    await readCsv(
      'survey.csv',
      async function* () {
        yield utf8('country;salary\nMX;1\n');
      },
      {
        onStart: (format) => calls.push(`start ${format.delimiter}`),
        onHeader: (header, line) => calls.push(`header ${line} ${header.join('|')}`),
        onRecord: (fields, line) => calls.push(`record ${line} ${fields.join('|')}`),
      },
    );

    expect(calls).toEqual(['start ;', 'header 1 country|salary', 'record 2 MX|1']);
  });
});
