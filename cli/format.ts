import { CALIBRATION_TARGETS } from '#cli/sample/population.ts';
import type { PublishedCell, Report, ReportCell } from '#shared/domain/report/model.ts';
import type { IngestionRecord } from '#shared/ports/ingestion-store.ts';
import { rejectedWithoutYear } from '#shared/use-cases/serve-report/rows-without-year.ts';

const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function count(value: number): string {
  return WHOLE.format(value);
}

/** "1 row", "1,234 rows": a count with its noun in the right number. */
export function counted(value: number, singular: string, plural = `${singular}s`): string {
  return `${count(value)} ${value === 1 ? singular : plural}`;
}

/** A command line to copy: `npx salary-report rejected 'uploads/2025/my survey.csv'`. */
export function suggestedCommand(argv: readonly string[]): string {
  const quoted = argv.map((word) =>
    /^[\w./:@=+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`,
  );
  return ['npx', 'salary-report', ...quoted].join(' ');
}

/** Monthly USD as a reader scans it: "$8,807". */
export function usd(value: number): string {
  return `$${WHOLE.format(value)}`;
}

/** Left-aligned text columns, numbers right-aligned, two spaces apart. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = header.map((_, column) =>
    rows.every((row) => /^[$\d,.\s–-]*$/.test(row[column] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return numeric[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A few lines about the whole report: respondents, files, rejected rows, units. */
export function reportHeading(report: Report): string {
  const { methodology } = report;
  // A published report always has its overall cell published (too few respondents refuse to
  // publish), so the accepted rows are the respondents.
  const respondents = methodology.acceptedRows;
  return [
    `Salary report ${report.year}, ${versionLabel(report)}`,
    `${counted(respondents, 'respondent')} from ${counted(methodology.files, 'file')}; ` +
      `${counted(methodology.rejectedRows, 'row')} rejected. Monthly USD; ` +
      `cells with fewer than ${methodology.thresholds.minRespondents} respondents are suppressed, ` +
      'and so are cells hidden to protect them from being worked out from a published total.',
  ].join('\n');
}

/** "version 3, published 2 Dec 2026 09:06 UTC": what a reader needs, not the version's id. */
export function versionLabel(report: Pick<Report, 'versionNumber' | 'generatedAt'>): string {
  const published = new Date(report.generatedAt);
  const date = published.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const time = published.toISOString().slice(11, 16);
  const number = report.versionNumber === undefined ? 'version' : `version ${report.versionNumber}`;
  return `${number}, published ${date} ${time} UTC`;
}

/** The figures the sample is calibrated on, as this report states them. */
export interface HeadlineFigure {
  label: string;
  /** Mean monthly USD in this report; undefined when the cell is missing or suppressed. */
  mean: number | undefined;
  sourceMean: number;
}

export function headlineFigures(report: Report): HeadlineFigure[] {
  const find = (matches: (cell: ReportCell) => boolean) => {
    const cell = report.cells.find(matches);
    return cell && !cell.suppressed ? (cell as PublishedCell).monthly.mean : undefined;
  };
  return [
    {
      label: 'US back-end developers, all seniorities',
      mean: find(
        (cell) => cell.level === 'country-role' && cell.country === 'US' && cell.role === 'backend',
      ),
      sourceMean: CALIBRATION_TARGETS.usBackendMeanUsd,
    },
    {
      label: 'Mexican senior back-end developers',
      mean: find(
        (cell) =>
          cell.level === 'country-role-seniority' &&
          cell.country === 'MX' &&
          cell.role === 'backend' &&
          cell.seniority === 'senior',
      ),
      sourceMean: CALIBRATION_TARGETS.mxSeniorBackendMeanUsd,
    },
  ];
}

export function headlineLines(report: Report): string {
  return headlineFigures(report)
    .map(
      ({ label, mean, sourceMean }) =>
        `  ${label}: mean ${mean === undefined ? 'not published' : `${usd(mean)}/month`} ` +
        `(source report: ${usd(sourceMean)})`,
    )
    .join('\n');
}

/**
 * Rows an upload's profile or pay basis left out: their total and, by reason (a field name, or
 * net_pay), "seniority 10, net_pay 2"; undefined when there are none.
 */
export function excludedRows(
  excluded: Record<string, number> | undefined,
): { total: number; reasons: string } | undefined {
  const entries = Object.entries(excluded ?? {});
  if (entries.length === 0) return undefined;
  return {
    total: entries.reduce((sum, [, rows]) => sum + rows, 0),
    reasons: entries.map(([reason, rows]) => `${reason} ${count(rows)}`).join(', '),
  };
}

/**
 * One ingestion record per row: status, counts, where rejected rows are. Rows a profile left out
 * ("Excluded", by reason) and the profile get their columns when a listed file has them.
 */
export function ingestionTable(records: readonly IngestionRecord[], bucketName: string): string {
  const withoutYear = records.map(rejectedWithoutYear);
  const excluded = records.map((record) => excludedRows(record.excluded));
  const withExcluded = excluded.some((rows) => rows !== undefined);
  const withProfile = records.some((record) => record.profile !== undefined);
  const table = textTable(
    [
      'File',
      'Status',
      'Accepted',
      'Rejected',
      'No year',
      ...(withExcluded ? ['Excluded'] : []),
      ...(withProfile ? ['Profile'] : []),
      'Years',
      'Finished',
      'Rejected rows',
    ],
    records.map((record, index) => {
      const left = excluded[index];
      return [
        record.key,
        record.status,
        count(record.accepted),
        count(record.rejected),
        withoutYear[index] === undefined ? '' : count(withoutYear[index] ?? 0),
        ...(withExcluded ? [left ? `${count(left.total)} (${left.reasons})` : ''] : []),
        ...(withProfile ? [record.profile ?? ''] : []),
        record.years.join(' '),
        record.finishedAt ?? '',
        record.errorsKey ? `s3://${bucketName}/${record.errorsKey}` : (record.message ?? ''),
      ];
    }),
  );
  const notes = [
    ...(withoutYear.some((rows) => (rows ?? 0) > 0)
      ? [`"No year": rejected rows whose year could not be read; they count in no year's report.`]
      : []),
    ...(withExcluded
      ? [
          `"Excluded": rows the upload's profile or pay basis left out, by reason; they count in no report.`,
        ]
      : []),
  ];
  return [table, ...notes].join('\n');
}
