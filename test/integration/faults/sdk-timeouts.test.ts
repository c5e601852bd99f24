import type { Server } from 'node:http';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localDynamoClient,
} from '#cli/local/local-aws.ts';
import {
  DYNAMO_MAX_ATTEMPTS,
  DYNAMO_TIMEOUTS_MS,
  dynamoClientConfig,
} from '#shared/adapters/aws-clients.ts';
import { FUNCTION_SETTINGS } from '#shared/config.ts';

/**
 * The functions' DynamoDB clients against an endpoint whose connections stay open and silent: a
 * request that was sent, maybe applied, and whose answer never comes. Each attempt must be given
 * up after the configured time and tried again on a new connection, instead of holding the
 * invocation until the function's own timeout. The endpoint is a TCP relay to dynalite that
 * swallows the first `silent` connections.
 */
const TABLE = 'sdk-timeouts-test';

let server: Server;
let upstreamPort: number;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  upstreamPort = (server.address() as AddressInfo).port;
  const direct = localDynamoClient(`http://127.0.0.1:${upstreamPort}`);
  await ensureTable(direct, TABLE);
  await direct.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: { PK: { S: 'A' }, SK: { S: 'B' }, v: { N: '7' } },
    }),
  );
  direct.destroy();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function silentRelay(silent: number) {
  const held: Socket[] = [];
  let connections = 0;
  const relay = createServer((socket) => {
    connections += 1;
    if (connections <= silent) {
      held.push(socket); // read nothing, answer nothing, never close
      socket.on('error', () => {});
      return;
    }
    const upstream = connect(upstreamPort, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of held) socket.destroy();
      relay.close();
    },
  };
}

function functionClient(endpoint: string) {
  return new DynamoDBClient({
    ...dynamoClientConfig('request'),
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
}

const getItem = new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'A' }, SK: { S: 'B' } } });

describe('DynamoDB clients of the functions', () => {
  it('give up on a silent connection and get the answer on the next attempt', async () => {
    const relay = await silentRelay(1);
    const client = functionClient(relay.endpoint);
    try {
      const { Item } = await client.send(getItem);
      expect(Item?.v).toEqual({ N: '7' });
      expect(relay.connections()).toBe(2);
    } finally {
      client.destroy();
      await relay.close();
    }
  });

  it('fail with a TimeoutError once every attempt met silence, not at the function timeout', async () => {
    const relay = await silentRelay(Number.POSITIVE_INFINITY);
    const client = functionClient(relay.endpoint);
    try {
      await expect(client.send(getItem)).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(relay.connections()).toBe(DYNAMO_MAX_ATTEMPTS.request);
    } finally {
      client.destroy();
      await relay.close();
    }
  });

  it('leave an HTTP answer time to retry inside the API function timeout', () => {
    const { connection, request } = DYNAMO_TIMEOUTS_MS.request;
    expect(DYNAMO_MAX_ATTEMPTS.request * (connection + request)).toBeLessThan(
      FUNCTION_SETTINGS.serveReport.timeoutSeconds * 1000,
    );
  });
});
