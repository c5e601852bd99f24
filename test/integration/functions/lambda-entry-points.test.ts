import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { DeleteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type LocalAws,
  startLocalAws,
} from '#cli/local/local-aws.ts';
import { SequencerClock, toSqsEvent } from '#cli/local/s3-notifications.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { encodeS3Key } from '#shared/domain/s3-event.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { rowsFor, seededRandom } from '#test/unit/report/raw-rows.ts';
import { apiEvent } from '../api/api-events.ts';
import { storeIngestedFile } from '../report/report-fixture.ts';

/**
 * The three exported `handler`s, exactly as Lambda calls them, in an environment shaped like
 * Lambda's: production wiring from the environment (the SDK's endpoint variables point at the local
 * servers), Powertools on (logs at INFO, metrics, tracing with an X-Ray daemon address that this test
 * listens on). Each must log with the Lambda context, publish its metrics and trace its handler and
 * its SDK calls.
 */
const BUCKET = 'entry-points-test';
const TABLE = 'entry-points-test';
const TRACE_ID = '1-67890abc-0123456789abcdef01234567';
const DAMAGED_KEY = 'uploads/2024/damaged.csv';

let aws: LocalAws;
let daemon: Socket;
const segments: Record<string, unknown>[] = [];
const stdout: string[] = [];

