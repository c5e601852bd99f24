import type { ReportCounts } from '../domain/report/model.ts';

/** One published version of a year's report: where its snapshot lives and what it holds. */
export interface PublishedReport {
  year: number;
  version: string;
  generatedAt: string;
  jsonKey: string;
  csvKey: string;
  counts: ReportCounts;
}

/** The immutable report files, one folder per version. */
export interface ReportSnapshotStore {
  /** Writes `report.json` and `report.csv` of a version; returns their keys. */
  write(snapshot: {
    year: number;
    version: string;
    json: string;
    csv: string;
  }): Promise<{ jsonKey: string; csvKey: string }>;
  /** The stored JSON text; undefined if the object does not exist. */
  readJson(jsonKey: string): Promise<string | undefined>;
}

/** Which version of each year is the published one, and the history of versions. */
export interface ReportPointerStore {
  /**
   * Records the version in the year's history and makes it current, unless a later version is
   * already current (a slower, older generation never overwrites a newer one). False in that case.
   */
  makeCurrent(report: PublishedReport): Promise<boolean>;
  current(year: number): Promise<PublishedReport | undefined>;
  /** The current version of every year with a report, by year ascending. */
  listCurrent(): Promise<PublishedReport[]>;
  /** Every version ever published for the year, oldest first. */
  history(year: number): Promise<PublishedReport[]>;
}
