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

/** The fields of a (validated) S3 event notification record that ingestion reads. */
export interface S3NotificationRecord {
  eventName: string;
  eventTime: string;
  s3: {
    bucket: { name: string };
    object: { key: string; sequencer: string; size?: number; eTag?: string; versionId?: string };
  };
}

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
 * The object event a notification record describes: its key decoded, its sequencer padded.
 * Undefined for kinds ingestion does not act on (only `ObjectCreated:*` and `ObjectRemoved:*` are).
 */
export function objectEventOf(record: S3NotificationRecord): ObjectEvent | undefined {
  const { object, bucket } = record.s3;
  const common = {
    bucket: bucket.name,
    key: decodeS3Key(object.key),
    sequencer: normalizeSequencer(object.sequencer),
    eventTime: record.eventTime,
  };
  if (record.eventName.startsWith('ObjectCreated:')) {
    return {
      kind: 'created',
      ...common,
      ...(object.size !== undefined ? { size: object.size } : {}),
      ...(object.eTag ? { etag: object.eTag } : {}),
      ...(object.versionId ? { versionId: object.versionId } : {}),
    };
  }
  if (record.eventName.startsWith('ObjectRemoved:')) return { kind: 'removed', ...common };
  return undefined;
}
