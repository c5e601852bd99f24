import { createHash } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

/**
 * A fault-injecting HTTP proxy for the DynamoDB JSON protocol (AWS SDK → proxy → dynalite,
 * DynamoDB Local or any DynamoDB endpoint). It disturbs a configurable share of requests per
 * operation with the failures a network service really has:
 *
 * | kind | what the client sees | applied? |
 * |---|---|---|
 * | `throttle` | 400 `ThrottlingException` | no |
 * | `throughput` | 400 `ProvisionedThroughputExceededException` | no |
 * | `server-error` | 500 `InternalServerError` | no |
 * | `unavailable` | 503 `ServiceUnavailable` | no |
 * | `unanswered` | the connection drops before the answer (the SDK retries) | **yes** |
 * | `late` | nothing until `lateMs` later (past the client's request timeout, it retries) | **yes, late** (after the retry, if any) |
 * | `unprocessed` | `BatchWriteItem` only: the second half of the items back as `UnprocessedItems` (a batch of one item: that item) | the first half (of one item: nothing) |
 *
 * Decisions are deterministic for a seed: each one is a hash of the seed, the operation, the
 * request body and how many identical requests came before, so the same requests meet the same
 * faults whatever the interleaving of different requests. Counts of requests and of injected
 * faults per operation are kept (`counts()`, or `GET /__faults` on the proxy).
 *
 * `unprocessed` forwards a shortened body: fine for emulators, which do not verify SigV4
 * signatures; a real DynamoDB endpoint rejects such a request.
 */
export const FAULT_KINDS = [
  'throttle',
  'throughput',
  'server-error',
  'unavailable',
  'unanswered',
  'late',
  'unprocessed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** Share of requests disturbed, 0 to 1. */
  rate: number;
  /** Kinds drawn from (uniformly) when a request is disturbed. */
  kinds: readonly FaultKind[];
  /** At most this many faults under this rule (then it lets everything through). */
  limit?: number;
  /**
   * The kind of the rule's first fault, whatever the draw: a run that meets any fault of the rule
   * meets this one (a rule over few requests may otherwise never draw a rare kind).
   */
  firstKind?: FaultKind;
}

export interface FaultProxyOptions {
  /** Upstream DynamoDB endpoint, e.g. `http://127.0.0.1:8000`. */
  target: string;
  /** The rule of every operation not listed in `operations`. Default: no faults. */
  faults?: FaultRule;
  /** Rules of single operations (`PutItem`, `BatchWriteItem`, …), replacing `faults`. */
  operations?: Readonly<Record<string, FaultRule>>;
  seed?: number;
  /** How long a `late` request is held before it is forwarded. Default 2000 ms. */
  lateMs?: number;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

/** Requests seen and faults injected, per operation. */
export interface FaultCounts {
  requests: Record<string, number>;
  faults: Record<string, Partial<Record<FaultKind, number>>>;
  totalRequests: number;
  totalFaults: number;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const DEFAULT_LATE_MS = 2_000;
const NO_FAULTS: FaultRule = { rate: 0, kinds: [] };
const ERROR_ANSWERS: Record<
  'throttle' | 'throughput' | 'server-error' | 'unavailable',
  { status: number; type: string; message: string }
> = {
  throttle: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
  throughput: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded.',
  },
  'server-error': {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error',
  },
  unavailable: {
    status: 503,
    type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
    message: 'Service unavailable',
  },
};

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class DynamoDbFaultProxy {
  private readonly seen = new Map<string, number>();
  private readonly requestCounts: Record<string, number> = {};
  private readonly faultCounts: Record<string, Partial<Record<FaultKind, number>>> = {};
  private readonly faultsPerRule = new Map<FaultRule, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agent = new Agent({ keepAlive: true });
  private readonly target: URL;
  private rules: { faults: FaultRule; operations: Readonly<Record<string, FaultRule>> };
  private seed: number;
  private readonly lateMs: number;

  private constructor(
    private readonly server: Server,
    options: FaultProxyOptions,
  ) {
    this.target = new URL(options.target);
    this.rules = { faults: options.faults ?? NO_FAULTS, operations: options.operations ?? {} };
    this.seed = options.seed ?? 1;
    this.lateMs = options.lateMs ?? DEFAULT_LATE_MS;
    for (const rule of [this.rules.faults, ...Object.values(this.rules.operations)]) {
      checkRule(rule);
    }
  }

  /** Starts the proxy on loopback (or `host`) and resolves once it listens. */
  static async start(options: FaultProxyOptions): Promise<DynamoDbFaultProxy> {
    let proxy: DynamoDbFaultProxy | undefined;
    const server = createServer((incoming, outgoing) => proxy?.handle(incoming, outgoing));
    proxy = new DynamoDbFaultProxy(server, options);
    await new Promise<void>((resolveListening, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolveListening());
    });
    return proxy;
  }

