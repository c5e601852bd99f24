import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { findComparison } from '../domain/report/comparisons.ts';
import { isIsoCountryCode } from '../domain/report/countries.ts';
import { reportCsv } from '../domain/report/csv.ts';
import {
  filterReport,
  isEmptyFilter,
  LEVEL_ALIASES,
  parseLevel,
  type ReportFilter,
} from '../domain/report/filter.ts';
import { REPORT_LEVELS } from '../domain/report/model.ts';
import { parseReportYear, reportYearRange } from '../domain/report/years.ts';
import { isRole, isSeniority, ROLES, SENIORITIES } from '../domain/taxonomy.ts';
import { NotFoundError } from '../errors.ts';
import type { IngestionRecord } from '../ports/ingestion-store.ts';
import type { PublishedReport } from '../ports/report-store.ts';
import type { UploadGrant } from '../use-cases/serve-report/grant-upload.ts';
import type {
  LoadedReport,
  PublishedReports,
} from '../use-cases/serve-report/published-reports.ts';
import { requestHeader } from './middleware.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import { HttpProblem, invalidParameter } from './problem.ts';
import {
  listParameter,
  queryParameters,
  rejectUnknownParameters,
  singleParameter,
} from './query.ts';
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
  grantUpload: (request: { year: number; contentLength: number }) => Promise<UploadGrant>;
  /** Local mode only; in AWS, IAM on the route authorizes uploads. */
  uploadBearerToken?: string;
  baseCountry: string;
  assets: StaticAssetSource;
  now: () => Date;
}

/** Public listing row of one year's current report. */
export interface ReportSummary {
  year: number;
  version: string;
  generatedAt: string;
  counts: PublishedReport['counts'];
}

/** Public view of one file's ingestion: counts only, never rows or where rejected rows are kept. */
export interface UploadSummary {
  key: string;
  status: IngestionRecord['status'];
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  years: number[];
  startedAt: string;
  finishedAt?: string;
  message?: string;
}

const REPORT_PARAMETERS = ['country', 'role', 'seniority', 'level', 'format'] as const;
const COMPARE_PARAMETERS = ['role', 'seniority', 'base'] as const;
const FORMATS = ['json', 'csv'] as const;
const LEVELS_EXPECTED = `one of ${REPORT_LEVELS.join(', ')} (or ${Object.entries(LEVEL_ALIASES)
  .map(([alias, level]) => `${alias} for ${level}`)
  .join(', ')})`;
type Format = (typeof FORMATS)[number];

