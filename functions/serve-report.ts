import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoClient, s3Client } from '#shared/adapters/aws-clients.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { DynamoReportPointerStore } from '#shared/adapters/report-store-dynamo.ts';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import { S3UploadPresigner } from '#shared/adapters/s3-upload-presigner.ts';
import { type ApiConfig, loadApiConfig } from '#shared/config.ts';
import { httpCompression } from '#shared/http/compression.ts';
import {
  httpConditionalGet,
  httpCors,
  httpHeadWithoutBody,
  httpProblemErrors,
} from '#shared/http/middleware.ts';
import { type ReportApiDependencies, reportApiRoutes } from '#shared/http/report-api.ts';
import type { HttpResponse } from '#shared/http/responses.ts';
import { createRouter } from '#shared/http/router.ts';
import { directoryAssetSource } from '#shared/http/static-assets.ts';
import { logger, metrics, observedHandler } from '#shared/observability.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { grantUpload } from '#shared/use-cases/serve-report/grant-upload.ts';
import { PublishedReports } from '#shared/use-cases/serve-report/published-reports.ts';

export interface ServeReportOptions {
  corsAllowOrigin: string;
  logError: (message: string, context: Record<string, unknown>) => void;
  /** The largest body one answer may carry; 6 MB less a margin, what API Gateway takes. */
  maxResponseBodyBytes?: number;
}

/** The plain handler: routes one HTTP API (payload v2) request; errors are thrown, typed. */
export function serveReport(
  deps: ReportApiDependencies,
): (event: APIGatewayProxyEventV2) => Promise<HttpResponse> {
  return createRouter(reportApiRoutes(deps));
}

/**
 * The plain handler inside the HTTP middleware: problem+json errors, compression by
 * Accept-Encoding, 304s, CORS on everything.
 */
export function createServeReportHandler(deps: ReportApiDependencies, options: ServeReportOptions) {
  const route = serveReport(deps);
  return middy((event: APIGatewayProxyEventV2) => route(event))
    .use(httpHeadWithoutBody())
    .use(httpCors({ allowOrigin: options.corsAllowOrigin }))
    .use(httpConditionalGet())
    .use(
      httpCompression(
        options.maxResponseBodyBytes === undefined
          ? {}
          : { maxBodyBytes: options.maxResponseBodyBytes },
      ),
    )
    .use(httpProblemErrors({ logError: options.logError }));
}

/** Production wiring, from the environment the CDK construct sets (and local mode). */
export function createServeReportDependencies(
  s3: S3Client,
  dynamo: DynamoDBClient,
  config: ApiConfig = loadApiConfig(),
): ReportApiDependencies {
  const aggregates = new IngestionProtocol(new DynamoConditionalStore(dynamo, config.tableName));
  const signer = new S3UploadPresigner(s3, config.bucketName);
  const now = () => new Date();
  return {
    reports: new PublishedReports({
      pointers: new DynamoReportPointerStore(dynamo, config.tableName),
      snapshots: new S3ReportSnapshotStore(s3, config.bucketName),
    }),
    listIngestionRecords: (year) => aggregates.listIngestionRecords(year),
    grantUpload: (request) =>
      grantUpload(request, {
        signer,
        maxBytes: config.uploadMaxBytes,
        newUploadId: randomUUID,
        now,
      }),
    ...(config.uploadBearerToken ? { uploadBearerToken: config.uploadBearerToken } : {}),
    baseCountry: config.reportBaseCountry,
    // The page's build ships next to the function code (the bundle's working directory).
    assets: directoryAssetSource(join(process.cwd(), 'web', 'dist')),
    now,
  };
}

const config = loadApiConfig();
const api = createServeReportHandler(
  createServeReportDependencies(s3Client(), dynamoClient('request'), config),
  {
    corsAllowOrigin: config.corsAllowOrigin,
    logError: (message, context) => logger.error(message, context),
  },
);

/** One count per answer, by status class (`Responses_304` apart: what the ETags save). */
export const handler = observedHandler<APIGatewayProxyEventV2, HttpResponse>(
  async (event, context) => {
    const response = await api(event, context);
    metrics.addMetric(`Responses_${statusClass(response.statusCode)}`, MetricUnit.Count, 1);
    return response;
  },
  { captureResponse: false },
);

function statusClass(status: number): string {
  return status === 304 ? '304' : `${Math.floor(status / 100)}xx`;
}
