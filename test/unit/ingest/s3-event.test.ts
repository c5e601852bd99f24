import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSqsEvent } from '#cli/local/s3-notifications.ts';
import {
  parseIngestionMessage,
  parseS3NotificationBody,
} from '#shared/adapters/s3-notification-messages.ts';
import { decodeS3Key, encodeS3Key, normalizeSequencer } from '#shared/domain/s3-event.ts';
import { ValidationError } from '#shared/errors.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

/** One record of an S3 event notification, every field as S3 sends it. */
function s3Record(eventName: string, key: string, object: Record<string, unknown> = {}) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2025-03-01T10:00:00.000Z',
    eventName,
    userIdentity: { principalId: 'AWS:AIDAJDPLRKLG7UEXAMPLE' },
    requestParameters: { sourceIPAddress: '203.0.113.7' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'uploads',
      bucket: {
        name: 'uploads-bucket',
        ownerIdentity: { principalId: 'A3NL1KOZZKEXAMPLE' },
        arn: 'arn:aws:s3:::uploads-bucket',
      },
      object: { key, size: 120, eTag: 'abc123', sequencer: '0055AED6DCD90281E5', ...object },
    },
  };
}

function notification(eventName: string, key: string, object: Record<string, unknown> = {}) {
  return JSON.stringify({ Records: [s3Record(eventName, key, object)] });
}

/** The ingestion queue's message for a body, as Lambda's SQS poller hands it over. */
function message(body: string) {
  const [record] = toSqsEvent([body]).Records;
  if (!record) throw new Error('no record');
  return record;
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

describe('parseIngestionMessage', () => {
  it('reads a created object with its decoded key, padded sequencer and etag', () => {
    expect(
      parseIngestionMessage(message(notification('ObjectCreated:Put', 'uploads/2025/a+b.csv'))),
    ).toEqual([
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

  it('keeps the version id of a versioned bucket', () => {
    const [created] = parseIngestionMessage(
      message(notification('ObjectCreated:Put', 'uploads/2025/x.csv', { versionId: 'v2.Abc' })),
    );
    expect(created).toMatchObject({ kind: 'created', versionId: 'v2.Abc' });
  });

  it('reads removals, including delete markers', () => {
    const [removed] = parseIngestionMessage(
      message(notification('ObjectRemoved:DeleteMarkerCreated', 'uploads/2025/x.csv')),
    );
    expect(removed).toMatchObject({ kind: 'removed', key: 'uploads/2025/x.csv' });
  });

  it('reads the records of callers that reach S3 over IPv6', () => {
    const record = s3Record('ObjectCreated:Put', 'uploads/2025/x.csv');
    record.requestParameters.sourceIPAddress = '2001:db8::8a2e:370:7334';
    expect(parseIngestionMessage(message(JSON.stringify({ Records: [record] })))).toHaveLength(1);
  });

  it('yields nothing for the test event S3 sends when a notification is configured', () => {
    const testEvent = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2025-03-01T10:00:00.000Z',
      Bucket: 'uploads-bucket',
      RequestId: 'C3D13FE58DE4C810',
      HostId: 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S',
    };
    expect(parseIngestionMessage(message(JSON.stringify(testEvent)))).toEqual([]);
  });

  it('rejects bodies that are not S3 notifications with a clear error', () => {
    expect(() => parseIngestionMessage(message('not json'))).toThrow('message body is not JSON');
    expect(() => parseIngestionMessage(message('{"Records":[{"eventSource":"aws:sqs"}]}'))).toThrow(
      'message body is not an S3 event notification',
    );
  });

  it('rejects a record without a sequencer, naming the field', () => {
    const body = notification('ObjectCreated:Put', 'uploads/2025/x.csv', { sequencer: undefined });
    expect(() => parseIngestionMessage(message(body))).toThrow(
      expect.objectContaining({
        message: 'message body is not an S3 event notification',
        context: { issues: [expect.stringMatching(/^Records\.0\.s3\.object\.sequencer: /)] },
      }),
    );
  });

  it('rejects a message that is not an SQS record', () => {
    const { receiptHandle: _, ...withoutHandle } = message(notification('ObjectCreated:Put', 'k'));
    expect(() => parseIngestionMessage(withoutHandle as never)).toThrow(
      'message is not an SQS record',
    );
  });
});

describe('parseS3NotificationBody', () => {
  it('reads a dead letter body the same way', () => {
    expect(
      parseS3NotificationBody(notification('ObjectRemoved:Delete', 'uploads/2025/x.csv')),
    ).toMatchObject([{ kind: 'removed', key: 'uploads/2025/x.csv' }]);
    expect(() => parseS3NotificationBody('not json')).toThrow(ValidationError);
  });
});
