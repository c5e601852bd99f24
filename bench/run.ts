/**
 * `npm run bench`: ingestion throughput and memory, report generation and API latency, stored
 * bytes per respondent and report generation for a year of 1M respondents.
 * Prints every figure and writes them all to bench/results.json.
 * BENCH_ROWS=100000,1000000 (default) picks the generated file sizes; BENCH_RUNS the repeats.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_RULES, exchangeRatesForYear } from '#shared/domain/rules/index.ts';
import { generateSurveyCsv } from '#shared/sample/survey-generator.ts';
import { runReportBench } from './report-bench.ts';
import { runReportYearBench } from './report-year-bench.ts';
import { type BenchFigure, printFigures, writeResults } from './results.ts';

// The storage measurement loads the AWS SDK, whose Node 22 reminder is noise in a benchmark.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const YEAR = 2025;
const sizes = (process.env.BENCH_ROWS ?? '100000,1000000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const workDirectory = join(import.meta.dirname, 'tmp');
const modes = [
  'papaparse',
  'csv-parse',
  'read-csv',
  'ingest',
  'ingest-csv-parse',
  'ingest-stored',
] as const;
type Mode = (typeof modes)[number];

interface WorkerResult {
  rows: number;
  seconds: number;
  bytes: number;
  maxRssMb: number;
}

async function sampleFile(rows: number): Promise<string> {
  mkdirSync(workDirectory, { recursive: true });
  const path = join(workDirectory, `survey-${rows}.csv`);
  if (!existsSync(path)) {
    const csv = generateSurveyCsv({
      rows,
      seed: 42,
      year: YEAR,
      exchangeRates: exchangeRatesForYear(DEFAULT_RULES, YEAR),
    });
    await pipeline(Readable.from(csv), createWriteStream(path));
  }
  return path;
}

function runWorker(mode: Mode, file: string): WorkerResult {
  const output = execFileSync(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      join(import.meta.dirname, 'ingest-worker.ts'),
      mode,
      file,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  const line = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as WorkerResult;
}

/** Median of `runs` runs by time; peak RSS is the highest seen. */
function measure(mode: Mode, file: string): WorkerResult {
  const results = Array.from({ length: mode === 'ingest-stored' ? 1 : runs }, () =>
    runWorker(mode, file),
  );
  results.sort((a, b) => a.seconds - b.seconds);
  const median = results[Math.floor(results.length / 2)] as WorkerResult;
  return { ...median, maxRssMb: Math.max(...results.map((result) => result.maxRssMb)) };
}

const figures: BenchFigure[] = [];
for (const rows of sizes) {
  const file = await sampleFile(rows);
  const megabytes = statSync(file).size / 1e6;
  const label = rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`;
  const sizeFigures: BenchFigure[] = [
    { name: `file ${label} rows size`, value: megabytes, unit: 'MB' },
  ];
  const results = new Map<Mode, WorkerResult>();
  for (const mode of modes) {
    const result = measure(mode, file);
    results.set(mode, result);
    sizeFigures.push(
      {
        name: `${mode} ${label} rows/s`,
        value: Math.round(result.rows / result.seconds),
        unit: 'rows/s',
      },
      { name: `${mode} ${label} MB/s`, value: megabytes / result.seconds, unit: 'MB/s' },
    );
    if (mode !== 'ingest-stored') {
      sizeFigures.push({ name: `${mode} ${label} peak RSS`, value: result.maxRssMb, unit: 'MB' });
    }
  }
  const speed = (mode: Mode) => {
    const result = results.get(mode);
    return result ? result.rows / result.seconds : Number.NaN;
  };
  // Our reader drives PapaParse's core directly and is the fastest raw parse measured.
  const fastestRaw = Math.max(speed('papaparse'), speed('csv-parse'), speed('read-csv'));
  sizeFigures.push(
    {
      name: `ingest ${label} / fastest raw parse`,
      value: speed('ingest') / fastestRaw,
      unit: 'ratio',
    },
    {
      name: `ingest ${label} / csv-parse ingest`,
      value: speed('ingest') / speed('ingest-csv-parse'),
      unit: 'ratio',
    },
  );
  printFigures(
    `Ingestion, ${label} rows (${megabytes.toFixed(1)} MB), median of ${runs}`,
    sizeFigures,
  );
  figures.push(...sizeFigures);
}

const rss = (label: string) =>
  figures.find((figure) => figure.name === `ingest ${label} peak RSS`)?.value;
const small = rss('100k');
const large = rss('1M');
if (small && large) {
  const ratio: BenchFigure = {
    name: 'ingest peak RSS 1M / 100k',
    value: large / small,
    unit: 'ratio',
  };
  printFigures('Memory growth', [ratio]);
  figures.push(ratio);
}

figures.push(...(await runReportBench()));
figures.push(...(await runReportYearBench(runs)));
const resultsPath = join(import.meta.dirname, 'results.json');
writeResults(resultsPath, figures);
console.log(`\n${figures.length} figures written to ${resultsPath}`);
