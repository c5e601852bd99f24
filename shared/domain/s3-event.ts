import { z } from 'zod';
import { ValidationError } from '../errors.ts';

/** What ingestion needs from one S3 event notification record. */
export type ObjectEvent =
  | {
      kind: 'created';
      bucket: string;
      key: string;
      sequencer: string;
      size?: number;
      etag?: string;
      versionId?: string;
      eventTime: string;
    }
  | { kind: 'removed'; bucket: string; key: string; sequencer: string; eventTime: string };

const s3RecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
      versionId: z.string().nullish(),
      sequencer: z.string().regex(/^[0-9A-Fa-f]+$/, 'sequencer must be hexadecimal'),
    }),
  }),
});

const s3NotificationSchema = z.object({ Records: z.array(s3RecordSchema) });
const s3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

/** Width sequencers are padded to: real ones are 16–18 hex digits. */
const SEQUENCER_WIDTH = 32;

/**
 * S3 sequencers for one key compare as hex strings of different lengths: AWS documents that the
 * shorter must be right-padded with zeros before a lexicographic comparison. Storing them padded
 * and upper-cased makes plain string comparison (and DynamoDB's `<`) correct.
 */
export function normalizeSequencer(sequencer: string): string {
  if (sequencer.length > SEQUENCER_WIDTH) {
    throw new ValidationError(`S3 sequencer longer than ${SEQUENCER_WIDTH} digits`, { sequencer });
  }
  return sequencer.toUpperCase().padEnd(SEQUENCER_WIDTH, '0');
}

/**
 * Object keys arrive URL-encoded as in an HTML form: spaces as `+`, everything else
 * percent-encoded UTF-8. `+` in the real key arrives as `%2B`.
 */
export function decodeS3Key(encodedKey: string): string {
  return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
}

/** The inverse of `decodeS3Key`, as S3 applies it when it publishes a notification. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Parses the body of an SQS message carrying an S3 notification. Returns no events for the test
 * event S3 sends when a notification is configured; throws ValidationError for anything else.
 */
export function parseS3Notification(body: string): ObjectEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ValidationError('message body is not JSON', {}, { cause: error });
  }
  if (s3TestEventSchema.safeParse(json).success) return [];
  const parsed = s3NotificationSchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError('message body is not an S3 event notification', {
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    });
  }
  return parsed.data.Records.flatMap((record): ObjectEvent[] => {
    const { object, bucket } = record.s3;
    const common = {
      bucket: bucket.name,
      key: decodeS3Key(object.key),
      sequencer: normalizeSequencer(object.sequencer),
      eventTime: record.eventTime,
    };
    if (record.eventName.startsWith('ObjectCreated:')) {
      return [
        {
          kind: 'created',
          ...common,
          ...(object.size !== undefined ? { size: object.size } : {}),
          ...(object.eTag ? { etag: object.eTag } : {}),
          ...(object.versionId ? { versionId: object.versionId } : {}),
        },
      ];
    }
    if (record.eventName.startsWith('ObjectRemoved:')) return [{ kind: 'removed', ...common }];
    return [];
  });
}
