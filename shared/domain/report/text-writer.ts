/**
 * Text written as UTF-8 bytes into one growing buffer: the report's snapshot and CSV hold hundreds
 * of thousands of numbers, and writing their digits as bytes makes no string per number or per
 * row for the garbage collector to copy. `toString()` gives the text; `bytes()` what it hashes to.
 */
export class TextWriter {
  private buffer: Buffer;
  private length = 0;
  private asciiOnly = true;
  private readonly encoded = new Map<string, Uint8Array>();
  private readonly escapes = new Map<string, Uint8Array>();

  constructor(capacity = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** The text written so far, as UTF-8 bytes (a view: valid until the next write). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  toString(): string {
    // Text of ASCII only is its bytes one for one: read as such, without decoding UTF-8.
    return this.buffer.toString(this.asciiOnly ? 'latin1' : 'utf8', 0, this.length);
  }

  /** Replaces the ASCII text written at `at` by `value`, of the same length. */
  overwriteAscii(at: number, value: string): void {
    const bytes = asciiBytes(value);
    if (at < 0 || at + bytes.length > this.length) {
      throw new RangeError(`cannot overwrite ${bytes.length} bytes at ${at} of ${this.length}`);
    }
    putBytes(this.buffer, at, bytes);
  }

  /** Any text. */
  text(value: string): void {
    this.reserve(value.length * 3);
    const written = this.buffer.write(value, this.length, 'utf8');
    if (written !== value.length) this.asciiOnly = false;
    this.length += written;
  }

  /** Text that recurs: encoded once (per writer), then copied. */
  fragment(value: string): void {
    this.raw(this.fragmentBytes(value));
  }

  /** `fragment`'s bytes, encoded once, without writing them. */
  fragmentBytes(value: string): Uint8Array {
    let bytes = this.encoded.get(value);
    if (bytes === undefined) {
      bytes = this.encode(value);
      this.encoded.set(value, bytes);
    }
    return bytes;
  }

  /**
   * A value as `quote` writes it (JSON or CSV: one of them per writer), quoted and encoded once
   * per distinct value.
   */
  escaped(value: string, quote: (value: string) => string): void {
    this.raw(this.escapedBytes(value, quote));
  }

  /** `escaped`'s bytes, quoted and encoded once, without writing them. */
  escapedBytes(value: string, quote: (value: string) => string): Uint8Array {
    let bytes = this.escapes.get(value);
    if (bytes === undefined) {
      bytes = this.encode(quote(value));
      this.escapes.set(value, bytes);
    }
    return bytes;
  }

  /** ASCII text's bytes (`asciiBytes`: constants encoded once). */
  raw(bytes: Uint8Array): void {
    const length = bytes.length;
    this.reserve(length);
    const buffer = this.buffer;
    let at = this.length;
    if (length > 32) buffer.set(bytes, at);
    else for (let index = 0; index < length; index++) buffer[at++] = bytes[index] as number;
    this.length += length;
  }

  private encode(text: string): Uint8Array {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length !== text.length) this.asciiOnly = false;
    return bytes;
  }

  /**
   * A value as `quote` writes it, encoded once per `code` into `cache`: values with the same code
   * must be the same (a table's codes of countries, roles, seniorities), no lookup by text.
   */
  coded(
    cache: (Uint8Array | undefined)[],
    code: number,
    value: string,
    quote: (value: string) => string,
  ): void {
    this.raw(this.codedBytes(cache, code, value, quote));
  }

  /** `coded`'s bytes, quoted and encoded once per code, without writing them. */
  codedBytes(
    cache: (Uint8Array | undefined)[],
    code: number,
    value: string,
    quote: (value: string) => string,
  ): Uint8Array {
    let bytes = cache[code];
    if (bytes === undefined) {
      bytes = this.encode(quote(value));
      cache[code] = bytes;
    }
    return bytes;
  }

