import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinChunks, MAX_CHUNK_BYTES, splitIntoChunks } from '#shared/domain/salaries/chunks.ts';
import { StoredAggregateError } from '#shared/errors.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

const payloadArbitrary = fc.uint8Array({ maxLength: 5_000 });
const chunkSizeArbitrary = fc.integer({ min: 42, max: 1_200 });

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, index) => ({ item, key: (keys[index] ?? 0) + index / 1e6 }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

describe('splitIntoChunks / joinChunks', () => {
  it(
    'joins chunks given in any order back into the payload, each chunk within the limit',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          payloadArbitrary,
          chunkSizeArbitrary,
          fc.array(fc.nat(), { maxLength: 200 }),
          (payload, size, keys) => {
            const chunks = splitIntoChunks(payload, size);
            for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(size);
            expect(Buffer.from(joinChunks(shuffled(chunks, keys)))).toEqual(Buffer.from(payload));
          },
        ),
        { seed: 301, numRuns: 300 },
      );
    },
  );

  it('keeps a payload that fits in one chunk, an empty one included', () => {
    expect(splitIntoChunks(new Uint8Array(1_000))).toHaveLength(1);
    expect(joinChunks(splitIntoChunks(new Uint8Array(0)))).toHaveLength(0);
  });

  it('cuts a payload larger than the DynamoDB item limit into items that fit', () => {
    const payload = new Uint8Array(1_000_000).map((_, index) => index % 251);
    const chunks = splitIntoChunks(payload);
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    // Buffer#equals: a deep comparison of a million bytes would take seconds.
    expect(Buffer.from(joinChunks(chunks)).equals(payload)).toBe(true);
  });

  it('detects a missing chunk, whichever it is', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 200, maxLength: 2_000 }),
        fc.nat(),
        (payload, pick) => {
          const chunks = splitIntoChunks(payload, 100);
          const missing = pick % chunks.length;
          const rest = chunks.filter((_, index) => index !== missing);
          expect(() => joinChunks(rest)).toThrow(new RegExp(`missing \\(${missing}[,)]`));
        },
      ),
      { seed: 302, numRuns: 100 },
    );
  });

  it('detects a repeated chunk, even with the right number of chunks', () => {
    const chunks = splitIntoChunks(new Uint8Array(500).fill(7), 100);
    const [first, second] = chunks as [Uint8Array, Uint8Array];
    expect(() => joinChunks([...chunks, first])).toThrow(/chunk 0 of \d+ is repeated/);
    expect(() => joinChunks([first, first, ...chunks.slice(2)])).toThrow(/repeated/);
    expect(second).toBeDefined();
  });

  it('detects a chunk of another payload (another run of the same file)', () => {
    const ours = splitIntoChunks(new Uint8Array(500).fill(1), 100);
    const theirs = splitIntoChunks(new Uint8Array(500).fill(2), 100);
    expect(() => joinChunks([...ours.slice(0, -1), theirs.at(-1) as Uint8Array])).toThrow(
      /different payloads/,
    );
  });

  it('detects any damaged byte', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (payload, at, flip) => {
          const chunks = splitIntoChunks(payload, 150).map((chunk) => Uint8Array.from(chunk));
          const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
          let offset = at % total;
          const target = chunks.find((chunk) => {
            if (offset < chunk.length) return true;
            offset -= chunk.length;
            return false;
          }) as Uint8Array;
          target[offset] = (target[offset] as number) ^ flip;
          expect(() => joinChunks(chunks)).toThrow(StoredAggregateError);
        },
      ),
      { seed: 303, numRuns: 300 },
    );
  });

  it('refuses no chunks at all and a chunk size too small for the header', () => {
    expect(() => joinChunks([])).toThrow(/no chunks/);
    expect(() => splitIntoChunks(new Uint8Array(10), 20)).toThrow(RangeError);
  });
});
