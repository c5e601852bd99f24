import { buildReport } from '../domain/report/build-report.ts';
import type { BaseCell } from '../domain/report/cells.ts';
import { reportCsv } from '../domain/report/csv.ts';
import type {
  NormalizationUsed,
  Report,
  ReportCounts,
  ReportThresholds,
} from '../domain/report/model.ts';
import { reportYearRange } from '../domain/report/years.ts';
import type { CountryCode } from '../domain/taxonomy.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AggregateReader } from '../ports/ingestion-store.ts';
import type {
  PublishedReport,
  ReportPointerStore,
  ReportSnapshotStore,
} from '../ports/report-store.ts';
import { PublishedReports } from './serve-report/published-reports.ts';

export interface GenerateReportDependencies {
  aggregates: AggregateReader;
  snapshots: ReportSnapshotStore;
  pointers: ReportPointerStore;
  /** The exchange rates and seniority rules the year's rows were normalized with. */
  normalizationUsed: (year: number) => Promise<NormalizationUsed>;
  baseCountry: CountryCode;
  thresholds: ReportThresholds;
  now: () => Date;
}

export interface GeneratedReport {
  published: PublishedReport;
  /** False when a later version became current meanwhile (this one stays in the history). */
  current: boolean;
  report: Report;
}

/**
 * Publishes a new immutable version of a year's report.
 *
 * Input: a year. Output: the published version (keys, counts) and the report.
 * Steps: 1. check the year is in range; 2. read the year's merged per-cell aggregates and file
 * counts (no accepted rows → NotFoundError, never an empty report; fewer than `minRespondents`
 * → TooFewRespondentsError, since even the count would identify them); 3. read the previous year's
 * current report for the year-over-year change; 4. build the report (roll-ups, thresholds,
 * comparisons, methodology); 5. write `report.json` and `report.csv` under a new version folder;
 * 6. point the year at the new version, unless a later version got there first.
 */
export async function generateReport(
  year: number,
  deps: GenerateReportDependencies,
): Promise<GeneratedReport> {
  const generatedAt = deps.now();
  const { min, max } = reportYearRange(generatedAt);
  if (!Number.isInteger(year) || year < min || year > max) {
    throw new ValidationError(`year must be a whole year from ${min} to ${max}`, { year });
  }

  const snapshot = await deps.aggregates.readYear(year);
  if (snapshot.cells.length === 0) {
    throw new NotFoundError(`no accepted survey rows for ${year}: there is nothing to report`, {
      year,
      files: snapshot.files.length,
    });
  }

  const previous = await new PublishedReports(deps).current(year - 1);
  const report = buildReport({
    year,
    cells: snapshot.cells satisfies readonly BaseCell[],
    files: snapshot.files,
    normalization: await deps.normalizationUsed(year),
    baseCountry: deps.baseCountry,
    thresholds: deps.thresholds,
    ...(previous
      ? {
          previous: {
            year: previous.report.year,
            version: previous.report.version,
            cells: previous.report.cells,
          },
        }
      : {}),
    generatedAt,
  });

  const keys = await deps.snapshots.write({
    year,
    version: report.version,
    json: JSON.stringify(report),
    csv: reportCsv(report, report.cells),
  });
  const published: PublishedReport = {
    year,
    version: report.version,
    generatedAt: report.generatedAt,
    ...keys,
    counts: countsOf(report),
  };
  const current = await deps.pointers.makeCurrent(published);
  return { published, current, report };
}

/** The listing's counts; a report always publishes its overall cell (buildReport refuses otherwise). */
export function countsOf(report: Report): ReportCounts {
  const overall = report.cells.find((cell) => cell.level === 'overall');
  if (!overall || overall.suppressed) {
    throw new RangeError(`report ${report.version} has no published overall cell`);
  }
  const suppressedCells = report.cells.filter((cell) => cell.suppressed).length;
  return {
    respondents: overall.n,
    cells: report.cells.length,
    publishedCells: report.cells.length - suppressedCells,
    suppressedCells,
    files: report.methodology.files,
  };
}
