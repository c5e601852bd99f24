import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localS3Client } from '#cli/local/local-aws.ts';
import { QUEUE_DIRECTORY } from '#cli/local/local-stack.ts';
import { expectedTotals, randomRows, surveyCsv, type UsdRow } from '../support/survey-csv.ts';
import { printFigure, scaled } from './scale.ts';
import { LocalStackProcess } from './support/local-stack-process.ts';

const YEAR = 2025;

describe('the real local stack stopped or killed, then started again', () => {
  let root: string;
  let dataDirectory: string;
  let running: LocalStackProcess | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'salary-report-restarts-'));
    dataDirectory = join(root, 'data');
  });
  afterEach(async () => {
    await running?.interrupt();
    running = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('counts every file S3 accepted when it is stopped during a 50-file burst', async () => {
    const first = await LocalStackProcess.start(dataDirectory);
    running = first;
    const files = Array.from({ length: 50 }, (_, index) => ({
      key: `uploads/${YEAR}/burst-${String(index).padStart(2, '0')}.csv`,
      rows: randomRows(scaled(400, 4_000), 7_000 + index),
    }));
    // Its own client, no retries: an upload the stopping stack refuses simply fails.
    const uploader = localS3Client(first.state.s3Endpoint);
    uploader.config.maxAttempts = async () => 1;
    let acknowledged = 0;
    let stopping: Promise<void> | undefined;
    const uploads = files.map((file, index) => async () => {
      await uploader.send(
        new PutObjectCommand({
          Bucket: first.state.bucketName,
          Key: file.key,
          Body: surveyCsv(file.rows),
        }),
      );
      // Ctrl-C once 20 uploads are acknowledged, while the others are still on their way.
      if (++acknowledged === 20) stopping = first.interrupt();
      return index;
    });
    const outcomes = await allWithConcurrency(uploads, 5);
    await stopping;
    running = undefined;
    uploader.destroy();
    const waiting = readdirSync(join(dataDirectory, QUEUE_DIRECTORY)).length;

    const second = await LocalStackProcess.start(dataDirectory);
    running = second;
    const records = await second.settled();
    const stored = new Set(await second.uploadKeys());
    const kept = files.filter((file) => stored.has(file.key));

    printFigure(
      'stop during a 50-file burst',
      `${outcomes.filter((outcome) => outcome.status === 'fulfilled').length} uploads acknowledged, ` +
        `${stored.size} stored, ${waiting} events still queued at the stop`,
    );
    expect(stored.size).toBeGreaterThanOrEqual(20);
    expect(records).toHaveLength(stored.size);
    for (const file of kept) {
      expect(await second.recordOf(file.key)).toMatchObject({
        status: 'ingested',
        accepted: file.rows.length,
      });
    }
    expect(await second.cellTotals(YEAR)).toEqual(
      expectedTotals(
        kept.flatMap((file) => file.rows),
        YEAR,
      ),
    );
  });

  it('ends with exact totals when killed with SIGKILL in the middle of a large file', async () => {
    const first = await LocalStackProcess.start(dataDirectory);
    running = first;
    const large = {
      key: `uploads/${YEAR}/large.csv`,
      rows: randomRows(scaled(150_000, 1_000_000), 99),
    };
    const small: Array<{ key: string; rows: UsdRow[] }> = Array.from({ length: 4 }, (_, index) => ({
      key: `uploads/${YEAR}/small-${index}.csv`,
      rows: randomRows(200, 300 + index),
    }));
    for (const file of [large, ...small]) {
      await first.s3.send(
        new PutObjectCommand({
          Bucket: first.state.bucketName,
          Key: file.key,
          Body: surveyCsv(file.rows),
        }),
      );
    }
    // Claimed means its rows are being read: kill the stack there.
    while ((await first.recordOf(large.key))?.status !== 'processing') {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await first.kill();
    running = undefined;
    expect(readdirSync(join(dataDirectory, QUEUE_DIRECTORY)).length).toBeGreaterThan(0);

    const second = await LocalStackProcess.start(dataDirectory);
    running = second;
    await second.settled();

    for (const file of [large, ...small]) {
      expect(await second.recordOf(file.key)).toMatchObject({
        status: 'ingested',
        accepted: file.rows.length,
      });
    }
    expect(await second.cellTotals(YEAR)).toEqual(
      expectedTotals(
        [large, ...small].flatMap((file) => file.rows),
        YEAR,
      ),
    );
  });
});

describe('stopping the real `salary-report start` with a signal', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'salary-report-signals-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['SIGINT to the launcher alone (a process manager, kill -INT)', 'SIGINT', 'launcher'],
    ['SIGTERM to the launcher alone', 'SIGTERM', 'launcher'],
    ['one Ctrl-C in a terminal (SIGINT to the whole process group)', 'SIGINT', 'process group'],
  ] as const)('stops cleanly on %s', async (_name, signal, to) => {
    const dataDirectory = join(root, 'data');
    const stack = await LocalStackProcess.start(dataDirectory, ['start', '--no-sample'], {
      ownProcessGroup: true,
    });
    const stackPid = stack.state.pid;
    const code = await stack.signalLauncher(signal, to);

    // Exit code 0 and "Stopped.": the stack shut down itself, it was not cut short.
    expect(code).toBe(0);
    expect(stack.printed).toContain('Stopped.');
    expect(isRunning(stackPid)).toBe(false);
    // It removed the file telling other commands where it listens, as only a clean stop does.
    expect(existsSync(join(dataDirectory, 'local-stack.json'))).toBe(false);
  });

  it('stops cleanly on a Ctrl-C that comes while a first `start` is still seeding its sample', async () => {
    const dataDirectory = join(root, 'data');
    // Ready once its API answers, which it does while it ingests the sample and reports on it.
    const stack = await LocalStackProcess.start(dataDirectory, ['start'], {
      ownProcessGroup: true,
    });
    const stackPid = stack.state.pid;
    const code = await stack.signalLauncher('SIGINT', 'process group');

    expect(code).toBe(0);
    expect(stack.printed).toContain('Stopped.');
    expect(isRunning(stackPid)).toBe(false);
    expect(existsSync(join(dataDirectory, 'local-stack.json'))).toBe(false);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs the tasks with at most `limit` at a time; every outcome, in order. */
async function allWithConcurrency<T>(
  tasks: ReadonlyArray<() => Promise<T>>,
  limit: number,
): Promise<PromiseSettledResult<T>[]> {
  const outcomes: PromiseSettledResult<T>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (!task) continue;
      try {
        outcomes[index] = { status: 'fulfilled', value: await task() };
      } catch (reason) {
        outcomes[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return outcomes;
}
