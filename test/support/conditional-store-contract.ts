import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConditionalStore, ItemKey, StoredItem } from '#shared/ports/conditional-store.ts';

/** A store under test and how to release what it started. */
export interface ContractSubject {
  store: ConditionalStore;
  stop(): Promise<void>;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * What the ingestion protocol relies on from a conditional store, run against every
 * implementation (memory, dynalite, DynamoDB Local): the in-memory store the protocol's unit
 * tests use behaves as the real ones do.
 */
export function defineConditionalStoreContract(
  name: string,
  start: () => Promise<ContractSubject>,
): void {
  describe(`conditional store contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: ConditionalStore;
    let counter = 0;
    /** A key of its own per test, so tests never see each other's items. */
    const fresh = (sort = 'META'): ItemKey => ({ partition: `TEST#${++counter}`, sort });

    beforeAll(async () => {
      subject = await start();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.stop();
    });

    it('reads nothing where nothing was written', async () => {
      expect(await store.get(fresh())).toBeUndefined();
    });

    it('creates an item at version 1 once, and reports the stored item to a second creator', async () => {
      const key = fresh();
      expect(await store.putIfAbsent(key, { owner: 'first' })).toEqual({ written: true });
      const second = await store.putIfAbsent(key, { owner: 'second' });
      expect(second).toEqual({
        written: false,
        current: { ...key, version: 1, attributes: { owner: 'first' } },
      });
      expect(await store.get(key)).toEqual({ ...key, version: 1, attributes: { owner: 'first' } });
    });

    it('replaces an item only at the expected version, and reports what is stored otherwise', async () => {
      const key = fresh();
      await store.putIfAbsent(key, { step: 1 });
      expect(await store.compareAndSet(key, 1, { step: 2 })).toEqual({ written: true });
      const stale = await store.compareAndSet(key, 1, { step: 'late' });
      expect(stale).toEqual({
        written: false,
        current: { ...key, version: 2, attributes: { step: 2 } },
      });
      expect(await store.compareAndSet(key, 2, { step: 3 })).toEqual({ written: true });
      expect(await store.get(key)).toEqual({ ...key, version: 3, attributes: { step: 3 } });
    });

    it('refuses a compare-and-set on an absent item', async () => {
      const key = fresh();
      expect(await store.compareAndSet(key, 1, { step: 2 })).toEqual({
        written: false,
        current: undefined,
      });
      expect(await store.get(key)).toBeUndefined();
    });

    it('lets exactly one of many concurrent writers at one version win', async () => {
      const key = fresh();
      await store.putIfAbsent(key, { winner: 'none' });
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, index) => store.compareAndSet(key, 1, { winner: index })),
      );
      const winners = outcomes.filter((outcome) => outcome.written);
      expect(winners).toHaveLength(1);
      const stored = await store.get(key);
      expect(stored?.version).toBe(2);
      for (const outcome of outcomes) {
        if (!outcome.written) expect(outcome.current).toEqual(stored);
      }
    });

    it('keeps every kind of attribute value exactly', async () => {
      const key = fresh();
      const attributes = {
        text: 'Encuesta México + Q1',
        empty: '',
        integer: 9_007_199_254_740_991,
        negative: -42,
        fraction: 0.125,
        flag: false,
        bytes: new Uint8Array([0, 1, 2, 254, 255]),
        list: [2024, 2025],
        emptyList: [],
        nested: { byReason: { unknown_role: 4 }, perYear: { '2025': { partials: 3 } } },
        emptyMap: {},
      };
      await store.putIfAbsent(key, attributes);
      const stored = await store.get(key);
      expect(stored?.attributes).toEqual(attributes);
      expect(stored?.attributes.bytes).toBeInstanceOf(Uint8Array);
    });

    it('refuses attribute names it keeps for itself', async () => {
      await expect(store.putIfAbsent(fresh(), { itemVersion: 7 })).rejects.toThrow('reserved');
      await expect(store.putAll([{ key: fresh(), attributes: { PK: 'x' } }])).rejects.toThrow(
        'reserved',
      );
    });

    it('queries a partition by sort-key prefix, in sort-key order', async () => {
      const { partition } = fresh();
      const sorts = ['PART#b#2', 'FILE#a', 'PART#a#1', 'PART#b#1', 'PARTY'];
      await store.putAll(sorts.map((sort) => ({ key: { partition, sort }, attributes: { sort } })));
      const parts = await collect(store.query(partition, 'PART#'));
      expect(parts.map((item) => item.sort)).toEqual(['PART#a#1', 'PART#b#1', 'PART#b#2']);
      expect(parts.every((item) => item.version === 0)).toBe(true);
      const all = await collect(store.query(partition, ''));
      expect(all.map((item) => item.sort)).toEqual([...sorts].sort());
      expect(await collect(store.query(partition, 'NONE#'))).toEqual([]);
    });

    it('lists the keys a query finds, in the same order, without reading their attributes', async () => {
      const { partition } = fresh();
      const sorts = ['PART#b#2', 'FILE#a', 'PART#a#1', 'PART#b#1', 'PARTY'];
      await store.putAll(
        sorts.map((sort) => ({
          key: { partition, sort },
          attributes: { payload: new Uint8Array(1_000).fill(1) },
        })),
      );
      expect(await collect(store.queryKeys(partition, 'PART#'))).toEqual(
        ['PART#a#1', 'PART#b#1', 'PART#b#2'].map((sort) => ({ partition, sort })),
      );
      expect(await collect(store.queryKeys(partition, ''))).toEqual(
        [...sorts].sort().map((sort) => ({ partition, sort })),
      );
      expect(await collect(store.queryKeys(partition, 'NONE#'))).toEqual([]);
    });

    it('follows a query over more items than one page holds', async () => {
      const { partition } = fresh();
      const payload = new Uint8Array(100_000).fill(7);
      const items = Array.from({ length: 14 }, (_, index) => ({
        key: { partition, sort: `PART#${String(index).padStart(2, '0')}` },
        attributes: { payload },
      }));
      await store.putAll(items);
      const read = await collect(store.query(partition, 'PART#'));
      expect(read.map((item) => item.sort)).toEqual(items.map((item) => item.key.sort));
      expect(read.every((item) => (item.attributes.payload as Uint8Array).length === 100_000)).toBe(
        true,
      );
    });

    it('writes and deletes more items than one batch holds; repeats change nothing', async () => {
      const { partition } = fresh();
      const items = Array.from({ length: 60 }, (_, index) => ({
        key: { partition, sort: `PART#${String(index).padStart(3, '0')}` },
        attributes: { index },
      }));
      await store.putAll(items);
      await store.putAll(items);
      expect(await collect(store.query(partition, 'PART#'))).toHaveLength(60);
      const firstHalf = items.slice(0, 30).map((item) => item.key);
      await store.deleteAll(firstHalf);
      await store.deleteAll(firstHalf);
      const left = await collect(store.query(partition, 'PART#'));
      expect(left.map((item) => item.attributes.index)).toEqual(
        items.slice(30).map((item) => item.attributes.index),
      );
      await store.putAll([]);
      await store.deleteAll([]);
    });

    it('reads many items by key, leaving out the missing ones', async () => {
      const keys = Array.from({ length: 130 }, () => fresh());
      for (const key of keys.slice(0, 120))
        await store.putIfAbsent(key, { partition: key.partition });
      const read = await store.getMany(keys);
      expect(read.map((item) => item.attributes.partition).sort()).toEqual(
        keys
          .slice(0, 120)
          .map((key) => key.partition)
          .sort(),
      );
      expect(await store.getMany([])).toEqual([]);
    });

    it('lists items under an index partition in index sort-key order, with their attributes', async () => {
      const index = `LIST#${++counter}`;
      const keys = ['c', 'a', 'b'].map((name) => ({ key: fresh(), name }));
      for (const { key, name } of keys) {
        await store.putIfAbsent(key, { name }, { partition: index, sort: name });
      }
      const [first] = keys;
      if (first) {
        await store.compareAndSet(
          first.key,
          1,
          { name: 'c', edited: true },
          { partition: index, sort: 'c' },
        );
      }
      await store.putIfAbsent(fresh(), { name: 'unlisted' });
      let listed: StoredItem[] = [];
      // The index is eventually consistent on DynamoDB: poll until it caught up.
      for (let attempt = 0; attempt < 50 && listed.length < 3; attempt++) {
        listed = await collect(store.queryIndex(index));
        if (listed.length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(listed.map((item) => item.attributes)).toEqual([
        { name: 'a' },
        { name: 'b' },
        { name: 'c', edited: true },
      ]);
    });
  });
}
