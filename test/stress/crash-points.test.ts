import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localS3Client } from '#cli/local/local-aws.ts';
import { mulberry32 } from '#cli/sample/prng.ts';
import { INGESTION } from '#infra/stateless-stack.ts';
import { expectedTotals, randomRows, surveyCsv, type UsdRow } from '../support/survey-csv.ts';
import { printFigure, scaled, seeds } from './scale.ts';
import { BUCKET, FaultyPipeline } from './support/faulty-pipeline.ts';

const YEAR = 2025;
const KEYS = Array.from({ length: 4 }, (_, index) => `uploads/${YEAR}/crash-${index}.csv`);

class InjectedCrash extends Error {
  constructor(point: string) {
    super(`injected crash at ${point}`);
    this.name = 'InjectedCrash';
  }
}

/**
 * One process's life: it dies at its `crashAt`-th point (before a request is sent, after its
 * answer arrived, or between two chunks of an object being read) and from then on does nothing
 * more: every later point fails too, as nothing runs in a dead process.
 */
class CrashPoints {
  private passed = 0;
  private dead = false;
  /** Where it died, when it did. */
  crashedAt: string | undefined;

  constructor(private readonly crashAt: number) {}

  get crashed(): boolean {
    return this.dead;
  }

  point(label: string): void {
    if (this.dead) throw new InjectedCrash(`${label} (after the crash)`);
    if (++this.passed === this.crashAt) {
      this.dead = true;
      this.crashedAt = label;
      throw new InjectedCrash(label);
    }
  }

  /** An S3 and a DynamoDB client (the handler's settings) whose every call passes two points. */
  clients(s3Endpoint: string, dynamoEndpoint: string): { s3: S3Client; dynamo: DynamoDBClient } {
    const s3 = localS3Client(s3Endpoint);
    const dynamo = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 8,
    });
    const step = { step: 'initialize', name: 'crashPoints' } as const;
    s3.middlewareStack.add(
      (next, context) => this.around(context.commandName ?? 'command', next),
      step,
    );
    dynamo.middlewareStack.add(
      (next, context) => this.around(context.commandName ?? 'command', next),
      step,
    );
    return { s3, dynamo };
  }

  /** Points count in `passed` only up to the crash: a life that never crashed tells its length. */
  get length(): number {
    return this.passed;
  }

  private around<Args, Result extends { output: unknown }>(
    commandName: string,
    next: (args: Args) => Promise<Result>,
  ): (args: Args) => Promise<Result> {
    return async (args) => {
      this.point(`before ${commandName}`);
      const result = await next(args);
      this.point(`after ${commandName} was applied`);
      const output = result.output as { Body?: AsyncIterable<Uint8Array> };
      if (commandName === 'GetObjectCommand' && output.Body) {
        output.Body = this.chunkPoints(output.Body);
      }
      return result;
    };
  }

  private async *chunkPoints(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of body) {
      this.point('between two chunks of the object');
      yield chunk;
    }
  }
}

describe('ingestion killed at random points, then redelivered', () => {
  let pipeline: FaultyPipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it.each(seeds(3))(
    'ends every round with the exact totals of the files in the bucket (seed %i)',
    async (seed) => {
      const random = mulberry32(seed);
      const lives: CrashPoints[] = [];
      const clients: Array<{ destroy(): void }> = [];
      let invocations = 0;
      pipeline = await FaultyPipeline.start({
        // Each invocation is a fresh process; most die at a random point, unless the batch holds
        // a message on its last receive (a crash then would park it, which is another test).
        dependenciesFor: (event, wire) => {
          invocations++;
          if (!pipeline) throw new Error('pipeline not started');
          const lastChance = event.Records.some(
            (record) =>
              Number(record.attributes.ApproximateReceiveCount) >= INGESTION.maxReceiveCount - 1,
          );
          if (lastChance || random() < 0.2) return wire(pipeline.faultyS3, pipeline.faultyDynamo);
          // Anywhere in a whole invocation: as many points as the longest one seen so far.
          const longest = Math.max(
            40,
            ...lives.filter((life) => !life.crashed).map((life) => life.length),
          );
          const life = new CrashPoints(1 + Math.floor(random() * longest));
          lives.push(life);
          const { s3, dynamo } = life.clients(
            pipeline.s3Proxy.endpoint,
            pipeline.dynamoProxy.endpoint,
          );
          clients.push(s3, dynamo);
          return wire(s3, dynamo);
        },
      });
      const contents = new Map<string, UsdRow[]>();
      const rounds = scaled(20, 200);
      for (let round = 0; round < rounds; round++) {
        const key = KEYS[Math.floor(random() * KEYS.length)] ?? '';
        if (contents.has(key) && random() < 0.25) {
          await pipeline.aws.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
          contents.delete(key);
        } else {
          const rows = randomRows(
            50 + Math.floor(random() * scaled(400, 3_000)),
            seed * 10_000 + round,
          );
          await pipeline.upload(key, surveyCsv(rows));
          contents.set(key, rows);
        }
        await pipeline.settled();

        expect(pipeline.deadLetters).toEqual([]);
        expect(await pipeline.cellTotals(YEAR)).toEqual(
          expectedTotals([...contents.values()].flat(), YEAR),
        );
      }
      for (const client of clients) client.destroy();
      const crashed = lives.flatMap((life) => (life.crashedAt ? [life.crashedAt] : []));
      printFigure(
        `crash points (seed ${seed})`,
        `${rounds} rounds, ${invocations} invocations, ${crashed.length} died: ${crashed.join('; ')}`,
      );
      expect(crashed.length).toBeGreaterThanOrEqual(rounds / 4);
    },
  );
});
