import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sampleOptions } from '#cli/commands/sample.ts';
import { FIRST_START_SAMPLE } from '#cli/local/sample-seed.ts';
import type { LocalStackState } from '#cli/local/state.ts';
import { SAMPLE_SURVEY_YEAR } from '#cli/sample/population.ts';
import { cumulativeWeights, mulberry32, pickIndex, type Random } from '#cli/sample/prng.ts';
import { generateSurveyCsv, generateSurveyRows } from '#cli/sample/survey-generator.ts';
import type { Report } from '#shared/domain/report/model.ts';

const BIN = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));

export interface SoakOptions {
  /** How long traffic runs, after the stack is up. */
  durationMs: number;
  seed: number;
  /** A fresh directory: the stack's data goes under it, and the files uploaded. */
  workDirectory: string;
  /** Progress lines (the figures are returned too). */
  log: (line: string) => void;
}

export interface SoakFigures {
  durationMs: number;
  /** HTTP requests plus CLI commands, each answered and checked. */
  requests: number;
  byKind: Record<string, number>;
  /** Every answer that was not the expected one, described. */
  errors: string[];
  rssStartBytes: number;
  rssEndBytes: number;
  rssMaxBytes: number;
  /** Exit code of `start` after Ctrl-C; 0 when it stopped cleanly. */
  exitCode: number | null;
  stderr: string;
}

/** What the driver knows each year's published report must say. */
interface YearExpectation {
  files: number;
  accepted: number;
  rejected: number;
}

/**
 * A year's current version, the ingested files it was generated from, and the previous year's
 * version it compared against (a year's report states its change from the previous year's
 * current report, so a new version of that one is a change of this one's content too).
 */
interface PublishedExpectation extends YearExpectation {
  version: string;
  versionNumber: number;
  previousYearVersion: string | undefined;
}

interface SoakContext {
  random: Random;
  api: string;
  state: LocalStackState;
  dataDirectory: string;
  workDirectory: string;
  years: Map<number, YearExpectation>;
  /** Expectations as of the last generation of each year: what the published report states. */
  published: Map<number, PublishedExpectation>;
  etags: Map<string, string>;
  uploads: number;
  /** Files uploaded with the CLI that had rejected rows. */
  cliUploads: Array<{ name: string; rejected: number }>;
  count(kind: string): void;
  fail(message: string): void;
}

const UPLOAD_YEARS = [SAMPLE_SURVEY_YEAR, SAMPLE_SURVEY_YEAR - 1] as const;

/**
 * Runs the real `salary-report start` (the installed bin, a child process) on a clean data
 * directory, then drives it with a seeded mix of page loads, reads of every API route, uploads
 * (CLI and presigned) and report generations at irregular intervals, checking every answer; RSS of
 * the serving process is sampled throughout. Ctrl-C (SIGINT to its process group) ends it.
 */
