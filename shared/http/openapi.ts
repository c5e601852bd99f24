import { GRANTED_UPLOAD_KEY_PATTERN } from '../bucket-layout.ts';
import { LEVEL_ALIASES } from '../domain/report/filter.ts';
import { REPORT_LEVELS, SKETCH_REASONS, UNAVAILABLE_REASONS } from '../domain/report/model.ts';
import { CONFIDENCE_LEVELS } from '../domain/report/thresholds.ts';
import { ROLES, SENIORITIES } from '../domain/taxonomy.ts';

/**
 * The API's OpenAPI 3.1 document, served at GET /openapi.json. Its component schemas are the public
 * contract of the report (docs/report.md); the API tests validate real responses against them.
 * Schemas are closed (`additionalProperties: false`) so an undocumented field fails the tests.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullableMoney = { type: ['number', 'null'], minimum: 0 };
const money = { type: 'number', minimum: 0 };
const countryCode = { type: 'string', pattern: '^[A-Z]{2}$' };
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
/** Every operation can answer these; the bodies are defined once under `components.responses`. */
const failureResponses = {
  '405': { $ref: '#/components/responses/MethodNotAllowed' },
  '500': { $ref: '#/components/responses/InternalError' },
} as const;
const notModified = {
  description: 'The representation named by If-None-Match is still current.',
};
const etagHeader = {
  ETag: { description: 'Strong validator of the body.', schema: { type: 'string' } },
};
const yearPath = {
  name: 'year',
  in: 'path',
  required: true,
  description: 'Survey year (2000 to the current year).',
  schema: { type: 'string', pattern: '^\\d{4}$' },
};
const listParameter = (name: string, description: string, items: object) => ({
  name,
  in: 'query',
  required: false,
  description: `${description} Repeat the parameter or give a comma-separated list.`,
  explode: true,
  schema: { type: 'array', items },
});

/** The API's routes with their GET and POST operations; HEAD operations are derived below. */
const PATHS = {
  '/reports': {
    get: {
      operationId: 'listReports',
      summary: 'Years with a published report',
      responses: {
        ...failureResponses,
        '200': {
          description: 'Current report version of each year.',
          headers: etagHeader,
          content: { 'application/json': { schema: ref('ReportList') } },
        },
        '304': notModified,
        '400': problemResponse('Unknown query parameter.'),
      },
    },
  },
  '/reports/{year}': {
    get: {
      operationId: 'getReport',
      summary: "A year's current report, optionally filtered",
      parameters: [
        yearPath,
        listParameter(
          'country',
          'Keep cells of these countries (ISO 3166-1 alpha-2).',
          countryCode,
        ),
        listParameter('role', 'Keep cells of these roles.', { enum: [...ROLES] }),
        listParameter('seniority', 'Keep cells of these seniorities.', {
          enum: [...SENIORITIES],
        }),
        listParameter(
          'level',
          'Keep cells of these levels. Aliases: role = country-role, seniority = country-role-seniority.',
          { enum: [...REPORT_LEVELS, ...Object.keys(LEVEL_ALIASES)] },
        ),
        {
          name: 'format',
          in: 'query',
          required: false,
          description: 'json (default) or csv; without it, Accept: text/csv selects CSV.',
          schema: { enum: ['json', 'csv'] },
        },
      ],
      responses: {
        ...failureResponses,
        '200': {
          description: 'The report (filtered cells and comparisons; methodology always whole).',
          headers: etagHeader,
          content: {
            'application/json': { schema: ref('Report') },
            'text/csv': {
              schema: { type: 'string' },
              description:
                'One row per cell: year, version, level, country, role, seniority, suppressed, n, confidence, monthly_* and annual_* statistics. Text that spreadsheets would evaluate is prefixed with an apostrophe.',
            },
          },
        },
        '304': notModified,
        '400': problemResponse('Bad year, unknown filter or value.'),
        '404': problemResponse('No report was published for this year.'),
      },
    },
  },
  '/reports/{year}/compare': {
    get: {
      operationId: 'compareCountries',
      summary: 'Countries of one role × seniority against a base country',
      parameters: [
        yearPath,
        { name: 'role', in: 'query', required: true, schema: { enum: [...ROLES] } },
        { name: 'seniority', in: 'query', required: true, schema: { enum: [...SENIORITIES] } },
        {
          name: 'base',
          in: 'query',
          required: false,
          description: 'Base country of the ratios (default: the configured base, US).',
          schema: countryCode,
        },
      ],
      responses: {
        ...failureResponses,
        '200': {
          description: 'The comparison.',
          headers: etagHeader,
          content: { 'application/json': { schema: ref('ComparisonView') } },
        },
        '304': notModified,
        '400': problemResponse('Missing or invalid parameter.'),
        '404': problemResponse('No report was published for this year.'),
      },
    },
  },
  '/reports/{year}/uploads': {
    get: {
      operationId: 'listUploads',
      summary: "Ingestion records of the year's files (counts only)",
      parameters: [yearPath],
      responses: {
        ...failureResponses,
        '200': {
          description: 'One record per file with rows in that year.',
          headers: etagHeader,
          content: { 'application/json': { schema: ref('UploadList') } },
        },
        '304': notModified,
        '400': problemResponse('Bad year.'),
      },
    },
  },
  '/uploads': {
    post: {
      operationId: 'grantUpload',
      summary: 'A presigned URL to upload one survey CSV',
      description:
        'IAM-authorized in AWS; a bearer token in local mode. The PUT must send exactly the returned headers (content type and length are signed).',
      security: [{ iam: [] }, { bearer: [] }],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref('UploadRequest') } },
      },
      responses: {
        ...failureResponses,
        '201': {
          description: 'Upload grant.',
          content: { 'application/json': { schema: ref('UploadGrant') } },
        },
        '400': problemResponse('Bad year or size.'),
        '401': problemResponse('Missing or invalid credentials.'),
        '415': problemResponse('Body is not JSON.'),
      },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'getOpenApi',
      summary: 'This document',
      responses: {
        ...failureResponses,
        '200': {
          description: 'OpenAPI 3.1 document.',
          headers: etagHeader,
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        '304': notModified,
      },
    },
  },
} as const;

