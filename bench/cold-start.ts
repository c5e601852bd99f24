/**
 * Cold start of each Lambda handler: its bundle built exactly as the CDK construct builds it
 * (infra/constructs/function-bundling.ts), the bundle's size and its biggest packages, and the
 * module-load time (importing the bundle, which builds the SDK clients and reads the
 * configuration) measured in a fresh Node process per run, with the function's NODE_OPTIONS.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING } from '#infra/constructs/function-bundling.ts';
import { ENV } from '#shared/config.ts';
import type { BenchFigure } from './results.ts';

const HANDLERS = ['ingest-upload', 'generate-report', 'serve-report'] as const;
const ROOT = join(import.meta.dirname, '..');
const OUT = join(import.meta.dirname, 'tmp', 'bundles');
const TOP_PACKAGES = 5;

/** What the construct sets on every function, and what the handlers read at load. */
const FUNCTION_PROCESS_ENV = {
  NODE_OPTIONS: '--enable-source-maps',
  // The SDK's reminder that Node 20 support ends (Lambda runs Node 22) is noise here.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  [ENV.tableName]: 'bench-table',
  [ENV.bucketName]: 'bench-bucket',
  [ENV.corsAllowOrigin]: '*',
};

export interface HandlerColdStart {
  handler: string;
  bytes: number;
  /** Median wall time of the import. */
  loadMs: number;
  /** Median CPU time (user + system) of the import: what a busy machine does not inflate. */
  loadCpuMs: number;
  topPackages: string;
}

export async function runColdStartBench(runs: number): Promise<{
  handlers: HandlerColdStart[];
  figures: BenchFigure[];
}> {
  const handlers: HandlerColdStart[] = [];
  for (const handler of HANDLERS) {
    const outfile = join(OUT, handler, 'index.mjs');
    mkdirSync(join(OUT, handler), { recursive: true });
    const result = await build({
      entryPoints: [join(ROOT, 'functions', `${handler}.ts`)],
      outfile,
      bundle: true,
      format: FUNCTION_BUNDLING.format,
      platform: FUNCTION_BUNDLING.platform,
      target: FUNCTION_BUNDLING.target,
      mainFields: [...FUNCTION_BUNDLING.mainFields],
      minify: FUNCTION_BUNDLING.minify,
      banner: { js: FUNCTION_BUNDLING.banner },
      sourcemap: true,
      sourcesContent: false,
      metafile: true,
      logLevel: 'error',
    });
    const output = Object.values(result.metafile.outputs).find((file) => file.entryPoint);
    const loads = Array.from({ length: runs }, () => moduleLoad(outfile));
    handlers.push({
      handler,
      bytes: output?.bytes ?? 0,
      loadMs: median(loads.map((load) => load.wallMs)),
      loadCpuMs: median(loads.map((load) => load.cpuMs)),
      topPackages: biggestPackages(result.metafile),
    });
  }
  const figures = handlers.flatMap(({ handler, bytes, loadMs, loadCpuMs }) => [
    { name: `${handler} bundle`, value: bytes / 1000, unit: 'kB' },
    { name: `${handler} module load (median of ${runs})`, value: loadMs, unit: 'ms' },
    { name: `${handler} module load CPU (median of ${runs})`, value: loadCpuMs, unit: 'ms' },
  ]);
  return { handlers, figures };
}

/** Time to import the bundle in a new Node process, as the Lambda runtime does. */
function moduleLoad(bundle: string): { wallMs: number; cpuMs: number } {
  const script = `const cpu = process.cpuUsage();
const started = performance.now();
await import(${JSON.stringify(pathToFileURL(bundle).href)});
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
    cwd: join(bundle, '..'),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...FUNCTION_PROCESS_ENV },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(output) as { wallMs: number; cpuMs: number };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The packages that weigh most in the bundle, e.g. "@smithy/core 139k, zod 98k". */
function biggestPackages(metafile: Metafile): string {
  const output = Object.values(metafile.outputs).find((file) => file.entryPoint);
  const bytesByPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'our code';
    bytesByPackage.set(name, (bytesByPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytesByPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_PACKAGES)
    .map(([name, bytes]) => `${name} ${Math.round(bytes / 1000)}k`)
    .join(', ');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { handlers } = await runColdStartBench(Number(process.env.BENCH_RUNS ?? 5));
  console.log(
    '| handler | bundle | module load (wall) | module load (CPU) | biggest packages |\n|---|---:|---:|---:|---|',
  );
  for (const { handler, bytes, loadMs, loadCpuMs, topPackages } of handlers) {
    console.log(
      `| ${handler} | ${(bytes / 1000).toFixed(0)} kB | ${loadMs.toFixed(0)} ms | ${loadCpuMs.toFixed(0)} ms | ${topPackages} |`,
    );
  }
}
