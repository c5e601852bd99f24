import { createHash } from 'node:crypto';
import { StoredAggregateError } from '../../errors.ts';
import { ByteReader, ByteWriter } from './cents-codec.ts';

/**
 * A payload too large for one DynamoDB item (400 KB, attribute names and key included) is split
 * into chunks, each stored as an item of its own. Every chunk says which payload it belongs to and
 * where it goes, so joining needs no outside bookkeeping and catches every way chunks can go wrong:
 *
 *   u8 format (2) · 16 bytes: the first half of the payload's SHA-256 ·
 *   varint payload length · varint chunk count · varint chunk index · the chunk's bytes
 *
 * A missing, repeated or foreign chunk, a damaged byte or a cut payload fails the join. The format
 * byte is 2 because stored partials whose first byte is 1 are of the sketch format that came
 * before exact values (shared/domain/partial-payload.ts).
 */
export const EXACT_CHUNK_FORMAT = 2;

/**
 * Chunk size limit, header included: 50 KB under DynamoDB's 400 KB item limit leaves room for the
 * key (up to 2 KB with the longest S3 keys hashed away) and the item's few other attributes.
 */
export const MAX_CHUNK_BYTES = 350_000;

const DIGEST_BYTES = 16;
/** Format byte, digest, and three varints of at most 8 bytes each. */
const MAX_HEADER_BYTES = 1 + DIGEST_BYTES + 3 * 8;

function digestOf(payload: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(payload).digest().subarray(0, DIGEST_BYTES));
}

/** The payload cut into chunks of at most `maxChunkBytes` each (one chunk when it fits). */
export function splitIntoChunks(
  payload: Uint8Array,
  maxChunkBytes: number = MAX_CHUNK_BYTES,
): Uint8Array[] {
  const room = maxChunkBytes - MAX_HEADER_BYTES;
  if (!Number.isInteger(maxChunkBytes) || room < 1) {
    throw new RangeError(`a chunk needs more than ${MAX_HEADER_BYTES} bytes, not ${maxChunkBytes}`);
  }
  const digest = digestOf(payload);
  const count = Math.max(1, Math.ceil(payload.length / room));
  const chunks: Uint8Array[] = [];
  const header = headerWriter;
  for (let index = 0; index < count; index++) {
    const body = payload.subarray(index * room, (index + 1) * room);
    header.clear();
    header.byte(EXACT_CHUNK_FORMAT);
    header.bytesOf(digest);
    header.varint(payload.length);
    header.varint(count);
    header.varint(index);
    // One array of the exact size per chunk: a file's chunks hold all its salaries.
    const chunk = new Uint8Array(header.length + body.length);
    chunk.set(header.view());
    chunk.set(body, header.length);
    chunks.push(chunk);
  }
  return chunks;
}

/** Where each chunk's header is written before it is copied into the chunk. */
const headerWriter = new ByteWriter(MAX_HEADER_BYTES);

interface ChunkHeader {
  digest: Uint8Array;
  length: number;
  count: number;
  index: number;
  body: Uint8Array;
}

function readChunk(chunk: Uint8Array): ChunkHeader {
  const reader = new ByteReader(chunk);
  const format = reader.byte();
  if (format !== EXACT_CHUNK_FORMAT) throw broken(`unknown chunk format ${format}`);
  const digest = reader.take(DIGEST_BYTES);
  const length = reader.varint();
  const count = reader.varint();
  const index = reader.varint();
  if (count < 1 || index >= count) throw broken(`chunk ${index} of ${count}`, { index, count });
  return { digest, length, count, index, body: reader.take(reader.remaining) };
}

/** The payload the chunks were cut from, given all of them in any order. */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const first = chunks[0];
  if (!first) throw broken('no chunks');
  const headers = chunks.map(readChunk);
  const { digest, length, count } = readChunk(first);
  const bodies = new Map<number, Uint8Array>();
  for (const header of headers) {
    if (
      header.count !== count ||
      header.length !== length ||
      !Buffer.from(header.digest).equals(Buffer.from(digest))
    ) {
      throw broken('chunks of different payloads', { index: header.index });
    }
    if (bodies.has(header.index)) {
      throw broken(`chunk ${header.index} of ${count} is repeated`, { index: header.index, count });
    }
    bodies.set(header.index, header.body);
  }
  if (bodies.size < count) {
    const missing: number[] = [];
    for (let index = 0; index < count && missing.length < 10; index++) {
      if (!bodies.has(index)) missing.push(index);
    }
    const more = count - bodies.size > missing.length ? ', …' : '';
    throw broken(
      `${count - bodies.size} of ${count} chunks missing (${missing.join(', ')}${more})`,
      {
        missing,
        count,
      },
    );
  }
  const stored = headers.reduce((total, header) => total + header.body.length, 0);
  if (stored !== length) {
    throw broken(`chunks hold ${stored} bytes of a ${length}-byte payload`, { stored, length });
  }
  const payload = new Uint8Array(length);
  let offset = 0;
  for (let index = 0; index < count; index++) {
    const body = bodies.get(index) as Uint8Array;
    payload.set(body, offset);
    offset += body.length;
  }
  if (!Buffer.from(digestOf(payload)).equals(Buffer.from(digest))) {
    throw broken('payload digest does not match: a chunk is damaged');
  }
  return payload;
}

function broken(reason: string, context: Record<string, unknown> = {}): StoredAggregateError {
  return new StoredAggregateError(`stored partial is damaged or incomplete: ${reason}`, {
    reason,
    ...context,
  });
}
