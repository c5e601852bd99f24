import * as z from 'zod';
import { DEFAULT_REPORT_BASE_COUNTRY } from '../config.ts';
import { LEVEL_ALIASES, type ReportFilter } from '../domain/report/filter.ts';
import { REPORT_LEVELS, type ReportLevel, ReportSchema } from '../domain/report/model.ts';
import { FIRST_SURVEY_YEAR } from '../domain/survey-years.ts';
import { ROLES, SENIORITIES } from '../domain/taxonomy.ts';
import { UploadGrantSchema } from '../use-cases/serve-report/grant-upload.ts';
import {
  ComparisonViewSchema,
  CountryQueryValueSchema,
  ProblemSchema,
  ReportListSchema,
  UploadListSchema,
  UploadRequestSchema,
} from './api-schemas.ts';
import { listOf, oneOf, type QueryContract, type QueryValues } from './query.ts';

/**
 * Every operation of the public API, described once: the router reads each route's query with
 * these contracts (`report-api.ts`) and the OpenAPI document is generated from them (`openapi.ts`).
 */
export interface ApiOperation<Query extends QueryContract = QueryContract> {
  method: 'GET' | 'POST';
  /** Path template, `{name}` captures one segment. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  pathParameters?: Readonly<Record<string, { schema: z.ZodType; description: string }>>;
  query: Query;
  requestBody?: z.ZodType;
  /** Schemes of `components.securitySchemes`, any one of which authorizes the call. */
  security?: readonly ('iam' | 'bearer')[];
  responses: Readonly<Record<string, ApiResponse>>;
}

export interface ApiResponse {
  description: string;
  /** Whether the answer carries a strong `ETag` of its body. */
  etag?: boolean;
  content?: Readonly<Record<string, { schema: z.ZodType; description?: string }>>;
}

const problem = (description: string): ApiResponse => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});
const representation = (description: string, schema: z.ZodType): ApiResponse => ({
  description,
  etag: true,
  content: { 'application/json': { schema } },
});
const notModified: ApiResponse = {
  description: 'The representation named by If-None-Match is still current.',
};

const yearPath = {
  year: {
    schema: z.string().regex(/^\d{4}$/),
    description: `Survey year (${FIRST_SURVEY_YEAR} to the current year).`,
  },
};

const oneOfList = (values: readonly string[]) => `one of ${values.join(', ')}`;
const levelNames = [...REPORT_LEVELS, ...Object.keys(LEVEL_ALIASES)] as [string, ...string[]];

/** A level by its name or its short alias (`role`, `seniority`), read as the level itself. */
const LevelQueryValueSchema = z
  .enum(levelNames)
  .transform(
    (name): ReportLevel =>
      (LEVEL_ALIASES as Record<string, ReportLevel>)[name] ?? (name as ReportLevel),
  );

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_QUERY = {
  country: listOf(CountryQueryValueSchema, {
    expected: 'an ISO 3166-1 alpha-2 code',
    description: 'Keep cells of these countries (ISO 3166-1 alpha-2).',
  }),
  role: listOf(z.enum(ROLES), {
    expected: oneOfList(ROLES),
    description: 'Keep cells of these roles.',
  }),
  seniority: listOf(z.enum(SENIORITIES), {
    expected: oneOfList(SENIORITIES),
    description: 'Keep cells of these seniorities.',
  }),
  level: listOf(LevelQueryValueSchema, {
    expected: `${oneOfList(REPORT_LEVELS)} (or ${Object.entries(LEVEL_ALIASES)
      .map(([alias, level]) => `${alias} for ${level}`)
      .join(', ')})`,
    description: `Keep cells of these levels. Aliases: ${Object.entries(LEVEL_ALIASES)
      .map(([alias, level]) => `${alias} = ${level}`)
      .join(', ')}.`,
  }),
  format: oneOf(z.enum(REPORT_FORMATS), {
    expected: REPORT_FORMATS.join(' or '),
    description: 'json (default) or csv; without it, Accept: text/csv selects CSV.',
  }),
};

