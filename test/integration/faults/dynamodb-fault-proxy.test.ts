import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localDynamoClient,
} from '#cli/local/local-aws.ts';
import {
  DynamoDbFaultProxy,
  type FaultProxyOptions,
  parseProxyArguments,
} from '../../support/faults/dynamodb-fault-proxy.ts';

const TABLE = 'fault-proxy-test';
const PROXY_SCRIPT = fileURLToPath(
  new URL('../../support/faults/dynamodb-fault-proxy.ts', import.meta.url),
);

describe('DynamoDbFaultProxy', () => {
  let server: Server;
  let upstream: string;
  let direct: DynamoDBClient;
  const proxies: DynamoDbFaultProxy[] = [];
  const clients: DynamoDBClient[] = [];
  let itemCounter = 0;

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    direct = localDynamoClient(upstream);
    await ensureTable(direct, TABLE);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const proxy of proxies.splice(0)) await proxy.stop();
  });
  afterAll(async () => {
    direct.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function proxyWith(options: Omit<FaultProxyOptions, 'target'>) {
    const proxy = await DynamoDbFaultProxy.start({ target: upstream, ...options });
    proxies.push(proxy);
    return proxy;
  }

  function clientOf(
    proxy: DynamoDbFaultProxy,
    options: { maxAttempts?: number; timeoutMs?: number } = {},
  ) {
    const client = new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: options.maxAttempts ?? 1,
      ...(options.timeoutMs
        ? { requestHandler: { requestTimeout: options.timeoutMs, throwOnRequestTimeout: true } }
        : {}),
    });
    clients.push(client);
    return client;
  }

  const key = (id: string) => ({ PK: { S: `ITEM#${id}` }, SK: { S: 'A' } });
  const nextId = () => `item-${++itemCounter}`;
  const putOnce = (id: string) =>
    new PutItemCommand({
      TableName: TABLE,
      Item: { ...key(id), value: { N: '1' } },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  async function stored(id: string): Promise<boolean> {
    const { Item } = await direct.send(
      new GetItemCommand({ TableName: TABLE, Key: key(id), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  it('forwards requests untouched and counts them per operation', async () => {
    const proxy = await proxyWith({});
    const client = clientOf(proxy);
    const id = nextId();
    await client.send(putOnce(id));
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: key(id) }));
    expect(Item?.value).toEqual({ N: '1' });
    expect(proxy.counts()).toEqual({
      requests: { PutItem: 1, GetItem: 1 },
      faults: {},
      totalRequests: 2,
      totalFaults: 0,
    });
  });

  it.each([
    ['throttle', 'ThrottlingException', 400],
    ['throughput', 'ProvisionedThroughputExceededException', 400],
    ['server-error', 'InternalServerError', 500],
    ['unavailable', 'ServiceUnavailable', 503],
  ] as const)('answers %s with %s (%i) and applies nothing', async (kind, name, status) => {
    const proxy = await proxyWith({ operations: { PutItem: { rate: 1, kinds: [kind] } } });
    const id = nextId();
    const failure = await clientOf(proxy)
      .send(putOnce(id))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ name, $metadata: { httpStatusCode: status } });
    expect(await stored(id)).toBe(false);
    expect(proxy.counts().faults).toEqual({ PutItem: { [kind]: 1 } });
  });

  it('lets the SDK retry what it answered with a throttling error', async () => {
    const proxy = await proxyWith({ faults: { rate: 1, kinds: ['throttle'], limit: 2 } });
    const id = nextId();
    await clientOf(proxy, { maxAttempts: 3 }).send(putOnce(id));
    expect(await stored(id)).toBe(true);
    expect(proxy.counts()).toMatchObject({ requests: { PutItem: 3 }, totalFaults: 2 });
  });

  it('applies an unanswered request, so a retried conditional write fails its own condition', async () => {
    const proxy = await proxyWith({ faults: { rate: 1, kinds: ['unanswered'], limit: 1 } });
    const id = nextId();
    const failure = await clientOf(proxy, { maxAttempts: 2 })
      .send(putOnce(id))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConditionalCheckFailedException);
    expect(await stored(id)).toBe(true);
    expect(proxy.counts()).toMatchObject({
      requests: { PutItem: 2 },
      faults: { PutItem: { unanswered: 1 } },
    });
  });

  it('drops the connection of an unanswered request after applying it', async () => {
    const proxy = await proxyWith({ faults: { rate: 1, kinds: ['unanswered'] } });
    const id = nextId();
    const failure = await clientOf(proxy)
      .send(putOnce(id))
      .catch((error: unknown) => error as NodeJS.ErrnoException);
    expect(failure).toMatchObject({ code: 'ECONNRESET' });
    expect(await stored(id)).toBe(true);
  });

  it('holds a late request past the client timeout, then applies it after the retry', async () => {
    const proxy = await proxyWith({
      faults: { rate: 1, kinds: ['late'], limit: 1 },
      lateMs: 600,
    });
    const id = nextId();
    await clientOf(proxy, { maxAttempts: 2, timeoutMs: 150 }).send(putOnce(id));
    expect(await stored(id)).toBe(true);
    await proxy.settled();
    expect(proxy.counts()).toMatchObject({
      requests: { PutItem: 2 },
      faults: { PutItem: { late: 1 } },
    });
  });

  it('applies part of a BatchWriteItem and returns the rest as UnprocessedItems', async () => {
    const proxy = await proxyWith({ faults: { rate: 1, kinds: ['unprocessed'] } });
    const ids = [nextId(), nextId(), nextId(), nextId(), nextId()];
    const response = await clientOf(proxy).send(
      new BatchWriteItemCommand({
        RequestItems: {
          [TABLE]: ids.map((id) => ({ PutRequest: { Item: { ...key(id), value: { N: '2' } } } })),
        },
      }),
    );
    const unprocessed = response.UnprocessedItems?.[TABLE] ?? [];
    expect(unprocessed.map((request) => request.PutRequest?.Item?.PK?.S)).toEqual(
      ids.slice(3).map((id) => `ITEM#${id}`),
    );
    expect(await Promise.all(ids.map(stored))).toEqual([true, true, true, false, false]);
  });

  it('returns a BatchWriteItem of one item whole as UnprocessedItems, unapplied', async () => {
    const proxy = await proxyWith({ faults: { rate: 1, kinds: ['unprocessed'], limit: 1 } });
    const id = nextId();
    const write = new BatchWriteItemCommand({
      RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...key(id), value: { N: '2' } } } }] },
    });
    const response = await clientOf(proxy).send(write);
    expect(
      response.UnprocessedItems?.[TABLE]?.map((request) => request.PutRequest?.Item?.PK?.S),
    ).toEqual([`ITEM#${id}`]);
    expect(await stored(id)).toBe(false);
    expect((await clientOf(proxy).send(write)).UnprocessedItems ?? {}).toEqual({});
    expect(await stored(id)).toBe(true);
  });

  it('makes the first fault of a rule the kind it names', async () => {
    const proxy = await proxyWith({
      faults: {
        rate: 1,
        kinds: ['throttle', 'throttle', 'throttle', 'unprocessed'],
        firstKind: 'unprocessed',
        limit: 1,
      },
    });
    await clientOf(proxy)
      .send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: [nextId(), nextId()].map((id) => ({
              PutRequest: { Item: { ...key(id), value: { N: '2' } } },
            })),
          },
        }),
      )
      .catch(() => {});
    expect(proxy.counts().faults).toEqual({ BatchWriteItem: { unprocessed: 1 } });
  });

  it('never draws unprocessed for operations other than BatchWriteItem', async () => {
    const proxy = await proxyWith({ faults: { rate: 1, kinds: ['unprocessed'] } });
    const id = nextId();
    await clientOf(proxy).send(putOnce(id));
    expect(proxy.counts().totalFaults).toBe(0);
  });

  it('disturbs the same requests for the same seed, others for another seed', async () => {
    const ids = Array.from({ length: 60 }, (_, index) => `determinism-${index}`);
    async function failedReads(seed: number): Promise<string[]> {
      const proxy = await proxyWith({ seed, faults: { rate: 0.3, kinds: ['throttle'] } });
      const client = clientOf(proxy);
      const failed: string[] = [];
      for (const id of ids) {
        await client
          .send(new GetItemCommand({ TableName: TABLE, Key: key(id) }))
          .catch(() => failed.push(id));
      }
      return failed;
    }
    const first = await failedReads(7);
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(35);
    expect(await failedReads(7)).toEqual(first);
    expect(await failedReads(8)).not.toEqual(first);
  });

  it('serves its counts at GET /__faults', async () => {
    const proxy = await proxyWith({
      operations: { GetItem: { rate: 1, kinds: ['server-error'] } },
    });
    await clientOf(proxy)
      .send(new GetItemCommand({ TableName: TABLE, Key: key('x') }))
      .catch(() => undefined);
    const response = await fetch(`${proxy.endpoint}/__faults`);
    expect(await response.json()).toEqual({
      requests: { GetItem: 1 },
      faults: { GetItem: { 'server-error': 1 } },
      totalRequests: 1,
      totalFaults: 1,
    });
  });

  it('parses its command line', () => {
    expect(
      parseProxyArguments([
        '--target',
        'http://127.0.0.1:8000',
        '--rate',
        '0.1',
        '--kinds',
        'unanswered,throttle',
        '--operations',
        'PutItem,BatchWriteItem',
        '--seed',
        '3',
        '--port',
        '8001',
      ]),
    ).toEqual({
      target: 'http://127.0.0.1:8000',
      operations: {
        PutItem: { rate: 0.1, kinds: ['unanswered', 'throttle'] },
        BatchWriteItem: { rate: 0.1, kinds: ['unanswered', 'throttle'] },
      },
      seed: 3,
      port: 8001,
    });
    expect(() => parseProxyArguments(['--rate', '0.1'])).toThrow('--target');
    expect(() => parseProxyArguments(['--target', 'x', '--colour', 'red'])).toThrow('--colour');
  });

  it('runs by hand and prints its counts when interrupted', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', PROXY_SCRIPT, '--target', upstream, '--rate', '1', '--kinds', 'throttle'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /fault proxy on (http:\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`proxy exited:\n${output}`)));
    });
    const client = new DynamoDBClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    clients.push(client);
    await expect(
      client.send(new GetItemCommand({ TableName: TABLE, Key: key('y') })),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('"totalFaults": 1');
  });
});
