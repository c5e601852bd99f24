import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { findComparison } from '../domain/report/comparisons.ts';
import { reportCsv } from '../domain/report/csv.ts';
import { filterReport, isEmptyFilter } from '../domain/report/filter.ts';
import { parseReportYear, reportYearRange } from '../domain/report/years.ts';
import { NotFoundError } from '../errors.ts';
import type { IngestionRecord } from '../ports/ingestion-store.ts';
import type { UploadGrant } from '../use-cases/serve-report/grant-upload.ts';
import type {
  LoadedReport,
  PublishedReports,
} from '../use-cases/serve-report/published-reports.ts';
import { rejectedWithoutYear } from '../use-cases/serve-report/rows-without-year.ts';
import {
  API_OPERATIONS,
  type ApiOperation,
  type ReportFormat,
  reportFilterOf,
} from './api-operations.ts';
import {
  type ReportSummary,
  type UploadRequest,
  UploadRequestSchema,
  type UploadSummary,
} from './api-schemas.ts';
import { requestHeader } from './middleware.ts';
import { openApiDocument } from './openapi.ts';
import { HttpProblem, invalidParameter } from './problem.ts';
import type { QueryContract, QueryValues } from './query.ts';
import {
  CACHE_POLICIES,
  CSV_CONTENT_TYPE,
  type HttpResponse,
  JSON_CONTENT_TYPE,
  jsonRepresentation,
  representation,
} from './responses.ts';
import type { Route, RoutedRequest } from './router.ts';
import { pageRoutes, type StaticAssetSource } from './static-assets.ts';
import { assertUploadAuthorized } from './upload-auth.ts';

export interface ReportApiDependencies {
  reports: PublishedReports;
  listIngestionRecords: (year: number) => Promise<IngestionRecord[]>;
  grantUpload: (request: UploadRequest) => Promise<UploadGrant>;
  /** Local mode only; in AWS, IAM on the route authorizes uploads. */
  uploadBearerToken?: string;
  baseCountry: string;
  assets: StaticAssetSource;
  now: () => Date;
}

/** A route of a documented operation: its query is read against the operation's contract. */
function apiRoute<Query extends QueryContract>(
  operation: ApiOperation<Query>,
  handle: (request: RoutedRequest, query: QueryValues<Query>) => Promise<HttpResponse>,
): Route {
  return {
    method: operation.method,
    path: operation.path,
    query: operation.query,
    handle: (request) => handle(request, request.query as QueryValues<Query>),
  };
}

/** Every route of the public API plus the page's files. */
export function reportApiRoutes(deps: ReportApiDependencies): Route[] {
  const unfiltered = new WeakMap<LoadedReport, Partial<Record<ReportFormat, HttpResponse>>>();

  const currentReport = async (request: RoutedRequest): Promise<LoadedReport> => {
    const year = yearParameter(request.params.year ?? '', deps.now());
    const loaded = await deps.reports.current(year);
    if (!loaded) throw new NotFoundError(`no report has been published for ${year}`);
    return loaded;
  };

  return [
    apiRoute(API_OPERATIONS.listReports, async () => {
      const reports: ReportSummary[] = (await deps.reports.list()).map((published) => ({
        year: published.year,
        version: published.version,
        ...(published.versionNumber === undefined
          ? {}
          : { versionNumber: published.versionNumber }),
        generatedAt: published.generatedAt,
        counts: published.counts,
      }));
      return jsonRepresentation({ reports }, CACHE_POLICIES.report);
    }),
    apiRoute(API_OPERATIONS.getReport, async (request, query) => {
      const filter = reportFilterOf(query);
      const format = query.format ?? negotiateFormat(request.event);
      const loaded = await currentReport(request);
      const vary = { vary: 'accept' };
      if (isEmptyFilter(filter)) {
        const cached = unfiltered.get(loaded) ?? {};
        let response = cached[format];
        if (!response) {
          response =
            format === 'csv'
              ? csvResponse(loaded, reportCsv(loaded.report, loaded.report.cells))
              : representation(
                  loaded.json,
                  JSON_CONTENT_TYPE,
                  CACHE_POLICIES.report,
                  undefined,
                  vary,
                );
          unfiltered.set(loaded, { ...cached, [format]: response });
        }
        return response;
      }
      const report = filterReport(loaded.report, filter);
      return format === 'csv'
        ? csvResponse(loaded, reportCsv(report, report.cells))
        : representation(
            JSON.stringify(report),
            JSON_CONTENT_TYPE,
            CACHE_POLICIES.report,
            undefined,
            vary,
          );
    }),
    apiRoute(API_OPERATIONS.compareCountries, async (request, query) => {
      const loaded = await currentReport(request);
      return jsonRepresentation(
        {
          year: loaded.report.year,
          version: loaded.report.version,
          generatedAt: loaded.report.generatedAt,
          currency: loaded.report.currency,
          comparison: findComparison(
            loaded.report,
            query.role,
            query.seniority,
            query.base ?? deps.baseCountry,
          ),
        },
        CACHE_POLICIES.report,
      );
    }),
    apiRoute(API_OPERATIONS.listUploads, async ({ params }) => {
      const year = yearParameter(params.year ?? '', deps.now());
      const uploads = (await deps.listIngestionRecords(year)).map((record) =>
        uploadSummary(record, year),
      );
      return jsonRepresentation({ year, uploads }, CACHE_POLICIES.uploads);
    }),
    apiRoute(API_OPERATIONS.grantUpload, async ({ event }) => {
      assertUploadAuthorized(event, deps.uploadBearerToken);
      const grant = await deps.grantUpload(uploadRequest(event));
      return {
        statusCode: 201,
        headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': CACHE_POLICIES.never },
        body: JSON.stringify(grant),
      };
    }),
    apiRoute(API_OPERATIONS.getOpenApi, async () =>
      jsonRepresentation(openApiDocument(), CACHE_POLICIES.openapi),
    ),
    ...pageRoutes(deps.assets),
  ];
}

