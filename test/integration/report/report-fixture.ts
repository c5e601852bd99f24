import { encodePartials } from '#shared/domain/partial-payload.ts';
import type { IngestionStore } from '#shared/ports/ingestion-store.ts';
import { baseCellsOf, type RawRow } from '#test/unit/report/raw-rows.ts';

/**
 * Stores rows as one ingested file through the aggregate store's own write path (claim, partials,
 * commit, publish), exactly as the ingestion use case leaves them, without parsing a CSV.
 */
export async function storeIngestedFile(
  store: IngestionStore,
  file: {
    key: string;
    year: number;
    rows: readonly RawRow[];
    rejectedByReason?: Record<string, number>;
  },
): Promise<void> {
  const event = { key: file.key, sequencer: '00000000000000000001', runId: 'fixture' };
  const rejectedByReason = file.rejectedByReason ?? {};
  const rejected = Object.values(rejectedByReason).reduce((total, count) => total + count, 0);
  const counts = { accepted: file.rows.length, rejected, rejectedByReason };
  const partials = encodePartials(baseCellsOf(file.rows, file.year));
  const claim = await store.claim(event, '2026-01-01T00:00:00.000Z');
  if (claim.kind !== 'claimed') throw new Error(`could not claim ${file.key}: ${claim.kind}`);
  await store.writePartials(event, partials);
  const committed = await store.commit(
    event,
    { status: 'ingested', ...counts, partials, perYear: new Map([[file.year, counts]]) },
    '2026-01-01T00:00:01.000Z',
  );
  if (committed !== 'committed') throw new Error(`could not commit ${file.key}: ${committed}`);
  await store.publish(file.key);
}
