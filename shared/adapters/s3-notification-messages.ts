import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { type ObjectEvent, objectEventOf } from '../domain/s3-event.ts';
import { ValidationError } from '../errors.ts';

/**
 * The messages of the ingestion queue, validated with Powertools' parser schemas: the SQS record
 * (`SqsRecordSchema`, its body JSON-decoded by `JSONStringified`) carrying an S3 event notification
 * (Powertools' S3 record schema, narrowed to the fields ingestion reads).
 *
 * Kept from Powertools' S3 record: `eventSource` (`aws:s3`), `eventName`, the bucket name and the
 * object's key, size, ETag and version id. Not required: the caller's identity, source IP, request
 * ids and the bucket owner, which ingestion never reads (Powertools 2.35 also accepts only IPv4
 * source addresses, and S3 reports IPv6 callers of its dual-stack endpoints), nor an ISO `eventTime`
 * (logged, never computed with). Added: the sequencer, optional there, is required and hexadecimal:
 * the order of a key's events rests on it; and the key must not be empty.
 */
const PowertoolsS3Record = S3Schema.shape.Records.element;
const PowertoolsS3Message = PowertoolsS3Record.shape.s3;

const S3NotificationRecordSchema = PowertoolsS3Record.pick({
  eventSource: true,
  eventName: true,
}).extend({
  eventTime: z.string(),
  s3: z.object({
    bucket: PowertoolsS3Message.shape.bucket.pick({ name: true }),
    object: PowertoolsS3Message.shape.object.pick({ size: true, eTag: true }).extend({
      key: z.string().min(1),
      versionId: z.string().nullish(),
      sequencer: z.string().regex(/^[0-9A-Fa-f]+$/, 'sequencer must be hexadecimal'),
    }),
  }),
});

const S3NotificationSchema = z.object({ Records: z.array(S3NotificationRecordSchema) });

/** What S3 sends once when a notification is configured: no records, nothing to ingest. */
const S3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

const IngestionMessageSchema = SqsRecordSchema.extend({ body: JSONStringified(z.unknown()) });

/**
 * The object events of one ingestion queue message. Returns none for S3's test event; throws
 * ValidationError naming what is wrong for anything that is not an S3 notification.
 */
export function parseIngestionMessage(record: SQSRecord): ObjectEvent[] {
  const parsed = IngestionMessageSchema.safeParse(record);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    if (first && first.path[0] === 'body' && first.code === 'custom') {
      throw new ValidationError('message body is not JSON', { reason: first.message });
    }
    throw new ValidationError('message is not an SQS record', { issues: issuesOf(parsed.error) });
  }
  return objectEventsOf(parsed.data.body);
}

/** The object events of a notification body as text (a dead letter's, for instance). */
export function parseS3NotificationBody(body: string): ObjectEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ValidationError('message body is not JSON', {}, { cause: error });
  }
  return objectEventsOf(json);
}

function objectEventsOf(body: unknown): ObjectEvent[] {
  if (S3TestEventSchema.safeParse(body).success) return [];
  const parsed = S3NotificationSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError('message body is not an S3 event notification', {
      issues: issuesOf(parsed.error),
    });
  }
  return parsed.data.Records.flatMap((record) => {
    const { versionId, ...object } = record.s3.object;
    const event = objectEventOf({
      ...record,
      s3: { ...record.s3, object: { ...object, ...(versionId ? { versionId } : {}) } },
    });
    return event ? [event] : [];
  });
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
