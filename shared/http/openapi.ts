import * as z from 'zod';
import {
  ComparisonSchema,
  CountryComparisonSchema,
  JsonValueSchema,
  MethodologySchema,
  MoneyStatisticsSchema,
  PublishedCellSchema,
  ReportCellSchema,
  ReportCountsSchema,
  ReportSchema,
  SuppressedCellSchema,
  YearOverYearChangeSchema,
} from '../domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '../domain/report/thresholds.ts';
import { UploadGrantSchema } from '../use-cases/serve-report/grant-upload.ts';
import { API_OPERATIONS, type ApiOperation, type ApiResponse } from './api-operations.ts';
import {
  ComparisonViewSchema,
  ProblemSchema,
  ReportListSchema,
  UploadListSchema,
  UploadRequestSchema,
} from './api-schemas.ts';
import type { QueryParameter } from './query.ts';

/**
 * The API's OpenAPI 3.1 document, served at GET /openapi.json, generated from the zod schemas of
 * the report model (`domain/report/model.ts`), the API's bodies (`api-schemas.ts`) and its
 * operations (`api-operations.ts`) with zod's JSON Schema output. Object schemas are closed
 * (`additionalProperties: false`), so the API tests, which validate real answers against this
 * document, fail on an undocumented field.
 */

/** The named schemas under `components.schemas`; wherever one appears, the document refers to it. */
const COMPONENTS: readonly [string, z.ZodType][] = [
  ['Problem', ProblemSchema],
  ['MoneyStatistics', MoneyStatisticsSchema],
  ['ReportCell', ReportCellSchema],
  ['PublishedCell', PublishedCellSchema],
  ['SuppressedCell', SuppressedCellSchema],
  ['YearOverYearChange', YearOverYearChangeSchema],
  ['CountryComparison', CountryComparisonSchema],
  ['Comparison', ComparisonSchema],
  ['Methodology', MethodologySchema],
  ['JsonValue', JsonValueSchema],
  ['Report', ReportSchema],
  ['ReportCounts', ReportCountsSchema],
  ['ReportList', ReportListSchema],
  ['ComparisonView', ComparisonViewSchema],
  ['UploadList', UploadListSchema],
  ['UploadRequest', UploadRequestSchema],
  ['UploadGrant', UploadGrantSchema],
];

const { minRespondents, minRespondentsForOuterPercentiles } = DEFAULT_THRESHOLDS;

/** What the API adds to the model's own descriptions: the thresholds, from the code's constants. */
const DESCRIPTIONS = new Map<z.ZodType, string>([
  [
    MoneyStatisticsSchema,
    `USD rounded half-up to cents. p10 and p90 are null below ${minRespondentsForOuterPercentiles} respondents (the default; methodology.thresholds states the report's own).`,
  ],
]);

const API_DESCRIPTION = `Yearly tech salary statistics by country, role and seniority, in USD. Cells with fewer than ${minRespondents} respondents are suppressed (the default threshold), and so are the cells that would let a reader recompute them from a published total; see the methodology block of each report.`;

type JsonSchema = Record<string, unknown>;

const registry = z.registry<{ id: string }>();
for (const [id, schema] of COMPONENTS) registry.add(schema, { id });
const componentRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

const JSON_SCHEMA_OPTIONS = {
  target: 'draft-2020-12',
  uri: (id: string) => `#/components/schemas/${id}`,
  override: ({ zodSchema, jsonSchema }: { zodSchema: unknown; jsonSchema: JsonSchema }) => {
    const description = DESCRIPTIONS.get(zodSchema as z.ZodType);
    if (description) jsonSchema.description = description;
    tidy(jsonSchema);
  },
} as const;

/** Drops what zod adds but the document does not need: its date-time regex, safe-integer bounds. */
function tidy(schema: JsonSchema): void {
  if (schema.format === 'date-time') delete schema.pattern;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  const names = schema.propertyNames as JsonSchema | undefined;
  if (names && Object.keys(names).length === 1 && names.type === 'string') {
    delete schema.propertyNames;
  }
}

function standalone(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** A schema in the document: a reference when it is a component, else inline. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const id = registry.get(schema)?.id;
  if (id) return componentRef(id);
  return standalone(
    z.toJSONSchema(schema, {
      ...JSON_SCHEMA_OPTIONS,
      metadata: z.globalRegistry,
      io,
    }) as JsonSchema,
  );
}

