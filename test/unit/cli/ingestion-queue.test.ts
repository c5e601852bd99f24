import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEPLOYED_QUEUE_SETTINGS,
  type DeadLetter,
  LocalIngestionQueue,
} from '#cli/local/ingestion-queue.ts';
import { INGESTION } from '#infra/stateless-stack.ts';

/** A consumer that records each batch and fails the bodies `fails` says to. */
function recordingConsumer(fails: (body: string, receiveCount: number) => boolean) {
  const batches: Array<Array<{ body: string; receiveCount: number }>> = [];
  const consume = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batch = event.Records.map((record) => ({
      body: record.body,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
    }));
    batches.push(batch);
    return {
      batchItemFailures: event.Records.filter((record, index) =>
        fails(record.body, batch[index]?.receiveCount ?? 0),
      ).map((record) => ({ itemIdentifier: record.messageId })),
    };
  };
  return { batches, consume };
}

describe('LocalIngestionQueue', () => {
  it("uses the deployed queue's batch size and redrive policy", () => {
    expect(DEPLOYED_QUEUE_SETTINGS).toEqual({
      maxReceiveCount: INGESTION.maxReceiveCount,
      batchSize: INGESTION.batchSize,
    });
  });

  it('delivers messages in batches of at most the batch size, as SQS events', async () => {
    const consumer = recordingConsumer(() => false);
    const queue = new LocalIngestionQueue({
      consume: consumer.consume,
      onDeadLetter: () => {},
      batchSize: 2,
    });

    for (const body of ['a', 'b', 'c']) queue.send(body);
    await queue.idle();

    expect(consumer.batches.flat().map((message) => message.body)).toEqual(['a', 'b', 'c']);
    expect(consumer.batches.every((batch) => batch.length <= 2)).toBe(true);
    expect(consumer.batches.flat().every((message) => message.receiveCount === 1)).toBe(true);
  });

  it('redelivers only the failed messages, counting receives', async () => {
    const consumer = recordingConsumer(
      (body, receiveCount) => body === 'flaky' && receiveCount < 3,
    );
    const queue = new LocalIngestionQueue({
      consume: consumer.consume,
      onDeadLetter: () => {},
      visibilityDelayMs: () => 0,
    });

    queue.send('fine');
    queue.send('flaky');
    await queue.idle();

    const flaky = consumer.batches.flat().filter((message) => message.body === 'flaky');
    const fine = consumer.batches.flat().filter((message) => message.body === 'fine');
    expect(flaky.map((message) => message.receiveCount)).toEqual([1, 2, 3]);
    expect(fine).toHaveLength(1);
  });

  it('dead-letters a message after the maximum receive count', async () => {
    const letters: DeadLetter[] = [];
    const consumer = recordingConsumer((body) => body === 'poison');
    const queue = new LocalIngestionQueue({
      consume: consumer.consume,
      onDeadLetter: (letter) => letters.push(letter),
      visibilityDelayMs: () => 0,
      maxReceiveCount: 5,
    });

    queue.send('poison');
    await queue.idle();

    expect(consumer.batches).toHaveLength(5);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ body: 'poison', receiveCount: 5 });
  });

  it('fails the whole batch when the invocation itself throws', async () => {
    const letters: DeadLetter[] = [];
    const queue = new LocalIngestionQueue({
      consume: async () => {
        throw new Error('function crashed');
      },
      onDeadLetter: (letter) => letters.push(letter),
      visibilityDelayMs: () => 0,
      maxReceiveCount: 2,
    });

    queue.send('a');
    queue.send('b');
    await queue.idle();

    expect(letters.map((letter) => [letter.body, letter.receiveCount]).sort()).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });
});

describe('LocalIngestionQueue on a directory', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'salary-report-queue-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('delivers on the next start every message still waiting when the queue stopped', async () => {
    const gate = deferred();
    const first = recordingConsumer(() => false);
    const stopping = new LocalIngestionQueue({
      consume: async (event) => {
        await gate.promise;
        return first.consume(event);
      },
      onDeadLetter: () => {},
      directory,
    });
    const bodies = Array.from({ length: 12 }, (_, index) => `event-${index}`);
    for (const body of bodies) stopping.send(body);
    const stopped = stopping.stop();
    gate.resolve();
    await stopped;

    const second = recordingConsumer(() => false);
    const restarted = new LocalIngestionQueue({
      consume: second.consume,
      onDeadLetter: () => {},
      directory,
    });
    await restarted.idle();

    // The batch in flight at the stop was consumed; the next start delivers exactly the rest.
    const beforeStop = first.batches.flat().map((message) => message.body);
    expect(beforeStop.length).toBeGreaterThan(0);
    expect(beforeStop).toEqual(bodies.slice(0, beforeStop.length));
    expect(second.batches.flat().map((message) => message.body)).toEqual(
      bodies.slice(beforeStop.length),
    );
    expect(readdirSync(directory)).toEqual([]);
  });

  it('keeps a message sent after the stop, as S3 keeps the event of an upload it finished', async () => {
    const stopped = new LocalIngestionQueue({
      consume: recordingConsumer(() => false).consume,
      onDeadLetter: () => {},
      directory,
    });
    await stopped.stop();
    stopped.send('late');

    const consumer = recordingConsumer(() => false);
    await new LocalIngestionQueue({
      consume: consumer.consume,
      onDeadLetter: () => {},
      directory,
    }).idle();

    expect(consumer.batches.flat().map((message) => message.body)).toEqual(['late']);
  });

  it('redelivers the batch a crashed consumer held, counting that receive', async () => {
    // The first queue's consumer never returns: its process died with the batch in flight.
    const crashed = new LocalIngestionQueue({
      consume: () => new Promise<SQSBatchResponse>(() => {}),
      onDeadLetter: () => {},
      directory,
    });
    crashed.send('a');
    crashed.send('b');
    // 'a' went out alone (in flight when the process died); 'b' was still waiting.

    const consumer = recordingConsumer(() => false);
    await new LocalIngestionQueue({
      consume: consumer.consume,
      onDeadLetter: () => {},
      directory,
    }).idle();

    expect(consumer.batches.flat()).toEqual([
      { body: 'a', receiveCount: 2 },
      { body: 'b', receiveCount: 1 },
    ]);
  });

  it('dead-letters after the maximum receives counted across restarts', async () => {
    const letters: DeadLetter[] = [];
    const failing = recordingConsumer(() => true);
    const before = new LocalIngestionQueue({
      consume: failing.consume,
      onDeadLetter: (letter) => letters.push(letter),
      visibilityDelayMs: () => 60_000,
      directory,
      maxReceiveCount: 3,
    });
    before.send('poison');
    await until(() => failing.batches.length === 1);
    await before.stop();

    const after = new LocalIngestionQueue({
      consume: failing.consume,
      onDeadLetter: (letter) => letters.push(letter),
      visibilityDelayMs: () => 0,
      directory,
      maxReceiveCount: 3,
    });
    await after.idle();

    expect(failing.batches.flat().map((message) => message.receiveCount)).toEqual([1, 2, 3]);
    expect(letters).toMatchObject([{ body: 'poison', receiveCount: 3 }]);
    expect(readdirSync(directory)).toEqual([]);
  });
});

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Yields to the event loop until the condition holds (no clock involved). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