function yearParameter(text: string, now: Date): number {
  const year = parseReportYear(text, now);
  if (year === undefined) {
    const { min, max } = reportYearRange(now);
    throw invalidParameter('year', `"${text}" is not a year from ${min} to ${max}`);
  }
  return year;
}

/** Without `format`: CSV only when the Accept header asks for it. */
function negotiateFormat(event: APIGatewayProxyEventV2): ReportFormat {
  const accept = requestHeader(event, 'accept') ?? '';
  return /(^|,)\s*text\/csv\b/i.test(accept) && !/application\/json/i.test(accept) ? 'csv' : 'json';
}

function csvResponse(loaded: LoadedReport, csv: string): HttpResponse {
  return representation(csv, CSV_CONTENT_TYPE, CACHE_POLICIES.report, undefined, {
    vary: 'accept',
    'content-disposition': `inline; filename="salary-report-${loaded.report.year}-${loaded.report.version}.csv"`,
  });
}

function uploadSummary(record: IngestionRecord, year: number): UploadSummary {
  const withoutYear = rejectedWithoutYear(record);
  return {
    key: record.key,
    status: record.status,
    accepted: record.accepted,
    rejected: record.rejected,
    rejectedByReason: record.rejectedByReason,
    years: record.years,
    ...(withoutYear === undefined
      ? {}
      : {
          inYear: {
            accepted: record.perYear?.[String(year)]?.accepted ?? 0,
            rejected: record.perYear?.[String(year)]?.rejected ?? 0,
          },
          rejectedWithoutYear: withoutYear,
        }),
    startedAt: record.startedAt,
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    ...(record.message ? { message: record.message } : {}),
  };
}

/**
 * The JSON body of POST /uploads (`UploadRequestSchema`):
 * `{ "year": 2025, "contentLength": 1234, "profile": "ds-salaries" }` (profile optional).
 */
function uploadRequest(event: APIGatewayProxyEventV2): UploadRequest {
  const contentType = requestHeader(event, 'content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    throw new HttpProblem(415, 'send the upload request as application/json');
  }
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidParameter('body', 'not valid JSON');
  }
  const parsed = UploadRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = Object.keys(UploadRequestSchema.shape);
  const { issues } = parsed.error;
  const unknown = issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown) {
    throw invalidParameter(
      unknown.keys[0] ?? 'body',
      `unknown field; the body takes ${fields.join(' and ')}`,
    );
  }
  const field = issues[0]?.path[0];
  if (typeof field !== 'string') {
    throw invalidParameter('body', `expected an object { ${fields.join(', ')} }`);
  }
  throw invalidParameter(field, UPLOAD_FIELD_REASONS[field as keyof UploadRequest]);
}

const UPLOAD_FIELD_REASONS: Record<keyof UploadRequest, string> = {
  year: 'required, a whole year',
  contentLength: "required, the file's size in bytes (a whole number from 1)",
  profile: 'the name of a mapping profile in the bucket (letters, digits, ".", "_", "-"), if any',
};
