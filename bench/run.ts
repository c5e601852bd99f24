/**
 * `npm run bench`: ingestion speed and memory against the fastest raw CSV parse, on the CLI's own
 * samples (`salary-report sample --rows N --seed 7`, English, and `--language es --timestamps`);
 * cold start of each Lambda bundle; report generation and API latency; stored bytes per respondent
 * and report generation for a year of 1M respondents. Prints every figure and writes them all to
 * bench/results.json.
 *
 * Every measurement runs in its own process (bench/ingest-worker.ts), so peak RSS is its own; the
 * modes of one file take turns, run after run, so a change in the machine's load hits them alike;
 * each figure is the median of the runs and each ratio compares medians of the same run.
 * BENCH_ROWS=100000,1000000 (default) picks the sample sizes, BENCH_RUNS (5) the runs per mode,
 * BENCH_HUGE_ROWS (10000000; 0 skips it) the size of the one file read only for its peak memory.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sampleOptions } from '#cli/commands/sample.ts';
import type { SurveyLanguage } from '#cli/sample/survey-generator.ts';
import { generateSurveyCsv } from '#cli/sample/survey-generator.ts';
import { runCliBench } from './cli-bench.ts';
import { runColdStartBench } from './cold-start.ts';
import { describeLoad, loadBetween, type MachineLoad, readCpuCounters } from './machine.ts';
import { runReportBench } from './report-bench.ts';
import { runReportYearBench } from './report-year-bench.ts';
import { type BenchFigure, printFigures, writeResults } from './results.ts';
import { describeRoundRatios, type Round, roundRatios } from './rounds.ts';

// The storage measurement loads the AWS SDK, whose Node 22 reminder is noise in a benchmark.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SEED = 7;
const YEAR = 2025;
const sizes = (process.env.BENCH_ROWS ?? '100000,1000000').split(',').map(Number);
/** BENCH_PARTS=ingest,cold,report,cli (default: all) runs only some parts. */
const parts = new Set((process.env.BENCH_PARTS ?? 'ingest,cold,report,cli').split(','));
const runs = Number(process.env.BENCH_RUNS ?? 5);
const hugeRows = Number(process.env.BENCH_HUGE_ROWS ?? 10_000_000);
const workDirectory = join(import.meta.dirname, 'tmp');

/** The sample files: the CLI's two shapes. */
const SAMPLES = [
  { language: 'en', timestamps: false, label: 'English' },
  { language: 'es', timestamps: true, label: 'Spanish, timestamps' },
] as const satisfies readonly { language: SurveyLanguage; timestamps: boolean; label: string }[];
type Sample = (typeof SAMPLES)[number];

const MODES = [
  { mode: 'udsv-raw', what: 'uDSV streaming raw parse (string arrays, no accumulation)' },
  { mode: 'papaparse', what: 'PapaParse stream' },
  { mode: 'read-csv', what: 'our reader alone' },
  { mode: 'ingest', what: '**whole ingestion, storage excluded**' },
  { mode: 'ingest-csv-parse', what: 'csv-parse pipeline (same normalizer)' },
  {
    mode: 'ingest-stored',
    what: 'whole ingestion with local storage (s3rver → handler → dynalite)',
  },
] as const;
type Mode = (typeof MODES)[number]['mode'];
/** Hypervisor steal share below which a run counts as quiet (see machine.ts). */
const QUIET_STEAL = 0.05;
/** What every ratio compares with. */
const REFERENCE: Mode = 'udsv-raw';

interface WorkerResult {
  mode: Mode;
  rows: number;
  seconds: number;
  maxRssMb: number;
  cpuSeconds: number;
}

