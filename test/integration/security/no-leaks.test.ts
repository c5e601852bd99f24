import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiConfig } from '#shared/config.ts';
import type { HttpResponse } from '#shared/http/responses.ts';
import { BUCKET, IngestHarness, TABLE } from '../../support/ingest-harness.ts';
import { captureLogs } from '../../support/log-capture.ts';
import { type ApiRequest, apiEvent, LAMBDA_CONTEXT } from '../api/api-events.ts';

const YEAR = 2025;
const TOKEN = 'security-test-token';
const CONFIG: ApiConfig = {
  tableName: TABLE,
  bucketName: BUCKET,
  reportBaseCountry: 'US',
  uploadMaxBytes: 1024 * 1024,
  corsAllowOrigin: '*',
  uploadBearerToken: TOKEN,
};

/** Values that appear in the rows and nowhere else: finding one in an output is a leak. */
const CITY = 'Xanthorpe-Qw7';
const SUBMISSION = 'SUBM-5f1e9c2d';
const EMAIL = 'leaky.respondent@example.org';
/** A cell of two respondents: suppressed, so neither salary may appear anywhere. */
const SUPPRESSED_SALARIES = [7_341.29, 8_452.31];
/** The smallest and largest salary of a published cell: a min/max would show them. */
const EXTREMES = [1_013.57, 19_876.43];

function surveyWithDistinctiveValues(): { csv: string; rawLines: string[] } {
  const header = 'submission_id,email,city,country,role,seniority,salary,currency,period,year';
  const rows: string[] = [];
  let id = 0;
  const row = (country: string, role: string, seniority: string, salary: number) =>
    rows.push(
      `${SUBMISSION}-${++id},${id}.${EMAIL},${CITY},${country},${role},${seniority},${salary},USD,monthly,${YEAR}`,
    );
  for (let index = 0; index < 40; index++) {
    row('US', 'Backend Developer', 'senior', 9_000 + index * 37.5);
  }
  row('US', 'Backend Developer', 'senior', EXTREMES[0] ?? 0);
  row('US', 'Backend Developer', 'senior', EXTREMES[1] ?? 0);
  for (let index = 0; index < 12; index++)
    row('MX', 'Backend Developer', 'senior', 4_000 + index * 11);
  for (const salary of SUPPRESSED_SALARIES) row('CA', 'Data Engineer', 'junior', salary);
  // A rejected row: its content goes to the errors file, never to a log or a report.
  rows.push(
    `${SUBMISSION}-bad,${EMAIL},${CITY},US,Backend Developer,senior,not-a-number,USD,monthly,${YEAR}`,
  );
  return { csv: `${[header, ...rows].join('\n')}\n`, rawLines: rows };
}

/** Every spelling of a salary an output could carry: dollars, cents, grouped. */
function spellings(salary: number): string[] {
  const cents = Math.round(salary * 100);
  return [
    salary.toFixed(2),
    String(cents),
    salary.toLocaleString('en-US', { minimumFractionDigits: 2 }),
    (cents / 100).toString(),
  ];
}

