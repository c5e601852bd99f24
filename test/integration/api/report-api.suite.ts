import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '#cli/local/local-aws.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { DynamoReportPointerStore } from '#shared/adapters/report-store-dynamo.ts';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import type { ApiConfig } from '#shared/config.ts';
import type { Comparison, Report } from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import type { ReportApiDependencies } from '#shared/http/report-api.ts';
import type { HttpResponse } from '#shared/http/responses.ts';
import { type GeneratedReport, generateReport } from '#shared/use-cases/generate-report.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { rowsFor, seededRandom } from '#test/unit/report/raw-rows.ts';
import type { DynamoBackend } from '../../support/ingest-harness.ts';
import { startLocalAwsOn } from '../report/local-backend.ts';
import { storeIngestedFile } from '../report/report-fixture.ts';
import { type ApiRequest, apiEvent, LAMBDA_CONTEXT } from './api-events.ts';
import { expectMatchesContract } from './openapi-contract.ts';

const BUCKET = 'report-api-test';
const TABLE = 'report-api-test';
const TOKEN = 'local-upload-token';
const CONFIG: ApiConfig = {
  tableName: TABLE,
  bucketName: BUCKET,
  reportBaseCountry: 'US',
  uploadMaxBytes: 1024 * 1024,
  corsAllowOrigin: '*',
  uploadBearerToken: TOKEN,
};

const random = seededRandom(4242);
const ROWS_2025 = [
  ...rowsFor({ country: 'US', role: 'backend', seniority: 'senior' }, 60, 9000, random),
  ...rowsFor({ country: 'MX', role: 'backend', seniority: 'senior' }, 20, 4000, random),
  // Two small countries in one role × seniority: suppressed, they protect each other.
  ...rowsFor({ country: 'AR', role: 'backend', seniority: 'senior' }, 3, 3000, random),
  ...rowsFor({ country: 'BR', role: 'backend', seniority: 'senior' }, 3, 3200, random),
  ...rowsFor({ country: 'MX', role: 'frontend', seniority: 'junior' }, 8, 1500, random),
];
const ROWS_2024 = rowsFor(
  { country: 'US', role: 'backend', seniority: 'senior' },
  30,
  8500,
  random,
);

type Handler = (event: ReturnType<typeof apiEvent>) => Promise<HttpResponse>;

