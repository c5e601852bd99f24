import { StoredAggregateError } from '../../errors.ts';
import { type CellKey, compareCells } from '../cell.ts';
import type { CountryCode, Role, Seniority } from '../taxonomy.ts';

/**
 * The stored form of exact salaries (docs/data-model.md, "Exact values"): sorted integer cents as
 * the first value and then the gaps between neighbours, each an unsigned LEB128 varint (7 bits per
 * byte, high bit = more bytes follow). Salaries of one cell sit close together, so most gaps take
 * one or two bytes: 1.3 bytes per respondent on the 1M-row sample.
 *
 * A partial payload holds every cell one run of one file has in one year:
 *
 *   u8 format (1) · varint year · varint cells ·
 *   per cell, in cell order: country, role, seniority (each varint byte length + UTF-8) ·
 *                            varint count (≥ 1) · count varints (first value, then gaps)
 *
 * The same cells always give the same bytes (cells sorted, values sorted), so rewriting a partial
 * is idempotent. Decoding checks everything it reads (`StoredAggregateError`).
 */
export const PAYLOAD_FORMAT = 1;

/** A varint of a safe integer takes at most 8 bytes (2^56 > 2^53). */
const MAX_VARINT_BYTES = 8;

/** How many values of a run `ByteWriter.sortedRun` makes room for at a time (32 KB). */
const RUN_STRETCH = 4096;

const UTF8 = new TextEncoder();

function malformed(reason: string, offset: number): StoredAggregateError {
  return new StoredAggregateError(`malformed salary payload: ${reason}`, { reason, offset });
}

/** One cell's exact salaries: sorted ascending, at least one. */
export interface CellValues {
  cell: CellKey;
  sortedCents: Float64Array;
}

export interface PartialPayload {
  year: number;
  cells: CellValues[];
}

/** Appends bytes to a buffer that doubles as needed. */
export class ByteWriter {
  private bytes: Uint8Array;
  private size = 0;

  constructor(initialCapacity = 1024) {
    this.bytes = new Uint8Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.size;
  }

  private reserve(extra: number): void {
    if (this.size + extra <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.size + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.size));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.size++] = value;
  }

  bytesOf(values: Uint8Array): void {
    this.reserve(values.length);
    this.bytes.set(values, this.size);
    this.size += values.length;
  }

  /** An unsigned LEB128 varint of a non-negative safe integer. */
  varint(value: number): void {
    // Hot path (gaps between a cell's salaries): one or two bytes, written inline.
    if (value >>> 0 === value && value < 0x4000 && this.size + 2 <= this.bytes.length) {
      if (value < 0x80) this.bytes[this.size++] = value;
      else {
        this.bytes[this.size++] = (value & 0x7f) | 0x80;
        this.bytes[this.size++] = value >>> 7;
      }
      return;
    }
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`a varint holds a non-negative safe integer, not ${value}`);
    }
    this.reserve(MAX_VARINT_BYTES);
    const bytes = this.bytes;
    let size = this.size;
    let rest = value;
    // Bit operations are 32-bit: above 2^31 shift by arithmetic instead.
    while (rest >= 0x80000000) {
      bytes[size++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    while (rest >= 0x80) {
      bytes[size++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    bytes[size++] = rest;
    this.size = size;
  }

  /** A string as its UTF-8 byte length (varint) and bytes; an ASCII string is copied as it is. */
  text(value: string): void {
    const length = value.length;
    if (length < 0x80) {
      this.reserve(1 + length);
      const bytes = this.bytes;
      let at = this.size + 1;
      let ascii = true;
      for (let index = 0; index < length; index++) {
        const code = value.charCodeAt(index);
        if (code >= 0x80) {
          ascii = false;
          break;
        }
        bytes[at++] = code;
      }
      if (ascii) {
        bytes[this.size] = length;
        this.size = at;
        return;
      }
    }
    const encoded = UTF8.encode(value);
    this.varint(encoded.length);
    this.bytesOf(encoded);
  }

  /**
   * A sorted run as `writeSortedCents` describes it: room is made for a stretch of values at
   * their longest, then each gap is written without a check per byte.
   */
  sortedRun(sorted: Float64Array | Uint32Array): void {
    const count = sorted.length;
    this.varint(count);
    let previous = 0;
    let index = 0;
    while (index < count) {
      const stop = Math.min(count, index + RUN_STRETCH);
      this.reserve((stop - index) * MAX_VARINT_BYTES);
      const bytes = this.bytes;
      let size = this.size;
      for (; index < stop; index++) {
        const value = sorted[index] as number;
        const gap = value - previous;
        if (gap < 0x80 && gap >= 0 && (gap | 0) === gap) bytes[size++] = gap;
        else if (gap >= 0 && gap <= Number.MAX_SAFE_INTEGER && Math.floor(gap) === gap) {
          size = writeVarintAt(bytes, size, gap);
        } else throw unsortedCents(sorted);
        previous = value;
      }
      this.size = size;
    }
    // Sorted, so the last value is the largest: the one that can be beyond 2^53.
    if (!(previous <= Number.MAX_SAFE_INTEGER)) throw unsortedCents(sorted);
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.size);
  }

  /** The bytes written so far, not copied: valid until the writer is written to or cleared. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.size);
  }

  /** Forgets the bytes written, keeping the capacity (a writer reused for many small payloads). */
  clear(): void {
    this.size = 0;
  }
}

/** Reads what `ByteWriter` wrote, checking every bound. */
export class ByteReader {
  private offset = 0;
  private static readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset === this.bytes.length;
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw malformed('truncated', this.offset);
    return this.bytes[this.offset++] as number;
  }

  take(length: number): Uint8Array {
    if (length > this.bytes.length - this.offset) throw malformed('truncated', this.offset);
    const taken = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return taken;
  }

  varint(): number {
    const bytes = this.bytes;
    let offset = this.offset;
    // Hot path (gaps between a cell's salaries): one or two bytes, read inline.
    if (offset + 1 < bytes.length) {
      const first = bytes[offset] as number;
      if (first < 0x80) {
        this.offset = offset + 1;
        return first;
      }
      const second = bytes[offset + 1] as number;
      if (second < 0x80) {
        this.offset = offset + 2;
        return (first & 0x7f) | (second << 7);
      }
    }
    let value = 0;
    let scale = 1;
    for (let read = 0; read < MAX_VARINT_BYTES; read++) {
      if (offset >= bytes.length) throw malformed('truncated varint', offset);
      const byte = bytes[offset++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) throw malformed('varint beyond 2^53', offset);
        this.offset = offset;
        return value;
      }
      scale *= 0x80;
    }
    throw malformed(`varint longer than ${MAX_VARINT_BYTES} bytes`, offset);
  }

  text(): string {
    const length = this.varint();
    try {
      return ByteReader.decoder.decode(this.take(length));
    } catch (error) {
      if (error instanceof StoredAggregateError) throw error;
      throw malformed('text is not UTF-8', this.offset);
    }
  }
}

