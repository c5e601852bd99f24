import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
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
