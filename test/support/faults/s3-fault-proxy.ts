import { createHash } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy for S3's REST protocol, path-style (AWS SDK → proxy → s3rver, moto
 * or any S3 endpoint). It disturbs a configurable share of requests per operation with the
 * failures an object store really has, streaming everything else through untouched:
 *
 * | kind | what the client sees |
 * |---|---|
 * | `server-error` | 500 `InternalError` (the SDK retries) |
 * | `slow-down` | 503 `SlowDown` (the SDK retries) |
 * | `denied` | 403 `AccessDenied` (final: a KMS key or policy the reader lacks) |
 * | `refused` | the connection closes before any answer (the SDK retries) |
 * | `reset` | the real answer's status, headers and first `resetAfterBytes` bytes of its body, then the connection is reset: the reader's stream breaks mid-object |
 *
 * Decisions are deterministic for a seed: each is a hash of the seed, the operation, the object
 * key and how many requests for that operation and key came before, so the same requests meet the
 * same faults whatever the interleaving of requests for other objects. Counts of requests and
 * injected faults per operation are kept (`counts()`).
 */
export const S3_FAULT_KINDS = ['server-error', 'slow-down', 'denied', 'refused', 'reset'] as const;
export type S3FaultKind = (typeof S3_FAULT_KINDS)[number];

/** The S3 operations the proxy tells apart (path-style requests). */
export type S3Operation =
  | 'GetObject'
  | 'HeadObject'
  | 'PutObject'
  | 'DeleteObject'
  | 'ListObjects'
  | 'Other';

export interface S3FaultRule {
  /** Share of requests disturbed, 0 to 1. */
  rate: number;
  /** Kinds drawn from (uniformly) when a request is disturbed. */
  kinds: readonly S3FaultKind[];
  /** Only requests for keys this returns true for (default: every key). */
  keys?: (key: string) => boolean;
  /** At most this many faults per object key under this rule (then its requests pass). */
  limitPerKey?: number;
}

export interface S3FaultProxyOptions {
  /** Upstream S3 endpoint, e.g. `http://127.0.0.1:4568`. */
  target: string;
  /** Rules per operation; operations not listed pass untouched. */
  operations?: Partial<Record<S3Operation, S3FaultRule>>;
  seed?: number;
  /** Body bytes a `reset` lets through before it resets the connection. Default 64 KiB. */
  resetAfterBytes?: number;
}

export interface S3FaultCounts {
  requests: Partial<Record<S3Operation, number>>;
  faults: Partial<Record<S3Operation, Partial<Record<S3FaultKind, number>>>>;
  totalFaults: number;
}

const DEFAULT_RESET_AFTER_BYTES = 64 * 1024;

const ERROR_ANSWERS: Record<
  'server-error' | 'slow-down' | 'denied',
  { status: number; code: string; message: string }
