import type { ReportCounts } from '../domain/report/model.ts';

/** One published version of a year's report: where its snapshot lives and what it holds. */
export interface PublishedReport {
  year: number;
  version: string;
  /** 1 for the year's first version; absent on pointers written before it was recorded. */
  versionNumber?: number;
  generatedAt: string;
  jsonKey: string;
  csvKey: string;
  counts: ReportCounts;
}

/** The immutable report files, one folder per version. */
export interface ReportSnapshotStore {
  /** Writes `report.json` and `report.csv` of a version (UTF-8 text); returns their keys. */
  write(snapshot: {
    year: number;
    version: string;
    json: Uint8Array;
    csv: Uint8Array;
  }): Promise<{ jsonKey: string; csvKey: string }>;
  /** The stored JSON text; undefined if the object does not exist. */
  readJson(jsonKey: string): Promise<string | undefined>;
}

export type PublishOutcome = 'current' | 'superseded' | 'same-content';

/** Which version of each year is the published one, and the history of versions. */
export interface ReportPointerStore {
  /**
   * Makes the version current and records it in the year's history, unless
   * - the current version has the same content (`contentDigestOf` of the versions), earlier or
   *   later, and `replaceSameContent` is not set: then nothing is recorded, `same-content`;
   * - a later version is already current (a slower, older generation never overwrites a newer
   *   one): then it is only recorded in the history, `superseded`.
   * The checks and the switch are one conditional write, so twin generations racing publish once.
   */
  makeCurrent(
    report: PublishedReport,
    options?: { replaceSameContent?: boolean },
  ): Promise<PublishOutcome>;
  current(year: number): Promise<PublishedReport | undefined>;
  /** The current version of every year with a report, by year ascending. */
  listCurrent(): Promise<PublishedReport[]>;
  /** Every version ever published for the year, oldest first. */
  history(year: number): Promise<PublishedReport[]>;
}
