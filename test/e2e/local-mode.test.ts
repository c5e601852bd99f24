import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';

import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOptions } from '#cli/commands/sample.ts';
import { generateSurveyRows, type SampleRow } from '#cli/sample/survey-generator.ts';
import { FUNCTION_SETTINGS } from '#shared/config.ts';
import type { PublishedCell, Report } from '#shared/domain/report/model.ts';
import type { UploadSummary } from '#shared/http/api-schemas.ts';
import { naiveType7Usd } from '#test/support/naive-quantile.ts';
import { type LocalStackFixture, startLocalStackFixture } from './local-stack-fixture.ts';

const BIN = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));
const SAMPLE = {
  rows: 6000,
  seed: 77,
  year: 2025,
  language: 'en' as const,
  badRows: 0.01,
  timestamps: false,
};

let fixture: LocalStackFixture;
/** How far the stack's clock is ahead of the real one: moved forward instead of waiting. */
let clockAheadMs = 0;

/** The installed command, as a user runs it: a separate process talking to the local stack. */
async function salaryReport(...argv: string[]) {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...argv], {
    cwd: fixture.workDirectory,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { stdout, stderr };
}

beforeAll(async () => {
  fixture = await startLocalStackFixture({ now: () => Date.now() + clockAheadMs });
});

afterAll(async () => {
  await fixture?.stop();
});

describe('local mode, end to end', () => {
  it('ingests a file uploaded with the CLI and serves report numbers equal to the rows', async () => {
    const dataDir = ['--data-dir', fixture.dataDirectory];
    const rows = [...generateSurveyRows(sampleOptions(SAMPLE))];
    const good = rows.filter((row) => !row.bad);

    await salaryReport('sample', '--rows', '6000', '--seed', '77', '--out', 'survey.csv');
    const upload = await salaryReport('upload', 'survey.csv', '--year', '2025', ...dataDir);
    const generated = await salaryReport('report', '2025', '--country', 'MX', ...dataDir);

    expect(upload.stdout).toContain(
      `uploads/2025/survey.csv: ${good.length.toLocaleString('en-US')} rows accepted, ` +
        `${rows.length - good.length} rejected`,
    );
    expect(generated.stdout).toMatch(/MX\s+backend\s+senior\s+\d+/);

    const api = fixture.stack.state.apiUrl;
    const report = (await (await fetch(`${api}/reports/2025`)).json()) as Report;
    expect(report.methodology).toMatchObject({
      files: 1,
      acceptedRows: good.length,
      rejectedRows: rows.length - good.length,
    });
    for (const [country, role, seniority] of [
      ['MX', 'backend', 'senior'],
      ['US', 'backend', 'mid'],
      ['MX', 'frontend', 'junior'],
    ] as const) {
      const cell = report.cells.find(
        (candidate) =>
          candidate.level === 'country-role-seniority' &&
          candidate.country === country &&
          candidate.role === role &&
          candidate.seniority === seniority,
      ) as PublishedCell;
      const members = good.filter(
        (row) => row.country === country && row.role === role && row.seniority === seniority,
      );
      expect(cell.n).toBe(members.length);
      expect(cell.monthly.mean).toBeCloseTo(exactMeanUsd(members), 2);
      // Exact order statistics: the median of the rows, to the cent.
      expect(cell.monthly.median).toBe(exactMedianUsd(members));
    }

    // Over plain HTTP as a browser asks for it: compressed, and the same report once decoded.
    const raw = await rawGet(`${api}/reports/2025`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(raw.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(raw.body).toString())).toEqual(report);
    const gzipped = await rawGet(`${api}/reports/2025?format=csv`, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toBe(
      await (await fetch(`${api}/reports/2025?format=csv`)).text(),
    );

    const usBackend = (await (
      await fetch(`${api}/reports/2025?country=US&role=backend&level=country-role`)
    ).json()) as Report;
    const usBackendRows = good.filter((row) => row.country === 'US' && row.role === 'backend');
    expect(usBackend.cells).toHaveLength(1);
    expect((usBackend.cells[0] as PublishedCell).monthly.mean).toBeCloseTo(
      exactMeanUsd(usBackendRows),
      2,
    );
  });

  it('counts rows whose year cannot be read in no year, and lists them with their file', async () => {
    const header = 'country,role,seniority,years_experience,salary,currency,period,year';
    const rows = [
      ...Array.from(
        { length: 6 },
        (_, index) => `MX,backend,senior,9,${61000 + index},MXN,monthly,2025`,
      ),
      'MX,backend,senior,9,61000,MXN,monthly,20x5',
      'MX,backend,senior,9,61000,MXN,monthly,1990',
      'MX,wizard,senior,9,61000,MXN,monthly,2025',
    ];
    writeFileSync(
      join(fixture.workDirectory, 'years.csv'),
      `${[header, ...rows].join('\r\n')}\r\n`,
    );
    const dataDir = ['--data-dir', fixture.dataDirectory];

    await salaryReport('upload', 'years.csv', '--year', '2025', ...dataDir);
    await salaryReport('report', '2025', ...dataDir);

    const api = fixture.stack.state.apiUrl;
    const report = (await (await fetch(`${api}/reports/2025`)).json()) as Report;
    const { uploads } = (await (await fetch(`${api}/reports/2025/uploads`)).json()) as {
      uploads: UploadSummary[];
    };
    const file = uploads.find((upload) => upload.key === 'uploads/2025/years.csv');
    expect(file).toMatchObject({
      accepted: 6,
      rejected: 3,
      inYear: { accepted: 6, rejected: 1 },
      rejectedWithoutYear: 2,
    });
    const sum = (pick: (upload: UploadSummary) => number) =>
      uploads.reduce((total, upload) => total + pick(upload), 0);
    expect(sum((upload) => upload.inYear?.rejected ?? 0)).toBe(report.methodology.rejectedRows);
    expect(sum((upload) => upload.inYear?.accepted ?? 0)).toBe(report.methodology.acceptedRows);
    expect(sum((upload) => upload.rejected)).toBe(
      report.methodology.rejectedRows + sum((upload) => upload.rejectedWithoutYear ?? 0),
    );
  });

  it('answers every read long after it started: each request gets its own Lambda deadline', async () => {
    const api = fixture.stack.state.apiUrl;
    const reads = ['/reports', '/reports/2025', '/reports/2025/uploads', '/openapi.json'];
    const statuses = async () =>
      Promise.all(reads.map(async (path) => (await fetch(`${api}${path}`)).status));

    // 404 for the year's report when this test runs alone, before anything was uploaded.
    const fresh = await statuses();
    expect(fresh.every((status) => status === 200 || status === 404)).toBe(true);
    for (let step = 0; step < 3; step += 1) {
      clockAheadMs += 2 * FUNCTION_SETTINGS.serveReport.timeoutSeconds * 1000;
      expect(await statuses()).toEqual(fresh);
    }
  });
});

/** One GET with Node's plain HTTP client, which (unlike fetch) leaves the body as sent. */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** Rounded half-up to cents from the exact integer sum, as the report rounds its means. */
function exactMeanUsd(rows: readonly SampleRow[]): number {
  const cents = rows.reduce((sum, row) => sum + row.monthlyUsdCents, 0);
  return Math.round(cents / rows.length) / 100;
}

function exactMedianUsd(rows: readonly SampleRow[]): number {
  return naiveType7Usd(
    rows.map((row) => row.monthlyUsdCents),
    0.5,
  );
}