function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { ...JSON_SCHEMA_OPTIONS, io: 'output' });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => [id, standalone(schema as JsonSchema)]),
  );
}

function queryParameter(name: string, parameter: QueryParameter) {
  const value = schemaOf(parameter.value, 'input');
  if (parameter.list) {
    return {
      name,
      in: 'query',
      required: false,
      description:
        `${parameter.description ?? ''} Repeat the parameter or give a comma-separated list.`.trim(),
      explode: true,
      schema: { type: 'array', items: value },
    };
  }
  return {
    name,
    in: 'query',
    required: parameter.required,
    ...(parameter.description ? { description: parameter.description } : {}),
    schema: value,
  };
}

function response(declared: ApiResponse) {
  return {
    description: declared.description,
    ...(declared.etag
      ? {
          headers: {
            ETag: { description: 'Strong validator of the body.', schema: { type: 'string' } },
          },
        }
      : {}),
    ...(declared.content
      ? {
          content: Object.fromEntries(
            Object.entries(declared.content).map(([mediaType, { schema, description }]) => [
              mediaType,
              { schema: schemaOf(schema), ...(description ? { description } : {}) },
            ]),
          ),
        }
      : {}),
  };
}

/** Every operation can answer these; the bodies are defined once under `components.responses`. */
const FAILURE_RESPONSES = {
  '405': { $ref: '#/components/responses/MethodNotAllowed' },
  '500': { $ref: '#/components/responses/InternalError' },
};

function operation(declared: ApiOperation) {
  const parameters = [
    ...Object.entries(declared.pathParameters ?? {}).map(([name, { schema, description }]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: schemaOf(schema, 'input'),
    })),
    ...Object.entries(declared.query).map(([name, parameter]) => queryParameter(name, parameter)),
  ];
  return {
    operationId: declared.operationId,
    summary: declared.summary,
    ...(declared.description ? { description: declared.description } : {}),
    ...(declared.security
      ? { security: declared.security.map((scheme) => ({ [scheme]: [] })) }
      : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(declared.requestBody
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(declared.requestBody, 'input') } },
          },
        }
      : {}),
    responses: {
      ...FAILURE_RESPONSES,
      ...Object.fromEntries(
        Object.entries(declared.responses).map(([status, declaredResponse]) => [
          status,
          response(declaredResponse),
        ]),
      ),
    },
  };
}

/** HEAD answers wherever GET does, with GET's status and headers and no body. */
function headOperation(get: ReturnType<typeof operation>) {
  return {
    operationId: `${get.operationId}Head`,
    summary: `${get.summary}: headers only`,
    ...('parameters' in get ? { parameters: get.parameters } : {}),
    responses: Object.fromEntries(
      Object.keys(get.responses).map((status) => [
        status,
        { description: `As GET answers ${status}, without a body.` },
      ]),
    ),
  };
}

function paths() {
  const items: Record<string, Record<string, unknown>> = {};
  for (const declared of Object.values(API_OPERATIONS) as ApiOperation[]) {
    const item = items[declared.path] ?? {};
    items[declared.path] = item;
    const documented = operation(declared);
    item[declared.method.toLowerCase()] = documented;
    if (declared.method === 'GET') item.head = headOperation(documented);
  }
  return items;
}

function generate() {
  return {
    openapi: '3.1.0',
    info: { title: 'Salary report API', version: '1.0.0', description: API_DESCRIPTION },
    paths: paths(),
    components: {
      responses: {
        MethodNotAllowed: {
          description:
            'The path exists, but not with this method (any method the path does not list). `Allow` names the methods it takes.',
          headers: {
            Allow: { schema: { type: 'string' }, description: 'e.g. GET, HEAD, OPTIONS' },
          },
          content: { 'application/problem+json': { schema: componentRef('Problem') } },
        },
        InternalError: {
          description:
            'An unexpected failure. It is logged with its details; the body never describes it.',
          content: { 'application/problem+json': { schema: componentRef('Problem') } },
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
      schemas: componentSchemas(),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof generate>;

let generated: OpenApiDocument | undefined;

/** The document, generated on first use (only GET /openapi.json needs it) and kept. */
export function openApiDocument(): OpenApiDocument {
  generated ??= generate();
  return generated;
}
