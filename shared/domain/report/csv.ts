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

/**
 * The report's cells as CSV (RFC 4180, CRLF): one row per cell, money with two decimals, empty
 * fields where the JSON has no number. Quoting and the spreadsheet formula-injection guard are the
 * shared CSV writer's (`toCsvLine`).
 */
export function reportCsv(
  report: { year: number; version: string },
  cells: readonly ReportCell[],
): string {
  let csv = toCsvLine(REPORT_CSV_HEADER);
  for (const cell of cells) {
    const money = (statistics: MoneyStatistics | undefined) =>
      STATISTICS.map((name) => formatMoney(statistics?.[name] ?? null));
    const published = cell.suppressed ? undefined : cell;
    csv += toCsvLine([
      report.year,
      report.version,
      cell.level,
      cell.country ?? '',
      cell.role ?? '',
      cell.seniority ?? '',
      String(cell.suppressed),
      cell.suppressed ? cell.suppression : '',
      published ? published.n : '',
      published?.confidence ?? '',
      ...money(published?.monthly),
      ...money(published?.annual),
    ]);
  }
  return csv;
}

function formatMoney(value: number | null): string {
  return value === null ? '' : value.toFixed(2);
}
