import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import { API_OPERATIONS } from '#shared/http/api-operations.ts';
import { type OpenApiDocument, openApiDocument } from '#shared/http/openapi.ts';
import { reportApiRoutes } from '#shared/http/report-api.ts';
import type { HttpResponse } from '#shared/http/responses.ts';
import type { Route } from '#shared/http/router.ts';
import { PublishedReports } from '#shared/use-cases/serve-report/published-reports.ts';
import { type ApiRequest, apiEvent, LAMBDA_CONTEXT } from '#test/integration/api/api-events.ts';

interface DocumentedParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Record<string, unknown>;
}
type DocumentedOperation = { parameters?: DocumentedParameter[] };

const store = new InMemoryReportStore();
const deps = {
  reports: new PublishedReports({ pointers: store, snapshots: store }),
  listIngestionRecords: async () => [],
  grantUpload: async () => {
    throw new Error('not called: every request here is refused before');
  },
  baseCountry: 'US',
  assets: { read: async () => undefined },
  now: () => new Date('2026-03-01T00:00:00.000Z'),
};
const routes = reportApiRoutes(deps);
/** The API's routes; the page's files (/, /app.js, /app.css) are not part of the API document. */
const apiRoutes = routes.filter((route): route is Route & { query: object } => !!route.query);

let send: (request: ApiRequest) => Promise<HttpResponse>;
let served: OpenApiDocument;

beforeAll(async () => {
  process.env.TABLE_NAME ??= 'unit-table';
  process.env.BUCKET_NAME ??= 'unit-bucket';
  const { createServeReportHandler } = await import('#functions/serve-report.ts');
  const handler = createServeReportHandler(deps, { corsAllowOrigin: '*', logError: () => {} });
  send = (request) => handler(apiEvent(request), LAMBDA_CONTEXT);
  served = JSON.parse((await send({ method: 'GET', path: '/openapi.json' })).body ?? '');
});

const operationOf = (document: OpenApiDocument, route: Route) =>
  (document.paths as Record<string, Record<string, DocumentedOperation>>)[route.path]?.[
    route.method.toLowerCase()
  ];

describe('GET /openapi.json', () => {
  it('serves the document generated from the schemas', () => {
    expect(served).toEqual(openApiDocument());
    expect(Object.keys(served.components.schemas)).toEqual(
      expect.arrayContaining(['Report', 'ReportCell', 'Methodology', 'Problem', 'UploadGrant']),
    );
  });

  it('documents every API route and no other operation', () => {
    const documented = Object.entries(served.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => method !== 'head')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      apiRoutes.map((route) => `${route.method} ${route.path}`).sort(),
    );
    expect(apiRoutes).toHaveLength(Object.keys(API_OPERATIONS).length);
  });

  it('documents exactly the path and query parameters each route reads', () => {
    for (const route of apiRoutes) {
      const parameters = operationOf(served, route)?.parameters ?? [];
      const names = (place: 'path' | 'query') =>
        parameters.filter((parameter) => parameter.in === place).map((parameter) => parameter.name);
      const captures = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(names('path'), `${route.method} ${route.path}`).toEqual(captures);
      expect(names('query'), `${route.method} ${route.path}`).toEqual(Object.keys(route.query));
    }
  });
});

describe('the router against the document', () => {
  const ajv = new Ajv2020({ strict: false });
  /** A value the parameter's documented schema accepts, and one it refuses. */
  function samples(parameter: DocumentedParameter): { valid: string; invalid: string } {
    const schema = (parameter.schema.items ?? parameter.schema) as {
      enum?: string[];
      pattern?: string;
    };
    const valid = schema.enum?.[0] ?? (schema.pattern === '^[A-Za-z]{2}$' ? 'mx' : undefined);
    if (valid === undefined) throw new Error(`no sample for ${parameter.name}`);
    const validate = ajv.compile(parameter.schema);
    const invalid = 'not-a-value';
    const asDocumented = (value: string) => (parameter.schema.type === 'array' ? [value] : value);
    expect(validate(asDocumented(valid)), `${parameter.name}=${valid}`).toBe(true);
    expect(validate(asDocumented(invalid)), `${parameter.name}=${invalid}`).toBe(false);
    return { valid, invalid };
  }

  const requestFor = (route: Route, query: string): ApiRequest => ({
    method: route.method,
    path: route.path.replace('{year}', '2025'),
    query,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const invalidParams = (response: HttpResponse) =>
    (JSON.parse(response.body ?? '{}') as { invalidParams?: { name: string }[] }).invalidParams;

  it('refuses a value the document refuses, naming the parameter, and takes one it allows', async () => {
    for (const route of apiRoutes) {
      const query = (operationOf(served, route)?.parameters ?? []).filter(
        (parameter) => parameter.in === 'query',
      );
      const required = query.filter((parameter) => parameter.required);
      const base = required.map((parameter) => `${parameter.name}=${samples(parameter).valid}`);
      for (const parameter of query) {
        const { valid, invalid } = samples(parameter);
        const others = base.filter((pair) => !pair.startsWith(`${parameter.name}=`));
        const refused = await send(
          requestFor(route, [...others, `${parameter.name}=${invalid}`].join('&')),
        );
        expect(refused.statusCode, `${route.path}?${parameter.name}=${invalid}`).toBe(400);
        expect(invalidParams(refused)?.[0]?.name).toBe(parameter.name);
        const taken = await send(
          requestFor(route, [...others, `${parameter.name}=${valid}`].join('&')),
        );
        // No report is stored here: a query the router takes goes on to the year's 404.
        expect(taken.statusCode, `${route.path}?${parameter.name}=${valid}`).toBe(404);
      }
      for (const parameter of required) {
        const others = base.filter((pair) => !pair.startsWith(`${parameter.name}=`));
        const missing = await send(requestFor(route, others.join('&')));
        expect(missing.statusCode, `${route.path} without ${parameter.name}`).toBe(400);
        expect(invalidParams(missing)?.[0]).toEqual({ name: parameter.name, reason: 'required' });
      }
    }
  });

  it('refuses any parameter the document does not list', async () => {
    for (const route of apiRoutes) {
      const response = await send(requestFor(route, 'undocumented=1'));
      expect(response.statusCode, `${route.method} ${route.path}`).toBe(400);
      expect(invalidParams(response)?.[0]?.name).toBe('undocumented');
    }
  });
});