export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const dataDirectory = join(options.workDirectory, 'data');
  const server = startServer(dataDirectory);
  const byKind: Record<string, number> = {};
  const errors: string[] = [];
  let rssStart = 0;
  let rssEnd = 0;
  let rssMax = 0;
  const startedAt = Date.now();
  try {
    await server.ready;
    const state = JSON.parse(
      readFileSync(join(dataDirectory, 'local-stack.json'), 'utf8'),
    ) as LocalStackState;
    const context: SoakContext = {
      random: mulberry32(options.seed),
      api: state.apiUrl,
      state,
      dataDirectory,
      workDirectory: options.workDirectory,
      years: new Map([[SAMPLE_SURVEY_YEAR, firstStartExpectation()]]),
      published: new Map(),
      etags: new Map(),
      uploads: 0,
      cliUploads: [],
      count: (kind) => {
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      },
      fail: (message) => {
        errors.push(message);
        options.log(`soak: UNEXPECTED ${message}`);
      },
    };
    const firstReport = await json<Report>(context, `/reports/${SAMPLE_SURVEY_YEAR}`);
    context.published.set(SAMPLE_SURVEY_YEAR, {
      ...firstStartExpectation(),
      version: firstReport.version,
      versionNumber: firstReport.versionNumber,
      previousYearVersion: undefined,
    });
    rssStart = rssOf(state.pid);
    rssMax = rssStart;
    options.log(
      `soak: stack up after ${Math.round((Date.now() - startedAt) / 1000)} s at ${state.apiUrl}, ` +
        `RSS ${megabytes(rssStart)} MB (pid ${state.pid})`,
    );

    const trafficStart = Date.now();
    let nextReport = trafficStart + 30_000;
    while (Date.now() - trafficStart < options.durationMs) {
      const operation = OPERATIONS[pickIndex(context.random, OPERATION_WEIGHTS)];
      if (!operation) throw new Error('no operation picked');
      try {
        await operation.run(context);
      } catch (error) {
        context.fail(`${operation.name}: ${(error as Error).message}`);
      }
      rssMax = Math.max(rssMax, rssOf(state.pid));
      if (Date.now() >= nextReport) {
        nextReport += 30_000;
        options.log(
          `soak: ${Math.round((Date.now() - trafficStart) / 1000)} s, ` +
            `${sum(byKind)} requests, ${errors.length} errors, RSS ${megabytes(rssOf(state.pid))} MB`,
        );
      }
      // Irregular gaps: mostly short, sometimes a pause, as people click.
      await pause(context.random() < 0.1 ? 500 + context.random() * 2000 : context.random() * 300);
    }
    rssEnd = rssOf(state.pid);
  } finally {
    await server.stop();
  }
  return {
    durationMs: Date.now() - startedAt,
    requests: sum(byKind),
    byKind,
    errors,
    rssStartBytes: rssStart,
    rssEndBytes: rssEnd,
    rssMaxBytes: rssMax,
    exitCode: server.exitCode(),
    stderr: server.stderr(),
  };
}

interface Operation {
  name: string;
  weight: number;
  run(context: SoakContext): Promise<void>;
}

const OPERATIONS: readonly Operation[] = [
  { name: 'page load', weight: 3, run: loadPage },
  { name: 'API read', weight: 10, run: (context) => readRandomRoute(context) },
  {
    name: 'burst of reads',
    weight: 2,
    run: async (context) => {
      await Promise.all(Array.from({ length: 6 }, () => readRandomRoute(context)));
    },
  },
  { name: 'upload (CLI)', weight: 1, run: uploadWithCli },
  { name: 'upload (presigned)', weight: 1, run: uploadPresigned },
  { name: 'report generation', weight: 1.5, run: generateReport },
  { name: 'rejected rows (CLI)', weight: 0.7, run: showRejectedRows },
];
const OPERATION_WEIGHTS = cumulativeWeights(OPERATIONS.map((operation) => operation.weight));

async function loadPage(context: SoakContext): Promise<void> {
  for (const [path, type] of [
    ['/', 'text/html'],
    ['/app.js', 'javascript'],
    ['/app.css', 'text/css'],
  ] as const) {
    const response = await request(context, 'page', path);
    expectStatus(response, 200, path);
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes(type)) throw new Error(`${path}: content-type ${contentType}`);
    await response.arrayBuffer();
  }
}

/** One read, each route of the API in turn, with its answer checked. */
async function readRandomRoute(context: SoakContext): Promise<void> {
  const reads = READS;
  const read = reads[Math.floor(context.random() * reads.length)];
  if (!read) throw new Error('no read picked');
  try {
    await read(context);
  } catch (error) {
    context.fail(`API read: ${(error as Error).message}`);
  }
}

