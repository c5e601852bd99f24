import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConditionalStore, ItemKey, StoredItem } from '#shared/ports/conditional-store.ts';
import type { IngestionRun } from '#shared/ports/ingestion-store.ts';
import {
  PACKED_LAYOUT,
  type PartialLayout,
  partialKeyOf,
} from '#shared/use-cases/ingestion/partials.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { InconsistentYearError } from '#shared/use-cases/ingestion/year-reads.ts';
import {
  FaultyConditionalStore,
  STORE_FAULTS,
  type StoreFault,
} from '#test/support/faults/faulty-conditional-store.ts';
import { ITEM_PER_PAYLOAD_LAYOUT } from '#test/support/legacy-partial-layout.ts';
import { MemoryConditionalStore } from '#test/support/memory-conditional-store.ts';
import {
  expectedDigest,
  type FileVersion,
  resultOf,
  runDeletion,
  runIngestion,
  sequencer,
  yearDigest,
} from '#test/support/protocol-driver.ts';
import { type RawRow, rowsFor, seededRandom } from '#test/unit/report/raw-rows.ts';

const YEAR = 2025;
const NO_WAIT = { attempts: 3, baseDelayMs: 0, sleep: async () => {} };
const NO_FAULTS = { seed: 1, rate: 0, kinds: [] };

function rows(seed: number, count = 12): RawRow[] {
  const random = seededRandom(seed);
  return [
    ...rowsFor({ country: 'US', role: 'backend', seniority: 'senior' }, count, 9000, random),
    ...rowsFor({ country: 'MX', role: 'backend', seniority: 'senior' }, count, 4000, random),
    ...rowsFor({ country: 'MX', role: 'data', seniority: 'mid' }, seed % 3, 3000, random),
  ];
}

function version(key: string, seq: number, seed: number, years = [YEAR]): FileVersion {
  return {
    key,
    sequencer: sequencer(seq),
    rowsByYear: new Map(years.map((year) => [year, rows(seed + year)])),
  };
}

function setup(inner: ConditionalStore = new MemoryConditionalStore()) {
  const store = inner;
  return { store, protocol: new IngestionProtocol(store, NO_WAIT) };
}

/** The partial items a version's run writes in `year` in this layout. */
function itemsOf(file: FileVersion, layout: PartialLayout = PACKED_LAYOUT, year = YEAR): number {
  return layout.itemsPerYear(resultOf(file).partials).get(year) ?? 0;
}

function partialItems(store: MemoryConditionalStore): StoredItem[] {
  return store.items().filter((item) => item.sort.startsWith('PART#'));
}

