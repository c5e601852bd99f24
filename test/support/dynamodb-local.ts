import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * AWS's own DynamoDB Local (Java), used to prove the storage code on a second, independent
 * implementation. `.ci/run` unpacks it into `.vendor/dynamodb-local` (see TOOLCHAIN.md); a
 * developer can do the same with `npm run vendor:dynamodb-local`.
 */
export const DYNAMODB_LOCAL_DIR = resolve(
  process.env.DYNAMODB_LOCAL_DIR ?? join(import.meta.dirname, '../../.vendor/dynamodb-local'),
);

export function dynamoDbLocalAvailable(): boolean {
  if (!existsSync(join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal.jar'))) return false;
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'java',
    [
      `-Djava.library.path=${join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { cwd: DYNAMODB_LOCAL_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
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
  // It prints its banner before it listens: wait until the port accepts connections.
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start:\n${output}`);
    }
    await new Promise((resolveLater) => setTimeout(resolveLater, 100));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolveStopped) => {
        child.once('exit', () => resolveStopped());
        child.kill('SIGTERM');
      }),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe(true);
    });
    socket.once('error', () => resolveProbe(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
