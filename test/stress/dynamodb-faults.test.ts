import { afterEach, describe, expect, it } from 'vitest';
import { DynamoReportPointerStore } from '#shared/adapters/report-store-dynamo.ts';
import { generateReport } from '#shared/use-cases/generate-report.ts';
import { expectedTotals, randomRows, surveyCsv, type UsdRow } from '../support/survey-csv.ts';
import { printFigure, scaled, seeds } from './scale.ts';
import { BUCKET, FaultyPipeline, TABLE } from './support/faulty-pipeline.ts';

const YEAR = 2025;

/** Files of distinct random rows: `count` files of `rows` rows, seeded. */
function surveyFiles(count: number, rows: number, seed: number) {
  return Array.from({ length: count }, (_, index) => ({
    key: `uploads/${YEAR}/stress-${seed}-${index}.csv`,
    rows: randomRows(rows, seed * 1000 + index),
  }));
}

describe('ingestion and report generation under injected DynamoDB faults', () => {
  let pipeline: FaultyPipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it.each(seeds(7))(
    'DynamoDB throttling, 5xx, dropped answers and UnprocessedItems: exact totals and one report version per generation (seed %i)',
    async (seed) => {
      pipeline = await FaultyPipeline.start({
        consumers: 2,
        dynamo: {
          seed,
          faults: {
            rate: 0.15,
            kinds: ['throttle', 'throughput', 'server-error', 'unavailable', 'unanswered'],
          },
          operations: {
            // A file's partials are one packed item: few batches, so the first fault drawn
            // among them is an UnprocessedItems answer.
            BatchWriteItem: {
              rate: 0.3,
              kinds: ['unprocessed', 'unprocessed', 'throttle', 'server-error', 'unanswered'],
              firstKind: 'unprocessed',
            },
          },
        },
      });
      const files = surveyFiles(scaled(10, 40), scaled(1_500, 10_000), seed);
      const replacement: UsdRow[] = randomRows(scaled(700, 5_000), seed + 99);
      const [replaced, removed] = files;
      if (!replaced || !removed) throw new Error('too few files');

      for (const file of files) await pipeline.upload(file.key, surveyCsv(file.rows));
      await pipeline.settled();
      // A re-upload replaces a file's rows; a deletion takes them out.
      await pipeline.upload(replaced.key, surveyCsv(replacement));
      await pipeline.aws.s3.send(
        new (await import('@aws-sdk/client-s3')).DeleteObjectCommand({
          Bucket: BUCKET,
          Key: removed.key,
        }),
      );
      await pipeline.settled();

      const current = [...replacement, ...files.slice(2).flatMap((file) => file.rows)];
      expect(pipeline.deadLetters).toEqual([]);
      expect(await pipeline.cellTotals(YEAR)).toEqual(expectedTotals(current, YEAR));
      expect(await pipeline.store.getRecord(removed.key)).toMatchObject({ status: 'deleted' });

      // Report generation through the same faults, each run retried as Lambda retries a failed
      // asynchronous invocation; three forced runs publish three distinct versions, none twice,
      // and a run on unchanged data publishes nothing.
      // The handler module reads its configuration at load: the pipeline has set the names.
      const { createGenerateReportDependencies } = await import('#functions/generate-report.ts');
      const faulty = createGenerateReportDependencies(pipeline.faultyS3, pipeline.faultyDynamo, {
        bucketName: BUCKET,
        tableName: TABLE,
        reportBaseCountry: 'US',
        uploadMaxBytes: 1024,
        corsAllowOrigin: '*',
      });
      const generated: string[] = [];
      for (let run = 0; run < 3; run++) {
        const now = new Date(Date.UTC(YEAR + 1, 0, 5, 6, run));
        const report = await retried(() =>
          generateReport(YEAR, { ...faulty, now: () => now }, { regenerate: true }),
        );
        generated.push(report.published.version);
      }
      const unchanged = await retried(() =>
        generateReport(YEAR, { ...faulty, now: () => new Date(Date.UTC(YEAR + 1, 0, 5, 7)) }),
      );
      const pointers = new DynamoReportPointerStore(pipeline.aws.dynamo, TABLE);
      const history = (await pointers.history(YEAR)).map((report) => report.version);
      expect(history).toEqual(generated);
      expect(new Set(history).size).toBe(3);
      expect(unchanged).toMatchObject({
        generated: false,
        published: { version: generated.at(-1) },
      });
      expect((await pointers.current(YEAR))?.version).toBe(generated.at(-1));
      expect((await pointers.current(YEAR))?.counts.respondents).toBe(current.length);

      const faults = pipeline.dynamoProxy.counts();
      printFigure(`DynamoDB faults (seed ${seed})`, JSON.stringify(faults.faults));
      expect(faults.faults.BatchWriteItem?.unprocessed).toBeGreaterThan(0);
      expect(faults.totalFaults).toBeGreaterThan(files.length);
    },
  );
});

/** Runs `attempt` again when it throws, up to three runs in all (Lambda's asynchronous retries). */
async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let run = 0; run < 3; run++) {
    try {
      return await attempt();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
