import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '#shared/domain/csv/read-csv.ts';
import { IngestHarness } from '../support/ingest-harness.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/csv');

interface ExpectedFile {
  format?: { encoding: string; bom: boolean; delimiter: string };
  accepted?: number;
  acceptedCells?: { line: number; country: string; role: string; seniority: string }[];
  rejections?: { line: number; column: string; value: string; reason: string }[];
  fileError?: string;
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  keyPrefix: string;
  year: number;
  files: Record<string, ExpectedFile>;
};

/** Parses an errors file with our own reader, as an analyst's spreadsheet would open it. */
async function readErrorsFile(text: string): Promise<string[][]> {
  const rows: string[][] = [];
  await readCsv('errors.csv', async () => Readable.from([new TextEncoder().encode(text)]), {
    onStart: () => {},
    onHeader: (header) => rows.push([...header]),
    onRecord: (fields) => rows.push([...fields]),
  });
  return rows;
}

describe('the messy real-world CSV corpus through the real handler', () => {
  let harness: IngestHarness;
  beforeAll(async () => {
    harness = await IngestHarness.start();
  });
  afterAll(async () => {
    await harness?.stop();
  });
  afterEach(async () => {
    for (const key of await harness.objects.listKeys('uploads/')) {
      await harness.deliver([await harness.remove(key)]);
    }
  });

  it('has an expectation for every fixture file', () => {
    const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.csv'));
    expect(Object.keys(expected.files).sort()).toEqual(files.sort());
  });

  for (const [file, expectation] of Object.entries(expected.files)) {
    it(`ingests ${file} as documented`, async () => {
      const key = `${expected.keyPrefix}${file}`;
      const response = await harness.deliver([
        await harness.put(key, readFileSync(join(FIXTURES, file))),
      ]);
      expect(response.batchItemFailures).toEqual([]);
      const record = await harness.store.getRecord(key);
      const errors = await harness.readObject(`rejected/${key}.errors.csv`);

      if (expectation.fileError) {
        expect(record).toMatchObject({ status: 'rejected', accepted: 0 });
        expect(record?.message).toContain(expectation.fileError);
        expect(errors).toContain(expectation.fileError);
        return;
      }

      expect(record).toMatchObject({
        status: 'ingested',
        accepted: expectation.accepted,
        rejected: expectation.rejections?.length ?? 0,
        encoding: expectation.format?.encoding,
        delimiter: expectation.format?.delimiter,
      });
      const expectedCells = new Map<string, number>();
      for (const cell of expectation.acceptedCells ?? []) {
        const id = `${expected.year}#${cell.country}#${cell.role}#${cell.seniority}`;
        expectedCells.set(id, (expectedCells.get(id) ?? 0) + 1);
      }
      const snapshot = await harness.store.readYear(expected.year);
      const fileCells = new Map<string, number>();
      for (const { cell, aggregate } of snapshot.cells) {
        fileCells.set(
          `${cell.year}#${cell.country}#${cell.role}#${cell.seniority}`,
          aggregate.count,
        );
      }
      // Only this file is in the bucket while its test runs (each test deletes its upload).
      expect(fileCells).toEqual(expectedCells);

      const rejections = expectation.rejections ?? [];
      if (rejections.length === 0) {
        expect(errors).toBeUndefined();
      } else {
        const [header, ...rows] = await readErrorsFile(errors ?? '');
        expect(header).toEqual(['line', 'column', 'value', 'reason', 'message']);
        expect(
          rows.map(([line, column, value, reason]) => ({
            line: Number(line),
            column,
            value,
            reason,
          })),
        ).toEqual(
          rejections.map(({ line, column, value, reason }) => ({ line, column, value, reason })),
        );
      }
    });
  }

  it('writes rejected values so a spreadsheet shows them as text, never runs them', async () => {
    const key = 'uploads/2025/formula.csv';
    const csv =
      'country,role,seniority,salary,currency,period\n' +
      `US,"=HYPERLINK(""http://evil"",""x"")",senior,9000,USD,monthly\n` +
      'US,Backend Developer,senior,+9000,USD,monthly\n' +
      'US,@Astronaut,senior,9000,USD,monthly\n' +
      'US,Backend Developer,senior,-9000,USD,monthly\n';
    await harness.deliver([await harness.put(key, csv)]);
    const errors = (await harness.readObject(`rejected/${key}.errors.csv`)) ?? '';
    const [, ...rows] = await readErrorsFile(errors);
    const values = rows.map((row) => row[2]);
    expect(values).toContain(`'=HYPERLINK("http://evil","x")`);
    expect(values).toContain("'@Astronaut");
    expect(values).toContain("'-9000");
    for (const row of rows) {
      for (const field of row) expect(field).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('lists a whole-file rejection and takes the previous version of the key out', async () => {
    const key = 'uploads/2025/replaced-by-broken.csv';
    await harness.deliver([
      await harness.put(
        key,
        'country,role,seniority,salary,currency,period\nUS,Backend Developer,senior,9000,USD,monthly\n',
      ),
    ]);
    expect((await harness.store.readYear(2025)).cells).toHaveLength(1);
    await harness.deliver([await harness.put(key, 'país;puesto\nMéxico;Backend\n')]);
    expect((await harness.store.readYear(2025)).cells).toEqual([]);
    const record = await harness.store.getRecord(key);
    expect(record?.status).toBe('rejected');
    expect(record?.message).toMatch(
      /missing required column\(s\).*salary.*headers seen: "país", "puesto"/,
    );
    await harness.deliver([await harness.remove(key)]);
    expect(await harness.readObject(`rejected/${key}.errors.csv`)).toBeUndefined();
  });
});
