import {
  type Attributes,
  type ConditionalStore,
  type ConditionalWrite,
  checkAttributes,
  type IndexKey,
  type ItemKey,
  type StoredItem,
} from '#shared/ports/conditional-store.ts';

interface MemoryItem extends StoredItem {
  index?: IndexKey;
}

/**
 * The conditional store in process memory, for the protocol's unit tests. The same contract
 * suite runs on it and on the DynamoDB implementations. Reads and writes copy values, and every
 * call yields to the event loop (queries between items), so concurrent callers interleave as
 * they do against a server.
 */
export class MemoryConditionalStore implements ConditionalStore {
  private readonly partitions = new Map<string, Map<string, MemoryItem>>();

  async get(key: ItemKey): Promise<StoredItem | undefined> {
    await turn();
    const item = this.partitions.get(key.partition)?.get(key.sort);
    return item ? copyOut(item) : undefined;
  }

  async getMany(keys: readonly ItemKey[]): Promise<StoredItem[]> {
    const items: StoredItem[] = [];
    for (const key of keys) {
      const item = await this.get(key);
      if (item) items.push(item);
    }
    return items;
  }

  async putIfAbsent(
    key: ItemKey,
    attributes: Attributes,
    index?: IndexKey,
  ): Promise<ConditionalWrite> {
    checkAttributes(attributes);
    await turn();
    const current = this.partitions.get(key.partition)?.get(key.sort);
    if (current) return { written: false, current: copyOut(current) };
    this.store({ ...key, version: 1, attributes: structuredClone(attributes), ...indexOf(index) });
    return { written: true };
  }

  async compareAndSet(
    key: ItemKey,
    expectedVersion: number,
    attributes: Attributes,
    index?: IndexKey,
  ): Promise<ConditionalWrite> {
    checkAttributes(attributes);
    await turn();
    const current = this.partitions.get(key.partition)?.get(key.sort);
    if (current?.version !== expectedVersion) {
      return { written: false, current: current ? copyOut(current) : undefined };
    }
    this.store({
      ...key,
      version: expectedVersion + 1,
      attributes: structuredClone(attributes),
      ...indexOf(index),
    });
    return { written: true };
  }

  async *query(partition: string, sortPrefix: string): AsyncIterable<StoredItem> {
    const sortKeys = [...(this.partitions.get(partition)?.keys() ?? [])]
      .filter((sort) => sort.startsWith(sortPrefix))
      .sort(compareText);
    for (const sort of sortKeys) {
      await turn();
      // An item deleted since the listing is skipped, as a paged query would miss it.
      const item = this.partitions.get(partition)?.get(sort);
      if (item) yield copyOut(item);
    }
  }

  async *queryKeys(partition: string, sortPrefix: string): AsyncIterable<ItemKey> {
    for await (const item of this.query(partition, sortPrefix)) {
      yield { partition: item.partition, sort: item.sort };
    }
  }

  async *queryIndex(indexPartition: string): AsyncIterable<StoredItem> {
    await turn();
    const listed = [...this.partitions.values()]
      .flatMap((items) => [...items.values()])
      .filter((item) => item.index?.partition === indexPartition)
      .sort((a, b) => compareText(a.index?.sort ?? '', b.index?.sort ?? ''));
    for (const item of listed) yield copyOut(item);
  }

  async putAll(items: readonly { key: ItemKey; attributes: Attributes }[]): Promise<void> {
    for (const { key, attributes } of items) {
      checkAttributes(attributes);
      await turn();
      this.store({ ...key, version: 0, attributes: structuredClone(attributes) });
    }
  }

  async deleteAll(keys: readonly ItemKey[]): Promise<void> {
    for (const key of keys) {
      await turn();
      this.partitions.get(key.partition)?.delete(key.sort);
    }
  }

  /** Every item, for tests that look at what is stored. */
  items(): StoredItem[] {
    return [...this.partitions.values()].flatMap((items) => [...items.values()].map(copyOut));
  }

  private store(item: MemoryItem): void {
    let items = this.partitions.get(item.partition);
    if (!items) {
      items = new Map();
      this.partitions.set(item.partition, items);
    }
    items.set(item.sort, item);
  }
}

function indexOf(index: IndexKey | undefined): { index?: IndexKey } {
  return index ? { index: { ...index } } : {};
}

function copyOut(item: MemoryItem): StoredItem {
  return {
    partition: item.partition,
    sort: item.sort,
    version: item.version,
    attributes: structuredClone(item.attributes),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