  get endpoint(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** Replaces the fault rules (and the seed, if given) from now on; counts are kept. */
  configure(rules: Pick<FaultProxyOptions, 'faults' | 'operations' | 'seed'>): void {
    const next = { faults: rules.faults ?? NO_FAULTS, operations: rules.operations ?? {} };
    for (const rule of [next.faults, ...Object.values(next.operations)]) checkRule(rule);
    this.rules = next;
    if (rules.seed !== undefined) this.seed = rules.seed;
  }

  counts(): FaultCounts {
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    return {
      requests: { ...this.requestCounts },
      faults: Object.fromEntries(
        Object.entries(this.faultCounts).map(([operation, kinds]) => [operation, { ...kinds }]),
      ),
      totalRequests: sum(Object.values(this.requestCounts)),
      totalFaults: sum(
        Object.values(this.faultCounts).flatMap((kinds) => Object.values(kinds) as number[]),
      ),
    };
  }

  /** Resolves when no request is held or forwarded any more (late writes have landed). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    await this.settled();
    this.server.closeAllConnections();
    await new Promise<void>((resolveClosed) => this.server.close(() => resolveClosed()));
    this.agent.destroy();
  }

  private handle(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const work = this.serve(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(`fault proxy: ${(error as Error).message}`);
      } else {
        outgoing.destroy();
      }
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    if (incoming.method === 'GET' && incoming.url === '/__faults') {
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.end(`${JSON.stringify(this.counts(), null, 2)}\n`);
      return;
    }
    const operation = operationOf(incoming.headers);
    this.requestCounts[operation] = (this.requestCounts[operation] ?? 0) + 1;
    const kind = this.decide(operation, body);
    if (kind) {
      const counts = this.faultCounts[operation] ?? {};
      counts[kind] = (counts[kind] ?? 0) + 1;
      this.faultCounts[operation] = counts;
    }
    switch (kind) {
      case undefined:
        return answer(outgoing, await this.forward(incoming, body));
      case 'throttle':
      case 'throughput':
      case 'server-error':
      case 'unavailable': {
        const { status, type, message } = ERROR_ANSWERS[kind];
        return answer(outgoing, jsonAnswer(status, { __type: type, message }));
      }
      case 'unanswered':
        await this.forward(incoming, body);
        outgoing.socket?.destroy();
        return;
      case 'late': {
        await new Promise((resolveLater) => setTimeout(resolveLater, this.lateMs));
        const upstream = await this.forward(incoming, body);
        if (!outgoing.destroyed && outgoing.socket && !outgoing.socket.destroyed) {
          answer(outgoing, upstream);
        }
        return;
      }
      case 'unprocessed':
        return answer(outgoing, await this.withholdPart(incoming, body));
    }
  }

  /** The fault of one request, or undefined; only kinds that apply to the operation are drawn. */
  private decide(operation: string, body: Buffer): FaultKind | undefined {
    const rule = this.rules.operations[operation] ?? this.rules.faults;
    const kinds = rule.kinds.filter(
      (kind) => kind !== 'unprocessed' || operation === 'BatchWriteItem',
    );
    const injected = this.faultsPerRule.get(rule) ?? 0;
    if (rule.rate <= 0 || kinds.length === 0 || injected >= (rule.limit ?? Infinity)) {
      return undefined;
    }
    const digest = createHash('sha256').update(`${operation}\n`).update(body).digest('hex');
    const occurrence = this.seen.get(digest) ?? 0;
    this.seen.set(digest, occurrence + 1);
    const draw = createHash('sha256').update(`${this.seed}:${digest}:${occurrence}`).digest();
    const uniform = draw.readUInt32BE(0) / 2 ** 32;
    if (uniform >= rule.rate) return undefined;
    this.faultsPerRule.set(rule, injected + 1);
    if (injected === 0 && rule.firstKind && kinds.includes(rule.firstKind)) return rule.firstKind;
    return kinds[draw.readUInt32BE(4) % kinds.length];
  }

  /**
   * Applies the first half of a BatchWriteItem's requests and hands the rest back as unprocessed;
   * a batch of one request is handed back whole, unapplied (DynamoDB may leave any item of a batch
   * unprocessed).
   */
  private async withholdPart(incoming: IncomingMessage, body: Buffer): Promise<Upstream> {
    const input = JSON.parse(body.toString('utf8')) as {
      RequestItems: Record<string, unknown[]>;
      [other: string]: unknown;
    };
    const kept: Record<string, unknown[]> = {};
    const withheld: Record<string, unknown[]> = {};
    for (const [table, requests] of Object.entries(input.RequestItems)) {
      const keep = requests.length > 1 ? Math.ceil(requests.length / 2) : 0;
      if (keep > 0) kept[table] = requests.slice(0, keep);
      if (requests.length > keep) withheld[table] = requests.slice(keep);
    }
    if (Object.keys(kept).length === 0) return jsonAnswer(200, { UnprocessedItems: withheld });
    const upstream = await this.forward(
      incoming,
      Buffer.from(JSON.stringify({ ...input, RequestItems: kept })),
    );
    if (upstream.status !== 200) return upstream;
    const output = JSON.parse(upstream.body.toString('utf8')) as {
      UnprocessedItems?: Record<string, unknown[]>;
    };
    const unprocessed = output.UnprocessedItems ?? {};
    for (const [table, requests] of Object.entries(withheld)) {
      unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
    }
    return {
      ...upstream,
      body: Buffer.from(JSON.stringify({ ...output, UnprocessedItems: unprocessed })),
    };
  }

  private forward(incoming: IncomingMessage, body: Buffer): Promise<Upstream> {
    return new Promise((resolveForwarded, reject) => {
      const headers = { ...incoming.headers, 'content-length': String(body.length) };
      delete headers.connection;
      const upstreamRequest = request(
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
          readBody(response).then(
            (responseBody) =>
              resolveForwarded({
                status: response.statusCode ?? 502,
                headers: response.headers,
                body: responseBody,
              }),
            reject,
          );
        },
      );
      upstreamRequest.once('error', reject);
      upstreamRequest.end(body);
    });
  }
}

