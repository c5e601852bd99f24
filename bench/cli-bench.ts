/**
 * How long a `salary-report` command takes from the shell: `--help`, and `status` against a
 * running local stack (`serve` on an empty data directory, started first), each the median of
 * BENCH_CLI_RUNS runs of the installed bin as a new process, and `--help` through npx as a
 * newcomer types it; bare `node -e 0` beside them for the machine's own start-up cost.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type BenchFigure, printFigures } from './results.ts';

const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);

export async function runCliBench(): Promise<BenchFigure[]> {
  const root = mkdtempSync(join(tmpdir(), 'salary-report-cli-bench-'));
  const dataDirectory = join(root, 'data');
  // Builds the CLI if a source changed, so no measured run pays for it.
  run([BIN, '--help']);
  const server = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--data-dir', dataDirectory],
    { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('Ctrl-C stops')) resolve();
      });
      server.once('exit', () => reject(new Error(`serve exited:\n${output}`)));
    });
    const figures: BenchFigure[] = [
      ...timings('node -e 0 (Node start-up)', ['-e', '0']),
      ...timings('salary-report --help', [BIN, '--help']),
      // As the README tells a newcomer to run it: npm's own start-up comes on top.
      ...timings('npx salary-report --help', ['salary-report', '--help'], 'npx'),
      ...timings('salary-report status (local stack)', [
        BIN,
        'status',
        '--data-dir',
        dataDirectory,
      ]),
    ];
    printFigures(`CLI commands, wall time of ${RUNS} runs (median, fastest)`, figures);
    return figures;
  } finally {
    if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGINT');
    await once(server, 'exit');
    rmSync(root, { recursive: true, force: true });
  }
}

/** Runs `node <argv>`, or `npx <argv>` in the project as a newcomer would. */
function run(argv: string[], via: 'node' | 'npx' = 'node'): void {
  execFileSync(via === 'node' ? process.execPath : 'npx', argv, {
    stdio: 'ignore',
    cwd: PROJECT_ROOT,
  });
}

/** Median and fastest: on a busy machine the fastest run shows the command's own cost best. */
function timings(name: string, argv: string[], via: 'node' | 'npx' = 'node'): BenchFigure[] {
  const times: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    const started = performance.now();
    run(argv, via);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return [
    {
      name: `${name} median`,
      value: Math.round(times[Math.floor(times.length / 2)] ?? 0),
      unit: 'ms',
    },
    { name: `${name} fastest`, value: Math.round(times[0] ?? 0), unit: 'ms' },
  ];
}
