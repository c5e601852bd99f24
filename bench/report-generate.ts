/**
 * One process generating the report of a synthetic year (bench/report-bench.ts's `syntheticYear`)
 * a few times, for profiling and for comparing two builds run by turns:
 *
 *   npx tsx bench/report-generate.ts [cells=100000] [runs=5]
 *   → {"cells":100000,"runs":5,"medianMs":…,"medianCpuMs":…,"ms":[…],"cpuMs":[…]}
 *
 * Each generation publishes into a fresh in-memory store, after one warm-up generation.
 */
import { performance } from 'node:perf_hooks';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import { generateReport } from '#shared/use-cases/generate-report.ts';
import { generationDependencies, syntheticYear } from './report-bench.ts';

const cells = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 5);
const year = syntheticYear(cells);
const generate = () =>
  generateReport(2025, generationDependencies(year, new InMemoryReportStore()));
await generate();
const ms: number[] = [];
const cpuMs: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  await generate();
  const used = process.cpuUsage(cpuStarted);
  ms.push(Math.round(performance.now() - started));
  cpuMs.push(Math.round((used.user + used.system) / 1000));
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  JSON.stringify({ cells, runs, medianMs: median(ms), medianCpuMs: median(cpuMs), ms, cpuMs }),
);
