/**
 * Report generation time for 1k, 10k and 100k populated cells, and in-process API latency (p50,
 * p99) for a cached report and a filtered one. Everything runs in memory: the figures measure our
 * code (roll-ups, merges of sorted salaries, exact quantiles, serialization, routing,
 * middleware), not the network.
 */
import { performance } from 'node:perf_hooks';
import type { Context } from 'aws-lambda';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import type { CellKey } from '#shared/domain/cell.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { SalaryAggregate } from '#shared/domain/salaries/salary-aggregate.ts';
import { ROLES, SENIORITIES } from '#shared/domain/taxonomy.ts';
import type { AggregateReader, CellAggregate } from '#shared/ports/ingestion-store.ts';
import {
  type GenerateReportDependencies,
  generateReport,
} from '#shared/use-cases/generate-report.ts';
import { PublishedReports } from '#shared/use-cases/serve-report/published-reports.ts';
import { type BenchFigure, printFigures } from './results.ts';

const YEAR = 2025;
const RESPONDENTS_PER_CELL = 12;
const CELL_COUNTS = [1_000, 10_000, 100_000] as const;
/** Generations measured per size, after one warm-up; the figure is their median. */
const GENERATION_RUNS = 5;
const API_REQUESTS = 2_000;
const API_WARMUP_REQUESTS = 200;
/** The API is measured on a report of realistic size: ~25 countries × every role × seniority. */
const API_REPORT_CELLS = 1_000;
const API_COUNTRIES = [
  'AR',
  'AU',
  'BO',
  'BR',
  'CA',
  'CH',
  'CL',
  'CN',
  'CO',
  'CR',
  'DE',
  'DO',
  'ES',
  'FR',
  'GB',
  'GT',
  'HN',
  'IN',
  'JP',
  'MX',
  'NI',
  'PE',
  'PY',
  'US',
  'UY',
];

export async function runReportBench(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const cells of CELL_COUNTS) {
    const year = syntheticYear(cells);
    // Each generation publishes into a fresh store: the whole path (roll-ups, quantiles,
    // suppression, comparisons, digest, JSON and CSV), never the shortcut of an unchanged report.
    const generate = () =>
      generateReport(YEAR, generationDependencies(year, new InMemoryReportStore()));
    await generate(); // warm-up: JIT, and the finest cells' salaries sorted once
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let run = 0; run < GENERATION_RUNS; run++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      await generate();
      const used = process.cpuUsage(cpuStarted);
      wall.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
    const name = `report.generate.${cells / 1000}k_cells`;
    figures.push(
      { name, value: round(median(wall)), unit: 'ms' },
      { name: `${name}.cpu`, value: round(median(cpu)), unit: 'ms' },
    );
  }
  figures.push(...(await apiLatency()));
  printFigures(
    'Report generation (median of 5, wall and CPU) and API latency (in process)',
    figures,
  );
  return figures;
}

async function apiLatency(): Promise<BenchFigure[]> {
  const store = new InMemoryReportStore();
  await generateReport(
    YEAR,
    generationDependencies(
      syntheticYear(API_REPORT_CELLS, (index) => API_COUNTRIES[index]),
      store,
    ),
  );
  // The handler module reads its configuration at load; the in-memory stores make it unused here.
  process.env.TABLE_NAME ??= 'bench-table';
  process.env.BUCKET_NAME ??= 'bench-bucket';
  const { createServeReportHandler } = await import('#functions/serve-report.ts');
  const handler = createServeReportHandler(
    {
      reports: new PublishedReports({ pointers: store, snapshots: store }),
      listIngestionRecords: async () => [],
      grantUpload: async () => {
        throw new Error('not used by the benchmark');
      },
      baseCountry: 'US',
      assets: { read: async () => undefined },
      now: () => new Date(),
    },
    { corsAllowOrigin: '*', logError: () => {} },
  );
  const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
  const figures: BenchFigure[] = [];
  for (const [name, query, acceptEncoding] of [
    ['cached', '', undefined],
    // What a browser asks for: the published report's brotli bytes, kept by ETag.
    ['cached.br', '', 'gzip, deflate, br, zstd'],
    ['filtered', 'country=MX,AR&role=backend&level=country-role-seniority', undefined],
  ] as const) {
    const event = reportRequest(query, acceptEncoding);
    const latencies: number[] = [];
    for (let index = 0; index < API_WARMUP_REQUESTS + API_REQUESTS; index++) {
      const started = performance.now();
      const response = await handler(event, context);
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200)
        throw new Error(`GET /reports/${YEAR}?${query}: ${response.statusCode}`);
      if (index >= API_WARMUP_REQUESTS) latencies.push(elapsed);
    }
    latencies.sort((a, b) => a - b);
    figures.push(
      { name: `api.report.${name}.p50`, value: round(percentile(latencies, 0.5)), unit: 'ms' },
      { name: `api.report.${name}.p99`, value: round(percentile(latencies, 0.99)), unit: 'ms' },
    );
  }
  return figures;
}

export function generationDependencies(
  aggregates: AggregateReader,
  store: InMemoryReportStore,
): GenerateReportDependencies {
  return {
    aggregates,
    snapshots: store,
    pointers: store,
    normalizationUsed: async () => ({ exchangeRates: { USD: 1 }, seniorityRules: {} }),
    baseCountry: 'US',
    thresholds: DEFAULT_THRESHOLDS,
    now: () => new Date(),
  };
}

/**
 * `cells` finest-grain cells, each with a few deterministic salaries, over as many countries as it
 * takes (named by `countryName`, synthetic codes beyond the real ones).
 */
export function syntheticYear(
  cells: number,
  countryName: (index: number) => string | undefined = () => undefined,
): AggregateReader {
  const combos = ROLES.flatMap((role) => SENIORITIES.map((seniority) => ({ role, seniority })));
  let seed = 1;
  const nextSalaryCents = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return 100_000 + (seed % 1_200_000);
  };
  const cellAggregates: CellAggregate[] = [];
  for (let index = 0; index < cells; index++) {
    const combo = combos[index % combos.length] ?? { role: 'backend', seniority: 'mid' };
    const countryIndex = Math.floor(index / combos.length);
    const country = countryName(countryIndex) ?? `C${String(countryIndex).padStart(4, '0')}`;
    const cell: CellKey = { year: YEAR, country, ...combo };
    const aggregate = new SalaryAggregate();
    for (let respondent = 0; respondent < RESPONDENTS_PER_CELL; respondent++) {
      aggregate.add(nextSalaryCents());
    }
    cellAggregates.push({ cell, aggregate });
  }
  const files = [
    {
      key: `uploads/${YEAR}/bench.csv`,
      sequencer: '1',
      accepted: cells * RESPONDENTS_PER_CELL,
      rejected: 0,
      rejectedByReason: {},
    },
  ];
  return {
    readYear: async () => ({ year: YEAR, cells: cellAggregates, files }),
    listIngestionRecords: async () => [],
  };
}

function reportRequest(query: string, acceptEncoding?: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: `/reports/${YEAR}`,
    rawQueryString: query,
    headers: {
      host: 'bench.local',
      ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
    },
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      http: {
        method: 'GET',
        path: `/reports/${YEAR}`,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}
