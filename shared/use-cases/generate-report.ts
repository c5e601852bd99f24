import {
  buildReportSnapshot,
  contentDigestOf,
  type ReportSnapshot,
} from '../domain/report/build-report.ts';
import type { BaseCell } from '../domain/report/cells.ts';
import type { NormalizationUsed, Report, ReportThresholds } from '../domain/report/model.ts';
import { surveyYearProblem } from '../domain/report/years.ts';
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
  /**
   * Above this many respondents in a cell, every quantile of the report comes from sketches
   * (`MAX_EXACT_CELL_RESPONDENTS` unless given; docs/report.md, "Quantiles").
   */
  maxExactCellRespondents?: number;
}

export interface GenerateReportOptions {
  /** Publish a new version even when its content equals the current version's. */
  regenerate?: boolean;
}

export interface GeneratedReport {
  /** The year's version this generation ended with: the new one, or the unchanged current one. */
  published: PublishedReport;
  /** False when a later version became current meanwhile (this one stays in the history). */
  current: boolean;
  /** False when the current version already published this content: nothing was written. */
  generated: boolean;
  report: Report;
}

/**
 * Publishes a new immutable version of a year's report when its content changed. Repeating a
 * generation (the schedule firing twice, a retry, someone looking at the report with the CLI)
 * publishes nothing new.
 *
 * Input: a year, and `regenerate` to publish even an unchanged report. Output: the year's
 * version (new or current), whether it was generated, and the report.
 * Steps: 1. check the year is in range; 2. read the year's merged per-cell aggregates and file
 * counts (no accepted rows → NotFoundError, never an empty report; fewer than `minRespondents`
 * → TooFewRespondentsError, since even the count would identify them); 3. read the year's current
 * version and history, and the previous year's current report for the year-over-year change;
 * 4. build the report (roll-ups, thresholds, comparisons, methodology), numbered after the
 * history; 5. unless `regenerate`, stop if its content digest equals the current version's: the
 * same aggregates, rules, thresholds, base country and previous report give the same digest;
 * 6. write `report.json` and `report.csv` under a new version folder; 7. make it current, unless a
 * later version got there first or a twin generation already published the same content.
 */
export async function generateReport(
  year: number,
  deps: GenerateReportDependencies,
  options: GenerateReportOptions = {},
): Promise<GeneratedReport> {
  const generatedAt = deps.now();
  const yearProblem = surveyYearProblem(year, generatedAt);
  if (yearProblem) throw new ValidationError(`year ${yearProblem}`, { year });

  const aggregates = await deps.aggregates.readYear(year);
  if (aggregates.cells.length === 0) {
    throw new NotFoundError(`no accepted survey rows for ${year}: there is nothing to report`, {
      year,
      files: aggregates.files.length,
    });
  }

  const reports = new PublishedReports(deps);
  const [existing, history, previous] = await Promise.all([
    deps.pointers.current(year),
    deps.pointers.history(year),
    reports.current(year - 1),
  ]);
  const snapshot = buildReportSnapshot({
    year,
    cells: aggregates.cells satisfies readonly BaseCell[],
    files: aggregates.files,
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
    versionNumber: history.length + 1,
    ...(deps.maxExactCellRespondents === undefined
      ? {}
      : { maxExactCellRespondents: deps.maxExactCellRespondents }),
  });

  if (existing && !options.regenerate && sameContent(existing, snapshot.version)) {
    return unchanged(reports, deps.pointers, year, snapshot);
  }

  const keys = await deps.snapshots.write({
    year,
    version: snapshot.version,
    json: snapshot.jsonBytes,
    csv: snapshot.csvBytes(),
  });
  const published: PublishedReport = {
    year,
    version: snapshot.version,
    versionNumber: snapshot.versionNumber,
    generatedAt: snapshot.generatedAt,
    ...keys,
    counts: {
      respondents: snapshot.cellCounts.respondents,
      cells: snapshot.cellCounts.cells,
      publishedCells: snapshot.cellCounts.cells - snapshot.cellCounts.suppressedCells,
      suppressedCells: snapshot.cellCounts.suppressedCells,
      files: aggregates.files.length,
    },
  };
  const outcome = await deps.pointers.makeCurrent(published, {
    replaceSameContent: options.regenerate === true,
  });
  // A twin generation made the same content current first; its version is the published one.
  if (outcome === 'same-content') return unchanged(reports, deps.pointers, year, snapshot);
  return {
    published,
    current: outcome === 'current',
    generated: true,
    // Parsed from the snapshot text only if the caller reads it (the CLI shows its headlines).
    get report() {
      return snapshot.report;
    },
  };
}

function sameContent(existing: PublishedReport, version: string): boolean {
  return contentDigestOf(existing.version) === contentDigestOf(version);
}

/**
 * The year's current version, which has this generation's content (the same digest): its report
 * is this snapshot's with the current version's name, number and time, so the stored snapshot is
 * neither read nor parsed (its report object is made only if the caller reads it).
 */
async function unchanged(
  reports: PublishedReports,
  pointers: ReportPointerStore,
  year: number,
  snapshot: ReportSnapshot,
): Promise<GeneratedReport> {
  const published = await pointers.current(year);
  if (!published) throw new Error(`the current report of ${year} disappeared while generating`);
  const { versionNumber } = published;
  if (versionNumber === undefined) {
    // A pointer from before version numbers: its report is read as stored.
    const loaded = await reports.current(year);
    if (!loaded) throw new Error(`the current report of ${year} disappeared while generating`);
    return { published: loaded.published, current: true, generated: false, report: loaded.report };
  }
  let report: Report | undefined;
  return {
    published,
    current: true,
    generated: false,
    get report() {
      report ??= withVersionOf(snapshot.json, published, versionNumber);
      return report;
    },
  };
}

/** A report's JSON text parsed, as published under `published`'s version (same content). */
function withVersionOf(json: string, published: PublishedReport, versionNumber: number): Report {
  const report = JSON.parse(json) as Report;
  report.version = published.version;
  report.versionNumber = versionNumber;
  report.generatedAt = published.generatedAt;
  report.methodology.version = published.version;
  report.methodology.generatedAt = published.generatedAt;
  return report;
}
