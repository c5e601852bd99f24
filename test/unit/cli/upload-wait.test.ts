import { describe, expect, it } from 'vitest';
import { waitForIngestion } from '#cli/commands/upload.ts';
import type { Target } from '#cli/target.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { MemoryConditionalStore } from '#test/support/memory-conditional-store.ts';
import { type FileVersion, runIngestion, sequencer } from '#test/support/protocol-driver.ts';
import { rowsFor, seededRandom } from '#test/unit/report/raw-rows.ts';

const YEAR = 2025;
const KEY = 'uploads/2025/my survey.csv';

/** Only what the wait reads of a target: its name for messages, and no local stack. */
const TARGET = {
  label: 'an in-memory store',
  commandFlags: [],
  s3: () => Promise.reject(new Error('not used')),
  dynamo: () => Promise.reject(new Error('not used')),
  lambda: () => Promise.reject(new Error('not used')),
} satisfies Target;

const FILE: FileVersion = {
  key: KEY,
  sequencer: sequencer(1),
  rowsByYear: new Map([
    [
      YEAR,
      rowsFor({ country: 'MX', role: 'backend', seniority: 'senior' }, 8, 4000, seededRandom(3)),
    ],
  ]),
};

/**
 * `upload` returns once readers see the file, not once its record says "ingested": the record is
 * committed before the year's pointers are published, and `status --year` or `report` run right
 * after an upload read those pointers. (Waiting on the record alone made the CLI test that lists
 * the records right after an upload fail now and then on a busy machine.) Checked with a zero
 * timeout: one look, no clock involved.
 */
describe('waiting for an upload', () => {
  it('does not end while the committed version is not yet published, and ends once it is', async () => {
    const protocol = new IngestionProtocol(new MemoryConditionalStore());
    expect(await runIngestion(protocol, FILE, 'r1', 'after-commit')).toBe('crashed');
    expect((await protocol.getRecord(KEY))?.status).toBe('ingested');
    expect(await protocol.listIngestionRecords(YEAR)).toEqual([]);

    expect(await waitForIngestion(protocol, KEY, () => true, 0, TARGET)).toBeUndefined();

    await protocol.publish(KEY);
    const record = await waitForIngestion(protocol, KEY, () => true, 0, TARGET);
    expect(record).toMatchObject({ key: KEY, status: 'ingested', accepted: 8 });
    expect(await protocol.listIngestionRecords(YEAR)).toEqual([record]);
  });
});
