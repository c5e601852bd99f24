import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '#cli/local/local-aws.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { DynamoReportPointerStore } from '#shared/adapters/report-store-dynamo.ts';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import type { PublishedCell } from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { NotFoundError } from '#shared/errors.ts';
import {
  type GenerateReportDependencies,
  generateReport,
} from '#shared/use-cases/generate-report.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { exactStatistics, rowsFor, seededRandom } from '#test/unit/report/raw-rows.ts';
import type { DynamoBackend } from '../../support/ingest-harness.ts';
import { startLocalAwsOn } from './local-backend.ts';
import { storeIngestedFile } from './report-fixture.ts';

const BUCKET = 'report-generation-test';
const TABLE = 'report-generation-test';
const random = seededRandom(99);
const ROWS = [
  ...rowsFor({ country: 'US', role: 'backend', seniority: 'senior' }, 40, 9000, random),
  ...rowsFor({ country: 'MX', role: 'backend', seniority: 'senior' }, 15, 4000, random),
  // Two small cells under one published country-role: they protect each other.
  ...rowsFor({ country: 'MX', role: 'data', seniority: 'mid' }, 4, 3000, random),
  ...rowsFor({ country: 'MX', role: 'data', seniority: 'junior' }, 2, 2000, random),
];

/** The suite on one DynamoDB implementation; `*.test.ts` files pick which. */
export function defineGenerateReportSuite(backend: DynamoBackend): void {
  describe(`generateReport against local S3 and ${backend}`, () => {
    let aws: LocalAws;
    let deps: GenerateReportDependencies;
    let pointers: DynamoReportPointerStore;
    let snapshots: S3ReportSnapshotStore;

    beforeAll(async () => {
      aws = await startLocalAwsOn(backend, { bucketName: BUCKET, tableName: TABLE });
      const aggregates = new IngestionProtocol(new DynamoConditionalStore(aws.dynamo, TABLE));
      await storeIngestedFile(aggregates, {
        key: 'uploads/2025/a.csv',
        year: 2025,
        rows: ROWS.slice(0, 30),
        rejectedByReason: { unknown_country: 2 },
      });
      await storeIngestedFile(aggregates, {
        key: 'uploads/2025/b.csv',
        year: 2025,
        rows: ROWS.slice(30),
      });
      pointers = new DynamoReportPointerStore(aws.dynamo, TABLE);
      snapshots = new S3ReportSnapshotStore(aws.s3, BUCKET);
      let minutes = 0;
      deps = {
        aggregates,
        snapshots,
        pointers,
        normalizationUsed: async () => ({ exchangeRates: { USD: 1 }, seniorityRules: {} }),
        baseCountry: 'US',
        thresholds: DEFAULT_THRESHOLDS,
        // Every generation a minute after the previous one.
        now: () => new Date(Date.UTC(2026, 0, 5, 6, minutes++)),
      };
    });

    afterAll(async () => {
      await aws?.stop();
    });

    it('publishes statistics merged across files that equal the raw rows', async () => {
      const { published, report } = await generateReport(2025, deps);

      const overall = report.cells.find((cell) => cell.level === 'overall') as PublishedCell;
      const exact = exactStatistics(ROWS);
      expect(overall.n).toBe(exact.n);
      expect(overall.monthly.mean).toBe(exact.meanUsd);
      const mexico = report.cells.find(
        (cell) =>
          cell.level === 'country-role-seniority' &&
          cell.country === 'MX' &&
          cell.role === 'backend',
      ) as PublishedCell;
      expect(mexico.n).toBe(15);
      expect(
        report.cells.find(
          (cell) => cell.level === 'country-role-seniority' && cell.role === 'data',
        ),
      ).toEqual({
        level: 'country-role-seniority',
        country: 'MX',
        role: 'data',
        seniority: 'junior',
        suppressed: true,
        suppression: 'primary',
      });
      expect(report.methodology).toMatchObject({
        files: 2,
        acceptedRows: ROWS.length,
        rejectedRows: 2,
        rejectedByReason: { unknown_country: 2 },
      });
      expect(JSON.parse((await snapshots.readJson(published.jsonKey)) ?? '')).toEqual(report);
      expect(await pointers.current(2025)).toEqual(published);
    });

    it('publishes nothing when the same aggregates are generated again', async () => {
      const first = await pointers.current(2025);
      const again = await generateReport(2025, deps);

      expect(again.generated).toBe(false);
      expect(again.published).toEqual(first);
      expect(await pointers.history(2025)).toEqual([first]);
    });

    it('publishes version 2 once the data changed, even when two generations race', async () => {
      const first = await pointers.current(2025);
      await storeIngestedFile(
        new IngestionProtocol(new DynamoConditionalStore(aws.dynamo, TABLE)),
        {
          key: 'uploads/2025/c.csv',
          year: 2025,
          rows: ROWS.slice(0, 6),
        },
      );

      const twins = await Promise.all([generateReport(2025, deps), generateReport(2025, deps)]);

      const current = await pointers.current(2025);
      expect(current?.versionNumber).toBe(2);
      expect(twins.map((twin) => twin.published)).toEqual([current, current]);
      expect(twins.filter((twin) => twin.generated)).toHaveLength(1);
      expect(await pointers.history(2025)).toEqual([first, current]);
      expect(await pointers.listCurrent()).toEqual([current]);
    });

    it('publishes the same content again as a new version when asked to regenerate', async () => {
      const before = await pointers.current(2025);
      const forced = await generateReport(2025, deps, { regenerate: true });

      expect(forced.generated).toBe(true);
      expect(forced.published.version > (before?.version ?? '')).toBe(true);
      expect(forced.published.versionNumber).toBe(3);
      const previous = JSON.parse((await snapshots.readJson(before?.jsonKey ?? '')) ?? '{}');
      expect(forced.report.cells).toEqual(previous.cells);
      expect(await pointers.current(2025)).toEqual(forced.published);
    });

    it('answers a year without data with NotFoundError', async () => {
      await expect(generateReport(2024, deps)).rejects.toThrow(NotFoundError);
    });
  });
}
