/**
 * `npm run test:loaded`: the whole `npm test` on a machine kept busy, as a shared CI runner is.
 * Starts CPU-bound Node processes (two by default, `--burners N`; 0 measures the quiet suite),
 * runs `npm test` beside them, stops them by PID whatever happens, and prints how long it took.
 * Exits with `npm test`'s exit code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

// Burns one core; also exits on its own if this script dies without stopping it (re-parented).
const BURNER =
  'const parent = process.ppid; for (let i = 1; ; i++) if (i % 5e7 === 0 && process.ppid !== parent) process.exit();';

const { values } = parseArgs({ options: { burners: { type: 'string', default: '2' } } });
const burnerCount = Number(values.burners);
if (!Number.isInteger(burnerCount) || burnerCount < 0) {
  console.error('--burners must be a whole number');
  process.exit(2);
}

const burners: ChildProcess[] = [];
const stopBurners = () => {
  // Called once after the suite and again on exit: a burner already stopped is left alone.
  for (const burner of burners.splice(0)) {
    if (burner.exitCode === null && burner.signalCode === null) burner.kill('SIGKILL');
  }
};
process.once('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopBurners();
    process.exit(130);
  });
}

for (let index = 0; index < burnerCount; index++) {
  burners.push(spawn(process.execPath, ['-e', BURNER], { stdio: 'ignore' }));
}
console.log(
  burnerCount === 0
    ? 'npm test on a quiet machine (no CPU burners)'
    : `npm test beside ${burnerCount} CPU-bound processes (pids ${burners.map((b) => b.pid).join(', ')})`,
);

const started = performance.now();
const test = spawn('npm', ['test'], { stdio: 'inherit' });
const exitCode = await new Promise<number>((resolve) => {
  test.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
});
const seconds = (performance.now() - started) / 1000;
stopBurners();

console.log(
  `\nnpm test ${exitCode === 0 ? 'passed' : `failed (exit ${exitCode})`} in ${seconds.toFixed(0)} s ` +
    `with ${burnerCount} CPU burner${burnerCount === 1 ? '' : 's'} beside it`,
);
process.exitCode = exitCode;
