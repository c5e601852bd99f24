import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '#cli/local/local-stack.ts';
import { buildReportPage } from '#web/build.ts';

export interface LocalStackFixture {
  stack: LocalStack;
  /** The stack's data directory: what `--data-dir` names for CLI commands. */
  dataDirectory: string;
  /** A scratch directory for files a test writes. */
  workDirectory: string;
  stop(): Promise<void>;
}

/**
 * A local stack on free ports in a fresh temporary directory, with the report page built there
 * (never into web/dist, which a developer's `npm start` may be serving).
 */
export async function startLocalStackFixture(
  options: { page?: boolean; now?: () => number } = {},
): Promise<LocalStackFixture> {
  const root = mkdtempSync(join(tmpdir(), 'salary-report-local-'));
  const dataDirectory = join(root, 'data');
  const pageDirectory = join(root, 'page');
  if (options.page) await buildReportPage(pageDirectory);
  const stack = await startLocalStack({
    dataDirectory,
    pageDirectory,
    apiPort: 0,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    stack,
    dataDirectory,
    workDirectory: root,
    async stop() {
      await stack.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
