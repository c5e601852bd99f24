import { cellId } from '#shared/domain/cell.ts';
import { encodePartials, type PartialItem } from '#shared/domain/partial-payload.ts';
import { PUBLISHED_QUANTILES } from '#shared/domain/salaries/type7.ts';
import type {
  AggregateReader,
  FileIngestionResult,
  IngestionRun,
  IngestionStore,
  ObjectVersionEvent,
  YearSnapshot,
} from '#shared/ports/ingestion-store.ts';
import { baseCellsOf, type RawRow } from '#test/unit/report/raw-rows.ts';
import { sketchFormatPayload } from './sketch-format.ts';

/** One version of a file as the protocol sees it: rows per year, and its S3 event. */
export interface FileVersion {
  key: string;
  /** Padded S3 sequencer (32 hex digits). */
  sequencer: string;
  rowsByYear: ReadonlyMap<number, readonly RawRow[]>;
  /** Stored in the sketch format, as ingestion wrote partials before exact values. */
  sketchFormat?: boolean;
}

/** A 32-hex-digit sequencer from a small number: later numbers sort after earlier ones. */
export function sequencer(n: number): string {
  return n.toString(16).toUpperCase().padStart(32, '0');
}

export function resultOf(version: FileVersion): FileIngestionResult {
  const perYear = new Map<
    number,
    { accepted: number; rejected: number; rejectedByReason: Record<string, number> }
  >();
  const partials: PartialItem[] = [];
  let accepted = 0;
  for (const [year, rows] of version.rowsByYear) {
    perYear.set(year, { accepted: rows.length, rejected: 0, rejectedByReason: {} });
    accepted += rows.length;
    partials.push(
      ...(version.sketchFormat
        ? sketchFormatPartials(rows, year)
        : encodePartials(baseCellsOf(rows, year))),
    );
  }
  return { status: 'ingested', accepted, rejected: 0, rejectedByReason: {}, partials, perYear };
}

/** One sketch-format item per cell, as ingestion stored partials before exact values. */
function sketchFormatPartials(rows: readonly RawRow[], year: number): PartialItem[] {
  const byCell = new Map<string, number[]>();
  for (const row of rows) {
    const cell = `${row.country}#${row.role}#${row.seniority}`;
    byCell.set(cell, [...(byCell.get(cell) ?? []), row.monthlyUsdCents]);
  }
  return [...byCell].map(([cell, cents]) => ({
    year,
    cell,
    part: 0,
    payload: sketchFormatPayload(cents),
  }));
}

/** Where a run stops, as if its process died there. */
export type CrashPoint = 'after-claim' | 'after-partials' | 'after-commit' | undefined;

export type RunOutcome = 'stale' | 'done' | 'committed' | 'duplicate' | 'superseded' | 'crashed';

/**
 * The steps the ingestion use case takes for one created object, on the protocol alone (no S3,
 * no CSV): claim; write the run's partials; commit; publish — or, having lost, discard.
 */
export async function runIngestion(
  store: IngestionStore,
  version: FileVersion,
  runId: string,
  crash?: CrashPoint,
): Promise<RunOutcome> {
  const event: ObjectVersionEvent = { key: version.key, sequencer: version.sequencer };
  const claim = await store.claim(event, '2026-01-05T06:00:00.000Z');
  if (claim.kind === 'stale') return 'stale';
  if (claim.kind === 'done') {
    await store.publish(version.key);
    return 'done';
  }
  if (crash === 'after-claim') return 'crashed';
  const run: IngestionRun = { ...event, runId };
  const result = resultOf(version);
  await store.writePartials(run, result.partials);
  if (crash === 'after-partials') return 'crashed';
  const outcome = await store.commit(run, result, '2026-01-05T06:00:01.000Z');
  if (outcome !== 'committed') {
    await store.discardPartials(run, [...result.perYear.keys()]);
    if (outcome === 'duplicate') await store.publish(version.key);
    return outcome;
  }
  if (crash === 'after-commit') return 'crashed';
  await store.publish(version.key);
  return 'committed';
}

/** The steps for a removal event of a key that has no current object. */
export async function runDeletion(
  store: IngestionStore,
  key: string,
  removal: string,
): Promise<'deleted' | 'stale'> {
  const committed = await store.commitDeletion(
    { key, sequencer: removal },
    '2026-01-05T06:00:02.000Z',
  );
  if (!committed) return 'stale';
  await store.publish(key);
  return 'deleted';
}

/** A cell as compared between runs: exact moments and every published quantile. */
export interface CellDigest {
  n: number;
  sumCents: string;
  sumSquaresCents: string;
  quantiles: number[];
}

/** Per cell id, in cell id order (so two digests also compare as text). */
export function digestOf(snapshot: YearSnapshot): Map<string, CellDigest> {
  const cells = [...snapshot.cells].sort((a, b) => (cellId(a.cell) < cellId(b.cell) ? -1 : 1));
  return new Map(
    cells.map(({ cell, aggregate }) => [
      cellId(cell),
      {
        n: aggregate.count,
        sumCents: aggregate.sumCents.toString(),
        sumSquaresCents: aggregate.sumSquaresCents.toString(),
        quantiles: Object.values(PUBLISHED_QUANTILES).map((level) => aggregate.quantileUsd(level)),
      },
    ]),
  );
}

/** What a reader must see: the merge of exactly the given file versions' rows. */
export function expectedDigest(
  year: number,
  versions: readonly FileVersion[],
): Map<string, CellDigest> {
  const rows = versions.flatMap((version) => [...(version.rowsByYear.get(year) ?? [])]);
  // Stored partials hold the exact values: a read's quantiles are those of the rows themselves.
  return digestOf({ year, cells: baseCellsOf(rows, year), files: [] });
}

export async function yearDigest(reader: AggregateReader, year: number) {
  return digestOf(await reader.readYear(year));
}
