import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { localDynamoClient, localS3Client } from '#cli/local/local-aws.ts';
import { type LocalStackState, readLiveLocalStackState } from '#cli/local/state.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { cellId } from '#shared/domain/cell.ts';
import type { IngestionRecord } from '#shared/ports/ingestion-store.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import type { CellTotals } from '../../support/ingest-harness.ts';

const BIN = fileURLToPath(new URL('../../../cli/bin.js', import.meta.url));
/** How often readiness and settlement are checked: a poll interval, never a deadline. */
const POLL_MS = 100;
const SETTLED = new Set<IngestionRecord['status']>(['ingested', 'rejected', 'deleted']);

/**
 * The real `salary-report start` in a child process, as a user runs it, on a given data
 * directory. Ready once it has written its endpoints and its API answers; stopped with Ctrl-C's
 * signal, or killed outright with SIGKILL (the stack's own process, from its state file).
 */
export class LocalStackProcess {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly store: IngestionProtocol;
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly state: LocalStackState,
    output: string,
  ) {
    this.output = output;
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.s3 = localS3Client(state.s3Endpoint);
    this.dynamo = localDynamoClient(state.dynamoEndpoint);
    this.store = new IngestionProtocol(new DynamoConditionalStore(this.dynamo, state.tableName));
  }

  /** `command`: `start --no-sample` by default; `start` (with its sample) or `serve` also work. */
  static async start(
    dataDirectory: string,
    command: readonly string[] = ['start', '--no-sample'],
    { ownProcessGroup = false }: { ownProcessGroup?: boolean } = {},
  ): Promise<LocalStackProcess> {
    const child = spawn(
      process.execPath,
      [BIN, ...command, '--port', '0', '--data-dir', dataDirectory],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
        // As a terminal runs a command: its own process group, which a Ctrl-C reaches whole.
        detached: ownProcessGroup,
      },
    );
    let output = '';
    let exited = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', () => {
      exited = true;
    });
    for (;;) {
      if (exited) throw new Error(`salary-report start exited before it was ready:\n${output}`);
      const state = readLiveLocalStackState(dataDirectory);
      if (state && (await answers(`${state.apiUrl}/reports`))) {
        child.stdout?.removeAllListeners('data');
        child.stderr?.removeAllListeners('data');
        return new LocalStackProcess(child, state, output);
      }
      await pause(POLL_MS);
    }
  }

  /** What the command printed so far. */
  get printed(): string {
    return this.output;
  }

  /** The stack process's peak and current resident memory (Linux `/proc`), in bytes. */
  memory(): { peakRss: number; rss: number } {
    const status = readFileSync(`/proc/${this.state.pid}/status`, 'utf8');
    const kilobytes = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakRss: kilobytes('VmHWM') * 1024, rss: kilobytes('VmRSS') * 1024 };
  }

  /** Ctrl-C: the stack stops cleanly; resolves when the command has exited. */
  async interrupt(): Promise<void> {
    const exited = this.exited();
    process.kill(this.state.pid, 'SIGINT');
    await exited;
    this.destroyClients();
  }

  /**
   * A signal to the `salary-report` launcher the user started (not the stack's own process it
   * runs), or to its whole process group as a terminal's Ctrl-C does (needs `ownProcessGroup`).
   * Resolves with the launcher's exit code once it has exited.
   */
  async signalLauncher(
    signal: NodeJS.Signals,
    to: 'launcher' | 'process group' = 'launcher',
  ): Promise<number | null> {
    const exited = this.exited();
    const pid = this.child.pid as number;
    process.kill(to === 'launcher' ? pid : -pid, signal);
    await exited;
    this.destroyClients();
    return this.child.exitCode;
  }

  /** SIGKILL of the process running the stack: no cleanup of any kind runs. */
  async kill(): Promise<void> {
    const exited = this.exited();
    process.kill(this.state.pid, 'SIGKILL');
    await exited;
    this.destroyClients();
  }

  /** Waits until every object under `uploads/` has a settled ingestion record of its version. */
  async settled(): Promise<IngestionRecord[]> {
    for (;;) {
      const records = await this.uploadRecords();
      if (records.every((record) => record && SETTLED.has(record.status))) {
        return records as IngestionRecord[];
      }
      await pause(POLL_MS);
    }
  }

  async uploadKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.state.bucketName, Prefix: 'uploads/' },
    )) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    return keys;
  }

  async recordOf(key: string): Promise<IngestionRecord | undefined> {
    return this.store.getRecord(key);
  }

  async cellTotals(year: number): Promise<Map<string, CellTotals>> {
    const snapshot = await this.store.readYear(year);
    return new Map(
      snapshot.cells.map(({ cell, aggregate }) => [
        cellId(cell),
        { count: aggregate.count, sumCents: aggregate.sumCents },
      ]),
    );
  }

  private async uploadRecords(): Promise<Array<IngestionRecord | undefined>> {
    const keys = await this.uploadKeys();
    return Promise.all(keys.map((key) => this.store.getRecord(key)));
  }

  private exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  private destroyClients(): void {
    this.s3.destroy();
    this.dynamo.destroy();
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
