import { afterEach, describe, expect, it } from 'vitest';
import { INGESTION } from '#infra/stateless-stack.ts';
import { parseS3NotificationBody } from '#shared/adapters/s3-notification-messages.ts';
import { captureLogs } from '../support/log-capture.ts';
import { expectedTotals, randomRows, surveyCsv } from '../support/survey-csv.ts';
import { FaultyPipeline } from './support/faulty-pipeline.ts';

const YEAR = 2025;
const POISON = `uploads/${YEAR}/encrypted-with-a-foreign-key.csv`;

describe('a message that always fails', () => {
  let pipeline: FaultyPipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('is dead-lettered after the redrive policy’s receives, its reason logged, the others ingested', async () => {
    // S3 refuses every read of one object, as it does for an object under a KMS key the
    // function may not use: no retry can succeed.
    pipeline = await FaultyPipeline.start({
      s3: {
        operations: { GetObject: { rate: 1, kinds: ['denied'], keys: (key) => key === POISON } },
      },
    });
    const files = Array.from({ length: 9 }, (_, index) => ({
      key: `uploads/${YEAR}/healthy-${index}.csv`,
      rows: randomRows(300, 500 + index),
    }));
    const faulty = pipeline;

    const { entries } = await captureLogs(async () => {
      await faulty.upload(POISON, surveyCsv(randomRows(100, 1)));
      for (const file of files) await faulty.upload(file.key, surveyCsv(file.rows));
      await faulty.settled();
    });

    expect(pipeline.deadLetters).toHaveLength(1);
    const [letter] = pipeline.deadLetters;
    expect(letter?.receiveCount).toBe(INGESTION.maxReceiveCount);
    expect(parseS3NotificationBody(letter?.body ?? '').map((event) => event.key)).toEqual([POISON]);

    const failures = entries.filter(
      (entry) => entry.level === 'ERROR' && entry.messageId === letter?.messageId,
    );
    expect(failures).toHaveLength(INGESTION.maxReceiveCount);
    for (const failure of failures) {
      expect(failure.message).toBe('s3 event failed; it will be retried');
      expect(failure.error).toMatchObject({ name: 'AccessDenied', message: 'Access Denied' });
    }

    expect(await pipeline.cellTotals(YEAR)).toEqual(
      expectedTotals(
        files.flatMap((file) => file.rows),
        YEAR,
      ),
    );
    for (const file of files) {
      expect(await pipeline.store.getRecord(file.key)).toMatchObject({ status: 'ingested' });
    }
  });
});
