/**
 * The storage primitives the ingestion protocol needs, and nothing else: items under
 * (partition, sort) keys, written only by put-if-absent or compare-and-set on a version number,
 * read by key or by sort-key prefix, plus unconditional batch puts and deletes for items that
 * are written once under keys of their own. The protocol's decisions (which run counts, what a
 * reader may merge) live in `shared/use-cases/ingestion/`; implementations only keep items.
 *
 * Every write may fail ambiguously (applied, then the answer lost, and retried by the client):
 * a conditional write therefore reports what is stored when it did not apply, and the caller
 * decides from that whether the item already holds its own write.
 */

/** What an attribute may hold: the JSON-like subset every implementation keeps exactly. */
export type StoredValue =
  | string
  | number
  | boolean
  | Uint8Array
  | readonly StoredValue[]
  | { readonly [name: string]: StoredValue };

export type Attributes = { readonly [name: string]: StoredValue };

export interface ItemKey {
  partition: string;
  sort: string;
}

/** A listing key on the store's secondary index (e.g. every ingestion record). */
export interface IndexKey {
  partition: string;
  sort: string;
}

export interface StoredItem extends ItemKey {
  /** 1 after put-if-absent, +1 per compare-and-set; 0 for items only ever written by `putAll`. */
  version: number;
  attributes: Attributes;
}

export type ConditionalWrite =
  | { written: true }
  /** The condition did not hold: `current` is what is stored now (undefined: nothing). */
  | { written: false; current: StoredItem | undefined };

/** Attribute names an implementation keeps for itself; items must not use them. */
export const RESERVED_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'itemVersion'] as const;

/** Every implementation refuses the reserved names alike (the contract suite checks it). */
export function checkAttributes(attributes: Attributes): void {
  for (const name of RESERVED_ATTRIBUTES) {
    if (name in attributes) throw new RangeError(`attribute name ${name} is reserved by the store`);
  }
}

export interface ConditionalStore {
  /** A strongly consistent read of one item. */
  get(key: ItemKey): Promise<StoredItem | undefined>;
  /** Strongly consistent reads of many items; missing ones are left out, order not kept. */
  getMany(keys: readonly ItemKey[]): Promise<StoredItem[]>;
  /** Creates the item at version 1 unless the key holds an item. */
  putIfAbsent(key: ItemKey, attributes: Attributes, index?: IndexKey): Promise<ConditionalWrite>;
  /** Replaces the item, as version `expectedVersion + 1`, if its version is `expectedVersion`. */
  compareAndSet(
    key: ItemKey,
    expectedVersion: number,
    attributes: Attributes,
    index?: IndexKey,
  ): Promise<ConditionalWrite>;
  /** Every item of the partition whose sort key starts with the prefix, in sort-key order, strongly consistent. */
  query(partition: string, sortPrefix: string): AsyncIterable<StoredItem>;
  /**
   * The keys of the same items as `query`, in the same order, without their attributes: what a
   * caller needs to count or delete items costs no transfer of their payloads.
   */
  queryKeys(partition: string, sortPrefix: string): AsyncIterable<ItemKey>;
  /** Every item listed under an index partition, in index sort-key order (eventually consistent). */
  queryIndex(indexPartition: string): AsyncIterable<StoredItem>;
  /** Writes every item (version 0), unconditionally; all are written or the call throws. */
  putAll(items: readonly { key: ItemKey; attributes: Attributes }[]): Promise<void>;
  /** Deletes every key (absent keys are fine); all are deleted or the call throws. */
  deleteAll(keys: readonly ItemKey[]): Promise<void>;
}
