import { toCsvLine } from '../csv/write-csv.ts';
import { AMOUNTS_PER_CELL, type ReportCellTable, SUPPRESSION_OF } from './cells.ts';
import type { CellDimensions, MoneyStatistics, ReportCell } from './model.ts';
import { confidenceFor } from './thresholds.ts';

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

/** `reportCsv(report, reportCellsOf(table))`, written from the cell table's numbers. */
export function cellTableCsv(
  report: { year: number; version: string },
  table: ReportCellTable,
): string {
  const rows = new CsvRows(report);
  const { amounts, thresholds } = table;
  for (let index = 0; index < table.length; index++) {
    const dimensions = rows.dimensions(table.dimensions[index] as CellDimensions);
    const suppression = SUPPRESSION_OF[table.suppression[index] as number];
    if (suppression) {
      rows.push(`${dimensions},true,${rows.field(suppression)}${SUPPRESSED_FIELDS_END}`);
    } else {
      const n = table.n[index] as number;
      const at = index * AMOUNTS_PER_CELL;
      rows.push(
        `${dimensions},false,,${n},${rows.field(confidenceFor(n, thresholds))},${moneyFieldsAt(amounts, at)},${moneyFieldsAt(amounts, at + STATISTICS.length)}\r\n`,
      );
    }
  }
  return rows.text();
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

/** The six amounts of a cell table from `at` (NaN: withheld, an empty field). */
function moneyFieldsAt(amounts: Float64Array, at: number): string {
  return `${moneyFieldAt(amounts[at] as number)},${moneyFieldAt(amounts[at + 1] as number)},${moneyFieldAt(amounts[at + 2] as number)},${moneyFieldAt(amounts[at + 3] as number)},${moneyFieldAt(amounts[at + 4] as number)},${moneyFieldAt(amounts[at + 5] as number)}`;
}

function moneyFieldAt(value: number): string {
  return Number.isNaN(value) ? '' : moneyField(value);
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

/** Whole cents up to here are printed from their digits (far above any salary). */
const MAX_PRINTED_CENTS = 2 ** 50;

function formatMoney(value: number | null): string {
  return value === null ? '' : value.toFixed(2);
}
