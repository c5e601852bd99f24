import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeS3Key,
  encodeS3Key,
  normalizeSequencer,
  parseS3Notification,
} from '#shared/domain/s3-event.ts';
import { ValidationError } from '#shared/errors.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

function notification(eventName: string, key: string, sequencer = '0055AED6DCD90281E5') {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventTime: '2025-03-01T10:00:00.000Z',
        eventName,
        s3: {
          bucket: { name: 'uploads-bucket', arn: 'arn:aws:s3:::uploads-bucket' },
          object: { key, size: 120, eTag: 'abc123', sequencer },
        },
      },
    ],
  });
}

describe('decodeS3Key', () => {
  it('turns + into spaces and percent-escapes into UTF-8 text', () => {
    expect(decodeS3Key('uploads/2025/Encuesta+M%C3%A9xico+%2B+Q1.csv')).toBe(
      'uploads/2025/Encuesta México + Q1.csv',
    );
  });

  it('inverts encodeS3Key for any key', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (key) => {
        expect(decodeS3Key(encodeS3Key(key))).toBe(key);
      }),
      { seed: 3, numRuns: 100 },
    );
  });
});

describe('normalizeSequencer', () => {
  it('orders sequencers of different lengths as S3 documents (right-pad, then compare)', () => {
    expect(
      normalizeSequencer('0055AED6DCD90281E6') > normalizeSequencer('0055AED6DCD90281E5'),
    ).toBe(true);
    expect(
      normalizeSequencer('0055AED6DCD90281E501') > normalizeSequencer('0055AED6DCD90281E5'),
    ).toBe(true);
    expect(normalizeSequencer('0055aed6')).toBe(normalizeSequencer('0055AED6'));
  });

  it('rejects an absurdly long sequencer', () => {
    expect(() => normalizeSequencer('F'.repeat(33))).toThrow(ValidationError);
  });
});

describe('parseS3Notification', () => {
  it('reads a created object with its decoded key, padded sequencer and etag', () => {
    expect(parseS3Notification(notification('ObjectCreated:Put', 'uploads/2025/a+b.csv'))).toEqual([
      {
        kind: 'created',
        bucket: 'uploads-bucket',
        key: 'uploads/2025/a b.csv',
        sequencer: '0055AED6DCD90281E500000000000000',
        size: 120,
        etag: 'abc123',
        eventTime: '2025-03-01T10:00:00.000Z',
      },
    ]);
  });

  it('reads removals, including delete markers', () => {
    const [removed] = parseS3Notification(
      notification('ObjectRemoved:DeleteMarkerCreated', 'uploads/2025/x.csv'),
    );
    expect(removed).toMatchObject({ kind: 'removed', key: 'uploads/2025/x.csv' });
  });

  it('yields nothing for the test event S3 sends when a notification is configured', () => {
    expect(
      parseS3Notification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' })),
    ).toEqual([]);
  });

  it('rejects bodies that are not S3 notifications with a clear error', () => {
    expect(() => parseS3Notification('not json')).toThrow('message body is not JSON');
    expect(() => parseS3Notification('{"Records":[{"eventSource":"aws:sqs"}]}')).toThrow(
      'message body is not an S3 event notification',
    );
  });
});
