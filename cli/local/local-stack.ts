import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import { join } from 'node:path';
import {
  ensureTable,
  type LocalAws,
  localDynamoClient,
  startLocalAws,
} from '#cli/local/local-aws.ts';
import { SequencerClock, toS3NotificationBody } from '#cli/local/s3-notifications.ts';
import { ENV, FUNCTION_SETTINGS, loadApiConfig } from '#shared/config.ts';
import { directoryAssetSource } from '#shared/http/static-assets.ts';
import { CliError, reasonOf } from '../errors.ts';
import {
  localLambdaContext,
  readLocalHttpRequest,
  toApiGatewayEvent,
  writeApiGatewayResult,
} from './api-gateway.ts';
import { LocalIngestionQueue } from './ingestion-queue.ts';
import { closeServer, listen, startLocalLambdaEndpoint } from './lambda-endpoint.ts';
import {
  appendDeadLetter,
  DEFAULT_API_PORT,
  type LocalStackState,
  readLiveLocalStackState,
  removeLocalStackState,
  writeLocalStackState,
} from './state.ts';

/** Resource names of the local stack (a deployed stack's come from its outputs). */
export const LOCAL_RESOURCES = {
  bucketName: 'salary-report-local',
  tableName: 'salary-report-local',
  reportFunctionName: 'salary-report-generate-report',
  apiFunctionName: 'salary-report-serve-report',
} as const;

/** Under the data directory: the local ingestion queue's messages, one file each. */
export const QUEUE_DIRECTORY = 'queue';

export interface LocalStackOptions {
  /** Bucket objects, table items, queued events and the dead-letter list live here, across restarts. */
  dataDirectory: string;
  /** The built report page (`web/dist` or a test's build). */
  pageDirectory: string;
  /** 0 picks a free port. */
  apiPort?: number;
  /** Authorizes `POST /uploads`; a random one when omitted. */
  uploadBearerToken?: string;
  /** The clock invocation deadlines run on (milliseconds); tests pass a fake one. */
  now?: () => number;
  /**
   * An external DynamoDB-compatible endpoint (DynamoDB Local, the fault proxy, a tunnel) instead
   * of the in-process dynalite; the table is created there if missing.
   */
  dynamoEndpoint?: string;
}

export interface LocalStack {
  state: LocalStackState;
  aws: LocalAws;
  /** Resolves once every S3 event so far has been ingested or dead-lettered. */
  ingestionIdle(): Promise<void>;
  /** Runs the generate-report handler, as the schedule or `salary-report report` does. */
  generateReport(year: number): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The whole pipeline on this machine, wired like the deployed stack: s3rver and dynalite stand in
 * for S3 and DynamoDB; every S3 event becomes an SQS-shaped message on an in-process queue that
 * drives the real ingestion handler; the real API handler answers HTTP requests translated into
 * API Gateway payload v2 events; the real generate-report handler answers Lambda `Invoke` calls.
 *
 * Steps: 1. refuse a data directory another stack is using; 2. take the API port first, so a busy
 * port fails before anything starts; 3. start the stand-ins; 4. load the handlers with the local
 * names in the environment (they read it at module load), passing local clients explicitly;
 * 5. connect S3 events to the queue; 6. record the endpoints for the other CLI commands.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const running = readLiveLocalStackState(options.dataDirectory);
  if (running) {
    throw new CliError(
      `a local stack is already running on ${options.dataDirectory} (pid ${running.pid}, ` +
        `${running.apiUrl}); stop it first or pass another --data-dir`,
    );
  }

  // The port is taken before the handlers load; until then the API answers 503.
  let handleRequest: RequestListener | undefined;
  const apiServer = createServer((request, response) => {
    if (handleRequest) return handleRequest(request, response);
    response.writeHead(503, { 'retry-after': '1' }).end('starting');
  });
  await listenOnApiPort(apiServer, options.apiPort ?? DEFAULT_API_PORT);

  if (options.dynamoEndpoint) {
    await prepareExternalTable(options.dynamoEndpoint).catch(async (error: unknown) => {
      await closeServer(apiServer);
      throw error;
    });
  }
  const aws = await startLocalAws({
    bucketName: LOCAL_RESOURCES.bucketName,
    tableName: LOCAL_RESOURCES.tableName,
    dataDirectory: options.dataDirectory,
    ...(options.dynamoEndpoint ? { externalDynamoEndpoint: options.dynamoEndpoint } : {}),
  });
  const uploadBearerToken = options.uploadBearerToken ?? randomBytes(16).toString('hex');
  process.env[ENV.tableName] = LOCAL_RESOURCES.tableName;
  process.env[ENV.bucketName] = LOCAL_RESOURCES.bucketName;
  process.env[ENV.uploadBearerToken] = uploadBearerToken;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const config = loadApiConfig();

