import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeS3Key } from '#shared/domain/s3-event.ts';
import type { RawS3rverEvent } from './local-aws.ts';

/**
 * Monotonic S3-style sequencers. s3rver stamps events with the millisecond clock, so two writes in
 * the same millisecond would tie; real S3 guarantees a later event on a key a greater sequencer.
 */
export class SequencerClock {
  private last = 0n;

  next(): string {
    const candidate = BigInt(Date.now()) * 1_000_000n;
    this.last = candidate > this.last ? candidate : this.last + 1n;
    return this.last.toString(16).toUpperCase().padStart(18, '0');
  }
}

/**
 * Rewrites s3rver's notification as S3 publishes it: the key URL-encoded (spaces as `+`) and a
 * monotonic sequencer, serialized as the SQS message body S3 would send to the queue.
 */
export function toS3NotificationBody(raw: RawS3rverEvent, clock: SequencerClock): string {
  return JSON.stringify({
    Records: raw.Records.map((record) => ({
      ...record,
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      s3: {
        ...record.s3,
        object: {
          ...record.s3.object,
          key: encodeS3Key(record.s3.object.key),
          sequencer: clock.next(),
        },
      },
    })),
  });
}

/** An SQS event as Lambda's SQS poller delivers it, one record per message body. */
export function toSqsEvent(bodies: readonly string[], queueArn = LOCAL_QUEUE_ARN): SQSEvent {
  return { Records: bodies.map((body) => toSqsRecord(body, queueArn)) };
}

export const LOCAL_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:salary-report-ingest';

function toSqsRecord(body: string, queueArn: string): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: now,
      SenderId: 'AIDAS3NOTIFICATIONS',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}