/** The suite on one DynamoDB implementation; `*.test.ts` files pick which. */
export function defineReportApiSuite(backend: DynamoBackend): void {
  describe(`serve-report HTTP API (payload v2 events, local S3 and ${backend})`, () => {
    let aws: LocalAws;
    let send: (request: ApiRequest) => Promise<HttpResponse>;
    let buildHandler: (
      overrides?: Partial<ReportApiDependencies>,
      options?: { corsAllowOrigin: string; maxResponseBodyBytes?: number },
    ) => Promise<Handler>;
    let report2025: GeneratedReport;
    const errors: string[] = [];

    beforeAll(async () => {
      aws = await startLocalAwsOn(backend, { bucketName: BUCKET, tableName: TABLE });
      const aggregates = new IngestionProtocol(new DynamoConditionalStore(aws.dynamo, TABLE));
      await storeIngestedFile(aggregates, {
        key: 'uploads/2024/survey.csv',
        year: 2024,
        rows: ROWS_2024,
      });
      await storeIngestedFile(aggregates, {
        key: 'uploads/2025/survey.csv',
        year: 2025,
        rows: ROWS_2025,
        rejectedByReason: { unknown_role: 4, implausible_salary: 1 },
      });
      const times = ['2025-01-05T06:00:00.000Z', '2026-01-05T06:00:00.000Z'];
      const generation = {
        aggregates,
        snapshots: new S3ReportSnapshotStore(aws.s3, BUCKET),
        pointers: new DynamoReportPointerStore(aws.dynamo, TABLE),
        normalizationUsed: async () => ({
          exchangeRates: { MXN: 19.2, USD: 1 },
          seniorityRules: {},
        }),
        baseCountry: 'US',
        thresholds: DEFAULT_THRESHOLDS,
        now: () => new Date(times.shift() ?? '2026-01-06T00:00:00.000Z'),
      };
      await generateReport(2024, generation);
      report2025 = await generateReport(2025, generation);

      // The handler module reads its production configuration when loaded.
      process.env.TABLE_NAME = TABLE;
      process.env.BUCKET_NAME = BUCKET;
      const { createServeReportDependencies, createServeReportHandler } = await import(
        '#functions/serve-report.ts'
      );
      buildHandler = async (
        overrides = {},
        options = { corsAllowOrigin: CONFIG.corsAllowOrigin },
      ) => {
        const handler = createServeReportHandler(
          {
            ...createServeReportDependencies(aws.s3, aws.dynamo, CONFIG),
            assets: {
              read: async (file) =>
                file === 'index.html' ? '<!doctype html><title>r</title>' : undefined,
            },
            ...overrides,
          },
          {
            corsAllowOrigin: options.corsAllowOrigin,
            logError: (message) => errors.push(message),
            ...(options.maxResponseBodyBytes === undefined
              ? {}
              : { maxResponseBodyBytes: options.maxResponseBodyBytes }),
          },
        );
        return (event) => handler(event, LAMBDA_CONTEXT);
      };
      const handler = await buildHandler();
      send = (request) => handler(apiEvent(request));
    });

    afterAll(async () => {
      await aws?.stop();
    });

    const json = <T>(response: HttpResponse) => JSON.parse(response.body ?? '') as T;

    function expectProblem(response: HttpResponse, status: number, detail?: RegExp) {
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['cache-control']).toBe('no-store');
      const problem = json<{ status: number; detail: string }>(response);
      expect(problem.status).toBe(status);
      expect(response.body).not.toMatch(/at .+\.ts:\d+|Error:|\bstack\b/);
      if (detail) expect(problem.detail).toMatch(detail);
    }

    describe('GET /reports', () => {
      it('lists the years with a published report, their version and counts', async () => {
        const response = await send({ method: 'GET', path: '/reports' });
        expect(response.statusCode).toBe(200);
        expectMatchesContract('/reports', 'get', response);
        const { reports } = json<{ reports: { year: number; version: string; counts: object }[] }>(
          response,
        );
        expect(reports.map((entry) => entry.year)).toEqual([2024, 2025]);
        expect(reports[1]).toMatchObject({
          version: report2025.published.version,
          counts: { respondents: ROWS_2025.length, files: 1 },
        });
      });
    });

    describe('GET /reports/{year}', () => {
      it('serves the current report as stored, with ETag, Cache-Control and CORS', async () => {
        const response = await send({ method: 'GET', path: '/reports/2025' });
        expect(response.statusCode).toBe(200);
        expectMatchesContract('/reports/{year}', 'get', response);
        expect(json<Report>(response)).toEqual(report2025.report);
        expect(response.headers).toMatchObject({
          'content-type': 'application/json; charset=utf-8',
          'cache-control': expect.stringMatching(/^public, max-age=\d+/),
          etag: expect.stringMatching(/^".+"$/),
          'access-control-allow-origin': '*',
          vary: 'accept, accept-encoding',
        });
      });

      it('answers 304 without a body when If-None-Match names the current ETag', async () => {
        const first = await send({ method: 'GET', path: '/reports/2025' });
        const etag = String(first.headers.etag);
        const again = await send({
          method: 'GET',
          path: '/reports/2025',
          headers: { 'If-None-Match': `"other", ${etag}` },
        });
        expect(again.statusCode).toBe(304);
        expect(again.body).toBe('');
        expect(again.headers).toMatchObject({ etag, 'access-control-allow-origin': '*' });
        expectMatchesContract('/reports/{year}', 'get', again);
        const stale = await send({
          method: 'GET',
          path: '/reports/2025',
          headers: { 'if-none-match': '"not-it"' },
        });
        expect(stale.statusCode).toBe(200);
      });

      it('filters by country, role and level, with repeated or comma-separated values', async () => {
        const repeated = await send({
          method: 'GET',
          path: '/reports/2025',
          query: 'country=mx&country=US&role=backend&level=country-role,country-role-seniority',
        });
        const commas = await send({
          method: 'GET',
          path: '/reports/2025',
          query: 'country=MX,us&role=backend&level=country-role&level=country-role-seniority',
        });
        expect(repeated.statusCode).toBe(200);
        expectMatchesContract('/reports/{year}', 'get', repeated);
        expect(commas.body).toBe(repeated.body);
        const report = json<Report>(repeated);
        expect(
          report.cells.map((cell) => [cell.level, cell.country, cell.role, cell.seniority]),
        ).toEqual([
          ['country-role', 'MX', 'backend', undefined],
          ['country-role', 'US', 'backend', undefined],
          ['country-role-seniority', 'MX', 'backend', 'senior'],
          ['country-role-seniority', 'US', 'backend', 'senior'],
        ]);
        expect(report.comparisons.map((comparison) => comparison.role)).toEqual(['backend']);
        expect(report.comparisons[0]?.countries.map((entry) => entry.country)).toEqual([
          'MX',
          'US',
        ]);
        expect(report.methodology).toEqual(report2025.report.methodology);
        expect(repeated.headers.etag).not.toBe(
          (await send({ method: 'GET', path: '/reports/2025' })).headers.etag,
        );
      });

      it('takes role and seniority as short names of the country-role and country-role-seniority levels', async () => {
        const short = await send({
          method: 'GET',
          path: '/reports/2025',
          query: 'level=role,seniority',
        });
        const long = await send({
          method: 'GET',
          path: '/reports/2025',
          query: 'level=country-role,country-role-seniority',
        });
        expect(short.statusCode).toBe(200);
        expectMatchesContract('/reports/{year}', 'get', short);
        expect(short.body).toBe(long.body);
        const levels = new Set(json<Report>(short).cells.map((cell) => cell.level));
        expect([...levels]).toEqual(['country-role', 'country-role-seniority']);
      });

      it('publishes suppressed cells with their keys only', async () => {
        const response = await send({
          method: 'GET',
          path: '/reports/2025',
          query: 'country=AR&level=country',
        });
        expect(json<Report>(response).cells).toEqual([
          { level: 'country', country: 'AR', suppressed: true, suppression: 'primary' },
        ]);
      });

      it('answers CSV for format=csv and for Accept: text/csv', async () => {
        const byFormat = await send({ method: 'GET', path: '/reports/2025', query: 'format=csv' });
        const byAccept = await send({
          method: 'GET',
          path: '/reports/2025',
          headers: { accept: 'text/csv' },
        });
        expect(byFormat.statusCode).toBe(200);
        expectMatchesContract('/reports/{year}', 'get', byFormat);
        expect(byFormat.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(byAccept.body).toBe(byFormat.body);
        const lines = (byFormat.body ?? '').trimEnd().split('\r\n');
        expect(lines[0]).toMatch(
          /^year,version,level,country,role,seniority,suppressed,suppression,n,confidence,/,
        );
        expect(lines).toHaveLength(report2025.report.cells.length + 1);
        expect(lines).toContain(
          `2025,${report2025.report.version},country,AR,,,true,primary${','.repeat(14)}`,
        );

        const filtered = await send({
          method: 'GET',
          path: '/reports/2025',
          query: 'format=csv&level=overall',
        });
        expect((filtered.body ?? '').trimEnd().split('\r\n')).toHaveLength(2);
      });

      it('varies on both Accept and Origin when CORS names one origin', async () => {
        const origin = 'https://page.example.test';
        const handler = await buildHandler({}, { corsAllowOrigin: origin });
        const response = await handler(
          apiEvent({ method: 'GET', path: '/reports/2025', headers: { origin } }),
        );
        expect(response.statusCode).toBe(200);
        expect(response.headers).toMatchObject({
          'access-control-allow-origin': origin,
          vary: 'accept, accept-encoding, origin',
        });
        const notModified = await handler(
          apiEvent({
            method: 'GET',
            path: '/reports/2025',
            headers: { origin, 'if-none-match': String(response.headers.etag) },
          }),
        );
        expect(notModified.statusCode).toBe(304);
        expect(notModified.headers.vary).toBe('accept, accept-encoding, origin');
        const problem = await handler(apiEvent({ method: 'GET', path: '/reports/1999' }));
        expect(problem.headers).toMatchObject({
          'access-control-allow-origin': origin,
          vary: 'origin',
        });
      });

      it('answers HEAD like GET without the body, errors included', async () => {
        const response = await send({ method: 'HEAD', path: '/reports/2025' });
        expect(response.statusCode).toBe(200);
        expect(response.body).toBe('');
        expect(response.headers.etag).toBe(
          (await send({ method: 'GET', path: '/reports/2025' })).headers.etag,
        );
        expectMatchesContract('/reports/{year}', 'head', response);
        // With a browser's Accept-Encoding, the same headers as the compressed GET answer.
        const headers = { 'accept-encoding': 'gzip, deflate, br' };
        const compressedHead = await send({ method: 'HEAD', path: '/reports/2025', headers });
        const compressedGet = await send({ method: 'GET', path: '/reports/2025', headers });
        expect(compressedHead.body).toBe('');
        expect(compressedHead.isBase64Encoded ?? false).toBe(false);
        expect(compressedHead.headers['content-encoding']).toBe('br');
        expect(compressedHead.headers).toEqual(compressedGet.headers);
        expect(compressedHead.headers.etag).toMatch(/^W\//);
        for (const [path, status] of [
          ['/reports/2023', 404],
          ['/reports/1999', 400],
        ] as const) {
          const problem = await send({ method: 'HEAD', path });
          expect(problem.statusCode).toBe(status);
          expect(problem.body).toBe('');
          expect(problem.headers['content-type']).toBe('application/problem+json');
          expectMatchesContract('/reports/{year}', 'head', problem);
        }
      });
    });

    describe('compressed answers', () => {
      const decoded = (response: HttpResponse): string => {
        const bytes = Buffer.from(response.body ?? '', 'base64');
        const coding = response.headers['content-encoding'];
        return (coding === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes)).toString();
      };

      it('sends brotli or gzip by Accept-Encoding, the same bytes once decoded, with a weak ETag', async () => {
        const plain = await send({ method: 'GET', path: '/reports/2025' });
        for (const [acceptEncoding, coding] of [
          ['gzip, deflate, br, zstd', 'br'],
          ['gzip', 'gzip'],
          ['br;q=0.5, gzip', 'gzip'],
          ['*', 'br'],
          ['deflate, *;q=0.2, br;q=0', 'gzip'],
        ] as const) {
          const response = await send({
            method: 'GET',
            path: '/reports/2025',
            headers: { 'accept-encoding': acceptEncoding },
          });
          expect(response.statusCode, acceptEncoding).toBe(200);
          expect(response.headers['content-encoding'], acceptEncoding).toBe(coding);
          expect(response.isBase64Encoded).toBe(true);
          expect(decoded(response)).toBe(plain.body);
          expect(response.headers.etag).toBe(`W/${String(plain.headers.etag)}`);
          expect(response.headers.vary).toBe('accept, accept-encoding');
          expect(Buffer.from(response.body ?? '', 'base64').length).toBeLessThan(
            (plain.body ?? '').length / 2,
          );
        }
        const csv = await send({
          method: 'GET',
          path: '/reports/2025',
          query: 'format=csv',
          headers: { 'accept-encoding': 'gzip' },
        });
        expect(csv.headers['content-encoding']).toBe('gzip');
        expect(decoded(csv)).toBe(
          (await send({ method: 'GET', path: '/reports/2025', query: 'format=csv' })).body,
        );
      });

      it('sends the body as it is when the client accepts no coding the API has', async () => {
        for (const acceptEncoding of ['identity', 'deflate', '*;q=0', 'br;q=0, gzip;q=0', '']) {
          const response = await send({
            method: 'GET',
            path: '/reports/2025',
            headers: { 'accept-encoding': acceptEncoding },
          });
          expect(response.headers['content-encoding'], acceptEncoding).toBeUndefined();
          expect(json<Report>(response)).toEqual(report2025.report);
          // Still varies: another client's answer is compressed.
          expect(response.headers.vary).toBe('accept, accept-encoding');
        }
      });

      it('answers 304 to either ETag, keeping the compressed answer’s weak one', async () => {
        const compressed = await send({
          method: 'GET',
          path: '/reports/2025',
          headers: { 'accept-encoding': 'gzip' },
        });
        const weak = String(compressed.headers.etag);
        const strong = weak.slice(2);
        for (const ifNoneMatch of [weak, strong]) {
          const again = await send({
            method: 'GET',
            path: '/reports/2025',
            headers: { 'accept-encoding': 'gzip', 'if-none-match': ifNoneMatch },
          });
          expect(again.statusCode).toBe(304);
          expect(again.body).toBe('');
          expect(again.headers.etag).toBe(weak);
          const plain = await send({
            method: 'GET',
            path: '/reports/2025',
            headers: { 'if-none-match': ifNoneMatch },
          });
          expect(plain.statusCode).toBe(304);
          expect(plain.headers.etag).toBe(strong);
        }
      });

      it('leaves small answers and errors uncompressed', async () => {
        const problem = await send({
          method: 'GET',
          path: '/reports/1999',
          headers: { 'accept-encoding': 'gzip' },
        });
        expect(problem.headers['content-encoding']).toBeUndefined();
        expectProblem(problem, 400);
        const uploads = await send({
          method: 'GET',
          path: '/reports/2024/uploads',
          headers: { 'accept-encoding': 'gzip' },
        });
        expect((uploads.body ?? '').length).toBeLessThan(1024);
        expect(uploads.headers['content-encoding']).toBeUndefined();
      });

      it('refuses an answer over what one response can carry with a 406 saying how to get it', async () => {
        const plainSize = (await send({ method: 'GET', path: '/reports/2025' })).body?.length ?? 0;
        const handler = await buildHandler(
          {},
          { corsAllowOrigin: '*', maxResponseBodyBytes: Math.floor(plainSize / 2) },
        );
        const refused = await handler(apiEvent({ method: 'GET', path: '/reports/2025' }));
        expectProblem(refused, 406, /more than .* ask for it compressed .* or filtered/);
        expectMatchesContract('/reports/{year}', 'get', refused);
        const compressed = await handler(
          apiEvent({
            method: 'GET',
            path: '/reports/2025',
            headers: { 'accept-encoding': 'gzip' },
          }),
        );
        expect(compressed.statusCode).toBe(200);
        expect(JSON.parse(decoded(compressed))).toEqual(report2025.report);
        const filtered = await handler(
          apiEvent({ method: 'GET', path: '/reports/2025', query: 'country=MX&role=frontend' }),
        );
        expect(filtered.statusCode).toBe(200);
      });
    });

    describe('GET /reports/{year}/compare', () => {
      it('compares every country of a role and seniority with the default base country', async () => {
        const response = await send({
          method: 'GET',
          path: '/reports/2025/compare',
          query: 'role=backend&seniority=senior',
        });
        expect(response.statusCode).toBe(200);
        expectMatchesContract('/reports/{year}/compare', 'get', response);
        const { comparison } = json<{ comparison: Comparison }>(response);
        expect(comparison.baseCountry).toBe('US');
        expect(comparison.suppressedCountries).toEqual(['AR', 'BR']);
        expect(comparison.suppressedCountryDetails.map((detail) => detail.country)).toEqual([
          'AR',
          'BR',
        ]);
        const mexico = comparison.countries.find((entry) => entry.country === 'MX');
        const us = comparison.countries.find((entry) => entry.country === 'US');
        expect(mexico?.medianRatio).toBeCloseTo((mexico?.median ?? 0) / (us?.median ?? 1), 4);
        expect(us?.change?.previousYear).toBe(2024);
        expect(mexico?.changeUnavailableReason).toBe('previous-missing');
      });

      it('rebases on another country', async () => {
        const response = await send({
          method: 'GET',
          path: '/reports/2025/compare',
          query: 'role=backend&seniority=senior&base=mx',
        });
        const { comparison } = json<{ comparison: Comparison }>(response);
        expect(comparison.baseCountry).toBe('MX');
        expect(comparison.countries.find((entry) => entry.country === 'MX')?.medianRatio).toBe(1);
        expect(
          comparison.countries.find((entry) => entry.country === 'US')?.medianRatio,
        ).toBeGreaterThan(1);
      });

      it('says why ratios are missing when the base country is suppressed', async () => {
        const response = await send({
          method: 'GET',
          path: '/reports/2025/compare',
          query: 'role=backend&seniority=senior&base=AR',
        });
        expectMatchesContract('/reports/{year}/compare', 'get', response);
        const { comparison } = json<{ comparison: Comparison }>(response);
        expect(comparison).toMatchObject({ base: null, baseUnavailableReason: 'base-suppressed' });
        expect(comparison.countries.every((entry) => entry.medianRatio === null)).toBe(true);
      });

      it('requires role and seniority', async () => {
        expectProblem(
          await send({ method: 'GET', path: '/reports/2025/compare', query: 'role=backend' }),
          400,
          /seniority/,
        );
        const response = await send({
          method: 'GET',
          path: '/reports/2025/compare',
          query: 'role=backend,frontend&seniority=senior',
        });
        expectProblem(response, 400, /role/);
        expectMatchesContract('/reports/{year}/compare', 'get', response);
      });
    });

    describe('GET /reports/{year}/uploads', () => {
      it("lists the year's files with counts only", async () => {
        const response = await send({ method: 'GET', path: '/reports/2025/uploads' });
        expect(response.statusCode).toBe(200);
        expectMatchesContract('/reports/{year}/uploads', 'get', response);
        const { uploads } = json<{ uploads: Record<string, unknown>[] }>(response);
        expect(uploads).toEqual([
          expect.objectContaining({
            key: 'uploads/2025/survey.csv',
            status: 'ingested',
            accepted: ROWS_2025.length,
            rejected: 5,
            rejectedByReason: { unknown_role: 4, implausible_salary: 1 },
            inYear: { accepted: ROWS_2025.length, rejected: 5 },
            rejectedWithoutYear: 0,
          }),
        ]);
        expect(Object.keys(uploads[0] ?? {})).not.toContain('errorsKey');
      });

      it('answers an empty list for a year without files', async () => {
        const response = await send({ method: 'GET', path: '/reports/2021/uploads' });
        expect(json<{ uploads: unknown[] }>(response).uploads).toEqual([]);
      });
    });

    describe('POST /uploads', () => {
      const body = (value: unknown) => JSON.stringify(value);
      const upload = (headers: Record<string, string>, payload: unknown, iamCaller = false) =>
        send({
          method: 'POST',
          path: '/uploads',
          headers: { 'content-type': 'application/json', ...headers },
          body: body(payload),
          iamCaller,
        });

      it('refuses callers without credentials or with a wrong token', async () => {
        const anonymous = await upload({}, { year: 2025, contentLength: 100 });
        expectProblem(anonymous, 401, /authorization/);
        expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
        expectMatchesContract('/uploads', 'post', anonymous);
        expectProblem(
          await upload({ authorization: 'Bearer wrong' }, { year: 2025, contentLength: 100 }),
          401,
        );
      });

      it('grants a presigned PUT of exactly the declared size to a bearer-token caller', async () => {
        const csv =
          'country,role,seniority,salary,currency,period,year\nUS,Backend,senior,9000,USD,monthly,2025\n';
        const size = Buffer.byteLength(csv);
        const response = await upload(
          { authorization: `Bearer ${TOKEN}` },
          { year: 2025, contentLength: size },
        );
        expect(response.statusCode).toBe(201);
        expect(response.headers['cache-control']).toBe('no-store');
        expectMatchesContract('/uploads', 'post', response);
        const grant = json<{ key: string; url: string; headers: Record<string, string> }>(response);
        expect(grant.key).toMatch(/^uploads\/2025\/[0-9a-f-]{36}\.csv$/);
        expect(decodeURIComponent(grant.url)).toMatch(
          /X-Amz-SignedHeaders=content-length;content-type;host/,
        );

        const put = await fetch(grant.url, { method: 'PUT', headers: grant.headers, body: csv });
        expect(put.status).toBe(200);
        const stored = await aws.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: grant.key }));
        expect(stored.ContentLength).toBe(size);
      });

      it('binds a mapping profile into the presigned PUT as the upload’s profile metadata', async () => {
        const csv = 'Puesto,Salario\nBackend,1000\n';
        const response = await upload(
          { authorization: `Bearer ${TOKEN}` },
          { year: 2025, contentLength: Buffer.byteLength(csv), profile: 'sysarmy-ar' },
        );
        expect(response.statusCode).toBe(201);
        expectMatchesContract('/uploads', 'post', response);
        const grant = json<{ key: string; url: string; headers: Record<string, string> }>(response);
        expect(grant.headers['x-amz-meta-profile']).toBe('sysarmy-ar');
        expect(decodeURIComponent(grant.url)).toMatch(
          /X-Amz-SignedHeaders=content-length;content-type;host;x-amz-meta-profile/,
        );

        const put = await fetch(grant.url, { method: 'PUT', headers: grant.headers, body: csv });
        expect(put.status).toBe(200);
        const stored = await aws.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: grant.key }));
        expect(stored.Metadata).toEqual({ profile: 'sysarmy-ar' });
        expectProblem(
          await upload(
            { authorization: `Bearer ${TOKEN}` },
            { year: 2025, contentLength: 10, profile: '../rules' },
          ),
          400,
          /profile/,
        );
      });

      it('trusts the IAM authorizer context API Gateway adds in AWS', async () => {
        const response = await upload({}, { year: 2025, contentLength: 10 }, true);
        expect(response.statusCode).toBe(201);
      });

      it('refuses files over the size limit, bad years, unknown fields and non-JSON bodies', async () => {
        const auth = { authorization: `Bearer ${TOKEN}` };
        expectProblem(
          await upload(auth, { year: 2025, contentLength: CONFIG.uploadMaxBytes + 1 }),
          400,
          /contentLength/,
        );
        expectProblem(await upload(auth, { year: 1999, contentLength: 10 }), 400, /year/);
        expectProblem(await upload(auth, { year: 2025, contentLength: 10, key: 'x' }), 400, /key/);
        const notJson = await send({
          method: 'POST',
          path: '/uploads',
          headers: { ...auth, 'content-type': 'text/plain' },
          body: 'year=2025',
        });
        expectProblem(notJson, 415);
        expectMatchesContract('/uploads', 'post', notJson);
        expectProblem(
          await send({
            method: 'POST',
            path: '/uploads',
            headers: { ...auth, 'content-type': 'application/json' },
            body: '{"year":',
          }),
          400,
          /JSON/,
        );
      });
    });

    describe('the contract check', () => {
      it('fails a body with an undocumented field or a suppressed cell that carries numbers', async () => {
        const response = await send({ method: 'GET', path: '/reports/2025' });
        const report = json<Report>(response);
        const withExtra = { ...response, body: JSON.stringify({ ...report, extra: 1 }) };
        expect(() => expectMatchesContract('/reports/{year}', 'get', withExtra)).toThrow();
        const leaky = {
          ...report,
          cells: [{ level: 'country', country: 'AR', suppressed: true, n: 3 }],
        };
        expect(() =>
          expectMatchesContract('/reports/{year}', 'get', {
            ...response,
            body: JSON.stringify(leaky),
          }),
        ).toThrow();
      });
    });

    describe('GET /openapi.json', () => {
      it('serves the OpenAPI 3.1 document', async () => {
        const response = await send({ method: 'GET', path: '/openapi.json' });
        expect(response.statusCode).toBe(200);
        expectMatchesContract('/openapi.json', 'get', response);
        expect(json<{ openapi: string }>(response).openapi).toBe('3.1.0');
      });
    });

    describe('page files', () => {
      it('serves the page at / and answers 404 for a file that was not built', async () => {
        const page = await send({ method: 'GET', path: '/' });
        expect(page.statusCode).toBe(200);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expectProblem(await send({ method: 'GET', path: '/app.js' }), 404, /not built/);
      });
    });

    describe('errors', () => {
      it('answers 400 for an unknown country code, role, level or format', async () => {
        for (const query of [
          'country=XX',
          'country=MEX',
          'role=astronaut',
          'level=city',
          'format=xml',
        ]) {
          const response = await send({ method: 'GET', path: '/reports/2025', query });
          expectProblem(response, 400);
          expectMatchesContract('/reports/{year}', 'get', response);
          expect(json<{ invalidParams: { name: string }[] }>(response).invalidParams[0]?.name).toBe(
            query.split('=')[0],
          );
        }
        const level = await send({ method: 'GET', path: '/reports/2025', query: 'level=city' });
        expect(json<{ detail: string }>(level).detail).toMatch(
          /overall, country, country-role, country-role-seniority, role-seniority \(or role for country-role, seniority for country-role-seniority\)/,
        );
      });

      it('answers 400 for an unknown filter', async () => {
        expectProblem(
          await send({ method: 'GET', path: '/reports/2025', query: 'contry=MX' }),
          400,
          /contry/,
        );
        expectProblem(
          await send({ method: 'GET', path: '/reports', query: 'page=2' }),
          400,
          /page/,
        );
      });

      it('answers 400 for a year out of range or not a year', async () => {
        for (const year of ['1999', '2999', 'latest', '20255']) {
          const response = await send({ method: 'GET', path: `/reports/${year}` });
          expectProblem(response, 400, /year/);
        }
      });

      it('answers 404 for a year without a report', async () => {
        const response = await send({ method: 'GET', path: '/reports/2023' });
        expectProblem(response, 404, /no report has been published for 2023/);
        expectMatchesContract('/reports/{year}', 'get', response);
        expectProblem(
          await send({
            method: 'GET',
            path: '/reports/2023/compare',
            query: 'role=qa&seniority=mid',
          }),
          404,
        );
      });

      it('answers 404 for unknown paths and 405 with Allow for unknown methods', async () => {
        expectProblem(await send({ method: 'GET', path: '/salaries' }), 404);
        expectProblem(await send({ method: 'GET', path: '/reports/2025/extra/deep' }), 404);
        const wrongMethod = await send({ method: 'DELETE', path: '/reports/2025' });
        expectProblem(wrongMethod, 405);
        expect(wrongMethod.headers.allow).toBe('GET, HEAD, OPTIONS');
        expectMatchesContract('/reports/{year}', 'delete', wrongMethod);
        const getUploads = await send({ method: 'GET', path: '/uploads' });
        expectProblem(getUploads, 405);
        expect(getUploads.headers.allow).toBe('POST, OPTIONS');
        expectMatchesContract('/uploads', 'get', getUploads);
        const postReport = await send({ method: 'POST', path: '/reports/2025/compare' });
        expectProblem(postReport, 405);
        expectMatchesContract('/reports/{year}/compare', 'post', postReport);
      });

      it('answers preflight requests for known paths', async () => {
        const response = await send({
          method: 'OPTIONS',
          path: '/uploads',
          headers: { origin: 'https://page.example.test', 'access-control-request-method': 'POST' },
        });
        expect(response.statusCode).toBe(204);
        expect(response.headers).toMatchObject({
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'POST, OPTIONS',
          'access-control-allow-headers': expect.stringContaining('authorization'),
        });
      });

      it('hides internal failures behind a generic 500 and logs them', async () => {
        const failing = await buildHandler({
          listIngestionRecords: async () => {
            throw new Error('DynamoDB said: secret table detail');
          },
        });
        const response = await failing(apiEvent({ method: 'GET', path: '/reports/2025/uploads' }));
        expectProblem(response, 500);
        expectMatchesContract('/reports/{year}/uploads', 'get', response);
        expect(response.body).not.toContain('secret');
        expect(errors).toContain('request failed');
      });
    });
  });
}
