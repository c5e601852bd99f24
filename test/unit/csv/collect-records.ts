import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CsvFormat,
  type CsvReadOptions,
  type CsvReadSummary,
  readCsv,
} from '#shared/domain/csv/read-csv.ts';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/csv');

export function fixtureBytes(name: string): Promise<Uint8Array> {
  return readFile(join(FIXTURES, name));
}

export interface CollectedCsv {
  /** Every format announced by onStart, in order (two entries after a restart). */
  starts: CsvFormat[];
  header: { fields: string[]; line: number } | undefined;
  records: { fields: string[]; line: number }[];
  summary: CsvReadSummary;
}

/** Splits bytes into pieces ending at the given cut offsets (sorted, deduplicated). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= start || cut >= bytes.length) continue;
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

export function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    pieces.push(bytes.subarray(start, start + size));
  }
  return pieces;
}

/** Reads pieces through readCsv, keeping only what arrived after the last onStart. */
export async function collectCsv(
  pieces: readonly Uint8Array[] | (() => AsyncIterable<Uint8Array>),
  options: CsvReadOptions & { fileName?: string } = {},
): Promise<CollectedCsv> {
  const starts: CsvFormat[] = [];
  let header: CollectedCsv['header'];
  let records: CollectedCsv['records'] = [];
  const open =
    typeof pieces === 'function'
      ? pieces
      : async function* () {
          yield* pieces;
        };
  const summary = await readCsv(
    options.fileName ?? 'survey.csv',
    open,
    {
      onStart(format) {
        starts.push(format);
        header = undefined;
        records = [];
      },
      onHeader(fields, line) {
        header = { fields: [...fields], line };
      },
      onRecord(fields, line) {
        records.push({ fields: [...fields], line });
      },
    },
    options,
  );
  return { starts, header, records, summary };
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
