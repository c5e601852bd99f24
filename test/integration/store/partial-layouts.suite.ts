import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '#cli/local/local-aws.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { DynamoReportPointerStore } from '#shared/adapters/report-store-dynamo.ts';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import { contentDigestOf } from '#shared/domain/report/build-report.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import type { StoredItem } from '#shared/ports/conditional-store.ts';
import {
  type GenerateReportDependencies,
  generateReport,
} from '#shared/use-cases/generate-report.ts';
import { PACKED_LAYOUT, partialKeyOf } from '#shared/use-cases/ingestion/partials.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { InconsistentYearError } from '#shared/use-cases/ingestion/year-reads.ts';
import { ITEM_PER_PAYLOAD_LAYOUT } from '#test/support/legacy-partial-layout.ts';
import {
  expectedDigest,
  type FileVersion,
  resultOf,
  runIngestion,
  sequencer,
  yearDigest,
} from '#test/support/protocol-driver.ts';
import { type RawRow, rowsFor, seededRandom } from '#test/unit/report/raw-rows.ts';
import type { DynamoBackend } from '../../support/ingest-harness.ts';
import { startLocalAwsOn } from '../report/local-backend.ts';

const BUCKET = 'partial-layouts-test';
const TABLE = 'partial-layouts-test';
const YEAR = 2025;
const NO_WAIT = { attempts: 2, baseDelayMs: 0, sleep: async () => {} };
const random = seededRandom(1202);

/** A cell whose payload takes two chunks (two items in the earlier layout): 2 bytes a salary. */
const BIG_CELL: RawRow[] = Array.from({ length: 200_000 }, (_, index) => ({
  country: 'US',
  role: 'backend',
  seniority: 'senior',
  monthlyUsdCents: 100_000 + index * 131,
}));
const ROWS_A: RawRow[] = [
  ...BIG_CELL,
  ...rowsFor({ country: 'MX', role: 'backend', seniority: 'senior' }, 15, 4000, random),
  ...rowsFor({ country: 'MX', role: 'data', seniority: 'mid' }, 12, 3000, random),
];
const ROWS_B: RawRow[] = [
  ...rowsFor({ country: 'US', role: 'backend', seniority: 'senior' }, 30, 9000, random),
  ...rowsFor({ country: 'AR', role: 'qa', seniority: 'junior' }, 11, 2000, random),
  ...rowsFor({ country: 'MX', role: 'data', seniority: 'mid' }, 8, 3100, random),
];

function version(key: string, seq: number, rows: readonly RawRow[], year = YEAR): FileVersion {
  return { key, sequencer: sequencer(seq), rowsByYear: new Map([[year, rows]]) };
}

/**
 * Items written by the earlier layout (one item per payload, `PART#…#<cell>#<part>`) and packed
 * items, through the real protocol and the DynamoDB adapter on a real server: a year of either,
 * or of both, reads, publishes, reports and repairs the same.
 */
