import { toCsvLine } from '../csv/write-csv.ts';
import type { MoneyStatistics, ReportCell } from './model.ts';

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
  const escaped = new Map<string, string>();
  const field = (value: string): string => {
    let text = escaped.get(value);
    if (text === undefined) {
      text = toCsvLine([value]).slice(0, -2);
      escaped.set(value, text);
    }
    return text;
  };
  const rowStart = toCsvLine([report.year, report.version]).slice(0, -2);
  // Rows are joined into flat text a block at a time: one long chain of `+=` would keep every
  // row's pieces alive as separate strings until the end, and the garbage collector would copy
  // each of them (for 100k cells it cost more than writing the rows).
  const blocks = [toCsvLine(REPORT_CSV_HEADER)];
  let rows: string[] = [];
  for (const cell of cells) {
    const dimensions = `${rowStart},${field(cell.level)},${field(cell.country ?? '')},${field(cell.role ?? '')},${field(cell.seniority ?? '')}`;
    rows.push(
      cell.suppressed
        ? `${dimensions},true,${field(cell.suppression)}${SUPPRESSED_FIELDS_END}`
        : `${dimensions},false,,${cell.n},${field(cell.confidence)},${moneyFields(cell.monthly)},${moneyFields(cell.annual)}\r\n`,
    );
    if (rows.length === ROWS_PER_BLOCK) {
      blocks.push(rows.join(''));
      rows = [];
    }
  }
  blocks.push(rows.join(''));
  return blocks.join('');
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

/** Whole cents up to here are printed from their digits (far above any salary). */
const MAX_PRINTED_CENTS = 2 ** 50;

function formatMoney(value: number | null): string {
  return value === null ? '' : value.toFixed(2);
}
