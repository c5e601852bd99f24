import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeadLetter } from './ingestion-queue.ts';

/**
 * What a running local stack tells the other CLI commands: where its stand-ins listen. Written to
 * `<data dir>/local-stack.json` when it starts, removed when it stops.
 */
export interface LocalStackState {
  pid: number;
  startedAt: string;
  apiUrl: string;
  s3Endpoint: string;
  dynamoEndpoint: string;
  /** True when `dynamoEndpoint` is an external DynamoDB (`--dynamodb-endpoint`), not dynalite. */
  dynamoEndpointExternal?: boolean;
  lambdaEndpoint: string;
  bucketName: string;
  tableName: string;
  reportFunctionName: string;
  /** Authorizes `POST /uploads` on the local API (IAM does in AWS). */
  uploadBearerToken: string;
}

/** Where local mode keeps its data unless `--data-dir` says otherwise. */
export const DEFAULT_DATA_DIR = '.local-data';

/** Where `start` listens unless told otherwise. */
export const DEFAULT_API_PORT = 3000;

const STATE_FILE = 'local-stack.json';
const DEAD_LETTER_FILE = 'dead-letters.json';

export function writeLocalStackState(dataDirectory: string, state: LocalStackState): void {
  writeJsonAtomically(join(dataDirectory, STATE_FILE), state);
}

export function removeLocalStackState(dataDirectory: string): void {
  rmSync(join(dataDirectory, STATE_FILE), { force: true });
}

/** The state of the local stack running on this data directory, or undefined when none runs. */
export function readLiveLocalStackState(dataDirectory: string): LocalStackState | undefined {
  const state = readJson<LocalStackState>(join(dataDirectory, STATE_FILE));
  return state && isProcessAlive(state.pid) ? state : undefined;
}

/** Messages ingestion gave up on, oldest first (kept across restarts, like a DLQ). */
export function readDeadLetters(dataDirectory: string): DeadLetter[] {
  return readJson<DeadLetter[]>(join(dataDirectory, DEAD_LETTER_FILE)) ?? [];
}

export function appendDeadLetter(dataDirectory: string, letter: DeadLetter): void {
  writeJsonAtomically(join(dataDirectory, DEAD_LETTER_FILE), [
    ...readDeadLetters(dataDirectory),
    letter,
  ]);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A reader never sees half a file: write beside it, then rename over it. */
function writeJsonAtomically(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path);
}