export function definePartialLayoutsSuite(backend: DynamoBackend): void {
  describe(`partial items of both layouts on ${backend}`, () => {
    let aws: LocalAws;
    let store: DynamoConditionalStore;
    let packed: IngestionProtocol;
    let earlier: IngestionProtocol;
    let deps: GenerateReportDependencies;

    beforeAll(async () => {
      aws = await startLocalAwsOn(backend, { bucketName: BUCKET, tableName: TABLE });
      store = new DynamoConditionalStore(aws.dynamo, TABLE);
      packed = new IngestionProtocol(store, NO_WAIT);
      earlier = new IngestionProtocol(store, NO_WAIT, ITEM_PER_PAYLOAD_LAYOUT);
      let minutes = 0;
      deps = {
        aggregates: packed,
        snapshots: new S3ReportSnapshotStore(aws.s3, BUCKET),
        pointers: new DynamoReportPointerStore(aws.dynamo, TABLE),
        normalizationUsed: async () => ({ exchangeRates: { USD: 1 }, seniorityRules: {} }),
        baseCountry: 'US',
        thresholds: DEFAULT_THRESHOLDS,
        now: () => new Date(Date.UTC(2026, 0, 5, 6, minutes++)),
      };
    });

    afterAll(async () => {
      await aws?.stop();
    });

    async function partialItems(year: number): Promise<StoredItem[]> {
      const items: StoredItem[] = [];
      for await (const item of store.query(`YEAR#${year}`, 'PART#')) items.push(item);
      return items;
    }

    it('reads a year stored in the earlier layout, then mixed, then packed: the same cells and the same report', async () => {
      const a = version('uploads/2025/a.csv', 1, ROWS_A);
      const b = version('uploads/2025/b.csv', 2, ROWS_B);
      expect(await runIngestion(earlier, a, 'r1')).toBe('committed');
      expect(await runIngestion(earlier, b, 'r2')).toBe('committed');
      const legacyItems = await partialItems(YEAR);
      const payloads = resultOf(a).partials.length + resultOf(b).partials.length;
      expect(legacyItems).toHaveLength(payloads);
      expect(legacyItems.every((item) => Object.keys(item.attributes).join() === 'payload')).toBe(
        true,
      );
      expect(legacyItems.filter((item) => item.sort.includes('#US#backend#senior#'))).toHaveLength(
        3,
      );
      expect(await yearDigest(packed, YEAR)).toEqual(expectedDigest(YEAR, [a, b]));
      const first = await generateReport(YEAR, deps);
      expect(first.generated).toBe(true);
      expect(first.report.methodology).toMatchObject({
        files: 2,
        acceptedRows: ROWS_A.length + ROWS_B.length,
      });
      const digest = contentDigestOf(first.published.version);

      // b re-uploaded: stored packed beside a's items of the earlier layout.
      const b2 = version(b.key, 3, ROWS_B);
      expect(await runIngestion(packed, b2, 'r3')).toBe('committed');
      const mixed = await partialItems(YEAR);
      expect(mixed.filter((item) => 'pack' in item.attributes)).toHaveLength(
        PACKED_LAYOUT.itemsPerYear(resultOf(b2).partials).get(YEAR) ?? 0,
      );
      expect(mixed.filter((item) => partialKeyOf(item).runId === 'r2')).toEqual([]);
      expect(await yearDigest(packed, YEAR)).toEqual(expectedDigest(YEAR, [a, b2]));
      const again = await generateReport(YEAR, deps);
      expect(again.generated).toBe(false);
      expect(again.published).toEqual(first.published);

      // a re-uploaded too: only packed items are left, and a regenerated report has the same content.
      const a2 = version(a.key, 4, ROWS_A);
      expect(await runIngestion(packed, a2, 'r4')).toBe('committed');
      const packedOnly = await partialItems(YEAR);
      expect(packedOnly.every((item) => Object.keys(item.attributes).join() === 'pack')).toBe(true);
      expect(packedOnly).toHaveLength(
        (PACKED_LAYOUT.itemsPerYear(resultOf(a2).partials).get(YEAR) ?? 0) +
          (PACKED_LAYOUT.itemsPerYear(resultOf(b2).partials).get(YEAR) ?? 0),
      );
      expect(packedOnly.length).toBeLessThan(payloads);
      const regenerated = await generateReport(YEAR, deps, { regenerate: true });
      expect(regenerated.generated).toBe(true);
      expect(regenerated.published.versionNumber).toBe(2);
      expect(contentDigestOf(regenerated.published.version)).toBe(digest);
      expect(regenerated.report.cells).toEqual(first.report.cells);
    });

    it('finds a missing item of the earlier layout, and a new version of the file repairs the year', async () => {
      const year = 2024;
      const c = version('uploads/2024/c.csv', 5, ROWS_A, year);
      expect(await runIngestion(earlier, c, 'r5')).toBe('committed');
      const [victim] = (await partialItems(year)).filter((item) =>
        item.sort.endsWith('#US#backend#senior#1'),
      );
      if (!victim) throw new Error('no second chunk stored');
      await store.deleteAll([victim]);

      const error = await packed.readYear(year).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InconsistentYearError);
      expect((error as InconsistentYearError).disagreements).toEqual([
        {
          key: c.key,
          sequencer: c.sequencer,
          runId: 'r5',
          expectedPartials: resultOf(c).partials.length,
          foundPartials: resultOf(c).partials.length - 1,
        },
      ]);
      expect(await packed.publish(c.key)).toEqual({ incompleteYears: [year], pointersWritten: 0 });

      const repaired = version(c.key, 6, ROWS_A, year);
      expect(await runIngestion(packed, repaired, 'r6')).toBe('committed');
      expect(await yearDigest(packed, year)).toEqual(expectedDigest(year, [repaired]));
      expect((await partialItems(year)).map((item) => partialKeyOf(item).runId)).toEqual(
        Array.from(
          { length: PACKED_LAYOUT.itemsPerYear(resultOf(repaired).partials).get(year) ?? 0 },
          () => 'r6',
        ),
      );
    });
  });
}