function checkRule(rule: FaultRule): void {
  if (!(rule.rate >= 0 && rule.rate <= 1)) {
    throw new RangeError(`a fault rate is a share from 0 to 1, got ${rule.rate}`);
  }
  for (const kind of rule.kinds) {
    if (!FAULT_KINDS.includes(kind)) {
      throw new RangeError(`unknown fault kind ${kind}; use ${FAULT_KINDS.join(', ')}`);
    }
  }
}

/** `X-Amz-Target: DynamoDB_20120810.PutItem` → `PutItem`. */
function operationOf(headers: IncomingHttpHeaders): string {
  const target = headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.split('.').pop() ?? 'unknown';
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolveBody(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function jsonAnswer(status: number, value: unknown): Upstream {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE },
    body: Buffer.from(JSON.stringify(value)),
  };
}

/** Writes an answer with its length and DynamoDB's CRC32 header recomputed for the body sent. */
function answer(outgoing: ServerResponse, upstream: Upstream): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && !['connection', 'transfer-encoding'].includes(name)) {
      headers[name] = value;
    }
  }
  headers['content-length'] = String(upstream.body.length);
  headers['x-amz-crc32'] = String(crc32(upstream.body));
  headers['x-amzn-requestid'] ??= createHash('sha1').update(upstream.body).digest('hex');
  outgoing.writeHead(upstream.status, headers);
  outgoing.end(upstream.body);
}

/** Parses `--target URL --rate 0.1 --kinds unanswered,throttle [--operations PutItem,…] …`. */
export function parseProxyArguments(argv: readonly string[]): FaultProxyOptions {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index];
    const value = argv[index + 1];
    if (!name?.startsWith('--') || value === undefined) {
      throw new Error(`expected --name value pairs, got ${JSON.stringify(argv.slice(index))}`);
    }
    values.set(name.slice(2), value);
  }
  const known = new Set([
    'target',
    'rate',
    'kinds',
    'operations',
    'seed',
    'late-ms',
    'port',
    'host',
  ]);
  for (const name of values.keys()) {
    if (!known.has(name)) throw new Error(`unknown option --${name}`);
  }
  const target = values.get('target');
  if (!target) throw new Error('--target <DynamoDB endpoint URL> is required');
  const number = (name: string) => {
    const text = values.get(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${text}`);
    return value;
  };
  const rule: FaultRule = {
    rate: number('rate') ?? 0,
    kinds: (values.get('kinds') ?? 'unanswered').split(',').map((kind) => kind.trim() as FaultKind),
  };
  const operations = values
    .get('operations')
    ?.split(',')
    .map((name) => name.trim());
  const seed = number('seed');
  const lateMs = number('late-ms');
  const port = number('port');
  const host = values.get('host');
  return {
    target,
    ...(operations
      ? { operations: Object.fromEntries(operations.map((name) => [name, rule])) }
      : { faults: rule }),
    ...(seed !== undefined ? { seed } : {}),
    ...(lateMs !== undefined ? { lateMs } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(host !== undefined ? { host } : {}),
  };
}

async function main(): Promise<void> {
  let options: FaultProxyOptions;
  try {
    options = parseProxyArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\nusage: npx tsx test/support/faults/dynamodb-fault-proxy.ts ` +
        '--target URL [--rate 0.1] [--kinds unanswered,throttle,…] [--operations PutItem,…] ' +
        `[--seed 1] [--late-ms 2000] [--port 0] [--host 127.0.0.1]\nkinds: ${FAULT_KINDS.join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const proxy = await DynamoDbFaultProxy.start(options);
  process.stdout.write(
    `DynamoDB fault proxy on ${proxy.endpoint} → ${options.target}\n` +
      `counts: GET ${proxy.endpoint}/__faults; Ctrl-C prints them and stops\n`,
  );
  const stop = () => {
    process.stdout.write(`${JSON.stringify(proxy.counts(), null, 2)}\n`);
    void proxy.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
