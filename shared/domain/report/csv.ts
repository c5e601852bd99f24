import { toCsvLine } from '../csv/write-csv.ts';
import { AMOUNTS_PER_CELL, PUBLISHED, type ReportCellTable, SUPPRESSION_OF } from './cells.ts';
import {
  type CellDimensions,
  CONFIDENCE_LEVELS,
  type Confidence,
  type MoneyStatistics,
  REPORT_LEVELS,
  type ReportCell,
} from './model.ts';
import {
  asciiBytes,
  MAX_PRINTED_CENTS,
  NUMBER_ROOM,
  putAscii,
  putBytes,
  putDigits,
  TextWriter,
  textCapacity,
} from './text-writer.ts';
import { confidenceFor } from './thresholds.ts';

/** The fixed pieces of text, as bytes. */
const TRUE = asciiBytes(',true,');
const FALSE = asciiBytes(',false,,');

const STATISTICS: readonly (keyof MoneyStatistics)[] = [
  'mean',
  'p10',
  'p25',
  'median',
  'p75',
  'p90',
];

export const REPORT_CSV_HEADER = [
  'year',
  'version',
  'level',
  'country',
  'role',
  'seniority',
  'suppressed',
  'suppression',
  'n',
  'confidence',
  ...STATISTICS.map((name) => `monthly_${name}`),
  ...STATISTICS.map((name) => `annual_${name}`),
] as const;

/** A suppressed cell's empty fields after its suppression kind: n, confidence, 12 amounts. */
const SUPPRESSED_FIELDS_END = `${','.repeat(2 + 2 * STATISTICS.length)}\r\n`;

/**
 * The report's cells as CSV (RFC 4180, CRLF): one row per cell, money with two decimals, empty
 * fields where the JSON has no number. Quoting and the spreadsheet formula-injection guard are the
 * shared CSV writer's (`toCsvLine`).
 *
 * A report has as many rows as cells (hundreds of thousands for a survey of many countries), so the
 * rows are put together here rather than field by field through `toCsvLine`: the text fields (few
 * distinct values) are escaped by it once each, and money is written as `toCsvLine` would write
 * its two-decimal text.
 */
export function reportCsv(
  report: { year: number; version: string },
  cells: readonly ReportCell[],
): string {
  const rows = new CsvRows(report);
  for (const cell of cells) {
    const dimensions = rows.dimensions(cell);
    rows.push(
      cell.suppressed
        ? `${dimensions},true,${rows.field(cell.suppression)}${SUPPRESSED_FIELDS_END}`
        : `${dimensions},false,,${cell.n},${rows.field(cell.confidence)},${moneyFields(cell.monthly)},${moneyFields(cell.annual)}\r\n`,
    );
  }
  return rows.text();
}

/**
 * Room for one row besides its year and version, dimensions and labels: `,false,,` and the line
 * end, and 13 numbers with a comma each (`NUMBER_ROOM`, and a minus sign's guard).
 */
const ROW_ROOM = 16 + (AMOUNTS_PER_CELL + 1) * (NUMBER_ROOM + 2);

/**
 * `reportCsv(report, reportCellsOf(table))`, written from the cell table's numbers as bytes
 * (`TextWriter`): no string per row or per amount. Each row's pieces are put in a row into room
 * made once for the row (`TextWriter.room`).
 */
export function cellTableCsv(
  report: { year: number; version: string },
  table: ReportCellTable,
): string {
  return writeCellTableCsv(report, table).toString();
}

/** `cellTableCsv` as UTF-8, as stored. */
export function cellTableCsvBytes(
  report: { year: number; version: string },
  table: ReportCellTable,
): Uint8Array {
  return writeCellTableCsv(report, table).bytes();
}

