import { reportSnapshotKeys } from '../bucket-layout.ts';
import { contentDigestOf } from '../domain/report/build-report.ts';
import type {
  PublishedReport,
  PublishOutcome,
  ReportPointerStore,
  ReportSnapshotStore,
} from '../ports/report-store.ts';

/** Report snapshots and pointers in process memory: unit tests, benchmarks, one-shot tools. */
export class InMemoryReportStore implements ReportSnapshotStore, ReportPointerStore {
  /** The stored objects' bytes, by key (`text` reads one as text). */
  readonly objects = new Map<string, Uint8Array>();
  private readonly currentByYear = new Map<number, PublishedReport>();
  private readonly versions: PublishedReport[] = [];

  async write(snapshot: { year: number; version: string; json: Uint8Array; csv: Uint8Array }) {
    const keys = reportSnapshotKeys(snapshot.year, snapshot.version);
    this.objects.set(keys.jsonKey, snapshot.json);
    this.objects.set(keys.csvKey, snapshot.csv);
    return keys;
  }

  async readJson(jsonKey: string): Promise<string | undefined> {
    return this.text(jsonKey);
  }

  /** A stored object as UTF-8 text; undefined if there is none. */
  text(key: string): string | undefined {
    const bytes = this.objects.get(key);
    return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  }

  async makeCurrent(
    report: PublishedReport,
    options: { replaceSameContent?: boolean } = {},
  ): Promise<PublishOutcome> {
    const current = this.currentByYear.get(report.year);
    if (
      current &&
      !options.replaceSameContent &&
      contentDigestOf(current.version) === contentDigestOf(report.version)
    ) {
      return 'same-content';
    }
    if (current && current.version > report.version) {
      this.versions.push(report);
      return 'superseded';
    }
    this.currentByYear.set(report.year, report);
    this.versions.push(report);
    return 'current';
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