async function sampleFile(sample: Sample, rows: number): Promise<string> {
  mkdirSync(workDirectory, { recursive: true });
  const suffix = sample.language === 'en' ? '' : `-${sample.language}-timestamps`;
  const path = join(workDirectory, `sample-${rows}-seed${SEED}${suffix}.csv`);
  if (!existsSync(path)) {
    const options = sampleOptions({
      rows,
      seed: SEED,
      year: YEAR,
      language: sample.language,
      badRows: 0.01,
      timestamps: sample.timestamps,
    });
    await pipeline(Readable.from(generateSurveyCsv(options)), createWriteStream(`${path}.part`));
    execFileSync('mv', [`${path}.part`, path]);
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

/**
 * The modes take turns, run after run; each mode's median run by time, with its highest RSS, and
 * each round's seconds (see rounds.ts).
 */
function measureAlternating(file: string): { medians: Map<Mode, WorkerResult>; rounds: Round[] } {
  const byMode = new Map<Mode, WorkerResult[]>(MODES.map(({ mode }) => [mode, []]));
  const rounds: Round[] = [];
  for (let run = 0; run < runs; run++) {
    const round = new Map<string, number>();
    for (const { mode } of MODES) {
      const result = runWorker(mode, file);
      byMode.get(mode)?.push(result);
      round.set(mode, result.seconds);
    }
    rounds.push(round);
  }
  const medians = new Map<Mode, WorkerResult>();
  for (const [mode, results] of byMode) {
    results.sort((a, b) => a.seconds - b.seconds);
    const median = results[Math.floor(results.length / 2)] as WorkerResult;
    medians.set(mode, { ...median, maxRssMb: Math.max(...results.map((r) => r.maxRssMb)) });
  }
  return { medians, rounds };
}

function sizeLabel(rows: number): string {
  return rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`;
}

function printTable(title: string, results: Map<Mode, WorkerResult>): void {
  const reference = results.get(REFERENCE)?.seconds ?? Number.NaN;
  console.log(`\n${title}\n`);
  console.log('| what | seconds | CPU s | rows/s | × uDSV raw speed | peak RSS |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const { mode, what } of MODES) {
    const result = results.get(mode);
    if (!result) continue;
    const cells = [
      `${what} (\`${mode}\`)`,
      result.seconds.toFixed(2),
      result.cpuSeconds.toFixed(2),
      Math.round(result.rows / result.seconds).toLocaleString('en-US'),
      `${(reference / result.seconds).toFixed(2)}×`,
      `${Math.round(result.maxRssMb)} MB`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

const figures: BenchFigure[] = [
  { name: 'load average (1 min) when the bench started', value: loadavg()[0] ?? 0, unit: '' },
];
const ingestRss = new Map<string, number>();
/** The machine's load over each ingestion table's runs (see machine.ts). */
const loads: { label: string; load: MachineLoad | undefined }[] = [];
for (const sample of parts.has('ingest') ? SAMPLES : []) {
  for (const rows of sizes) {
    const file = await sampleFile(sample, rows);
    const megabytes = statSync(file).size / 1e6;
    const label = `${sample.language} ${sizeLabel(rows)}`;
    const counters = readCpuCounters();
    const { medians: results, rounds } = measureAlternating(file);
    const load = loadBetween(counters, readCpuCounters());
    loads.push({ label, load });
    printTable(
      `Ingestion, ${sample.label}, ${sizeLabel(rows)} rows (${megabytes.toFixed(1)} MB), median of ${runs} alternating runs; ${describeLoad(load)}`,
      results,
    );
    const seconds = (mode: Mode) => results.get(mode)?.seconds ?? Number.NaN;
    const sizeFigures: BenchFigure[] = [
      { name: `file ${label} size`, value: megabytes, unit: 'MB' },
    ];
    if (load) {
      sizeFigures.push(
        { name: `machine ${label} hypervisor steal`, value: load.steal * 100, unit: '%' },
        { name: `machine ${label} busy`, value: load.busy * 100, unit: '%' },
      );
    }
    for (const { mode } of MODES) {
      const result = results.get(mode);
      if (!result) continue;
      sizeFigures.push(
        { name: `${mode} ${label} seconds`, value: result.seconds, unit: 's' },
        { name: `${mode} ${label} CPU seconds`, value: result.cpuSeconds, unit: 's' },
        {
          name: `${mode} ${label} rows/s`,
          value: Math.round(result.rows / result.seconds),
          unit: 'rows/s',
        },
        { name: `${mode} ${label} peak RSS`, value: result.maxRssMb, unit: 'MB' },
      );
    }
    const ratios: BenchFigure[] = [
      {
        name: `ingest ${label} / uDSV raw parse`,
        value: seconds(REFERENCE) / seconds('ingest'),
        unit: 'ratio',
      },
      {
        name: `ingest ${label} / csv-parse pipeline`,
        value: seconds('ingest-csv-parse') / seconds('ingest'),
        unit: 'ratio',
      },
      {
        name: `ingest-stored ${label} / uDSV raw parse`,
        value: seconds(REFERENCE) / seconds('ingest-stored'),
        unit: 'ratio',
      },
    ];
    printFigures(`Targets, ${label}: ≥ 0.6, ≥ 6, ≥ 0.35`, ratios);
    // The same ratios round by round: how far the machine's drift moved them.
    const byRound = (
      [
        ['ingest', REFERENCE, 'ingest / uDSV raw parse'],
        ['ingest', 'ingest-csv-parse', 'ingest / csv-parse pipeline'],
        ['ingest-stored', REFERENCE, 'ingest-stored / uDSV raw parse'],
      ] as const
    ).map(([mode, reference, what]) => ({ what, ratios: roundRatios(rounds, mode, reference) }));
    console.log('  round by round (median, lowest–highest):');
    for (const { what, ratios: summary } of byRound) {
      console.log(`    ${what.padEnd(32)} ${describeRoundRatios(summary)}`);
      if (summary) {
        figures.push(
          {
            name: `${what} ${label}, median of round ratios`,
            value: summary.median,
            unit: 'ratio',
          },
          { name: `${what} ${label}, lowest round ratio`, value: summary.lowest, unit: 'ratio' },
          { name: `${what} ${label}, highest round ratio`, value: summary.highest, unit: 'ratio' },
        );
      }
    }
    figures.push(...sizeFigures, ...ratios);
    ingestRss.set(label, results.get('ingest')?.maxRssMb ?? Number.NaN);
  }
}

const memory: BenchFigure[] = [];
for (const sample of SAMPLES) {
  const small = ingestRss.get(`${sample.language} 100k`);
  const large = ingestRss.get(`${sample.language} 1M`);
  if (small && large) {
    memory.push({
      name: `ingest ${sample.language} peak RSS 1M / 100k`,
      value: large / small,
      unit: 'ratio',
    });
  }
}
if (parts.has('ingest') && hugeRows > 0) {
  const sample = SAMPLES[0];
  const file = await sampleFile(sample, hugeRows);
  const result = runWorker('ingest', file);
  const label = `${sample.language} ${sizeLabel(hugeRows)}`;
  memory.push(
    { name: `ingest ${label} rows`, value: result.rows, unit: 'rows' },
    { name: `ingest ${label} seconds`, value: result.seconds, unit: 's' },
    { name: `ingest ${label} peak RSS`, value: result.maxRssMb, unit: 'MB' },
  );
  const large = ingestRss.get(`${sample.language} 1M`);
  if (large) {
    memory.push({
      name: `ingest ${sample.language} peak RSS ${sizeLabel(hugeRows)} / 1M`,
      value: result.maxRssMb / large,
      unit: 'ratio',
    });
  }
}
if (memory.length > 0) printFigures('Memory (target: 1M / 100k ≤ 1.3)', memory);
const measuredLoads = loads.flatMap(({ label, load }) => (load ? [{ label, load }] : []));
if (measuredLoads.length > 0) {
  // With the hypervisor taking CPU time away, wall times stretch by chance and the ratios above
  // are not those of a quiet machine (compare the CPU seconds then).
  const worst = measuredLoads.reduce((a, b) => (b.load.steal > a.load.steal ? b : a));
  const quiet = worst.load.steal < QUIET_STEAL;
  console.log(
    `\nMachine during the ingestion runs: ${quiet ? 'quiet' : 'NOT quiet'} (the most hypervisor steal: ${Math.round(worst.load.steal * 100)}% of CPU time, ${worst.label}; quiet below ${QUIET_STEAL * 100}%)`,
  );
}
figures.push(...memory);

if (parts.has('cold')) {
  const coldStart = await runColdStartBench(5);
  printFigures(
    'Cold start: bundle size and module load in a fresh Node process (target < 300 ms)',
    coldStart.figures,
  );
  figures.push(...coldStart.figures);
}

if (parts.has('report')) {
  figures.push(...(await runReportBench()));
  figures.push(...(await runReportYearBench(runs)));
}
if (parts.has('cli')) figures.push(...(await runCliBench()));
const resultsPath = join(import.meta.dirname, 'results.json');
// A partial run (BENCH_PARTS) updates its own figures and keeps the others; a whole run writes
// only what it measured, so figures the bench no longer produces do not linger.
const measured = new Set(figures.map((figure) => figure.name));
const wholeRun = ['ingest', 'cold', 'report', 'cli'].every((part) => parts.has(part));
const kept =
  !wholeRun && existsSync(resultsPath)
    ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as BenchFigure[]).filter(
        (figure) => !measured.has(figure.name),
      )
    : [];
writeResults(resultsPath, [...kept, ...figures]);
console.log(`\n${figures.length} figures written to ${resultsPath}`);
