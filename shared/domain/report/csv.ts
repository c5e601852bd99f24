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
  'n',
  'confidence',
  ...STATISTICS.map((name) => `monthly_${name}`),
  ...STATISTICS.map((name) => `annual_${name}`),
] as const;

/**
 * The report's cells as CSV (RFC 4180, CRLF): one row per cell, money with two decimals, empty
 * fields where the JSON has no number. Text that a spreadsheet would run as a formula is defused.
 */
export function reportCsv(
  report: { year: number; version: string },
  cells: readonly ReportCell[],
): string {
  const lines = [REPORT_CSV_HEADER.join(',')];
  for (const cell of cells) {
    const money = (statistics: MoneyStatistics | undefined) =>
      STATISTICS.map((name) => formatMoney(statistics?.[name] ?? null));
    const published = cell.suppressed ? undefined : cell;
    const fields = [
      String(report.year),
      csvText(report.version),
      csvText(cell.level),
      csvText(cell.country ?? ''),
      csvText(cell.role ?? ''),
      csvText(cell.seniority ?? ''),
      String(cell.suppressed),
      published ? String(published.n) : '',
      csvText(published?.confidence ?? ''),
      ...money(published?.monthly),
      ...money(published?.annual),
    ];
    lines.push(fields.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Characters that make spreadsheets treat a cell as a formula (OWASP CSV injection guidance). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** A text field safe to open in a spreadsheet: formula triggers prefixed with ', then quoted. */
export function csvText(value: string): string {
  const defused = value.length > 0 && FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) || defused !== defused.trim()
    ? `"${defused.replaceAll('"', '""')}"`
    : defused;
}

function formatMoney(value: number | null): string {
  return value === null ? '' : value.toFixed(2);
}