/** The report filter named by `GET /reports/{year}`'s parameters (and the CLI's same options). */
export function reportFilterOf(query: Partial<QueryValues<typeof REPORT_QUERY>>): ReportFilter {
  return {
    ...(query.country ? { countries: query.country } : {}),
    ...(query.role ? { roles: query.role } : {}),
    ...(query.seniority ? { seniorities: query.seniority } : {}),
    ...(query.level ? { levels: query.level } : {}),
  };
}

export const COMPARE_QUERY = {
  role: oneOf(z.enum(ROLES), { expected: oneOfList(ROLES), required: true }),
  seniority: oneOf(z.enum(SENIORITIES), { expected: oneOfList(SENIORITIES), required: true }),
  base: oneOf(CountryQueryValueSchema, {
    expected: 'an ISO 3166-1 alpha-2 country code',
    description: `Base country of the ratios (default: the configured base, ${DEFAULT_REPORT_BASE_COUNTRY}).`,
  }),
};

export const API_OPERATIONS = {
  listReports: {
    method: 'GET',
    path: '/reports',
    operationId: 'listReports',
    summary: 'Years with a published report',
    query: {},
    responses: {
      '200': representation('Current report version of each year.', ReportListSchema),
      '304': notModified,
      '400': problem('Unknown query parameter.'),
    },
  },
  getReport: {
    method: 'GET',
    path: '/reports/{year}',
    operationId: 'getReport',
    summary: "A year's current report, optionally filtered",
    pathParameters: yearPath,
    query: REPORT_QUERY,
    responses: {
      '200': {
        description: 'The report (filtered cells and comparisons; methodology always whole).',
        etag: true,
        content: {
          'application/json': { schema: ReportSchema },
          'text/csv': {
            schema: z.string(),
            description:
              'One row per cell: year, version, level, country, role, seniority, suppressed, suppression (primary or complementary), n, confidence, monthly_* and annual_* statistics. Text that spreadsheets would evaluate is prefixed with an apostrophe.',
          },
        },
      },
      '304': notModified,
      '400': problem('Bad year, unknown filter or value.'),
      '404': problem('No report was published for this year.'),
      '406': problem(
        'The answer is larger than one response can carry (6 MB) uncompressed: ask for it compressed (Accept-Encoding: br or gzip) or filtered.',
      ),
    },
  },
  compareCountries: {
    method: 'GET',
    path: '/reports/{year}/compare',
    operationId: 'compareCountries',
    summary: 'Countries of one role × seniority against a base country',
    pathParameters: yearPath,
    query: COMPARE_QUERY,
    responses: {
      '200': representation('The comparison.', ComparisonViewSchema),
      '304': notModified,
      '400': problem('Missing or invalid parameter.'),
      '404': problem('No report was published for this year.'),
    },
  },
  listUploads: {
    method: 'GET',
    path: '/reports/{year}/uploads',
    operationId: 'listUploads',
    summary: "Ingestion records of the year's files (counts only)",
    pathParameters: yearPath,
    query: {},
    responses: {
      '200': representation('One record per file with rows in that year.', UploadListSchema),
      '304': notModified,
      '400': problem('Bad year.'),
    },
  },
  grantUpload: {
    method: 'POST',
    path: '/uploads',
    operationId: 'grantUpload',
    summary: 'A presigned URL to upload one survey CSV',
    description:
      'IAM-authorized in AWS; a bearer token in local mode. The PUT must send exactly the returned headers (content type and length are signed).',
    security: ['iam', 'bearer'],
    query: {},
    requestBody: UploadRequestSchema,
    responses: {
      '201': {
        description: 'Upload grant.',
        content: { 'application/json': { schema: UploadGrantSchema } },
      },
      '400': problem('Bad year or size.'),
      '401': problem('Missing or invalid credentials.'),
      '415': problem('Body is not JSON.'),
    },
  },
  getOpenApi: {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    query: {},
    responses: {
      '200': representation('OpenAPI 3.1 document.', z.looseObject({})),
      '304': notModified,
    },
  },
} as const satisfies Record<string, ApiOperation>;