/** Writes a sorted run: its length, its first value, then each gap to the previous value. */
export function writeSortedCents(writer: ByteWriter, sorted: Float64Array | Uint32Array): void {
  writer.sortedRun(sorted);
}

/** The error for a run that is not sorted whole numbers from 0 to 2^53, naming its first bad value. */
function unsortedCents(sorted: Float64Array | Uint32Array): RangeError {
  let previous = 0;
  let index = 0;
  for (; index < sorted.length; index++) {
    const value = sorted[index] as number;
    if (value < previous || !Number.isSafeInteger(value)) break;
    previous = value;
  }
  return new RangeError(
    `cents must be sorted whole numbers from 0 to 2^53: ${sorted[index]} at ${index} after ${previous}`,
  );
}

export function readSortedCents(reader: ByteReader): Float64Array {
  const count = readRunLength(reader);
  const values = new Float64Array(count);
  readRunValues(reader, count, values, 0);
  return values;
}

/**
 * Reads a sorted run into `target` from `offset` (room for the run is the caller's), and returns
 * how many values it held: for decoding many runs into one buffer without an array per run.
 */
export function readSortedCentsInto(
  reader: ByteReader,
  target: Float64Array,
  offset: number,
): number {
  const count = readRunLength(reader);
  if (offset + count > target.length) throw new RangeError('no room for the run in its target');
  readRunValues(reader, count, target, offset);
  return count;
}

function readRunLength(reader: ByteReader): number {
  const count = reader.varint();
  // Every value takes at least one byte: a count beyond what is left is damage, not a huge run.
  if (count > reader.remaining) throw malformed('run longer than its bytes', reader.position);
  return count;
}

function readRunValues(
  reader: ByteReader,
  count: number,
  target: Float64Array,
  offset: number,
): void {
  let value = 0;
  for (let index = 0; index < count; index++) {
    value += reader.varint();
    target[offset + index] = value;
  }
  if (!Number.isSafeInteger(value)) throw malformed('value beyond 2^53', reader.position);
}

/**
 * The sorted run (as `writeSortedCents` writes it) holding every value of two such runs, merged
 * without decoding either into an array. Every gap of the result is at most the gap its value had
 * in its own run, so the result takes at most the bytes of both.
 */