describe('the ingestion protocol on an in-memory store', () => {
  it('counts a committed version exactly, and lists its record', async () => {
    const { protocol } = setup();
    const file = version('uploads/2025/a.csv', 1, 1);
    expect(await runIngestion(protocol, file, 'r1')).toBe('committed');
    expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [file]));
    const accepted = file.rowsByYear.get(YEAR)?.length;
    const records = await protocol.listIngestionRecords(YEAR);
    expect(records).toMatchObject([{ key: file.key, status: 'ingested', accepted, years: [YEAR] }]);
    expect((await protocol.readYear(YEAR)).files).toEqual([
      { key: file.key, sequencer: file.sequencer, accepted, rejected: 0, rejectedByReason: {} },
    ]);
  });

  it('reads files stored in the earlier item layout beside packed ones, and collects their items on re-upload and deletion', async () => {
    const memory = new MemoryConditionalStore();
    const earlier = new IngestionProtocol(memory, NO_WAIT, ITEM_PER_PAYLOAD_LAYOUT);
    const { protocol } = setup(memory);
    const old = version('uploads/2025/old.csv', 1, 80, [2024, YEAR]);
    const packed = version('uploads/2025/new.csv', 2, 81);
    expect(await runIngestion(earlier, old, 'r1')).toBe('committed');
    expect(await runIngestion(protocol, packed, 'r2')).toBe('committed');
    expect(partialItems(memory)).toHaveLength(
      itemsOf(old, ITEM_PER_PAYLOAD_LAYOUT, 2024) + itemsOf(old, ITEM_PER_PAYLOAD_LAYOUT) + 1,
    );
    expect(itemsOf(old, ITEM_PER_PAYLOAD_LAYOUT)).toBeGreaterThan(1);
    expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [old, packed]));
    expect(await yearDigest(protocol, 2024)).toEqual(expectedDigest(2024, [old]));
    // A duplicate delivery of the old version only publishes again: nothing changes.
    expect(await runIngestion(protocol, old, 'r3')).toBe('done');
    expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [old, packed]));

    const reupload = version('uploads/2025/old.csv', 3, 82, [YEAR]);
    expect(await runIngestion(protocol, reupload, 'r4')).toBe('committed');
    expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [reupload, packed]));
    expect(await yearDigest(protocol, 2024)).toEqual(new Map());
    expect(
      partialItems(memory)
        .map((item) => partialKeyOf(item).runId)
        .sort(),
    ).toEqual(['r2', 'r4']);
    expect(await runDeletion(protocol, packed.key, sequencer(4))).toBe('deleted');
    expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [reupload]));
  });

  describe('every race and failure of docs/data-model.md', () => {
    it('counts an event delivered twice once; concurrent runs: the first commit wins', async () => {
      const { store, protocol } = setup(new MemoryConditionalStore());
      const file = version('uploads/2025/twice.csv', 1, 2);
      const outcomes = await Promise.all([
        runIngestion(protocol, file, 'r1'),
        runIngestion(protocol, file, 'r2'),
      ]);
      expect(outcomes.sort()).toEqual(['committed', 'duplicate']);
      expect(await runIngestion(protocol, file, 'r3')).toBe('done');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [file]));
      expect(partialItems(store as MemoryConditionalStore)).toHaveLength(itemsOf(file));
    });

    it('recovers exactly from a crash while writing partials, and collects the dead run', async () => {
      const memory = new MemoryConditionalStore();
      const { protocol } = setup(memory);
      const file = version('uploads/2025/crash.csv', 1, 3);
      expect(await runIngestion(protocol, file, 'dead', 'after-partials')).toBe('crashed');
      expect(await yearDigest(protocol, YEAR)).toEqual(new Map());
      expect(await runIngestion(protocol, file, 'retry')).toBe('committed');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [file]));
      expect(partialItems(memory).every((item) => partialKeyOf(item).runId === 'retry')).toBe(true);
    });

    it('shows the previous version until a crash after commit is retried, then the new one', async () => {
      const { protocol } = setup();
      const old = version('uploads/2025/pub.csv', 1, 4);
      const next = version('uploads/2025/pub.csv', 2, 5);
      await runIngestion(protocol, old, 'r1');
      expect(await runIngestion(protocol, next, 'r2', 'after-commit')).toBe('crashed');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [old]));
      expect(await runIngestion(protocol, next, 'r3')).toBe('done');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [next]));
    });

    it('completes a publish that crashed between two years', async () => {
      const intercepted = new InterceptedStore(new MemoryConditionalStore());
      const file1 = version('uploads/2025/years.csv', 1, 6, [YEAR - 1, YEAR]);
      const file2 = version('uploads/2025/years.csv', 2, 7, [YEAR - 1, YEAR]);
      const { protocol } = setup(intercepted);
      await runIngestion(protocol, file1, 'r1');
      intercepted.after = (operation, key) => {
        if (operation === 'compareAndSet' && key?.sort.startsWith('FILE#')) {
          intercepted.after = () => {};
          throw new Error('injected crash after the first pointer');
        }
      };
      await expect(runIngestion(protocol, file2, 'r2')).rejects.toThrow('crash');
      expect(await yearDigest(protocol, YEAR - 1)).toEqual(expectedDigest(YEAR - 1, [file2]));
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [file1]));
      expect(await runIngestion(protocol, file2, 'r3')).toBe('done');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [file2]));
    });

    it('replaces a re-uploaded key, retracting a year the new version has no rows in', async () => {
      const memory = new MemoryConditionalStore();
      const { protocol } = setup(memory);
      const both = version('uploads/2025/re.csv', 1, 8, [YEAR - 1, YEAR]);
      const onlyThisYear = version('uploads/2025/re.csv', 2, 9, [YEAR]);
      await runIngestion(protocol, both, 'r1');
      await runIngestion(protocol, onlyThisYear, 'r2');
      expect(await yearDigest(protocol, YEAR - 1)).toEqual(new Map());
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [onlyThisYear]));
      expect(partialItems(memory).every((item) => partialKeyOf(item).runId === 'r2')).toBe(true);
    });

    it('ignores an older event arriving after a newer one', async () => {
      const { protocol } = setup();
      const older = version('uploads/2025/order.csv', 1, 10);
      const newer = version('uploads/2025/order.csv', 2, 11);
      await runIngestion(protocol, newer, 'r1');
      expect(await runIngestion(protocol, older, 'r2')).toBe('stale');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [newer]));
    });

    it('loses no update when files on the same cells are ingested concurrently', async () => {
      const { protocol } = setup();
      const files = [1, 2, 3, 4].map((n) => version(`uploads/2025/c${n}.csv`, n, 20 + n));
      await Promise.all(files.map((file, index) => runIngestion(protocol, file, `r${index}`)));
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, files));
    });

    it('retracts a deleted file everywhere, and a late creation event of it is stale', async () => {
      const memory = new MemoryConditionalStore();
      const { protocol } = setup(memory);
      const keep = version('uploads/2025/keep.csv', 1, 30);
      const drop = version('uploads/2025/drop.csv', 2, 31, [YEAR - 1, YEAR]);
      await runIngestion(protocol, keep, 'r1');
      await runIngestion(protocol, drop, 'r2');
      expect(await runDeletion(protocol, drop.key, sequencer(3))).toBe('deleted');
      expect(await runIngestion(protocol, drop, 'r3')).toBe('stale');
      expect(await runDeletion(protocol, drop.key, sequencer(3))).toBe('deleted');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [keep]));
      expect(await yearDigest(protocol, YEAR - 1)).toEqual(new Map());
      expect(partialItems(memory).every((item) => partialKeyOf(item).runId === 'r1')).toBe(true);
      expect(await protocol.getRecord(drop.key)).toMatchObject({ status: 'deleted', accepted: 0 });
      expect((await protocol.listIngestionRecords(YEAR)).map((record) => record.key)).toEqual([
        keep.key,
      ]);
    });

    it('leaves orphans of a superseded, crashed run invisible, and the next publish collects them', async () => {
      const memory = new MemoryConditionalStore();
      const { protocol } = setup(memory);
      const slow = version('uploads/2025/orphan.csv', 1, 40);
      const fast = version('uploads/2025/orphan.csv', 2, 41);
      // The slow run claims and writes, then the newer event claims, commits and publishes.
      await runIngestion(protocol, slow, 'slow', 'after-partials');
      await runIngestion(protocol, fast, 'fast');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [fast]));
      expect(partialItems(memory).every((item) => partialKeyOf(item).runId === 'fast')).toBe(true);
      // The slow run resumes: its commit finds the key superseded and it discards its partials.
      const run: IngestionRun = { key: slow.key, sequencer: slow.sequencer, runId: 'slow' };
      expect(await protocol.commit(run, resultOf(slow), 'later')).toBe('superseded');
    });

    it('detects a read torn by a publish and reads again', async () => {
      const memory = new MemoryConditionalStore();
      const { protocol } = setup(memory);
      const versions = [1, 2, 3, 4, 5, 6].map((n) => version('uploads/2025/torn.csv', n, 50 + n));
      await runIngestion(protocol, versions[0] as FileVersion, 'r0');
      const reads: Promise<unknown>[] = [];
      for (const [index, file] of versions.slice(1).entries()) {
        reads.push(yearDigest(protocol, YEAR));
        await runIngestion(protocol, file, `r${index + 1}`);
      }
      const allowed = versions.map((file) => JSON.stringify([...expectedDigest(YEAR, [file])]));
      for (const read of await Promise.all(reads)) {
        expect(allowed).toContain(JSON.stringify([...(read as Map<string, unknown>)]));
      }
    });

    it('never moves a pointer back to a run a same-sequencer deletion replaced', async () => {
      const memory = new MemoryConditionalStore();
      const intercepted = new InterceptedStore(memory);
      const { protocol } = setup(intercepted);
      const file = version('uploads/2025/same.csv', 7, 60);
      // A removal event whose key still had an object was ingested under the removal's sequencer.
      await runIngestion(protocol, file, 'x', 'after-commit');
      // A slow publish has read the record (run x) and waits before reading the pointer...
      const reached = gate();
      const resume = gate();
      intercepted.before = async (operation, key) => {
        if (operation === 'get' && key?.sort.startsWith('FILE#')) {
          intercepted.before = () => {};
          reached.open();
          await resume.opened;
        }
      };
      const slowPublish = protocol.publish(file.key);
      await reached.opened;
      // ...while a redelivery finds the key empty now and deletes it under the same sequencer.
      const other = new IngestionProtocol(memory, NO_WAIT);
      expect(await runDeletion(other, file.key, file.sequencer)).toBe('deleted');
      resume.open();
      await slowPublish;
      expect(await yearDigest(protocol, YEAR)).toEqual(new Map());
    });

    it.each([
      ['packed', PACKED_LAYOUT],
      ['of one payload each, as written before', ITEM_PER_PAYLOAD_LAYOUT],
    ])(
      'names the file and run whose partial items (%s) are missing, and a publish reports the year',
      async (_, layout) => {
        const memory = new MemoryConditionalStore();
        const protocol = new IngestionProtocol(memory, NO_WAIT, layout);
        const file = version('uploads/2025/damaged.csv', 1, 70);
        await runIngestion(protocol, file, 'r1');
        expect(partialItems(memory)).toHaveLength(itemsOf(file, layout));
        const [first] = partialItems(memory);
        if (!first) throw new Error('no partial');
        await memory.deleteAll([first]);
        const error = await protocol.readYear(YEAR).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InconsistentYearError);
        expect((error as InconsistentYearError).disagreements).toEqual([
          {
            key: file.key,
            sequencer: file.sequencer,
            runId: 'r1',
            expectedPartials: itemsOf(file, layout),
            foundPartials: itemsOf(file, layout) - 1,
          },
        ]);
        expect((error as Error).message).toContain(
          `${file.key} (sequencer ${file.sequencer}, run r1)`,
        );
        expect((error as Error).message).toContain('salary-report repair 2025');
        expect(await protocol.publish(file.key)).toEqual({
          incompleteYears: [YEAR],
          pointersWritten: 0,
        });
      },
    );
  });

  describe('every write meeting every fault once', () => {
    const first = version('uploads/2025/ambiguous.csv', 1, 80);
    const second = version('uploads/2025/ambiguous.csv', 2, 81);
    const other = version('uploads/2025/other.csv', 3, 82);
    /** An ingestion, another file, a re-upload of the first, a deletion of the other. */
    async function scenario(protocol: IngestionProtocol): Promise<void> {
      await runIngestion(protocol, first, nextRun());
      await runIngestion(protocol, other, nextRun());
      await runIngestion(protocol, second, nextRun());
      await runDeletion(protocol, other.key, sequencer(4));
    }

    it.each(['putIfAbsent', 'compareAndSet', 'putAll', 'deleteAll'] as const)(
      'converges whichever %s fails in whichever way, redelivered as SQS does',
      async (operation) => {
        const counting = new FaultyConditionalStore(new MemoryConditionalStore(), NO_FAULTS);
        await scenario(new IngestionProtocol(counting, NO_WAIT));
        const calls = counting.calls[operation] ?? 0;
        expect(calls).toBeGreaterThan(0);
        const batch = operation === 'putAll' || operation === 'deleteAll';
        for (const kind of STORE_FAULTS.filter((fault) => fault !== 'partial' || batch)) {
          for (let call = 1; call <= calls; call++) {
            const faulty = new FaultyConditionalStore(new MemoryConditionalStore(), {
              ...NO_FAULTS,
              kinds: [kind],
              operations: [operation],
              onlyCall: call,
            });
            const protocol = new IngestionProtocol(faulty, NO_WAIT);
            const where = `${kind} on ${operation} call ${call} of ${calls}`;
            expect(await untilSettled(() => scenario(protocol)), where).toBe(true);
            await faulty.settled();
            expect(faulty.totalFaults, where).toBe(1);
            expect(await yearDigest(protocol, YEAR), where).toEqual(expectedDigest(YEAR, [second]));
          }
        }
      },
    );

    it('keeps the commit whose answer was lost, instead of discarding the partials the pointer names', async () => {
      const faulty = new FaultyConditionalStore(new MemoryConditionalStore(), {
        ...NO_FAULTS,
        rate: 1,
        kinds: ['unanswered'],
        operations: ['compareAndSet'],
      });
      const protocol = new IngestionProtocol(faulty, NO_WAIT);
      const file = version('uploads/2025/lost-answer.csv', 1, 90);
      expect(await runIngestion(protocol, file, 'r1')).toBe('committed');
      expect(await yearDigest(protocol, YEAR)).toEqual(expectedDigest(YEAR, [file]));
    });
  });

  it('gives a clean run’s year under random fault schedules over uploads, re-uploads and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 31 }),
          rate: fc.double({ min: 0.01, max: 0.1, noNaN: true }),
          kinds: fc.subarray([...STORE_FAULTS], { minLength: 1 }),
          steps: fc.array(
            fc.record({
              file: fc.integer({ min: 0, max: 3 }),
              action: fc.constantFrom('upload', 'upload', 'delete', 'redeliver'),
              years: fc.subarray([YEAR - 1, YEAR], { minLength: 1 }),
            }),
            { minLength: 1, maxLength: 10 },
          ),
        }),
        async ({ seed, rate, kinds, steps }) => {
          const faulty = new FaultyConditionalStore(new MemoryConditionalStore(), {
            seed,
            rate,
            kinds: kinds as StoreFault[],
          });
          const { protocol } = setup(faulty);
          const clean = new IngestionProtocol(new MemoryConditionalStore(), NO_WAIT);
          let clock = 0;
          const present = new Map<string, FileVersion>();
          const events: (() => (store: IngestionProtocol, runId: string) => Promise<unknown>)[] =
            [];
          for (const step of steps) {
            const key = `uploads/2025/file-${step.file}.csv`;
            const seq = sequencer(++clock);
            if (step.action === 'delete') {
              present.delete(key);
              events.push(() => (store) => runDeletion(store, key, seq));
            } else if (step.action === 'upload' || !present.has(key)) {
              const file = version(key, clock, seed + clock, step.years);
              present.set(key, file);
              events.push(() => (store, runId) => runIngestion(store, file, runId));
            } else {
              const file = present.get(key) as FileVersion;
              events.push(() => (store, runId) => runIngestion(store, file, runId));
            }
          }
          for (const event of events) {
            await event()(clean, nextRun());
            const settled = await untilSettled(() => event()(protocol, nextRun()));
            expect(settled).toBe(true);
          }
          faulty.configure({ seed, rate: 0, kinds: [] });
          await faulty.settled();
          for (const year of [YEAR - 1, YEAR]) {
            const expected = await yearDigest(clean, year);
            expect(await yearDigest(protocol, year)).toEqual(expected);
            expect(expected).toEqual(expectedDigest(year, [...present.values()]));
          }
          const shown = (
            records: { key: string; status: string; accepted: number; years: number[] }[],
          ) =>
            records.map(({ key, status, accepted, years }) => ({ key, status, accepted, years }));
          expect(shown(await protocol.listIngestionRecords())).toEqual(
            shown(await clean.listIngestionRecords()),
          );
        },
      ),
      { numRuns: 60, seed: 15 },
    );
  }, 120_000);
});