const READS: ReadonlyArray<(context: SoakContext) => Promise<void>> = [
  async (context) => {
    const body = await json<{ reports: Array<{ year: number; counts: { respondents: number } }> }>(
      context,
      '/reports',
    );
    for (const [year, expected] of context.published) {
      const listed = body.reports.find((report) => report.year === year);
      if (listed?.counts.respondents !== expected.accepted) {
        throw new Error(
          `/reports: ${year} lists ${listed?.counts.respondents} respondents, expected ${expected.accepted}`,
        );
      }
    }
  },
  async (context) => {
    const year = publishedYear(context);
    const report = await json<Report>(context, `/reports/${year}`);
    expectPublished(context, year, report);
  },
  async (context) => {
    const year = publishedYear(context);
    const country = pick(context.random, ['MX', 'US', 'AR', 'BR']);
    const role = pick(context.random, ['backend', 'frontend', 'data']);
    const report = await json<Report>(context, `/reports/${year}?country=${country}&role=${role}`);
    if (report.cells.some((cell) => cell.country !== country || cell.role !== role)) {
      throw new Error(
        `/reports/${year}?country=${country}&role=${role}: a cell outside the filter`,
      );
    }
  },
  async (context) => {
    const year = publishedYear(context);
    const response = await request(context, 'read', `/reports/${year}?format=csv`);
    expectStatus(response, 200, 'csv');
    const text = await response.text();
    if (!text.startsWith('year,') && !text.includes('\nyear,') && !/^\S+,/.test(text)) {
      throw new Error(`/reports/${year}?format=csv: not CSV`);
    }
  },
  async (context) => {
    const year = publishedYear(context);
    const body = await json<{ comparison: { role: string; seniority: string } | null }>(
      context,
      `/reports/${year}/compare?role=backend&seniority=senior`,
    );
    if (year === SAMPLE_SURVEY_YEAR && body.comparison?.role !== 'backend') {
      throw new Error(`/reports/${year}/compare: no back-end senior comparison`);
    }
  },
  async (context) => {
    const year = pick(context.random, UPLOAD_YEARS);
    const body = await json<{ uploads: Array<{ key: string; status: string; accepted: number }> }>(
      context,
      `/reports/${year}/uploads`,
    );
    const expected = context.years.get(year)?.files ?? 0;
    const ingested = body.uploads.filter((upload) => upload.status === 'ingested').length;
    if (ingested !== expected) {
      throw new Error(`/reports/${year}/uploads: ${ingested} ingested files, expected ${expected}`);
    }
  },
  async (context) => {
    const body = await json<{ openapi: string }>(context, '/openapi.json');
    if (!body.openapi.startsWith('3.')) throw new Error('/openapi.json: not OpenAPI 3');
  },
  async (context) => {
    const year = publishedYear(context);
    const path = `/reports/${year}`;
    const etag = context.etags.get(path);
    if (!etag) {
      const response = await request(context, 'read', path, { method: 'HEAD' });
      expectStatus(response, 200, `HEAD ${path}`);
      const tag = response.headers.get('etag');
      if (!tag) throw new Error(`HEAD ${path}: no ETag`);
      context.etags.set(path, tag);
      return;
    }
    const response = await request(context, 'read', path, { headers: { 'if-none-match': etag } });
    // The report may have been regenerated since: then the new one arrives, with a new ETag.
    if (response.status === 200) {
      context.etags.set(path, response.headers.get('etag') ?? '');
      expectPublished(context, year, (await response.json()) as Report);
      return;
    }
    expectStatus(response, 304, `conditional GET ${path}`);
  },
  async (context) => {
    const response = await request(context, 'read', '/reports/2025?country=XX');
    expectStatus(response, 400, 'bad country');
    const problem = (await response.json()) as { detail: string };
    if (!problem.detail.includes('"XX"')) throw new Error(`bad country: ${problem.detail}`);
  },
  async (context) => {
    const response = await request(context, 'read', '/reports/1990');
    expectStatus(response, 400, 'year out of range');
    await response.arrayBuffer();
  },
];

function publishedYear(context: SoakContext): number {
  return pick(context.random, [...context.published.keys()]);
}

function expectPublished(context: SoakContext, year: number, report: Report): void {
  const expected = context.published.get(year);
  if (!expected) return;
  const { methodology } = report;
  if (
    methodology.acceptedRows !== expected.accepted ||
    methodology.rejectedRows !== expected.rejected ||
    methodology.files !== expected.files
  ) {
    throw new Error(
      `/reports/${year}: ${methodology.files} files, ${methodology.acceptedRows} accepted, ` +
        `${methodology.rejectedRows} rejected; expected ${expected.files}, ${expected.accepted}, ` +
        `${expected.rejected}`,
    );
  }
}

/** A small generated survey (100–1,500 rows, ~2 % invalid) and the counts ingestion must give. */
async function newSurveyFile(
  context: SoakContext,
): Promise<{ path: string; year: number; csv: string; accepted: number; rejected: number }> {
  context.uploads += 1;
  const year = pick(context.random, UPLOAD_YEARS);
  const settings = {
    rows: 100 + Math.floor(context.random() * 1400),
    seed: Math.floor(context.random() * 0xffff_ffff),
    year,
    language: pick(context.random, ['en', 'es'] as const),
    badRows: 0.02,
    timestamps: context.random() < 0.5,
  };
  const rows = [...generateSurveyRows(sampleOptions(settings))];
  const accepted = rows.filter((row) => !row.bad).length;
  let csv = '';
  for await (const chunk of generateSurveyCsv(sampleOptions(settings))) csv += chunk;
  const path = join(context.workDirectory, `soak-${context.uploads}.csv`);
  writeFileSync(path, csv);
  return { path, year, csv, accepted, rejected: rows.length - accepted };
}

