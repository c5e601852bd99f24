import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mergeVary, requestHeader } from './middleware.ts';
import { HttpProblem } from './problem.ts';
import type { HttpResponse } from './responses.ts';

/** The content codings the API can send, best first when a client accepts several equally. */
export type ContentCoding = 'br' | 'gzip' | 'identity';
const CODINGS: readonly Exclude<ContentCoding, 'identity'>[] = ['br', 'gzip'];

/**
 * The coding to answer with, from an `Accept-Encoding` header (RFC 9110 §12.5.3): the highest
 * q-value among the codings the API has, `*` standing for any coding the header does not name,
 * brotli before gzip on a tie. Identity when the header is absent or accepts neither.
 */
export function negotiateContentCoding(header: string | undefined): ContentCoding {
  if (!header) return 'identity';
  const weights = new Map<string, number>();
  for (const element of header.split(',')) {
    const [name = '', ...parameters] = element.split(';').map((part) => part.trim());
    if (name === '') continue;
    let weight = 1;
    for (const parameter of parameters) {
      const match = /^q\s*=\s*([0-9.]+)$/i.exec(parameter);
      if (match) weight = Number(match[1]);
    }
    weights.set(name.toLowerCase(), Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0);
  }
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of CODINGS) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/** Bodies worth compressing: text, JSON, CSV, the page's scripts and styles. */
const COMPRESSIBLE = /^(text\/|application\/([\w.+-]+\+)?(json|javascript|xml)\b)/i;

/**
 * What one Lambda answer can carry: API Gateway refuses a function response over 6 MB (the
 * body as sent, base64 included), so an answer larger than this is never attempted.
 */
export const MAX_RESPONSE_BODY_BYTES = 6 * 1024 * 1024 - 64 * 1024;

export interface CompressionOptions {
  /** Bodies of fewer characters are sent as they are (compressing saves less than it costs). */
  minBytes?: number;
  /** Compressed bodies kept by ETag (the published report's never change), at most this many bytes. */
  cacheBytes?: number;
  /** The largest body an answer may carry (tests lower it). */
  maxBodyBytes?: number;
}

/**
 * Compresses GET answers for clients that accept it (API Gateway's HTTP API does not): brotli or
 * gzip by `Accept-Encoding`, `Vary: Accept-Encoding` on every answer that could be compressed, and
 * a weak ETag on a compressed one (its bytes differ from the identity answer's, its meaning does
 * not: `If-None-Match` with either validates, RFC 9110 §8.8.3). It runs before the conditional-GET
 * middleware turns an answer into a 304, so the 304 carries the same ETag as the answer would.
 * An answer still over the 6 MB a function response may carry is refused with a 406 that says
 * how to get it (compressed, or filtered), instead of the bare 500 API Gateway would send.
 */
export function httpCompression(
  options: CompressionOptions = {},
): MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> {
  const minBytes = options.minBytes ?? 1024;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_RESPONSE_BODY_BYTES;
  const cache = new CompressedBodies(options.cacheBytes ?? 32 * 1024 * 1024);
  return {
    name: 'httpCompression',
    after: (request) => {
      const response = request.response;
      if (response?.statusCode !== 200) return;
      const { body } = response;
      if (typeof body !== 'string' || response.isBase64Encoded) return;
      if (response.headers['content-encoding'] !== undefined) return;
      const contentType = String(response.headers['content-type'] ?? '');
      // Characters, not bytes: counting UTF-8 bytes would read the whole body on every answer.
      if (!COMPRESSIBLE.test(contentType) || body.length < minBytes) {
        refuseOversized(body, maxBodyBytes);
        return;
      }
      const vary = response.headers.vary;
      response.headers = {
        ...response.headers,
        vary: mergeVary(vary === undefined ? undefined : String(vary), 'accept-encoding'),
      };
      const coding = negotiateContentCoding(requestHeader(request.event, 'accept-encoding'));
      if (coding === 'identity') {
        refuseOversized(body, maxBodyBytes);
        return;
      }
      const etag = response.headers.etag;
      const encoded =
        typeof etag === 'string' ? cache.get(coding, etag, body) : compress(coding, body);
      refuseOversized(encoded, maxBodyBytes);
      response.body = encoded;
      response.isBase64Encoded = true;
      response.headers['content-encoding'] = coding;
      if (typeof etag === 'string' && !etag.startsWith('W/')) response.headers.etag = `W/${etag}`;
    },
  };
}

function compress(coding: Exclude<ContentCoding, 'identity'>, body: string): string {
  const bytes = Buffer.from(body);
  const compressed =
    coding === 'br'
      ? brotliCompressSync(bytes, {
          params: {
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            // Quality 5 compresses JSON about as fast as gzip does, and smaller.
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        })
      : gzipSync(bytes, { level: 6 });
  return compressed.toString('base64');
}

function refuseOversized(body: string, maxBodyBytes: number): void {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: most bodies need no exact count.
  if (body.length * 3 <= maxBodyBytes) return;
  const bytes = Buffer.byteLength(body);
  if (bytes <= maxBodyBytes) return;
  const megabytes = (count: number) => `${(count / (1024 * 1024)).toFixed(1)} MB`;
  throw new HttpProblem(
    406,
    `this answer is ${megabytes(bytes)}, more than the ${megabytes(maxBodyBytes)} one answer can ` +
      'carry: ask for it compressed (Accept-Encoding: br or gzip; curl --compressed) or ' +
      'filtered (?country=…&role=…)',
  );
}

/** Compressed bodies by coding and ETag, oldest dropped first beyond a byte budget. */
class CompressedBodies {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  get(coding: Exclude<ContentCoding, 'identity'>, etag: string, body: string): string {
    // The ETag hashes the body; its length too guards against a hand-made ETag reused.
    const key = `${coding} ${etag} ${body.length}`;
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const encoded = compress(coding, body);
    if (encoded.length > this.budget) return encoded;
    this.entries.set(key, encoded);
    this.bytes += encoded.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(oldest);
      this.bytes -= value.length;
    }
    return encoded;
  }
}