beforeAll(async () => {
  aws = await startLocalAws({ bucketName: BUCKET, tableName: TABLE });
  await storeIngestedFile(new IngestionProtocol(new DynamoConditionalStore(aws.dynamo, TABLE)), {
    key: 'uploads/2025/survey.csv',
    year: 2025,
    rows: rowsFor(
      { country: 'US', role: 'backend', seniority: 'senior' },
      12,
      9000,
      seededRandom(7),
    ),
  });
  // A second year whose stored items are damaged (one partial deleted, as from outside).
  await storeIngestedFile(new IngestionProtocol(new DynamoConditionalStore(aws.dynamo, TABLE)), {
    key: DAMAGED_KEY,
    year: 2024,
    rows: rowsFor({ country: 'MX', role: 'data', seniority: 'mid' }, 12, 3000, seededRandom(8)),
  });
  const partials = await aws.dynamo.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :part)',
      ExpressionAttributeValues: { ':pk': { S: 'YEAR#2024' }, ':part': { S: 'PART#' } },
    }),
  );
  const [victim] = partials.Items ?? [];
  if (!victim?.PK || !victim.SK) throw new Error('no partial stored');
  await aws.dynamo.send(
    new DeleteItemCommand({ TableName: TABLE, Key: { PK: victim.PK, SK: victim.SK } }),
  );
  daemon = createSocket('udp4');
  daemon.on('message', (message) => {
    // Each datagram: a JSON header line, then one (sub)segment document.
    const [, document] = message.toString('utf8').split('\n');
    if (document) segments.push(JSON.parse(document) as Record<string, unknown>);
  });
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  // Restored after this file: other suites in the same worker see their own environment.
  for (const [name, value] of Object.entries({
    TABLE_NAME: TABLE,
    BUCKET_NAME: BUCKET,
    AWS_ENDPOINT_URL_S3: aws.s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: aws.dynamoEndpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: LOCAL_REGION,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_TRACE_ENABLED: 'true',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: process.cwd(),
    AWS_LAMBDA_FUNCTION_NAME: 'salary-report-test',
    _HANDLER: 'index.handler',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1`,
  })) {
    vi.stubEnv(name, value);
  }
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  daemon?.close();
  await aws?.stop();
});

function context(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `${functionName}-request`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** What one invocation wrote: JSON log lines, EMF metric names, and the trace it sent. */
async function observe(run: () => Promise<unknown>) {
  stdout.length = 0;
  segments.length = 0;
  const result = await run();
  // Subsegments are sent as they close; the last datagram may still be in flight.
  await vi.waitFor(() => {
    expect(segments.some((segment) => String(segment.name).startsWith('## '))).toBe(true);
  });
  const lines = stdout
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const emf = lines.filter((line) => '_aws' in line);
  const metricNames = emf.flatMap((line) =>
    (
      line._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }
    ).CloudWatchMetrics.flatMap((entry) =>
      entry.Metrics.map((metric) => `${entry.Namespace}/${metric.Name}`),
    ),
  );
  return { result, logs: lines.filter((line) => !('_aws' in line)), metricNames, segments };
}

function expectTracedHandler(trace: Record<string, unknown>[], sdkService: string) {
  const handlerSegment = trace.find((segment) => segment.name === '## index.handler');
  expect(handlerSegment).toMatchObject({
    trace_id: TRACE_ID,
    annotations: { ColdStart: expect.any(Boolean), Service: 'salary-report' },
  });
  expect(
    trace.some((segment) => segment.name === sdkService && segment.namespace === 'aws'),
    `an ${sdkService} call traced`,
  ).toBe(true);
}

describe('Lambda entry points', () => {
  it('generate-report logs with the Lambda context, publishes its metrics and traces its calls', async () => {
    const { handler } = await import('#functions/generate-report.ts');
    const {
      result,
      logs,
      metricNames,
      segments: trace,
    } = await observe(() => handler({ year: 2025 }, context('generate-report')));
    expect(result).toMatchObject({ year: 2025, current: true });
    expect(logs.find((line) => line.message === 'report published')).toMatchObject({
      service: 'salary-report',
      function_name: 'generate-report',
      function_request_id: 'generate-report-request',
      cold_start: true,
    });
    expect(metricNames).toEqual(
      expect.arrayContaining([
        'SalaryReport/ColdStart',
        'SalaryReport/ReportsPublished',
        'SalaryReport/ReportRespondents',
      ]),
    );
    expectTracedHandler(trace, 'DynamoDB');
  });

  it('generate-report refuses a year it cannot read, naming the file, and counts it for the alarm', async () => {
    const { handler } = await import('#functions/generate-report.ts');
    // Errors are logged to standard error.
    const errors: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    const { result, metricNames } = await observe(() =>
      handler({ year: 2024 }, context('generate-report')).catch((error: unknown) => error),
    );
    stderr.mockRestore();
    expect(result).toMatchObject({ name: 'InconsistentYearError' });
    expect((result as Error).message).toContain(`${DAMAGED_KEY} (sequencer`);
    expect((result as Error).message).toContain('salary-report repair 2024');
    const errorLogs = errors
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(errorLogs.find((line) => line.level === 'ERROR')).toMatchObject({
      message: 'the year cannot be read: repair it with salary-report repair',
      year: 2024,
      files: [expect.objectContaining({ key: DAMAGED_KEY, expectedPartials: 1, foundPartials: 0 })],
    });
    expect(metricNames).toContain('SalaryReport/ReportYearUnreadable');
  });

  it('serve-report counts its answers and traces the report read', async () => {
    const { handler } = await import('#functions/serve-report.ts');
    const {
      result,
      logs,
      metricNames,
      segments: trace,
    } = await observe(() =>
      handler(apiEvent({ method: 'GET', path: '/reports/2025' }), context('serve-report')),
    );
    expect(result).toMatchObject({ statusCode: 200 });
    expect(metricNames).toContain('SalaryReport/Responses_2xx');
    expect(logs.filter((line) => line.level === 'WARN')).toEqual([]);
    expectTracedHandler(trace, 'S3');
    // The answer carries a whole report: it is not copied into the trace.
    const handlerSegment = trace.find((segment) => segment.name === '## index.handler');
    expect(JSON.stringify(handlerSegment)).not.toContain('"cells"');
  });

  it('ingest-upload logs each event with the Lambda context, counts it and traces the claim', async () => {
    const { handler } = await import('#functions/ingest-upload.ts');
    const key = 'uploads/2025/vanished before it was read.csv';
    const body = JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: LOCAL_REGION,
          eventTime: '2026-01-05T06:00:00.000Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
          requestParameters: { sourceIPAddress: '192.0.2.10' },
          responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'id2' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'uploads',
            bucket: {
              name: BUCKET,
              ownerIdentity: { principalId: 'A3NL1KOZZKEXAMPLE' },
              arn: `arn:aws:s3:::${BUCKET}`,
            },
            object: { key: encodeS3Key(key), size: 10, sequencer: new SequencerClock().next() },
          },
        },
      ],
    });
    const event: SQSEvent = toSqsEvent([body]);
    const {
      result,
      logs,
      metricNames,
      segments: trace,
    } = await observe(() => handler(event, context('ingest-upload')));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(logs.find((line) => line.message === 's3 event applied')).toMatchObject({
      function_request_id: 'ingest-upload-request',
      kind: 'superseded',
      key,
    });
    expect(metricNames).toContain('SalaryReport/Events_superseded');
    expectTracedHandler(trace, 'DynamoDB');
  });
});
