import { mulberry32, type Random } from '#cli/sample/prng.ts';
import type {
  Attributes,
  ConditionalStore,
  ConditionalWrite,
  IndexKey,
  ItemKey,
  StoredItem,
} from '#shared/ports/conditional-store.ts';

/**
 * What a DynamoDB client ends up reporting after the faults the proxy injects on the wire
 * (`dynamodb-fault-proxy.ts`), modelled at the port: the protocol's unit tests meet the same
 * failures in memory, in milliseconds.
 *
 * | kind | on the wire | what the caller sees |
 * |---|---|---|
 * | `failed` | throttled or 5xx until the SDK gave up | an error; nothing applied |
 * | `unanswered` | applied, connection dropped, the SDK retried | the retry's answer: a conditional write meets its own write |
 * | `lost` | applied, connection dropped on every attempt | an error; applied |
 * | `late` | held past the timeout, the retry applied first | the retry's answer; the original applied again a moment later |
 * | `partial` | a batch partly applied, the rest unprocessed until the retries gave up | an error; the first half applied |
 */
export const STORE_FAULTS = ['failed', 'unanswered', 'lost', 'late', 'partial'] as const;
export type StoreFault = (typeof STORE_FAULTS)[number];

export class InjectedStoreError extends Error {
  constructor(
    readonly fault: StoreFault,
    readonly operation: string,
  ) {
    super(`injected ${fault} fault on ${operation}`);
    this.name = 'InjectedStoreError';
  }
}

type Operation = keyof ConditionalStore;
const WRITES: readonly Operation[] = ['putIfAbsent', 'compareAndSet', 'putAll', 'deleteAll'];

export interface FaultyStoreOptions {
  seed: number;
  /** Share of calls disturbed. */
  rate: number;
  kinds: readonly StoreFault[];
  /** Only these operations are disturbed (default: every write). */
  operations?: readonly Operation[];
  /** Disturb only this call (1-based, counted over `operations`), whatever the rate. */
  onlyCall?: number;
}

/** A conditional store that disturbs a seeded share of calls to another one. */
export class FaultyConditionalStore implements ConditionalStore {
  private random: Random;
  private options: FaultyStoreOptions;
  private readonly late = new Set<Promise<unknown>>();
  readonly counts: Partial<Record<Operation, Partial<Record<StoreFault, number>>>> = {};
  /** Calls per operation, disturbed or not. */
  readonly calls: Partial<Record<Operation, number>> = {};
  private matchingCalls = 0;

  constructor(
    private readonly inner: ConditionalStore,
    options: FaultyStoreOptions,
  ) {
    this.options = options;
    this.random = mulberry32(options.seed);
  }

  /** Changes the faults from now on (e.g. none, to read the result). */
  configure(options: FaultyStoreOptions): void {
    this.options = options;
    this.random = mulberry32(options.seed);
    this.matchingCalls = 0;
  }

  get totalFaults(): number {
    return Object.values(this.counts)
      .flatMap((kinds) => Object.values(kinds ?? {}))
      .reduce((total, count) => total + count, 0);
  }

  /** Resolves when every late write has landed. */
  async settled(): Promise<void> {
    while (this.late.size > 0) await Promise.allSettled([...this.late]);
  }

  get(key: ItemKey): Promise<StoredItem | undefined> {
    return this.disturb('get', () => this.inner.get(key));
  }

  getMany(keys: readonly ItemKey[]): Promise<StoredItem[]> {
    return this.disturb('getMany', () => this.inner.getMany(keys));
  }

  putIfAbsent(key: ItemKey, attributes: Attributes, index?: IndexKey): Promise<ConditionalWrite> {
    return this.disturb('putIfAbsent', () => this.inner.putIfAbsent(key, attributes, index));
  }

  compareAndSet(
    key: ItemKey,
    expectedVersion: number,
    attributes: Attributes,
    index?: IndexKey,
  ): Promise<ConditionalWrite> {
    return this.disturb('compareAndSet', () =>
      this.inner.compareAndSet(key, expectedVersion, attributes, index),
    );
  }

  async *query(partition: string, sortPrefix: string): AsyncIterable<StoredItem> {
    await this.disturb('query', async () => undefined);
    yield* this.inner.query(partition, sortPrefix);
  }

  async *queryKeys(partition: string, sortPrefix: string): AsyncIterable<ItemKey> {
    await this.disturb('queryKeys', async () => undefined);
    yield* this.inner.queryKeys(partition, sortPrefix);
  }

  async *queryIndex(indexPartition: string): AsyncIterable<StoredItem> {
    await this.disturb('queryIndex', async () => undefined);
    yield* this.inner.queryIndex(indexPartition);
  }

  putAll(items: readonly { key: ItemKey; attributes: Attributes }[]): Promise<void> {
    return this.disturb(
      'putAll',
      () => this.inner.putAll(items),
      () => this.inner.putAll(items.slice(0, Math.ceil(items.length / 2))),
    );
  }

  deleteAll(keys: readonly ItemKey[]): Promise<void> {
    return this.disturb(
      'deleteAll',
      () => this.inner.deleteAll(keys),
      () => this.inner.deleteAll(keys.slice(0, Math.ceil(keys.length / 2))),
    );
  }

  private async disturb<T>(
    operation: Operation,
    call: () => Promise<T>,
    applyPart?: () => Promise<void>,
  ): Promise<T> {
    const fault = this.draw(operation, applyPart !== undefined);
    if (!fault) return call();
    const counts = this.counts[operation] ?? {};
    counts[fault] = (counts[fault] ?? 0) + 1;
    this.counts[operation] = counts;
    switch (fault) {
      case 'failed':
        throw new InjectedStoreError(fault, operation);
      case 'unanswered':
        await call();
        return call();
      case 'lost':
        await call();
        throw new InjectedStoreError(fault, operation);
      case 'late': {
        const answer = await call();
        const original = new Promise((resolve) => setTimeout(resolve, 1)).then(call);
        this.late.add(original);
        void original.finally(() => this.late.delete(original)).catch(() => undefined);
        return answer;
      }
      case 'partial':
        await applyPart?.();
        throw new InjectedStoreError(fault, operation);
    }
  }

  private draw(operation: Operation, isBatch: boolean): StoreFault | undefined {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    const { rate, kinds, operations = WRITES, onlyCall } = this.options;
    if (!operations.includes(operation)) return undefined;
    const applicable = kinds.filter((kind) => kind !== 'partial' || isBatch);
    if (onlyCall !== undefined) {
      return ++this.matchingCalls === onlyCall ? applicable[0] : undefined;
    }
    if (applicable.length === 0 || this.random() >= rate) return undefined;
    return applicable[Math.floor(this.random() * applicable.length)];
  }
}
