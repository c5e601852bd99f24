/** What a command may touch outside its arguments: injected, so tests run commands in process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Progress bars are drawn only on a terminal. */
  isTerminal: boolean;
  /** Resolves when a long-running command should stop (Ctrl-C, SIGTERM). */
  untilInterrupted(): Promise<void>;
}