> = {
  'server-error': {
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  },
  'slow-down': { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  denied: { status: 403, code: 'AccessDenied', message: 'Access Denied' },
};

export class S3FaultProxy {
  private readonly seen = new Map<string, number>();
  private readonly faultsPerKey = new Map<string, number>();
  private readonly requestCounts: Partial<Record<S3Operation, number>> = {};
  private readonly faultCounts: Partial<Record<S3Operation, Partial<Record<S3FaultKind, number>>>> =
    {};
  private readonly agent = new Agent({ keepAlive: true });
  private readonly target: URL;
  private operations: Partial<Record<S3Operation, S3FaultRule>>;
  private readonly seed: number;
  private readonly resetAfterBytes: number;

  private constructor(
    private readonly server: Server,
    options: S3FaultProxyOptions,
  ) {
    this.target = new URL(options.target);
    this.operations = checkRules(options.operations ?? {});
    this.seed = options.seed ?? 1;
    this.resetAfterBytes = options.resetAfterBytes ?? DEFAULT_RESET_AFTER_BYTES;
  }

  /** Starts the proxy on loopback and resolves once it listens. */
  static async start(options: S3FaultProxyOptions): Promise<S3FaultProxy> {
    let proxy: S3FaultProxy | undefined;
    const server = createServer((incoming, outgoing) => proxy?.handle(incoming, outgoing));
    proxy = new S3FaultProxy(server, options);
    await new Promise<void>((resolveListening, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolveListening());
    });
    return proxy;
  }

  get endpoint(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** Replaces the rules from now on (counts are kept). */
  configure(operations: Partial<Record<S3Operation, S3FaultRule>>): void {
    this.operations = checkRules(operations);
  }

  counts(): S3FaultCounts {
    const faults = Object.fromEntries(
      Object.entries(this.faultCounts).map(([operation, kinds]) => [operation, { ...kinds }]),
    );
    const totalFaults = Object.values(this.faultCounts)
      .flatMap((kinds) => Object.values(kinds ?? {}))
      .reduce((total, count) => total + count, 0);
    return { requests: { ...this.requestCounts }, faults, totalFaults };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolveClosed) => this.server.close(() => resolveClosed()));
    this.agent.destroy();
  }

  private handle(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const { operation, key } = describeRequest(incoming);
    this.requestCounts[operation] = (this.requestCounts[operation] ?? 0) + 1;
    const kind = this.decide(operation, key);
    if (kind) {
      const counts = this.faultCounts[operation] ?? {};
      counts[kind] = (counts[kind] ?? 0) + 1;
      this.faultCounts[operation] = counts;
    }
    switch (kind) {
      case undefined:
        this.forward(incoming, outgoing, Infinity);
        return;
      case 'server-error':
      case 'slow-down':
      case 'denied': {
        // The request body is read (and dropped) so the client is not cut off mid-upload.
        incoming.resume();
        incoming.once('end', () => errorAnswer(outgoing, ERROR_ANSWERS[kind], key));
        return;
      }
      case 'refused':
        incoming.resume();
        outgoing.socket?.destroy();
        return;
      case 'reset':
        this.forward(incoming, outgoing, this.resetAfterBytes);
        return;
    }
  }

  private decide(operation: S3Operation, key: string): S3FaultKind | undefined {
    const rule = this.operations[operation];
    if (!rule || rule.rate <= 0 || rule.kinds.length === 0) return undefined;
    if (rule.keys && !rule.keys(key)) return undefined;
    const ruleKey = `${operation}\n${key}`;
    const injected = this.faultsPerKey.get(ruleKey) ?? 0;
    if (injected >= (rule.limitPerKey ?? Infinity)) return undefined;
    const occurrence = this.seen.get(ruleKey) ?? 0;
    this.seen.set(ruleKey, occurrence + 1);
    const draw = createHash('sha256').update(`${this.seed}:${ruleKey}:${occurrence}`).digest();
    if (draw.readUInt32BE(0) / 2 ** 32 >= rule.rate) return undefined;
    this.faultsPerKey.set(ruleKey, injected + 1);
    return rule.kinds[draw.readUInt32BE(4) % rule.kinds.length];
  }

  /** Streams the request up and the answer back; past `bodyLimit` answer bytes, resets. */
  private forward(incoming: IncomingMessage, outgoing: ServerResponse, bodyLimit: number): void {
    const headers = { ...incoming.headers };
    delete headers.connection;
    const upstream = request(
      {
        protocol: this.target.protocol,
        hostname: this.target.hostname,
        port: this.target.port,
        path: incoming.url,
        method: incoming.method,
        headers,
        agent: this.agent,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        if (bodyLimit === Infinity || response.statusCode !== 200) {
          response.pipe(outgoing);
          return;
        }
        // Mid-object even for a small object: at most half of its bytes get through.
        const length = Number(response.headers['content-length']);
        const limit = Number.isFinite(length)
          ? Math.min(bodyLimit, Math.floor(length / 2))
          : bodyLimit;
        let sent = 0;
        const reset = () => {
          response.destroy();
          outgoing.socket?.resetAndDestroy();
        };
        response.on('data', (chunk: Buffer) => {
          if (sent >= limit) return;
          const allowed = chunk.subarray(0, limit - sent);
          sent += allowed.length;
          // Reset once the bytes are handed to the network, so the reader really gets them.
          if (sent >= limit) outgoing.write(allowed, reset);
          else outgoing.write(allowed);
        });
        response.once('end', () => {
          if (sent < limit) reset();
        });
      },
    );
    upstream.once('error', () => outgoing.socket?.destroy());
    incoming.pipe(upstream);
  }
}

/** Operation and object key of a path-style request (`/<bucket>/<key>?<query>`). */
function describeRequest(incoming: IncomingMessage): { operation: S3Operation; key: string } {
  const url = new URL(incoming.url ?? '/', 'http://proxy');
  const [, , ...keyParts] = url.pathname.split('/');
  const key = decodeURIComponent(keyParts.join('/'));
  const method = incoming.method ?? 'GET';
  if (key === '') {
    return {
      operation: method === 'GET' && !url.search.includes('location') ? 'ListObjects' : 'Other',
      key,
    };
  }
  if (url.searchParams.has('uploads') || url.searchParams.has('uploadId')) {
    return { operation: 'Other', key };
  }
  const byMethod: Record<string, S3Operation> = {
    GET: 'GetObject',
    HEAD: 'HeadObject',
    PUT: 'PutObject',
    DELETE: 'DeleteObject',
  };
  return { operation: byMethod[method] ?? 'Other', key };
}

function errorAnswer(
  outgoing: ServerResponse,
  error: { status: number; code: string; message: string },
  key: string,
): void {
  const requestId = createHash('sha1').update(`${error.code}:${key}`).digest('hex').slice(0, 16);
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${error.code}</Code><Message>${error.message}</Message>` +
    `<Key>${escapeXml(key)}</Key><RequestId>${requestId}</RequestId></Error>`;
  outgoing.writeHead(error.status, {
    'content-type': 'application/xml',
    'content-length': String(Buffer.byteLength(body)),
    'x-amz-request-id': requestId,
  });
  outgoing.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

function checkRules(
  operations: Partial<Record<S3Operation, S3FaultRule>>,
): Partial<Record<S3Operation, S3FaultRule>> {
  for (const rule of Object.values(operations)) {
    if (!(rule.rate >= 0 && rule.rate <= 1)) {
      throw new RangeError(`a fault rate is a share from 0 to 1, got ${rule.rate}`);
    }
    for (const kind of rule.kinds) {
      if (!S3_FAULT_KINDS.includes(kind)) {
        throw new RangeError(`unknown S3 fault kind ${kind}; use ${S3_FAULT_KINDS.join(', ')}`);
      }
    }
  }
  return operations;
}
