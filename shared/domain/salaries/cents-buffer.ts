import {
  ByteReader,
  ByteWriter,
  mergeEncodedRuns,
  readSortedCentsInto,
  writeSortedCents,
} from './cents-codec.ts';
import { mergeAdjacentRuns, sortCents, sortUint32 } from './sorted-cents.ts';

/**
 * Values a cell holds uncompressed while a file is read, before they are sorted and compressed
 * into a run: 16 KB per cell of 4-byte cents.
 */
export const BLOCK_VALUES = 4096;

const INITIAL_CAPACITY = 16;

/** Growing a `SortSpace` reserves at most this many values more than asked (8 MB). */
const MAX_SLACK_GROWTH = 1 << 20;

/** Where runs are encoded and merged, reused (the runs kept are copies of what it holds). */
const spillWriter = new ByteWriter(5 * BLOCK_VALUES + 16);

/**
 * The values of one cell as ingestion meets them, appended one respondent at a time (amortized
 * O(1), no per-row allocation) in bounded memory: cents are held as 4-byte integers while they
 * fit (every salary below $42 million a month), and each time a block of `blockValues` is full it
 * is sorted and kept as a compressed sorted run (the stored codec's first value + varint gaps,
 * `writeSortedCents`: about 1–2.5 bytes per salary instead of 8), so memory grows at the compressed
 * rate. Handing the values over merges the runs into one sorted run: the same values, in the same
 * order, whatever the block size.
 *
 * A value that is not a whole number below 2^32 turns the block into 8-byte doubles; a full block
 * holding a value the codec cannot store (a fraction, a negative number, beyond 2^53) is kept as
 * a plain sorted run.
 */
export class CentsBuffer {
  /** The block while every value in it fits in 32 bits. */
  private narrow: Uint32Array | undefined;
  /** The block once a value did not fit (then `narrow` is undefined). */
  private wide: Float64Array | undefined;
  private blockSize = 0;
  /** Compressed sorted runs, longest first, each at least twice as long as the next. */
  private readonly encodedRuns: Uint8Array[] = [];
  /** How many values each of `encodedRuns` holds. */
  private readonly encodedCounts: number[] = [];
  private readonly plainRuns: Float64Array[] = [];
  private size = 0;

  constructor(private readonly blockValues: number = BLOCK_VALUES) {
    if (!Number.isInteger(blockValues) || blockValues < 1) {
      throw new RangeError(`a block holds at least one value, not ${blockValues}`);
    }
    this.narrow = new Uint32Array(Math.min(INITIAL_CAPACITY, blockValues));
  }

  get length(): number {
    return this.size;
  }

  push(cents: number): void {
    const narrow = this.narrow;
    if (narrow !== undefined && cents === cents >>> 0) {
      if (this.blockSize === narrow.length) {
        this.makeRoom();
        this.push(cents);
        return;
      }
      narrow[this.blockSize++] = cents;
    } else {
      const wide = this.wide ?? this.widen();
      if (this.blockSize === wide.length) {
        this.makeRoom();
        this.push(cents);
        return;
      }
      wide[this.blockSize++] = cents;
    }
    this.size += 1;
  }

  /** Appends `values[start..end)` in order, as `push` one by one would, a block's room at a time. */
  pushAll(values: Float64Array, start: number, end: number): void {
    let at = start;
    while (at < end) {
      const narrow = this.narrow;
      if (narrow === undefined) {
        this.push(values[at] as number);
        at += 1;
        continue;
      }
      if (this.blockSize === narrow.length) {
        this.makeRoom(end - at);
        continue;
      }
      const room = Math.min(end - at, narrow.length - this.blockSize);
      let size = this.blockSize;
      let copied = 0;
      while (copied < room) {
        const cents = values[at + copied] as number;
        if (cents !== cents >>> 0) break;
        narrow[size++] = cents;
        copied += 1;
      }
      this.blockSize = size;
      this.size += copied;
      at += copied;
      if (copied < room) {
        // A value beyond 32 bits: `push` widens the block.
        this.push(values[at] as number);
        at += 1;
      }
    }
  }

  /**
   * Every value, sorted ascending, in `space` (valid until the space is used again); the buffer
   * keeps its values. Runs are decoded side by side and merged level by level between the
   * space's two buffers, so sorting cell after cell allocates nothing once the space has grown.
   */
  sortedIn(space: SortSpace): Float64Array {
    const target = space.values(this.size);
    const bounds = [0];
    let end = 0;
    for (const bytes of this.encodedRuns) {
      end += readSortedCentsInto(new ByteReader(bytes), target, end);
      bounds.push(end);
    }
    for (const run of this.plainRuns) {
      target.set(run, end);
      end += run.length;
      bounds.push(end);
    }
    if (this.blockSize > 0) {
      // Sorting the block in place changes nothing it holds: its order never matters.
      if (this.narrow) target.set(sortUint32(this.narrow.subarray(0, this.blockSize)), end);
      else target.set(sortCents((this.wide as Float64Array).subarray(0, this.blockSize)), end);
      end += this.blockSize;
      bounds.push(end);
    }
    if (bounds.length <= 2) return target.subarray(0, end);
    return mergeAdjacentRuns(target, space.spare(this.size), bounds);
  }