function writeCellTableCsv(
  report: { year: number; version: string },
  table: ReportCellTable,
): TextWriter {
  const out = new TextWriter(textCapacity(table.length, 256));
  const field = (value: string) => out.escapedBytes(value, csvField);
  const countries: (Uint8Array | undefined)[] = [];
  const roles: (Uint8Array | undefined)[] = [];
  const seniorities: (Uint8Array | undefined)[] = [];
  const { codes } = table;
  const rowStart = out.fragmentBytes(toCsvLine([report.year, report.version]).slice(0, -2));
  const suppressedEnd = out.fragmentBytes(SUPPRESSED_FIELDS_END);
  const { amounts, thresholds } = table;
  // The few labels' fields, by their codes in the table (no lookup by text per row).
  const empty = field('');
  const levelFields = REPORT_LEVELS.map(field);
  const suppressionFields = SUPPRESSION_OF.map((kind) => field(kind ?? ''));
  const confidenceFields = Object.fromEntries(
    CONFIDENCE_LEVELS.map((label) => [label, field(label)]),
  ) as Record<Confidence, Uint8Array>;
  out.text(toCsvLine(REPORT_CSV_HEADER));
  for (let index = 0; index < table.length; index++) {
    const dimensions = table.dimensions[index] as CellDimensions;
    const level = levelFields[table.levels[index] as number] as Uint8Array;
    const country =
      dimensions.country === undefined
        ? empty
        : out.codedBytes(countries, codes[3 * index] as number, dimensions.country, csvField);
    const role =
      dimensions.role === undefined
        ? empty
        : out.codedBytes(roles, codes[3 * index + 1] as number, dimensions.role, csvField);
    const seniority =
      dimensions.seniority === undefined
        ? empty
        : out.codedBytes(
            seniorities,
            codes[3 * index + 2] as number,
            dimensions.seniority,
            csvField,
          );
    const suppression = table.suppression[index] as number;
    const n = table.n[index] as number;
    const label =
      suppression !== PUBLISHED
        ? (suppressionFields[suppression] as Uint8Array)
        : confidenceFields[confidenceFor(n, thresholds)];
    const buffer = out.room(
      ROW_ROOM +
        rowStart.length +
        level.length +
        country.length +
        role.length +
        seniority.length +
        label.length +
        suppressedEnd.length,
    );
    let at = putBytes(buffer, out.position, rowStart);
    buffer[at++] = COMMA;
    at = putBytes(buffer, at, level);
    buffer[at++] = COMMA;
    at = putBytes(buffer, at, country);
    buffer[at++] = COMMA;
    at = putBytes(buffer, at, role);
    buffer[at++] = COMMA;
    at = putBytes(buffer, at, seniority);
    if (suppression !== PUBLISHED) {
      at = putBytes(buffer, at, TRUE);
      at = putBytes(buffer, at, label);
      out.position = putBytes(buffer, at, suppressedEnd);
      continue;
    }
    at = putBytes(buffer, at, FALSE);
    at =
      Number.isSafeInteger(n) && n >= 0 ? putDigits(buffer, at, n) : putAscii(buffer, at, `${n}`);
    buffer[at++] = COMMA;
    at = putBytes(buffer, at, label);
    const first = index * AMOUNTS_PER_CELL;
    for (let amount = 0; amount < AMOUNTS_PER_CELL; amount++) {
      buffer[at++] = COMMA;
      at = putMoney(buffer, at, amounts[first + amount] as number);
    }
    buffer[at++] = 13; // \r
    buffer[at++] = 10; // \n
    out.position = at;
  }
  return out;
}

const COMMA = 44;

/** One text field as `toCsvLine` writes it. */
function csvField(value: string): string {
  return toCsvLine([value]).slice(0, -2);
}

/**
 * An amount of the table as `moneyField` writes it, put at `at` of `buffer` (room made for
 * `NUMBER_ROOM` + 1 bytes); NaN (withheld) as an empty field.
 */
function putMoney(buffer: Uint8Array, at: number, value: number): number {
  if (Number.isNaN(value)) return at;
  if (value >= 0) {
    const cents = Math.round(value * 100);
    if (cents <= MAX_PRINTED_CENTS && cents / 100 === value) {
      const remainder = cents % 100;
      const ones = remainder % 10;
      let position = putDigits(buffer, at, (cents - remainder) / 100);
      buffer[position++] = 46; // .
      buffer[position++] = 48 + (remainder - ones) / 10;
      buffer[position++] = 48 + ones;
      return position;
    }
  }
  return putAscii(buffer, at, moneyField(value));
}

/**
 * The rows of a report's CSV, joined into flat text a block at a time: one long chain of `+=`
 * would keep every row's pieces alive as separate strings until the end, and the garbage collector
 * would copy each of them (for 100k cells it cost more than writing the rows).
 */
class CsvRows {
  private readonly escaped = new Map<string, string>();
  private readonly rowStart: string;
  private readonly blocks = [toCsvLine(REPORT_CSV_HEADER)];
  private rows: string[] = [];

  constructor(report: { year: number; version: string }) {
    this.rowStart = toCsvLine([report.year, report.version]).slice(0, -2);
  }

  /** A text field as `toCsvLine` writes it, escaped once per distinct value. */
  field(value: string): string {
    let text = this.escaped.get(value);
    if (text === undefined) {
      text = toCsvLine([value]).slice(0, -2);
      this.escaped.set(value, text);
    }
    return text;
  }

  /** A row's year, version, level, country, role and seniority. */
  dimensions(cell: CellDimensions): string {
    return `${this.rowStart},${this.field(cell.level)},${this.field(cell.country ?? '')},${this.field(cell.role ?? '')},${this.field(cell.seniority ?? '')}`;
  }

  push(row: string): void {
    this.rows.push(row);
    if (this.rows.length === ROWS_PER_BLOCK) {
      this.blocks.push(this.rows.join(''));
      this.rows = [];
    }
  }

  text(): string {
    this.blocks.push(this.rows.join(''));
    this.rows = [];
    return this.blocks.join('');
  }
}

const ROWS_PER_BLOCK = 1024;

/** The six statistics, comma-separated, as `toCsvLine` writes `formatMoney`'s text. */
function moneyFields(statistics: MoneyStatistics): string {
  return `${moneyField(statistics.mean)},${moneyField(statistics.p10)},${moneyField(statistics.p25)},${moneyField(statistics.median)},${moneyField(statistics.p75)},${moneyField(statistics.p90)}`;
}

/** Two-decimal text has no character needing quotes; only a minus sign gets the formula guard. */
function moneyField(value: number | null): string {
  if (value !== null && value >= 0) {
    // Published amounts are whole cents over 100: their toFixed(2) text is the cents' digits.
    const cents = Math.round(value * 100);
    if (cents <= MAX_PRINTED_CENTS && cents / 100 === value) {
      const remainder = cents % 100;
      return `${(cents - remainder) / 100}${remainder < 10 ? '.0' : '.'}${remainder}`;
    }
  }
  const text = formatMoney(value);
  return text.charCodeAt(0) === 45 ? `'${text}` : text;
}

function formatMoney(value: number | null): string {
  return value === null ? '' : value.toFixed(2);
}
