import { describe, expect, it } from 'vitest';
import {
  filePartials,
  partialFromItem,
  partialKeyOf,
  writeRunPartials,
} from '#shared/use-cases/ingestion/partials.ts';
import { fileIdOf } from '#shared/use-cases/ingestion/records.ts';
import { MemoryConditionalStore } from '#test/support/memory-conditional-store.ts';

const RUN = {
  key: 'uploads/2025/a.csv',
  sequencer: '0000017F3C2A1B0E5D00000000000000',
  runId: 'ab12cd34',
};
const PAYLOAD = new Uint8Array([2, 7, 7, 7]);

describe('partial item keys', () => {
  it('name the file, sequencer, run, cell and part; the item holds only its payload', async () => {
    const store = new MemoryConditionalStore();
    await writeRunPartials(store, RUN, [
      { year: 2025, cell: 'MX#backend#senior', part: 0, payload: PAYLOAD },
      { year: 2025, cell: 'MX#backend#senior', part: 1, payload: PAYLOAD },
    ]);

    const [item] = store.items();
    expect(item?.attributes).toEqual({ payload: PAYLOAD });
    expect(item && partialFromItem(2025, item)).toEqual({
      key: { partition: 'YEAR#2025', sort: item?.sort },
      fileId: fileIdOf(RUN.key),
      sequencer: RUN.sequencer,
      runId: RUN.runId,
      cell: 'MX#backend#senior',
      part: 0,
      year: 2025,
      payload: PAYLOAD,
    });
    const listed = await filePartials(store, 2025, fileIdOf(RUN.key), RUN);
    expect(listed.map(({ cell, part, runId }) => ({ cell, part, runId }))).toEqual([
      { cell: 'MX#backend#senior', part: 0, runId: RUN.runId },
      { cell: 'MX#backend#senior', part: 1, runId: RUN.runId },
    ]);
  });

  it('read items written with their key fields as attributes too, as earlier versions wrote them', () => {
    const fileId = fileIdOf(RUN.key);
    const sort = `PART#${fileId}#${RUN.sequencer}#${RUN.runId}#US#frontend#junior#3`;
    const partial = partialFromItem(2024, {
      partition: 'YEAR#2024',
      sort,
      version: 0,
      attributes: {
        fileId,
        sequencer: RUN.sequencer,
        runId: RUN.runId,
        cell: 'US#frontend#junior',
        part: 3,
        payload: PAYLOAD,
      },
    });
    expect(partial).toMatchObject({
      fileId,
      runId: RUN.runId,
      cell: 'US#frontend#junior',
      part: 3,
    });
    expect(partial.payload).toEqual(PAYLOAD);
  });

  it('refuse a run id or sequencer that the key could not be split at', async () => {
    const store = new MemoryConditionalStore();
    const partials = [{ year: 2025, cell: 'US#backend#senior', part: 0, payload: PAYLOAD }];
    await expect(writeRunPartials(store, { ...RUN, runId: 'a#b' }, partials)).rejects.toThrow(
      'contains #',
    );
    await expect(writeRunPartials(store, { ...RUN, sequencer: 'A#1' }, partials)).rejects.toThrow(
      'contains #',
    );
    expect(store.items()).toEqual([]);
  });

  it('refuse a sort key that is not a partial item', () => {
    for (const sort of ['FILE#abc', 'PART#abc#seq', 'PART#abc#seq#run#US#backend#senior#x']) {
      expect(() => partialKeyOf({ partition: 'YEAR#2025', sort })).toThrow(RangeError);
    }
  });
});
