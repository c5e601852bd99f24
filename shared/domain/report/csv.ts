import { toCsvLine } from '../csv/write-csv.ts';
import { AMOUNTS_PER_CELL, type ReportCellTable, SUPPRESSION_OF } from './cells.ts';
import type { CellDimensions, MoneyStatistics, ReportCell } from './model.ts';
import { asciiBytes, MAX_PRINTED_CENTS, TextWriter, textCapacity } from './text-writer.ts';
import { confidenceFor } from './thresholds.ts';

/** The fixed pieces of text, as bytes. */
const TRUE = asciiBytes(',true,');
const FALSE = asciiBytes(',false,,');
const R_N = asciiBytes('\r\n');

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
 * `reportCsv(report, reportCellsOf(table))`, written from the cell table's numbers as bytes
 * (`TextWriter`): no string per row or per amount.
 */
export function cellTableCsv(
  report: { year: number; version: string },
  table: ReportCellTable,
): string {
  const out = new TextWriter(textCapacity(table.length, 256));
  const field = (value: string) => out.escaped(value, csvField);
  const countries: (Uint8Array | undefined)[] = [];
  const roles: (Uint8Array | undefined)[] = [];
  const seniorities: (Uint8Array | undefined)[] = [];
  const { codes } = table;
  const rowStart = toCsvLine([report.year, report.version]).slice(0, -2);
  const { amounts, thresholds } = table;
  out.text(toCsvLine(REPORT_CSV_HEADER));
  for (let index = 0; index < table.length; index++) {
    const dimensions = table.dimensions[index] as CellDimensions;
    out.fragment(rowStart);
    out.char(COMMA);
    field(dimensions.level);
    out.char(COMMA);
    if (dimensions.country === undefined) field('');
    else out.coded(countries, codes[3 * index] as number, dimensions.country, csvField);
    out.char(COMMA);
    if (dimensions.role === undefined) field('');
    else out.coded(roles, codes[3 * index + 1] as number, dimensions.role, csvField);
    out.char(COMMA);
    if (dimensions.seniority === undefined) field('');
    else out.coded(seniorities, codes[3 * index + 2] as number, dimensions.seniority, csvField);
    const suppression = SUPPRESSION_OF[table.suppression[index] as number];
    if (suppression) {
      out.raw(TRUE);
      field(suppression);
      out.fragment(SUPPRESSED_FIELDS_END);
      continue;
    }
    const n = table.n[index] as number;
    out.raw(FALSE);
    if (Number.isSafeInteger(n) && n >= 0) out.digits(n);
    else out.text(`${n}`);
    out.char(COMMA);
    field(confidenceFor(n, thresholds));
    const at = index * AMOUNTS_PER_CELL;
    for (let amount = 0; amount < AMOUNTS_PER_CELL; amount++) {
      out.char(COMMA);
      writeMoney(out, amounts[at + amount] as number);
    }
    out.raw(R_N);
  }
  return out.toString();
}

const COMMA = 44;

/** One text field as `toCsvLine` writes it. */
function csvField(value: string): string {
  return toCsvLine([value]).slice(0, -2);
}

/** An amount of the table as `moneyField` writes it; NaN (withheld) as an empty field. */
function writeMoney(out: TextWriter, value: number): void {
  if (Number.isNaN(value)) return;
  if (value >= 0) {
    const cents = Math.round(value * 100);
    if (cents <= MAX_PRINTED_CENTS && cents / 100 === value) {
      const remainder = cents % 100;
      const ones = remainder % 10;
      out.digits((cents - remainder) / 100);
      out.char(46); // .
      out.char(48 + (remainder - ones) / 10);
      out.char(48 + ones);
      return;
    }
  }
  out.text(moneyField(value));
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
