import { logger } from '#shared/observability.ts';

export interface CapturedLogs<T> {
  result: T;
  /** Every line written to stdout and stderr while `run` ran, as written. */
  text: string;
  /** The lines that are JSON objects (the structured logs). */
  entries: Array<Record<string, unknown>>;
}

/**
 * Runs `run` with the shared logger at INFO (the test configuration silences it) and captures
 * what the process writes meanwhile: the structured log lines exactly as CloudWatch would get them.
 */
export async function captureLogs<T>(run: () => Promise<T>): Promise<CapturedLogs<T>> {
  const chunks: string[] = [];
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  const level = logger.getLevelName();
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  logger.setLogLevel('INFO');
  let result: T;
  try {
    result = await run();
  } finally {
    logger.setLogLevel(level);
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
  const text = chunks.join('');
  const entries = text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  return { result, text, entries };
}
