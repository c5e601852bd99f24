import { windows1252toString } from '@exodus/bytes/single-byte.js';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Turns a file's bytes into text chunk by chunk; a character split across chunks comes out whole. */
export interface ChunkDecoder {
  /** Throws a TypeError on bytes that are invalid in the encoding (never for windows-1252). */
  decode(bytes: Uint8Array): string;
  /** Flushes what is left; throws a TypeError if the file ends inside a character. */
  finish(): string;
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

export function createChunkDecoder(encoding: CsvEncoding): ChunkDecoder {
  if (encoding === 'windows-1252') {
    // One byte is one character, so chunks decode independently. Not Node's TextDecoder: several
    // Node 20 and 22 releases decode 0x80–0x9F as Latin-1 (0x92 as U+0092, not ’), and those
    // bytes are exactly Excel's curly quotes, dashes and euro sign.
    return { decode: (bytes) => windows1252toString(bytes), finish: () => '' };
  }
  // The BOM bytes are skipped before decoding; a second BOM is kept so it is visible, not eaten.
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  return {
    decode: (bytes) => decoder.decode(bytes, { stream: true }),
    finish: () => decoder.decode(),
  };
}