function expectIngested(context: SoakContext, year: number, accepted: number, rejected: number) {
  const previous = context.years.get(year) ?? { files: 0, accepted: 0, rejected: 0 };
  context.years.set(year, {
    files: previous.files + 1,
    accepted: previous.accepted + accepted,
    rejected: previous.rejected + rejected,
  });
}

async function uploadWithCli(context: SoakContext): Promise<void> {
  const file = await newSurveyFile(context);
  const { stdout } = await cli(context, 'upload', file.path, '--year', String(file.year));
  const line = new RegExp(
    `uploads/${file.year}/soak-${context.uploads}\\.csv: ${number(file.accepted)} rows? accepted, ` +
      `${number(file.rejected)} rejected`,
  );
  if (!line.test(stdout)) throw new Error(`upload printed: ${stdout.trim()}`);
  expectIngested(context, file.year, file.accepted, file.rejected);
  if (file.rejected > 0) {
    const name = `soak-${context.uploads}.csv`;
    if (!stdout.includes(`see them: npx salary-report rejected uploads/${file.year}/${name}`)) {
      throw new Error(`upload did not say how to see the rejected rows: ${stdout.trim()}`);
    }
    context.cliUploads.push({ name, rejected: file.rejected });
  }
}

async function uploadPresigned(context: SoakContext): Promise<void> {
  const file = await newSurveyFile(context);
  const body = Buffer.from(file.csv);
  const grantResponse = await request(context, 'upload', '/uploads', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${context.state.uploadBearerToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ year: file.year, contentLength: body.length }),
  });
  expectStatus(grantResponse, 201, 'POST /uploads');
  const grant = (await grantResponse.json()) as {
    key: string;
    url: string;
    headers: Record<string, string>;
  };
  context.count('upload');
  const put = await fetch(grant.url, { method: 'PUT', headers: grant.headers, body });
  expectStatus(put, 200, `PUT ${grant.key}`);
  await put.arrayBuffer();

  // Ingestion is asynchronous: poll the uploads listing until the file has settled.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const listing = await json<{
      uploads: Array<{ key: string; status: string; accepted: number; rejected: number }>;
    }>(context, `/reports/${file.year}/uploads`);
    const upload = listing.uploads.find((candidate) => candidate.key === grant.key);
    if (upload && upload.status !== 'processing') {
      if (
        upload.status !== 'ingested' ||
        upload.accepted !== file.accepted ||
        upload.rejected !== file.rejected
      ) {
        throw new Error(
          `${grant.key}: ${upload.status}, ${upload.accepted} accepted, ${upload.rejected} rejected; ` +
            `expected ingested, ${file.accepted}, ${file.rejected}`,
        );
      }
      expectIngested(context, file.year, file.accepted, file.rejected);
      return;
    }
    if (Date.now() > deadline) throw new Error(`${grant.key}: not ingested after 120 s`);
    await pause(250);
  }
}

/** The rejected rows of a file uploaded with the CLI: one CSV line per row the upload rejected. */
async function showRejectedRows(context: SoakContext): Promise<void> {
  const uploaded = pick(context.random, [undefined, ...context.cliUploads]);
  if (!uploaded) return;
  const { stdout } = await cli(context, 'rejected', uploaded.name);
  const lines = stdout.trimEnd().split('\r\n');
  if (lines[0] !== 'line,column,value,reason,message' || lines.length !== uploaded.rejected + 1) {
    throw new Error(
      `rejected ${uploaded.name}: ${lines.length - 1} rows printed, expected ${uploaded.rejected}`,
    );
  }
}

