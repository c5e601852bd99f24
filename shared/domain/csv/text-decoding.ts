import { Buffer, isUtf8 } from 'node:buffer';
import { windows1252toString } from '@exodus/bytes/single-byte.js';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Turns a file's bytes into text chunk by chunk. With `bytes` false, a character split across
 * chunks comes out whole. With `bytes` true (UTF-8, see `utf8ByteDecoder`), the text holds the
 * UTF-8 bytes themselves, one character per byte: `utf8FromBytes` turns a piece of it into text.
 */
export interface ChunkDecoder {
  /** Throws a TypeError on bytes that are invalid in the encoding (never for windows-1252). */
  decode(bytes: Uint8Array): string;
  /** Flushes what is left; throws a TypeError if the file ends inside a character. */
  finish(): string;
  readonly bytes: boolean;
}

export interface SniffedEncoding {
  encoding: CsvEncoding;
  /** Length of the byte order mark at the start of the file (0 when there is none). */
  bomLength: number;
}

/** Bytes needed to recognise every byte order mark we accept, and a BOM-less UTF-16 file. */
export const SNIFF_BYTES = 4;

/**
 * Reads the encoding from a byte order mark. Without one, the file is UTF-8 until proven otherwise
 * (Excel's "CSV UTF-8" and most tools), or windows-1252 when a UTF-8 read already failed.
 * Returns undefined for BOM-less UTF-16, which we cannot read reliably.
 */
export function sniffEncoding(
  head: Uint8Array,
  withoutBom: 'utf-8' | 'windows-1252',
): SniffedEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3 };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // Text in a single-byte or UTF-8 encoding has no NUL among its first characters; UTF-16 has.
  if (head.length > 1 && head.subarray(0, SNIFF_BYTES).includes(0)) return undefined;
  return { encoding: withoutBom, bomLength: 0 };
}

export function createChunkDecoder(
  encoding: CsvEncoding,
  options: { utf8Bytes?: boolean } = {},
): ChunkDecoder {
  if (encoding === 'windows-1252') {
    // One byte is one character, so chunks decode independently. Not Node's TextDecoder: several
    // Node 20 and 22 releases decode 0x80–0x9F as Latin-1 (0x92 as U+0092, not ’), and those
    // bytes are exactly Excel's curly quotes, dashes and euro sign.
    return { decode: (bytes) => windows1252toString(bytes), finish: () => '', bytes: false };
  }
  if (encoding === 'utf-8' && (options.utf8Bytes ?? true)) return utf8ByteDecoder();
  // The BOM bytes are skipped before decoding; a second BOM is kept so it is visible, not eaten.
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  return {
    decode: (bytes) => decoder.decode(bytes, { stream: true }),
    finish: () => decoder.decode(),
    bytes: false,
  };
}

/**
 * UTF-8 kept as bytes, one character per byte (the Latin-1 reading of the bytes, which Node
 * copies without decoding), and validated as UTF-8 as it arrives (a character split across
 * chunks is checked once both parts are in). Everything a CSV splitter looks for (delimiters,
 * quotes, line breaks) is ASCII, and in UTF-8 an ASCII byte is always that character and never
 * part of another, so records split the same on the bytes as on the decoded text; only the fields
 * someone reads as strings are decoded (`utf8FromBytes`), and categorical fields are looked up
 * from their bytes (FieldCache). Decoding every byte up front cost ~130 ms of CPU per 93 MB: about
 * 5% of a cold ingestion and 15% of a warm one (bench/README.md).
 */
function utf8ByteDecoder(): ChunkDecoder {
  /** The start of a character whose last bytes are in the next chunk (at most 3 bytes). */
  let carry: Uint8Array | undefined;
  return {
    bytes: true,
    decode(chunk) {
      let data = chunk;
      if (carry) {
        data = new Uint8Array(carry.length + chunk.length);
        data.set(carry);
        data.set(chunk, carry.length);
        carry = undefined;
      }
      const tail = unfinishedCharacterBytes(data);
      if (!isUtf8(tail === 0 ? data : data.subarray(0, data.length - tail))) {
        throw new TypeError('The encoded data was not valid for encoding utf-8');
      }
      if (tail > 0) carry = data.slice(data.length - tail);
      return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    },
    finish() {
      if (carry) throw new TypeError('The encoded data was not valid for encoding utf-8');
      return '';
    },
  };
}

/**
 * How many bytes at the end of `data` start a character that continues past it: a lead byte
 * (0xC2–0xF4) and fewer continuation bytes than it announces. 0 otherwise, invalid bytes included
 * (then the validation fails on them).
 */
function unfinishedCharacterBytes(data: Uint8Array): number {
  const length = data.length;
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = data[length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc2 || byte > 0xf4) return 0;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    if (needed <= back) return 0;
    // A second byte no character can have after this lead (an overlong form, a surrogate, beyond
    // U+10FFFF) is invalid now, as a streaming decoder reports it, not once the next chunk is in.
    const second = back > 1 ? (data[length - back + 1] as number) : undefined;
    if (second !== undefined && !secondByteFits(byte, second)) return 0;
    return back;
  }
  return 0;
}

function secondByteFits(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0;
  if (lead === 0xed) return second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90;
  if (lead === 0xf4) return second <= 0x8f;
  return true;
}

/** True when `text[start..end)` holds a character above 0x7F (in byte text: a UTF-8 sequence). */
export function hasHighCharacter(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (text.charCodeAt(at) > 0x7f) return true;
  return false;
}

/** The text that byte text (UTF-8 bytes, one character per byte) stands for. */
export function utf8FromBytes(bytes: string): string {
  return hasHighCharacter(bytes, 0, bytes.length)
    ? Buffer.from(bytes, 'latin1').toString('utf8')
    : bytes;
}
