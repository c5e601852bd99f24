import type { Report } from '../../domain/report/model.ts';
import type {
  PublishedReport,
  ReportPointerStore,
  ReportSnapshotStore,
} from '../../ports/report-store.ts';

/** A current report, loaded: the object, its stored JSON text, and where it came from. */
export interface LoadedReport {
  published: PublishedReport;
  report: Report;
  /** The snapshot's bytes as stored, served unchanged when nothing is filtered. */
  json: string;
}

export interface PublishedReportsDependencies {
  pointers: ReportPointerStore;
  snapshots: ReportSnapshotStore;
}

/** How many parsed report versions a warm process keeps (a few years, a few versions each). */
const CACHED_VERSIONS = 16;

/**
 * Reads published reports. The pointer is read on every call, so a regenerated report is served as
 * soon as it is current; the snapshot of a version never changes, so its parsed form is cached.
 */
export class PublishedReports {
  private readonly cache = new Map<string, LoadedReport>();

  constructor(private readonly deps: PublishedReportsDependencies) {}

  list(): Promise<PublishedReport[]> {
    return this.deps.pointers.listCurrent();
  }

  /** The current report of a year; undefined when none was published. */
  async current(year: number): Promise<LoadedReport | undefined> {
    const published = await this.deps.pointers.current(year);
    return published ? this.load(published) : undefined;
  }

  private async load(published: PublishedReport): Promise<LoadedReport> {
    const cached = this.cache.get(published.jsonKey);
    if (cached) return cached;
    const json = await this.deps.snapshots.readJson(published.jsonKey);
    if (json === undefined) {
      throw new Error(`report snapshot ${published.jsonKey} named by the pointer is missing`);
    }
    const loaded: LoadedReport = { published, report: JSON.parse(json) as Report, json };
    this.cache.set(published.jsonKey, loaded);
    if (this.cache.size > CACHED_VERSIONS) {
      const [oldest] = this.cache.keys();
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return loaded;
  }
}