/** Every route of the public API plus the page's files. */
export function reportApiRoutes(deps: ReportApiDependencies): Route[] {
  const unfiltered = new WeakMap<LoadedReport, Partial<Record<Format, HttpResponse>>>();

  const currentReport = async (request: RoutedRequest): Promise<LoadedReport> => {
    const year = yearParameter(request.params.year ?? '', deps.now());
    const loaded = await deps.reports.current(year);
    if (!loaded) throw new NotFoundError(`no report has been published for ${year}`);
    return loaded;
  };

  return [
    {
      method: 'GET',
      path: '/reports',
      handle: async ({ event }) => {
        rejectUnknownParameters(queryParameters(event), []);
        const reports: ReportSummary[] = (await deps.reports.list()).map((published) => ({
          year: published.year,
          version: published.version,
          generatedAt: published.generatedAt,
          counts: published.counts,
        }));
        return jsonRepresentation({ reports }, CACHE_POLICIES.report);
      },
    },
    {
      method: 'GET',
      path: '/reports/{year}',
      handle: async (request) => {
        const parameters = queryParameters(request.event);
        rejectUnknownParameters(parameters, REPORT_PARAMETERS);
        const filter = reportFilter(parameters);
        const format = negotiateFormat(request.event, parameters);
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
      },
    },
    {
      method: 'GET',
      path: '/reports/{year}/compare',
      handle: async (request) => {
        const parameters = queryParameters(request.event);
        rejectUnknownParameters(parameters, COMPARE_PARAMETERS);
        const role = singleParameter(parameters, 'role', asRole, `one of ${ROLES.join(', ')}`);
        const seniority = singleParameter(
          parameters,
          'seniority',
          asSeniority,
          `one of ${SENIORITIES.join(', ')}`,
        );
        if (!role) throw invalidParameter('role', 'required');
        if (!seniority) throw invalidParameter('seniority', 'required');
        const base =
          singleParameter(parameters, 'base', asCountry, 'an ISO 3166-1 alpha-2 country code') ??
          deps.baseCountry;
        const loaded = await currentReport(request);
        return jsonRepresentation(
          {
            year: loaded.report.year,
            version: loaded.report.version,
            generatedAt: loaded.report.generatedAt,
            currency: loaded.report.currency,
            comparison: findComparison(loaded.report, role, seniority, base),
          },
          CACHE_POLICIES.report,
        );
      },
    },
    {
      method: 'GET',
      path: '/reports/{year}/uploads',
      handle: async ({ event, params }) => {
        rejectUnknownParameters(queryParameters(event), []);
        const year = yearParameter(params.year ?? '', deps.now());
        const uploads = (await deps.listIngestionRecords(year)).map(uploadSummary);
        return jsonRepresentation({ year, uploads }, CACHE_POLICIES.uploads);
      },
    },
    {
      method: 'POST',
      path: '/uploads',
      handle: async ({ event }) => {
        rejectUnknownParameters(queryParameters(event), []);
        assertUploadAuthorized(event, deps.uploadBearerToken);
        const grant = await deps.grantUpload(uploadRequest(event));
        return {
          statusCode: 201,
          headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': CACHE_POLICIES.never },
          body: JSON.stringify(grant),
        };
      },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      handle: async ({ event }) => {
        rejectUnknownParameters(queryParameters(event), []);
        return jsonRepresentation(OPENAPI_DOCUMENT, CACHE_POLICIES.openapi);
      },
    },
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

function reportFilter(parameters: Map<string, string[]>): ReportFilter {
  const countries = listParameter(parameters, 'country', asCountry, 'an ISO 3166-1 alpha-2 code');
  const roles = listParameter(parameters, 'role', asRole, `one of ${ROLES.join(', ')}`);
  const seniorities = listParameter(
    parameters,
    'seniority',
    asSeniority,
    `one of ${SENIORITIES.join(', ')}`,
  );
  const levels = listParameter(parameters, 'level', parseLevel, LEVELS_EXPECTED);
  return {
    ...(countries ? { countries } : {}),
    ...(roles ? { roles } : {}),
    ...(seniorities ? { seniorities } : {}),
    ...(levels ? { levels } : {}),
  };
}

/** `format` wins; otherwise CSV only when the Accept header asks for it. */
function negotiateFormat(event: APIGatewayProxyEventV2, parameters: Map<string, string[]>): Format {
  const format = singleParameter(parameters, 'format', asFormat, 'json or csv');
  if (format) return format;
  const accept = requestHeader(event, 'accept') ?? '';
  return /(^|,)\s*text\/csv\b/i.test(accept) && !/application\/json/i.test(accept) ? 'csv' : 'json';
}

function csvResponse(loaded: LoadedReport, csv: string): HttpResponse {
  return representation(csv, CSV_CONTENT_TYPE, CACHE_POLICIES.report, undefined, {
    vary: 'accept',
    'content-disposition': `inline; filename="salary-report-${loaded.report.year}-${loaded.report.version}.csv"`,
  });
}

function uploadSummary(record: IngestionRecord): UploadSummary {
  return {
    key: record.key,
    status: record.status,
    accepted: record.accepted,
    rejected: record.rejected,
    rejectedByReason: record.rejectedByReason,
    years: record.years,
    startedAt: record.startedAt,
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    ...(record.message ? { message: record.message } : {}),
  };
}

/** The JSON body of POST /uploads: `{ "year": 2025, "contentLength": 123456 }`. */
function uploadRequest(event: APIGatewayProxyEventV2): { year: number; contentLength: number } {
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
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidParameter('body', 'expected an object { year, contentLength }');
  }
  for (const name of Object.keys(body)) {
    if (name !== 'year' && name !== 'contentLength') {
      throw invalidParameter(name, 'unknown field; the body takes year and contentLength');
    }
  }
  const { year, contentLength } = body as Record<string, unknown>;
  if (typeof year !== 'number') throw invalidParameter('year', 'required, a number');
  if (typeof contentLength !== 'number') {
    throw invalidParameter('contentLength', "required, the file's size in bytes");
  }
  return { year, contentLength };
}

function asCountry(value: string): string | undefined {
  const code = value.toUpperCase();
  return isIsoCountryCode(code) ? code : undefined;
}

function asRole(value: string) {
  return isRole(value) ? value : undefined;
}

function asSeniority(value: string) {
  return isSeniority(value) ? value : undefined;
}

function asFormat(value: string): Format | undefined {
  return (FORMATS as readonly string[]).includes(value) ? (value as Format) : undefined;
}