  /** Hands the values over, sorted ascending (an array of their own), and leaves the buffer empty. */
  takeSorted(): Float64Array {
    const sorted = this.sortedIn(new SortSpace());
    this.narrow = new Uint32Array(Math.min(INITIAL_CAPACITY, this.blockValues));
    this.wide = undefined;
    this.blockSize = 0;
    this.encodedRuns.length = 0;
    this.encodedCounts.length = 0;
    this.plainRuns.length = 0;
    this.size = 0;
    return sorted;
  }

  /**
   * Grows the full block (doubling, or at once to `wanted` values more), or, when it holds
   * `blockValues` already, compresses it into a run.
   */
  private makeRoom(wanted = 1): void {
    const block = this.narrow ?? (this.wide as Float64Array);
    if (block.length < this.blockValues) {
      const length = Math.min(Math.max(block.length * 2, block.length + wanted), this.blockValues);
      const grown = this.narrow ? new Uint32Array(length) : new Float64Array(length);
      grown.set(block);
      if (this.narrow) this.narrow = grown as Uint32Array;
      else this.wide = grown as Float64Array;
      return;
    }
    this.spill();
  }

  /**
   * Sorts the full block into a run (compressed when the codec can hold it) and empties it. Runs
   * of equal length are merged as they appear (like a binary counter's carries), so a cell holds
   * about log2(values / block) runs and the longer runs compress better: salaries sit closer
   * together in a longer sorted run, so their gaps take fewer bytes.
   */
  private spill(): void {
    const writer = spillWriter;
    writer.clear();
    if (this.narrow) {
      writeSortedCents(writer, sortUint32(this.narrow.subarray(0, this.blockSize)));
    } else {
      const run = sortCents((this.wide as Float64Array).subarray(0, this.blockSize));
      if (!isStorable(run)) {
        this.plainRuns.push(run.slice());
        this.blockSize = 0;
        return;
      }
      writeSortedCents(writer, run);
    }
    let run = writer.finish();
    let count = this.blockSize;
    this.blockSize = 0;
    while (this.encodedCounts.length > 0 && (this.encodedCounts.at(-1) as number) <= count) {
      run = mergeEncodedRuns(this.encodedRuns.pop() as Uint8Array, run);
      count += this.encodedCounts.pop() as number;
    }
    this.encodedRuns.push(run);
    this.encodedCounts.push(count);
  }

  private widen(): Float64Array {
    const wide = new Float64Array((this.narrow as Uint32Array).length);
    wide.set((this.narrow as Uint32Array).subarray(0, this.blockSize));
    this.narrow = undefined;
    this.wide = wide;
    return wide;
  }
}

/**
 * Two buffers of doubles for sorting values one set after another (a file's cells as their
 * partials are encoded), grown as needed and reused: a fresh pair per cell left megabytes of
 * garbage outside the engine's heap that no collection was in a hurry to free.
 */
export class SortSpace {
  private first: Float64Array;
  private second = new Float64Array(0);

  /** `capacity`: the most values one sort will hold, when known (no growing then). */
  constructor(capacity = 0) {
    this.first = new Float64Array(capacity);
  }

  /** The buffer the values go into, with room for at least `length`. */
  values(length: number): Float64Array {
    if (this.first.length < length) this.first = new Float64Array(grown(this.first, length));
    return this.first;
  }

  /** The other buffer, for merging, with room for at least `length`. */
  spare(length: number): Float64Array {
    if (this.second.length < length) {
      this.second = new Float64Array(Math.max(grown(this.second, length), this.first.length));
    }
    return this.second;
  }
}

/** A new capacity for `buffer` to hold `length`: doubling, with at most 8 MB of slack. */
function grown(buffer: Float64Array, length: number): number {
  return Math.max(length, Math.min(2 * buffer.length, MAX_SLACK_GROWTH + length));
}

/** True when every value of a sorted run is a whole number from 0 to 2^53 (what the codec holds). */
function isStorable(sorted: Float64Array): boolean {
  if (sorted.length > 0 && !((sorted[0] as number) >= 0)) return false;
  for (let index = 0; index < sorted.length; index++) {
    if (!Number.isSafeInteger(sorted[index])) return false;
  }
  return true;
}
