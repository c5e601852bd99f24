import { runCli } from './program.ts';

/** Resolves on the first Ctrl-C or SIGTERM; a second Ctrl-C exits at once. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTerminal: Boolean(process.stderr.isTTY),
  untilInterrupted,
});