  const [ingestion, generation, serving, { logger }] = await Promise.all([
    import('#functions/ingest-upload.ts'),
    import('#functions/generate-report.ts'),
    import('#functions/serve-report.ts'),
    import('#shared/observability.ts'),
  ]);

  const ingestDependencies = ingestion.createIngestDependencies(aws.s3, aws.dynamo, config);
  // Durable like SQS: events still queued when the stack stops (or dies) are delivered next start.
  const queue = new LocalIngestionQueue({
    consume: (event) => ingestion.ingestUploads(event, ingestDependencies),
    directory: join(options.dataDirectory, QUEUE_DIRECTORY),
    onDeadLetter: (letter) => {
      appendDeadLetter(options.dataDirectory, letter);
      // The ingestion handler logged why each receive failed, under the same messageId.
      logger.error('s3 event moved to the local dead-letter list', {
        messageId: letter.messageId,
        receiveCount: letter.receiveCount,
      });
    },
  });
  const clock = new SequencerClock();
  const unsubscribe = aws.onS3Event((raw) => queue.send(toS3NotificationBody(raw, clock)));

  const generateDependencies = generation.createGenerateReportDependencies(
    aws.s3,
    aws.dynamo,
    config,
  );
  const generateReport = (event: unknown) =>
    generation.generateReportHandler(event as { year?: number }, generateDependencies);
  const lambda = await startLocalLambdaEndpoint({
    [LOCAL_RESOURCES.reportFunctionName]: generateReport,
  });

  const apiHandler = serving.createServeReportHandler(
    {
      ...serving.createServeReportDependencies(aws.s3, aws.dynamo, config),
      assets: directoryAssetSource(options.pageDirectory),
    },
    {
      corsAllowOrigin: config.corsAllowOrigin,
      logError: (message, context) => console.error(message, context),
    },
  );
  const now = options.now ?? Date.now;
  handleRequest = (request, response) => {
    readLocalHttpRequest(request)
      .then((localRequest) =>
        // Each request is its own invocation, with its own deadline, as in Lambda.
        apiHandler(
          toApiGatewayEvent(localRequest),
          localLambdaContext(LOCAL_RESOURCES.apiFunctionName, FUNCTION_SETTINGS.serveReport, now),
        ),
      )
      .then((result) => writeApiGatewayResult(result, response))
      .catch((error: unknown) => {
        console.error('local API request failed', error);
        response.statusCode = 500;
        response.end();
      });
  };

  const state: LocalStackState = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    apiUrl: `http://127.0.0.1:${portOf(apiServer)}`,
    s3Endpoint: aws.s3Endpoint,
    dynamoEndpoint: aws.dynamoEndpoint,
    ...(options.dynamoEndpoint ? { dynamoEndpointExternal: true } : {}),
    lambdaEndpoint: lambda.endpoint,
    bucketName: aws.bucketName,
    tableName: aws.tableName,
    reportFunctionName: LOCAL_RESOURCES.reportFunctionName,
    uploadBearerToken,
  };
  writeLocalStackState(options.dataDirectory, state);

  let stopping: Promise<void> | undefined;
  return {
    state,
    aws,
    ingestionIdle: () => queue.idle(),
    generateReport: (year) => generateReport({ year }),
    stop() {
      stopping ??= (async () => {
        removeLocalStackState(options.dataDirectory);
        await closeServer(apiServer);
        await queue.stop();
        await lambda.close();
        // Still subscribed while S3 stops: an upload it finishes has its event queued on disk.
        await aws.stop();
        unsubscribe();
      })();
      return stopping;
    },
  };
}

/** Creates the local table on an external DynamoDB if missing; an unreachable one says so. */
async function prepareExternalTable(endpoint: string): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    await ensureTable(client, LOCAL_RESOURCES.tableName);
  } catch (error) {
    throw new CliError(`could not use the DynamoDB at ${endpoint}: ${reasonOf(error)}`);
  } finally {
    client.destroy();
  }
}

async function listenOnApiPort(server: Server, port: number) {
  try {
    await listen(server, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(
        `port ${port} is in use: stop what is listening there or pick another with --port`,
      );
    }
    throw error;
  }
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('API server not listening');
  return address.port;
}