let runs = 0;
function nextRun(): string {
  return `run${++runs}`;
}

/**
 * Receives a message again after each failure, as SQS does; true once it went through. More
 * receives than SQS allows before its dead-letter queue: what is proven is that every attempt
 * leaves a state the next one completes, however many attempts fail.
 */
async function untilSettled(deliver: () => Promise<unknown>): Promise<boolean> {
  for (let receive = 1; receive <= 30; receive++) {
    try {
      await deliver();
      return true;
    } catch {
      // The message becomes visible again and is received anew.
    }
  }
  return false;
}

type Hook = (operation: string, key: ItemKey | undefined) => Promise<void> | void;

/** Runs hooks around each call to another store: a crash after a write, a pause before a read. */
class InterceptedStore implements ConditionalStore {
  before: Hook = () => {};
  after: Hook = () => {};

  constructor(private readonly inner: ConditionalStore) {}

  get: ConditionalStore['get'] = (key) => this.around('get', key, () => this.inner.get(key));
  getMany: ConditionalStore['getMany'] = (keys) =>
    this.around('getMany', undefined, () => this.inner.getMany(keys));
  putIfAbsent: ConditionalStore['putIfAbsent'] = (key, attributes, index) =>
    this.around('putIfAbsent', key, () => this.inner.putIfAbsent(key, attributes, index));
  compareAndSet: ConditionalStore['compareAndSet'] = (key, version, attributes, index) =>
    this.around('compareAndSet', key, () =>
      this.inner.compareAndSet(key, version, attributes, index),
    );
  query: ConditionalStore['query'] = (partition, prefix) => this.inner.query(partition, prefix);
  queryKeys: ConditionalStore['queryKeys'] = (partition, prefix) =>
    this.inner.queryKeys(partition, prefix);
  queryIndex: ConditionalStore['queryIndex'] = (partition) => this.inner.queryIndex(partition);
  putAll: ConditionalStore['putAll'] = (items) =>
    this.around('putAll', undefined, () => this.inner.putAll(items));
  deleteAll: ConditionalStore['deleteAll'] = (keys) =>
    this.around('deleteAll', undefined, () => this.inner.deleteAll(keys));

  private async around<T>(operation: string, key: ItemKey | undefined, call: () => Promise<T>) {
    await this.before(operation, key);
    const result = await call();
    await this.after(operation, key);
    return result;
  }
}

/** A promise that the test resolves: where a paused call waits. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
