import { runCli } from '#cli/program.ts';

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line in process, capturing its output; long-running commands stop at once. */
export async function runCliCaptured(argv: readonly string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd,
    isTerminal: false,
    untilInterrupted: () => Promise.resolve(),
  });
  return { exitCode, stdout, stderr };
}
