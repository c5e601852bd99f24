import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PartialItem } from '#shared/domain/partial-payload.ts';
import { StoredAggregateError } from '#shared/errors.ts';
import type { StoredItem } from '#shared/ports/conditional-store.ts';
import {
  encodePack,
  filePartials,
  MAX_PACK_BYTES,
  PACKED_LAYOUT,
  partialKeyOf,
  partialsOfItem,
  writeRunPartials,
} from '#shared/use-cases/ingestion/partials.ts';
import { fileIdOf } from '#shared/use-cases/ingestion/records.ts';
import { ITEM_PER_PAYLOAD_LAYOUT } from '#test/support/legacy-partial-layout.ts';
import { MemoryConditionalStore } from '#test/support/memory-conditional-store.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

const RUN = {
  key: 'uploads/2025/a.csv',
  sequencer: '0000017F3C2A1B0E5D00000000000000',
  runId: 'ab12cd34',
};
const FILE_ID = fileIdOf(RUN.key);
const PAYLOAD = new Uint8Array([2, 7, 7, 7]);

/** A payload told apart from others by its first bytes, its length and its last byte. */
function payloadOf(length: number, seed: number): Uint8Array {
  const payload = new Uint8Array(length).fill(seed % 256);
  payload[0] = 2;
  payload[length - 1] = (seed * 7) % 256;
  return payload;
}

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What the items hold, per year, in (cell, part) order: the payloads must come back unchanged. */
function readBack(items: readonly StoredItem[]): string[] {
  return items
    .flatMap((item) => partialsOfItem(Number(item.partition.slice(5)), item))
    .map(({ year, cell, part, payload }) => `${year}#${cell}#${part}#${digest(payload)}`)
    .sort();
}

function describeAll(partials: readonly PartialItem[]): string[] {
  return partials
    .map(({ year, cell, part, payload }) => `${year}#${cell}#${part}#${digest(payload)}`)
    .sort();
}

describe('packed partial items', () => {
  it('hold several cells per item under keys naming the file, sequencer, run and item number', async () => {
    const store = new MemoryConditionalStore();
    const partials = [
      { year: 2025, cell: 'US#backend#senior', part: 0, payload: payloadOf(40, 1) },
      { year: 2025, cell: 'MX#backend#senior', part: 0, payload: PAYLOAD },
      { year: 2024, cell: 'MX#data#junior', part: 0, payload: payloadOf(9, 2) },
    ];
    await writeRunPartials(store, RUN, partials);

    const items = store.items();
    expect(items.map(({ partition, sort }) => `${partition} ${sort}`).sort()).toEqual([
      `YEAR#2024 PART#${FILE_ID}#${RUN.sequencer}#${RUN.runId}#0`,
      `YEAR#2025 PART#${FILE_ID}#${RUN.sequencer}#${RUN.runId}#0`,
    ]);
    expect(items.every((item) => Object.keys(item.attributes).join() === 'pack')).toBe(true);
    expect(readBack(items)).toEqual(describeAll(partials));
    const [year2025] = items.filter((item) => item.partition === 'YEAR#2025');
    expect(year2025 && partialsOfItem(2025, year2025)).toEqual([
      {
        key: { partition: 'YEAR#2025', sort: year2025?.sort },
        fileId: FILE_ID,
        sequencer: RUN.sequencer,
        runId: RUN.runId,
        year: 2025,
        cell: 'MX#backend#senior',
        part: 0,
        payload: PAYLOAD,
      },
      expect.objectContaining({ cell: 'US#backend#senior', part: 0 }),
    ]);
    expect(await filePartials(store, 2025, FILE_ID, RUN)).toEqual([
      {
        key: { partition: 'YEAR#2025', sort: year2025?.sort },
        fileId: FILE_ID,
        sequencer: RUN.sequencer,
        runId: RUN.runId,
      },
    ]);
    expect(PACKED_LAYOUT.itemsPerYear(partials)).toEqual(
      new Map([
        [2024, 1],
        [2025, 1],
      ]),
    );
  });

  it(
    'give the same items for the same payloads in any order, each under the size limit, as many as counted',
    PROPERTY_TEST,
    () => {
      const entry = fc.record({
        year: fc.constantFrom(2024, 2025),
        cell: fc.constantFrom('US#backend#senior', 'MX#data#mid', 'AR#qa#junior', 'ES#devops#lead'),
        part: fc.nat({ max: 3 }),
        length: fc.oneof(
          fc.integer({ min: 1, max: 2_000 }),
          fc.integer({ min: 100_000, max: MAX_PACK_BYTES - 60 }),
        ),
      });
      fc.assert(
        fc.property(
          fc.uniqueArray(entry, {
            maxLength: 24,
            selector: ({ year, cell, part }) => `${year}#${cell}#${part}`,
          }),
          fc.infiniteStream(fc.nat()),
          (entries, keys) => {
            const partials = entries.map(({ year, cell, part, length }, index) => ({
              year,
              cell,
              part,
              payload: payloadOf(length, index),
            }));
            const shuffled = partials
              .map((partial) => ({ partial, key: keys.next().value as number }))
              .sort((a, b) => a.key - b.key)
              .map(({ partial }) => partial);
            const items = PACKED_LAYOUT.itemsOf(FILE_ID, RUN, partials);
            const summary = (written: typeof items) =>
              written.map(
                ({ key, attributes }) =>
                  `${key.partition} ${key.sort} ${digest(attributes.pack as Uint8Array)}`,
              );
            expect(summary(PACKED_LAYOUT.itemsOf(FILE_ID, RUN, shuffled))).toEqual(summary(items));
            const stored = items.map((item) => ({
              ...item.key,
              version: 0,
              attributes: item.attributes,
            }));
            expect(readBack(stored)).toEqual(describeAll(partials));
            for (const { attributes } of items) {
              expect((attributes.pack as Uint8Array).length).toBeLessThanOrEqual(
                MAX_PACK_BYTES + 60,
              );
            }
            const counted = PACKED_LAYOUT.itemsPerYear(partials);
            for (const year of [2024, 2025]) {
              const inYear = items.filter((item) => item.key.partition === `YEAR#${year}`);
              expect(counted.get(year) ?? 0).toBe(inYear.length);
              // Numbered 0, 1, … per year: a retry writes the same keys.
              expect(inYear.map((item) => item.key.sort.split('#').pop()).sort()).toEqual(
                inYear.map((_, index) => String(index)).sort(),
              );
            }
            // Nearly full payloads take an item each; small ones never open an item of their own
            // while one has room.
            const total = partials.reduce((sum, partial) => sum + partial.payload.length + 30, 0);
            expect(items.length).toBeLessThanOrEqual(
              Math.max(2, 2 * Math.ceil(total / MAX_PACK_BYTES) + 1),
            );
          },
        ),
        { seed: 1202, numRuns: 40 },
      );
    },
  );

  it('fail the read of a damaged pack instead of returning other numbers', () => {
    const sort = `PART#${FILE_ID}#${RUN.sequencer}#${RUN.runId}#0`;
    const good = encodePack([{ cell: 'US#backend#senior', part: 0, payload: PAYLOAD }]);
    const item = (attributes: StoredItem['attributes']): StoredItem => ({
      partition: 'YEAR#2025',
      sort,
      version: 0,
      attributes,
    });
    expect(partialsOfItem(2025, item({ pack: good }))).toHaveLength(1);
    for (const pack of [
      good.subarray(0, good.length - 1),
      Uint8Array.of(...good, 0),
      Uint8Array.of(9, ...good.subarray(1)),
      Uint8Array.of(3, 0),
    ]) {
      expect(() => partialsOfItem(2025, item({ pack }))).toThrow(StoredAggregateError);
    }
    expect(() => partialsOfItem(2025, item({ payload: PAYLOAD }))).toThrow(StoredAggregateError);
  });
});