export function mergeEncodedRuns(left: Uint8Array, right: Uint8Array): Uint8Array {
  const leftReader = new ByteReader(left);
  const rightReader = new ByteReader(right);
  let leftCount = readRunLength(leftReader);
  let rightCount = readRunLength(rightReader);
  if (mergeSpace.length < left.length + right.length + 1) {
    mergeSpace = new Uint8Array(2 * (left.length + right.length + 1));
  }
  const out = mergeSpace;
  let size = writeVarintAt(out, 0, leftCount + rightCount);
  let leftAt = leftReader.position;
  let rightAt = rightReader.position;
  let leftValue = 0;
  let rightValue = 0;
  if (leftCount > 0) {
    leftValue = readVarintAt(left, leftAt);
    leftAt = varintEnd;
  }
  if (rightCount > 0) {
    rightValue = readVarintAt(right, rightAt);
    rightAt = varintEnd;
  }
  let previous = 0;
  while (leftCount > 0 && rightCount > 0) {
    if (leftValue <= rightValue) {
      size = writeVarintAt(out, size, leftValue - previous);
      previous = leftValue;
      if (--leftCount > 0) {
        leftValue += readVarintAt(left, leftAt);
        leftAt = varintEnd;
      }
    } else {
      size = writeVarintAt(out, size, rightValue - previous);
      previous = rightValue;
      if (--rightCount > 0) {
        rightValue += readVarintAt(right, rightAt);
        rightAt = varintEnd;
      }
    }
  }
  if (rightCount > 0) {
    // The rest of the right run keeps its gaps: only its next value's gap changes.
    size = writeVarintAt(out, size, rightValue - previous);
    out.set(right.subarray(rightAt), size);
    size += right.length - rightAt;
  } else if (leftCount > 0) {
    size = writeVarintAt(out, size, leftValue - previous);
    out.set(left.subarray(leftAt), size);
    size += left.length - leftAt;
  }
  return out.slice(0, size);
}

/** Where runs are merged before the result is copied out, reused (grown to the longest run). */
let mergeSpace = new Uint8Array(0);

/** Where the varint `readVarintAt` read last ended (a second return value, without an object). */
let varintEnd = 0;

/**
 * The varint at `at` of a run this module wrote (its bytes were checked when written); sets
 * `varintEnd`.
 */
function readVarintAt(bytes: Uint8Array, at: number): number {
  const first = bytes[at] as number;
  if (first < 0x80) {
    varintEnd = at + 1;
    return first;
  }
  const second = bytes[at + 1] as number;
  if (second < 0x80) {
    varintEnd = at + 2;
    return (first & 0x7f) | (second << 7);
  }
  const reader = new ByteReader(bytes.subarray(at));
  const value = reader.varint();
  varintEnd = at + reader.position;
  return value;
}

/** Writes a non-negative safe integer as a varint at `at` (room is the caller's); returns the end. */
function writeVarintAt(bytes: Uint8Array, at: number, value: number): number {
  let size = at;
  let rest = value;
  while (rest >= 0x80000000) {
    bytes[size++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  while (rest >= 0x80) {
    bytes[size++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  bytes[size++] = rest;
  return size;
}

/** The payload of one run's cells in one year (cells in any order; each sorted, non-empty). */
export function encodePartialPayload(payload: PartialPayload): Uint8Array {
  const writer = new ByteWriter(
    64 + payload.cells.reduce((total, { sortedCents }) => total + 2 * sortedCents.length + 24, 0),
  );
  writePartialPayload(writer, payload);
  return writer.finish();
}

/**
 * Writes the payload `encodePartialPayload` returns into `writer`: for a caller encoding payload
 * after payload in one reused writer (`ByteWriter.view`), instead of two new arrays each.
 */
export function writePartialPayload(writer: ByteWriter, payload: PartialPayload): void {
  const cells = [...payload.cells].sort((a, b) => compareCells(a.cell, b.cell));
  writer.byte(PAYLOAD_FORMAT);
  writer.varint(payload.year);
  writer.varint(cells.length);
  let previous: CellKey | undefined;
  for (const { cell, sortedCents } of cells) {
    if (cell.year !== payload.year) {
      throw new RangeError(`cell of ${cell.year} in a payload of ${payload.year}`);
    }
    if (previous && compareCells(previous, cell) === 0) {
      throw new RangeError(`cell ${cell.country}/${cell.role}/${cell.seniority} listed twice`);
    }
    if (sortedCents.length === 0) {
      throw new RangeError(`cell ${cell.country}/${cell.role}/${cell.seniority} has no values`);
    }
    writer.text(cell.country);
    writer.text(cell.role);
    writer.text(cell.seniority);
    writeSortedCents(writer, sortedCents);
    previous = cell;
  }
}

export function decodePartialPayload(bytes: Uint8Array): PartialPayload {
  const reader = new ByteReader(bytes);
  const format = reader.byte();
  if (format !== PAYLOAD_FORMAT) throw malformed(`unknown format ${format}`, 0);
  const year = reader.varint();
  const count = reader.varint();
  const cells: CellValues[] = [];
  let previous: CellKey | undefined;
  for (let index = 0; index < count; index++) {
    const cell: CellKey = {
      year,
      country: reader.text() as CountryCode,
      role: reader.text() as Role,
      seniority: reader.text() as Seniority,
    };
    if (previous && compareCells(previous, cell) >= 0) {
      throw malformed('cells out of order or repeated', reader.position);
    }
    const sortedCents = readSortedCents(reader);
    if (sortedCents.length === 0) throw malformed('a cell without values', reader.position);
    cells.push({ cell, sortedCents });
    previous = cell;
  }
  if (!reader.done) {
    throw malformed(`${reader.remaining} bytes after the last cell`, reader.position);
  }
  return { year, cells };
}