  /**
   * Room for `bytes` more bytes: the buffer to put them in from `position` on, with `putBytes`,
   * `putDigits` and the like, then `position` set past them. A writer of many small pieces in a
   * row makes room once for all of them, instead of a call and a check per piece.
   */
  room(bytes: number): Buffer {
    this.reserve(bytes);
    return this.buffer;
  }

  /** Where the next byte goes (what `room` gave is valid until the next write or `room`). */
  get position(): number {
    return this.length;
  }

  set position(value: number) {
    this.length = value;
  }

  /** One ASCII character, by its code. */
  char(code: number): void {
    this.reserve(1);
    this.buffer[this.length++] = code;
  }

  /** A whole number from 0 to 2^53 − 1, in decimal digits (as `String` writes it). */
  digits(value: number): void {
    this.reserve(16);
    this.length = putDigits(this.buffer, this.length, value);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

/**
 * Puts `bytes` at `at` of `buffer` (room made for them); returns the position after them. Up to
 * `COPIED_BY_HAND` bytes are copied one by one, longer pieces by `set` (a call costs as much as
 * copying about ten bytes by hand).
 */
export function putBytes(buffer: Uint8Array, at: number, bytes: Uint8Array): number {
  const length = bytes.length;
  if (length > COPIED_BY_HAND) buffer.set(bytes, at);
  else for (let index = 0; index < length; index++) buffer[at + index] = bytes[index] as number;
  return at + length;
}

const COPIED_BY_HAND = 10;

/** Puts ASCII text at `at` of `buffer` (room made for it); returns the position after it. */
export function putAscii(buffer: Uint8Array, at: number, text: string): number {
  const length = text.length;
  for (let index = 0; index < length; index++) buffer[at + index] = text.charCodeAt(index);
  return at + length;
}

/**
 * Puts a whole number from 0 to 2^53 − 1 in decimal digits (as `String` writes it) at `at` of
 * `buffer` (room made for 16 bytes); returns the position after them.
 */
export function putDigits(buffer: Uint8Array, at: number, value: number): number {
  if (value < 2 ** 31) {
    // Small integers (every salary's whole dollars): 32-bit integer arithmetic, the number of
    // digits found by comparisons.
    const count =
      value < 100_000
        ? value < 100
          ? value < 10
            ? 1
            : 2
          : value < 1_000
            ? 3
            : value < 10_000
              ? 4
              : 5
        : value < 10_000_000
          ? value < 1_000_000
            ? 6
            : 7
          : value < 100_000_000
            ? 8
            : value < 1_000_000_000
              ? 9
              : 10;
    const end = at + count;
    let position = end;
    let rest = value | 0;
    do {
      const next = (rest / 10) | 0;
      buffer[--position] = 48 + (rest - next * 10);
      rest = next;
    } while (rest > 0);
    return end;
  }
  let count = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) count += 1;
  const end = at + count;
  let position = end;
  let rest = value;
  do {
    const next = Math.floor(rest / 10);
    buffer[--position] = 48 + (rest - next * 10);
    rest = next;
  } while (rest > 0);
  return end;
}

/**
 * More bytes than a number takes as text: `String` writes at most 25 (`-0.0000012345678901234567`:
 * a sign, `0.`, five zeros, 17 digits), a CSV amount at most 26 (`toFixed(2)` of a 21-digit
 * negative amount, with the formula guard).
 */
export const NUMBER_ROOM = 32;

/** Whole cents up to here are written from their digits (far above any salary). */
export const MAX_PRINTED_CENTS = 2 ** 50;

/**
 * ASCII text as bytes, for `TextWriter.raw` (a writer reads its bytes back one for one unless
 * `text`, `fragment` or `escaped` wrote something else).
 */
export function asciiBytes(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length !== text.length) throw new RangeError(`not ASCII: ${text}`);
  return bytes;
}

/**
 * A first capacity for `items` of about `bytesEach`, from 64 KB to 64 MB: pages of a buffer are
 * only backed by memory once written, and growing copies everything written so far.
 */
export function textCapacity(items: number, bytesEach: number): number {
  return Math.min(64 << 20, Math.max(64 << 10, items * bytesEach));
}
