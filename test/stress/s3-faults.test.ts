import { afterEach, describe, expect, it } from 'vitest';
import { INGESTION } from '#infra/stateless-stack.ts';
import { expectedTotals, randomRows, surveyCsv } from '../support/survey-csv.ts';
import { printFigure, scaled, seeds } from './scale.ts';
import { FaultyPipeline } from './support/faulty-pipeline.ts';

const YEAR = 2025;

/** Files of distinct random rows: `count` files of `rows` rows, seeded. */
function surveyFiles(count: number, rows: number, seed: number) {
  return Array.from({ length: count }, (_, index) => ({
    key: `uploads/${YEAR}/stress-${seed}-${index}.csv`,
    rows: randomRows(rows, seed * 1000 + index),
  }));
}

describe('ingestion under injected S3 faults, exact totals once settled', () => {
  let pipeline: FaultyPipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it.each(seeds(1))(
    'S3 reads that fail or break mid-stream are retried until every file counts once (seed %i)',
    async (seed) => {
      pipeline = await FaultyPipeline.start({
        s3: {
          seed,
          resetAfterBytes: 16 * 1024,
          operations: {
            GetObject: {
              rate: 0.5,
              kinds: ['reset', 'reset', 'reset', 'server-error', 'slow-down', 'refused'],
              keys: (key) => key.startsWith('uploads/'),
              // Within the redrive policy: no message runs out of receives.
              limitPerKey: INGESTION.maxReceiveCount - 1,
            },
            HeadObject: { rate: 0.2, kinds: ['server-error', 'slow-down'] },
          },
        },
      });
      const files = surveyFiles(scaled(12, 60), scaled(2_000, 20_000), seed);

      for (const file of files) await pipeline.upload(file.key, surveyCsv(file.rows));
      await pipeline.settled();

      const faults = pipeline.s3Proxy.counts();
      printFigure(`S3 faults (seed ${seed})`, JSON.stringify(faults.faults));
      expect(faults.faults.GetObject?.reset).toBeGreaterThan(0);
      expect(pipeline.deadLetters).toEqual([]);
      expect(await pipeline.cellTotals(YEAR)).toEqual(
        expectedTotals(
          files.flatMap((file) => file.rows),
          YEAR,
        ),
      );
      for (const file of files) {
        expect(await pipeline.store.getRecord(file.key)).toMatchObject({
          status: 'ingested',
          accepted: file.rows.length,
          rejected: 0,
        });
      }
    },
  );
});