describe('partial items of one payload each (written before packed items)', () => {
  it('still read: the key names the cell and part, the item holds the payload', async () => {
    const store = new MemoryConditionalStore();
    await writeRunPartials(
      store,
      RUN,
      [
        { year: 2025, cell: 'MX#backend#senior', part: 0, payload: PAYLOAD },
        { year: 2025, cell: 'MX#backend#senior', part: 1, payload: PAYLOAD },
      ],
      ITEM_PER_PAYLOAD_LAYOUT,
    );

    const [item] = store.items();
    expect(item?.attributes).toEqual({ payload: PAYLOAD });
    expect(item && partialsOfItem(2025, item)).toEqual([
      {
        key: { partition: 'YEAR#2025', sort: item?.sort },
        fileId: FILE_ID,
        sequencer: RUN.sequencer,
        runId: RUN.runId,
        cell: 'MX#backend#senior',
        part: 0,
        year: 2025,
        payload: PAYLOAD,
      },
    ]);
    const listed = await filePartials(store, 2025, FILE_ID, RUN);
    expect(
      listed.map(({ key, runId }) => ({ sort: key.sort.split('#').slice(4).join('#'), runId })),
    ).toEqual([
      { sort: 'MX#backend#senior#0', runId: RUN.runId },
      { sort: 'MX#backend#senior#1', runId: RUN.runId },
    ]);
  });

  it('read items written with their key fields as attributes too, as earlier versions wrote them', () => {
    const sort = `PART#${FILE_ID}#${RUN.sequencer}#${RUN.runId}#US#frontend#junior#3`;
    const [partial] = partialsOfItem(2024, {
      partition: 'YEAR#2024',
      sort,
      version: 0,
      attributes: {
        fileId: FILE_ID,
        sequencer: RUN.sequencer,
        runId: RUN.runId,
        cell: 'US#frontend#junior',
        part: 3,
        payload: PAYLOAD,
      },
    });
    expect(partial).toMatchObject({
      fileId: FILE_ID,
      runId: RUN.runId,
      cell: 'US#frontend#junior',
      part: 3,
    });
    expect(partial?.payload).toEqual(PAYLOAD);
  });
});

describe('partial item keys', () => {
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
    for (const sort of [
      'FILE#abc',
      'PART#abc#seq',
      'PART#abc#seq#run',
      'PART#abc#seq#run#x',
      'PART#abc#seq#run#US#backend#senior#x',
    ]) {
      expect(() => partialKeyOf({ partition: 'YEAR#2025', sort })).toThrow(RangeError);
    }
  });
});