async function generateReport(context: SoakContext): Promise<void> {
  const year = pick(
    context.random,
    UPLOAD_YEARS.filter((candidate) => context.years.has(candidate)),
  );
  const expected = context.years.get(year);
  if (!expected) return;
  const previous = context.published.get(year);
  const sameFiles =
    previous?.files === expected.files &&
    previous.accepted === expected.accepted &&
    previous.rejected === expected.rejected;
  const previousYearVersion = context.published.get(year - 1)?.version;
  const samePreviousYear = previous?.previousYearVersion === previousYearVersion;
  const { stdout } = await cli(context, 'report', String(year), '--json');
  const report = JSON.parse(stdout) as Report;
  // Looking at an unchanged year publishes nothing; new files give the next version. A new
  // version of the previous year changes this year's year-over-year figures when it has any, so
  // then either outcome is right.
  const next = (previous?.versionNumber ?? 0) + 1;
  if (sameFiles && samePreviousYear && report.version !== previous.version) {
    throw new Error(`report ${year}: ${report.version} published although nothing changed`);
  }
  const allowed =
    sameFiles && samePreviousYear
      ? [previous.versionNumber]
      : sameFiles
        ? [previous.versionNumber, next]
        : [next];
  if (!allowed.includes(report.versionNumber)) {
    throw new Error(
      `report ${year}: version ${report.versionNumber}, expected ${allowed.join(' or ')}`,
    );
  }
  context.published.set(year, {
    ...expected,
    version: report.version,
    versionNumber: report.versionNumber,
    previousYearVersion,
  });
  expectPublished(context, year, report);
  expectPublished(context, year, await json<Report>(context, `/reports/${year}`));
}

async function request(
  context: SoakContext,
  kind: string,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  context.count(kind);
  return fetch(`${context.api}${path}`, init);
}

async function json<T>(context: SoakContext, path: string): Promise<T> {
  const response = await request(context, 'read', path);
  expectStatus(response, 200, path);
  return (await response.json()) as T;
}

function expectStatus(response: Response, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: HTTP ${response.status}, expected ${status}`);
  }
}

/** The installed command against this stack, as a user runs it; a non-zero exit throws. */
async function cli(context: SoakContext, ...argv: string[]) {
  context.count('command');
  try {
    return await promisify(execFile)(
      process.execPath,
      [BIN, ...argv, '--data-dir', context.dataDirectory],
      { cwd: context.workDirectory, env: childEnvironment(), maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`salary-report ${argv.join(' ')}: ${failed.stderr || failed.message}`);
  }
}

interface RunningServer {
  ready: Promise<void>;
  stop(): Promise<void>;
  exitCode(): number | null;
  stderr(): string;
}

/** `salary-report start` in its own process group, so Ctrl-C reaches it as from a terminal. */
function startServer(dataDirectory: string): RunningServer {
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, 'start', '--port', '0', '--data-dir', dataDirectory],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnvironment() },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = once(child, 'exit');
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (stdout.includes('Ctrl-C stops')) resolve();
    };
    child.stdout?.on('data', check);
    exited.then(() => reject(new Error(`salary-report start exited early:\n${stdout}\n${stderr}`)));
  });
  return {
    ready,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
      await exited;
      if (!stdout.includes('Stopped.')) stderr += `\n(no "Stopped." line; stdout:\n${stdout})`;
    },
    exitCode: () => child.exitCode,
    stderr: () => stderr,
  };
}

/** The user's environment, without the test runner's settings (so the server logs its errors). */
function childEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('POWERTOOLS_') || name.startsWith('VITEST') || name === 'NODE_OPTIONS') {
      delete env[name];
    }
  }
  return env;
}

/** What the first start ingests: the sample files' valid and invalid rows, as generated. */
function firstStartExpectation(): YearExpectation {
  let accepted = 0;
  let rejected = 0;
  for (const file of FIRST_START_SAMPLE) {
    for (const row of generateSurveyRows(sampleOptions({ ...file, year: SAMPLE_SURVEY_YEAR }))) {
      if (row.bad) rejected += 1;
      else accepted += 1;
    }
  }
  return { files: FIRST_START_SAMPLE.length, accepted, rejected };
}

/** Resident set size of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return Number(kilobytes ?? 0) * 1024;
}

export function megabytes(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

function number(value: number): string {
  return value.toLocaleString('en-US');
}

function pick<T>(random: Random, values: readonly T[]): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new Error('nothing to pick from');
  return value;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, value) => total + value, 0);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