interface DocumentedOperation {
  operationId: string;
  summary: string;
  parameters?: readonly unknown[];
  responses: Record<string, unknown>;
}

/** HEAD answers wherever GET does, with GET's status and headers and no body. */
function withHeadOperations(paths: Record<string, { get?: DocumentedOperation; post?: unknown }>) {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => {
      const get = item.get;
      if (!get) return [path, item];
      const head = {
        operationId: `${get.operationId}Head`,
        summary: `${get.summary}: headers only`,
        ...(get.parameters ? { parameters: get.parameters } : {}),
        responses: Object.fromEntries(
          Object.keys(get.responses).map((status) => [
            status,
            { description: `As GET answers ${status}, without a body.` },
          ]),
        ),
      };
      return [path, { ...item, head }];
    }),
  );
}

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Salary report API',
    version: '1.0.0',
    description:
      'Yearly tech salary statistics by country, role and seniority, in USD. Cells with fewer than 5 respondents are suppressed, and so are the cells that would let a reader recompute them from a published total; see the methodology block of each report.',
  },
  paths: withHeadOperations(PATHS),
  components: {
    responses: {
      MethodNotAllowed: {
        description:
          'The path exists, but not with this method (any method the path does not list). `Allow` names the methods it takes.',
        headers: { Allow: { schema: { type: 'string' }, description: 'e.g. GET, HEAD, OPTIONS' } },
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
      InternalError: {
        description:
          'An unexpected failure. It is logged with its details; the body never describes it.',
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    },
    securitySchemes: {
      iam: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'AWS Signature Version 4 (IAM authorization of API Gateway).',
      },
      bearer: { type: 'http', scheme: 'bearer', description: 'Local mode only.' },
    },
    schemas: {
      Problem: {
        type: 'object',
        description: 'RFC 9457 problem details.',
        required: ['type', 'title', 'status', 'detail'],
        additionalProperties: false,
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          invalidParams: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'reason'],
              additionalProperties: false,
              properties: { name: { type: 'string' }, reason: { type: 'string' } },
            },
          },
        },
      },
      MoneyStatistics: {
        type: 'object',
        description: 'USD rounded half-up to cents. p10 and p90 are null below 10 respondents.',
        required: ['mean', 'p10', 'p25', 'median', 'p75', 'p90'],
        additionalProperties: false,
        properties: {
          mean: money,
          p10: nullableMoney,
          p25: money,
          median: money,
          p75: money,
          p90: nullableMoney,
        },
      },
      ReportCell: {
        oneOf: [ref('PublishedCell'), ref('SuppressedCell')],
      },
      PublishedCell: {
        type: 'object',
        required: ['level', 'suppressed', 'n', 'confidence', 'monthly', 'annual'],
        additionalProperties: false,
        properties: {
          level: { enum: [...REPORT_LEVELS] },
          country: countryCode,
          role: { enum: [...ROLES] },
          seniority: { enum: [...SENIORITIES] },
          suppressed: { const: false },
          n: { type: 'integer', minimum: 1 },
          confidence: { enum: [...CONFIDENCE_LEVELS] },
          monthly: ref('MoneyStatistics'),
          annual: ref('MoneyStatistics'),
        },
      },
      SuppressedCell: {
        type: 'object',
        description:
          'Too few respondents, or hidden so that no published sum reveals such a cell: only the keys are published, not even n.',
        required: ['level', 'suppressed'],
        additionalProperties: false,
        properties: {
          level: { enum: [...REPORT_LEVELS] },
          country: countryCode,
          role: { enum: [...ROLES] },
          seniority: { enum: [...SENIORITIES] },
          suppressed: { const: true },
        },
      },
      YearOverYearChange: {
        type: 'object',
        required: [
          'previousYear',
          'previousVersion',
          'previousMedian',
          'previousMean',
          'medianChange',
          'meanChange',
        ],
        additionalProperties: false,
        properties: {
          previousYear: { type: 'integer' },
          previousVersion: { type: 'string' },
          previousMedian: money,
          previousMean: money,
          medianChange: { type: 'number', description: '(this year / previous) − 1' },
          meanChange: { type: 'number' },
        },
      },
      CountryComparison: {
        type: 'object',
        required: ['country', 'n', 'median', 'mean', 'medianRatio', 'meanRatio', 'change'],
        additionalProperties: false,
        properties: {
          country: countryCode,
          n: { type: 'integer', minimum: 1 },
          median: money,
          mean: money,
          medianRatio: { type: ['number', 'null'], description: 'country / base' },
          meanRatio: { type: ['number', 'null'] },
          ratioUnavailableReason: { enum: [...UNAVAILABLE_REASONS] },
          change: { oneOf: [ref('YearOverYearChange'), { type: 'null' }] },
          changeUnavailableReason: { enum: [...UNAVAILABLE_REASONS] },
        },
      },
      Comparison: {
        type: 'object',
        required: ['role', 'seniority', 'baseCountry', 'base', 'countries', 'suppressedCountries'],
        additionalProperties: false,
        properties: {
          role: { enum: [...ROLES] },
          seniority: { enum: [...SENIORITIES] },
          baseCountry: countryCode,
          base: {
            oneOf: [
              {
                type: 'object',
                required: ['median', 'mean'],
                additionalProperties: false,
                properties: { median: money, mean: money },
              },
              { type: 'null' },
            ],
          },
          baseUnavailableReason: { enum: [...UNAVAILABLE_REASONS] },
          countries: { type: 'array', items: ref('CountryComparison') },
          suppressedCountries: { type: 'array', items: countryCode },
        },
      },
      Methodology: {
        type: 'object',
        required: [
          'version',
          'generatedAt',
          'baseCountry',
          'units',
          'rounding',
          'quantiles',
          'thresholds',
          'normalization',
          'files',
          'acceptedRows',
          'rejectedRows',
          'rejectedByReason',
        ],
        additionalProperties: false,
        properties: {
          version: { type: 'string' },
          generatedAt: { type: 'string', format: 'date-time' },
          baseCountry: countryCode,
          units: {
            type: 'object',
            required: ['monthly', 'annual'],
            additionalProperties: false,
            properties: { monthly: { type: 'string' }, annual: { type: 'string' } },
          },
          rounding: { type: 'string' },
          quantiles: {
            type: 'object',
            description:
              'How every quantile of the report was computed. `exact` is absent in reports generated before exact percentiles, which all used the sketch.',
            required: ['method', 'relativeAccuracy'],
            additionalProperties: false,
            properties: {
              method: { type: 'string' },
              exact: {
                type: 'boolean',
                description:
                  "true: each quantile is the exact type-7 value of the respondents' pay, to the cent",
              },
              relativeAccuracy: {
                type: 'number',
                description: 'largest relative error; 0 when exact',
              },
              sketchReason: { enum: [...SKETCH_REASONS] },
            },
          },
          thresholds: {
            type: 'object',
            required: [
              'minRespondents',
              'minRespondentsForOuterPercentiles',
              'mediumConfidenceFrom',
              'highConfidenceFrom',
            ],
            additionalProperties: false,
            properties: {
              minRespondents: { type: 'integer' },
              minRespondentsForOuterPercentiles: { type: 'integer' },
              mediumConfidenceFrom: { type: 'integer' },
              highConfidenceFrom: { type: 'integer' },
            },
          },
          normalization: {
            type: 'object',
            required: ['exchangeRates', 'seniorityRules'],
            additionalProperties: false,
            properties: {
              exchangeRates: {
                type: 'object',
                description: 'Units of each currency per USD used for the year.',
                additionalProperties: { type: 'number' },
              },
              seniorityRules: { description: 'The seniority rules in force, as configured.' },
              rulesFingerprint: { type: 'string' },
            },
          },
          files: { type: 'integer', minimum: 0 },
          acceptedRows: { type: 'integer', minimum: 0 },
          rejectedRows: { type: 'integer', minimum: 0 },
          rejectedByReason: { type: 'object', additionalProperties: { type: 'integer' } },
        },
      },
      Report: {
        type: 'object',
        required: [
          'year',
          'version',
          'generatedAt',
          'currency',
          'cells',
          'comparisons',
          'methodology',
        ],
        additionalProperties: false,
        properties: {
          year: { type: 'integer' },
          version: { type: 'string' },
          generatedAt: { type: 'string', format: 'date-time' },
          currency: { const: 'USD' },
          cells: { type: 'array', items: ref('ReportCell') },
          comparisons: { type: 'array', items: ref('Comparison') },
          methodology: ref('Methodology'),
        },
      },
      ReportCounts: {
        type: 'object',
        required: ['respondents', 'cells', 'publishedCells', 'suppressedCells', 'files'],
        additionalProperties: false,
        properties: {
          respondents: { type: 'integer' },
          cells: { type: 'integer' },
          publishedCells: { type: 'integer' },
          suppressedCells: { type: 'integer' },
          files: { type: 'integer' },
        },
      },
      ReportList: {
        type: 'object',
        required: ['reports'],
        additionalProperties: false,
        properties: {
          reports: {
            type: 'array',
            items: {
              type: 'object',
              required: ['year', 'version', 'generatedAt', 'counts'],
              additionalProperties: false,
              properties: {
                year: { type: 'integer' },
                version: { type: 'string' },
                generatedAt: { type: 'string', format: 'date-time' },
                counts: ref('ReportCounts'),
              },
            },
          },
        },
      },
      ComparisonView: {
        type: 'object',
        required: ['year', 'version', 'generatedAt', 'currency', 'comparison'],
        additionalProperties: false,
        properties: {
          year: { type: 'integer' },
          version: { type: 'string' },
          generatedAt: { type: 'string', format: 'date-time' },
          currency: { const: 'USD' },
          comparison: ref('Comparison'),
        },
      },
      UploadList: {
        type: 'object',
        required: ['year', 'uploads'],
        additionalProperties: false,
        properties: {
          year: { type: 'integer' },
          uploads: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'key',
                'status',
                'accepted',
                'rejected',
                'rejectedByReason',
                'years',
                'startedAt',
              ],
              additionalProperties: false,
              properties: {
                key: { type: 'string' },
                status: { enum: ['processing', 'ingested', 'rejected', 'deleted', 'superseded'] },
                accepted: { type: 'integer', minimum: 0 },
                rejected: { type: 'integer', minimum: 0 },
                rejectedByReason: { type: 'object', additionalProperties: { type: 'integer' } },
                years: { type: 'array', items: { type: 'integer' } },
                startedAt: { type: 'string', format: 'date-time' },
                finishedAt: { type: 'string', format: 'date-time' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
      UploadRequest: {
        type: 'object',
        required: ['year', 'contentLength'],
        additionalProperties: false,
        properties: {
          year: { type: 'integer' },
          contentLength: {
            type: 'integer',
            minimum: 1,
            description: "The file's exact size in bytes, at most the configured limit.",
          },
        },
      },
      UploadGrant: {
        type: 'object',
        required: ['key', 'method', 'url', 'headers', 'maxBytes', 'expiresAt'],
        additionalProperties: false,
        properties: {
          key: { type: 'string', pattern: GRANTED_UPLOAD_KEY_PATTERN },
          method: { const: 'PUT' },
          url: { type: 'string', format: 'uri' },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          maxBytes: { type: 'integer' },
          expiresAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;
