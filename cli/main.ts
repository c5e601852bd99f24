import { runCli } from './program.ts';

/**
 * Resolves on the first Ctrl-C or SIGTERM; a second Ctrl-C exits at once. Only Ctrl-Cs count
 * towards that second one: the launcher (cli/bin.js) passes a Ctrl-C it receives on as SIGTERM,
 * and a terminal's Ctrl-C reaches both processes, so one key press can arrive here twice.
 */
function listenForInterrupts(): Promise<void> {
  return new Promise((resolve) => {
    let interrupts = 0;
    process.on('SIGINT', () => {
      if (++interrupts > 1) process.exit(130);
      resolve();
    });
    process.on('SIGTERM', () => resolve());
  });
}

let interrupted: Promise<void> | undefined;
function untilInterrupted(): Promise<void> {
  interrupted ??= listenForInterrupts();
  return interrupted;
}

const argv = process.argv.slice(2);
// The commands that run until stopped listen from the start, so a stop that comes while they are
// still starting (or seeding a first sample) lets them finish starting, then stop cleanly,
// instead of killing them half-started. Every other command keeps Ctrl-C's default.
if (argv[0] === 'start' || argv[0] === 'serve') untilInterrupted();

process.exitCode = await runCli(argv, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTerminal: Boolean(process.stderr.isTTY),
  untilInterrupted,
});