describe('what leaves the system: reports, API answers and logs', () => {
  let harness: IngestHarness;
  let send: (request: ApiRequest) => Promise<HttpResponse>;
  let ingestionLogs: string;
  const survey = surveyWithDistinctiveValues();

  beforeAll(async () => {
    harness = await IngestHarness.start();
    const key = `uploads/${YEAR}/distinctive-survey.csv`;
    const event = await harness.put(key, survey.csv);
    const { text } = await captureLogs(() => harness.deliver([event]));
    ingestionLogs = text;
    expect(await harness.store.getRecord(key)).toMatchObject({ accepted: 56, rejected: 1 });

    process.env.TABLE_NAME = TABLE;
    process.env.BUCKET_NAME = BUCKET;
    const [generation, serving] = await Promise.all([
      import('#functions/generate-report.ts'),
      import('#functions/serve-report.ts'),
    ]);
    const now = new Date(Date.UTC(YEAR + 1, 0, 5, 6));
    await generation.generateReportHandler(
      { year: YEAR },
      {
        ...generation.createGenerateReportDependencies(harness.aws.s3, harness.aws.dynamo, CONFIG),
        now: () => now,
      },
    );
    const handler = serving.createServeReportHandler(
      {
        ...serving.createServeReportDependencies(harness.aws.s3, harness.aws.dynamo, CONFIG),
        assets: { read: async () => undefined },
      },
      { corsAllowOrigin: '*', logError: () => {} },
    );
    send = (request) => handler(apiEvent(request), LAMBDA_CONTEXT) as Promise<HttpResponse>;
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('keeps row contents out of the logs of an ingestion', () => {
    expect(ingestionLogs).toContain('s3 event applied');
    for (const secret of [CITY, SUBMISSION, EMAIL, 'not-a-number']) {
      expect(ingestionLogs).not.toContain(secret);
    }
    for (const salary of [...SUPPRESSED_SALARIES, ...EXTREMES]) {
      for (const spelling of spellings(salary)) expect(ingestionLogs).not.toContain(spelling);
    }
    for (const line of survey.rawLines) expect(ingestionLogs).not.toContain(line);
  });

  it("never serves a suppressed cell's numbers, a min or max, ids, cities or a raw row", async () => {
    const bodies: string[] = [];
    for (const request of [
      { path: `/reports/${YEAR}` },
      { path: `/reports/${YEAR}`, query: 'format=csv' },
      { path: `/reports/${YEAR}`, query: 'country=CA' },
      { path: `/reports/${YEAR}/compare`, query: 'role=data&seniority=junior&base=US' },
      { path: '/reports' },
    ]) {
      const response = await send({ method: 'GET', ...request });
      expect(response.statusCode).toBe(200);
      bodies.push(response.body ?? '');
    }
    const everything = bodies.join('\n');
    expect(everything).toContain('"suppressed":true');
    for (const secret of [CITY, SUBMISSION, EMAIL]) expect(everything).not.toContain(secret);
    for (const salary of [...SUPPRESSED_SALARIES, ...EXTREMES]) {
      for (const spelling of spellings(salary)) expect(everything).not.toContain(spelling);
    }
    for (const line of survey.rawLines) expect(everything).not.toContain(line);
    expect(everything).not.toMatch(/"(min|max|minimum|maximum)"\s*:/i);
    const [csvHeader] = (bodies[1] ?? '').split('\n');
    expect(csvHeader).not.toMatch(/\b(min|max)\b/i);
  });

  it('lists uploads with counts only: the key the uploader chose, never row contents', async () => {
    const response = await send({ method: 'GET', path: `/reports/${YEAR}/uploads` });
    expect(response.statusCode).toBe(200);
    for (const secret of [SUBMISSION, EMAIL, 'not-a-number'])
      expect(response.body).not.toContain(secret);
  });

  it('answers no write method on any route but the authorized POST /uploads', async () => {
    const paths = [
      '/',
      '/openapi.json',
      '/reports',
      `/reports/${YEAR}`,
      `/reports/${YEAR}/compare`,
      `/reports/${YEAR}/uploads`,
      '/uploads',
    ];
    for (const path of paths) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        if (path === '/uploads' && method === 'POST') continue;
        const response = await send({
          method,
          path,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: '{"year":2025,"contentLength":10}',
        });
        expect([404, 405], `${method} ${path}`).toContain(response.statusCode);
      }
    }
  });

  it('refuses every key and size trick on POST /uploads, granting only uploads/<year>/<id>.csv', async () => {
    const post = (body: string, contentType = 'application/json') =>
      send({
        method: 'POST',
        path: '/uploads',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
        body,
      });
    const max = CONFIG.uploadMaxBytes;
    const tricks = [
      { year: YEAR, contentLength: 10, key: 'uploads/2025/../../config/rules.json' },
      { year: YEAR, contentLength: 10, Key: 'reports/2025/x/report.json' },
      { year: YEAR, contentLength: 10, fileName: '../../config/x.csv' },
      { year: YEAR, contentLength: 10, prefix: 'config/' },
      { year: `${YEAR}/../../config`, contentLength: 10 },
      { year: '2025', contentLength: 10 },
      { year: 2025.5, contentLength: 10 },
      { year: -YEAR, contentLength: 10 },
      { year: YEAR, contentLength: 0 },
      { year: YEAR, contentLength: -1 },
      { year: YEAR, contentLength: 1.5 },
      { year: YEAR, contentLength: '10' },
      { year: YEAR, contentLength: [10] },
      { year: YEAR, contentLength: max + 1 },
      { year: YEAR, contentLength: Number.MAX_SAFE_INTEGER + 2 },
      { year: YEAR, contentLength: 1e21 },
      { year: YEAR },
      {},
    ];
    for (const trick of tricks) {
      const response = await post(JSON.stringify(trick));
      expect(response.statusCode, JSON.stringify(trick)).toBe(400);
    }
    for (const body of [
      `{"year":${YEAR},"contentLength":10,"__proto__":{"key":"config/x"}}`,
      `{"year":${YEAR},"contentLength":1e400}`,
      `{"year":${YEAR},"contentLength":10}{"key":"x"}`,
      '[]',
      'null',
    ]) {
      expect((await post(body)).statusCode, body).toBe(400);
    }
    expect(
      (await post(`year=${YEAR}&contentLength=10`, 'application/x-www-form-urlencoded')).statusCode,
    ).toBe(415);

    const granted = await post(JSON.stringify({ year: YEAR, contentLength: max }));
    expect(granted.statusCode).toBe(201);
    const grant = JSON.parse(granted.body ?? '{}') as { key: string; url: string };
    expect(grant.key).toMatch(new RegExp(`^uploads/${YEAR}/[0-9a-f-]{36}\\.csv$`));
    expect(new URL(grant.url).pathname).toBe(`/${BUCKET}/${grant.key}`);
  });
});
