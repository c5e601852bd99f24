import { reportSnapshotKeys } from '../bucket-layout.ts';
import type {
  PublishedReport,
  ReportPointerStore,
  ReportSnapshotStore,
} from '../ports/report-store.ts';

/** Report snapshots and pointers in process memory: unit tests, benchmarks, one-shot tools. */
export class InMemoryReportStore implements ReportSnapshotStore, ReportPointerStore {
  readonly objects = new Map<string, string>();
  private readonly currentByYear = new Map<number, PublishedReport>();
  private readonly versions: PublishedReport[] = [];

  async write(snapshot: { year: number; version: string; json: string; csv: string }) {
    const keys = reportSnapshotKeys(snapshot.year, snapshot.version);
    this.objects.set(keys.jsonKey, snapshot.json);
    this.objects.set(keys.csvKey, snapshot.csv);
    return keys;
  }

  async readJson(jsonKey: string): Promise<string | undefined> {
    return this.objects.get(jsonKey);
  }

  async makeCurrent(report: PublishedReport): Promise<boolean> {
    this.versions.push(report);
    const current = this.currentByYear.get(report.year);
    if (current && current.version > report.version) return false;
    this.currentByYear.set(report.year, report);
    return true;
  }

  async current(year: number): Promise<PublishedReport | undefined> {
    return this.currentByYear.get(year);
  }

  async listCurrent(): Promise<PublishedReport[]> {
    return [...this.currentByYear.values()].sort((a, b) => a.year - b.year);
  }

  async history(year: number): Promise<PublishedReport[]> {
    return this.versions
      .filter((report) => report.year === year)
      .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  }
}
