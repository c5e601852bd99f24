import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, localS3Client, startLocalAws } from '#cli/local/local-aws.ts';
import { S3FaultProxy, type S3FaultProxyOptions } from '../../support/faults/s3-fault-proxy.ts';

const BUCKET = 's3-fault-proxy-test';
const KEY = 'uploads/2025/big.csv';
/** 1 MiB of distinct bytes, so a truncated read cannot pass for the whole object. */
const OBJECT = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, index) => (index * 7) % 251));

describe('S3FaultProxy', () => {
  let aws: LocalAws;
  const proxies: S3FaultProxy[] = [];
  const clients: S3Client[] = [];

  beforeAll(async () => {
    aws = await startLocalAws({ bucketName: BUCKET, tableName: 'unused' });
    await aws.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: OBJECT }));
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const proxy of proxies.splice(0)) await proxy.stop();
  });
  afterAll(async () => {
    await aws?.stop();
  });

  async function clientThrough(options: Omit<S3FaultProxyOptions, 'target'>) {
    const proxy = await S3FaultProxy.start({ target: aws.s3Endpoint, ...options });
    proxies.push(proxy);
    const client = localS3Client(proxy.endpoint);
    clients.push(client);
    return { proxy, client };
  }

  /** Reads the object; returns the bytes read and the error that ended the read, if any. */
  async function read(client: S3Client) {
    const response = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }));
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of response.Body as AsyncIterable<Uint8Array>)
        chunks.push(Buffer.from(chunk));
      return { bytes: Buffer.concat(chunks), error: undefined };
    } catch (error) {
      return { bytes: Buffer.concat(chunks), error: error as Error };
    }
  }

  it('streams requests and answers through untouched when no rule applies', async () => {
    const { client, proxy } = await clientThrough({});
    const { bytes, error } = await read(client);
    expect(error).toBeUndefined();
    expect(bytes.equals(OBJECT)).toBe(true);
    expect(proxy.counts()).toMatchObject({ requests: { GetObject: 1 }, totalFaults: 0 });
  });

  it('resets the connection after N bytes of the object: the reader sees a broken stream', async () => {
    const { client, proxy } = await clientThrough({
      operations: { GetObject: { rate: 1, kinds: ['reset'] } },
      resetAfterBytes: 100_000,
    });
    const { bytes, error } = await read(client);
    expect(error).toBeDefined();
    expect(bytes.length).toBe(100_000);
    expect(bytes.equals(OBJECT.subarray(0, bytes.length))).toBe(true);
    expect(proxy.counts().faults).toEqual({ GetObject: { reset: 1 } });
  });

  it('answers 500 and 503 that the SDK retries, up to the limit per key', async () => {
    const { client, proxy } = await clientThrough({
      operations: { GetObject: { rate: 1, kinds: ['server-error', 'slow-down'], limitPerKey: 2 } },
    });
    const { bytes, error } = await read(client);
    expect(error).toBeUndefined();
    expect(bytes.equals(OBJECT)).toBe(true);
    expect(proxy.counts()).toMatchObject({ requests: { GetObject: 3 }, totalFaults: 2 });
  });

  it('denies access with the 403 S3 answers, which the SDK does not retry', async () => {
    const { client } = await clientThrough({
      operations: { GetObject: { rate: 1, kinds: ['denied'], keys: (key) => key === KEY } },
    });
    await expect(read(client)).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('draws the same faults for the same requests and seed', async () => {
    const outcomes = async (seed: number) => {
      const { client, proxy } = await clientThrough({
        seed,
        operations: { GetObject: { rate: 0.5, kinds: ['reset'] } },
      });
      const ended: boolean[] = [];
      for (let attempt = 0; attempt < 12; attempt++)
        ended.push((await read(client)).error === undefined);
      return { ended, faults: proxy.counts().totalFaults };
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(first.faults).toBeGreaterThan(0);
    expect(first.faults).toBeLessThan(12);
  });
});
