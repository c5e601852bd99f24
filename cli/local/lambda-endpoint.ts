import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A function the local endpoint can invoke: its handler with the event as JSON. */
export type LocalFunction = (event: unknown) => Promise<unknown>;

export interface LocalLambdaEndpoint {
  endpoint: string;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * The part of the Lambda API the CLI uses (`Invoke`, RequestResponse), so `salary-report report`
 * calls a local function with the same SDK call as a deployed one. A handler error answers as
 * Lambda does: 200 with `X-Amz-Function-Error: Unhandled` and `{ errorType, errorMessage }`.
 */
export async function startLocalLambdaEndpoint(
  functions: Readonly<Record<string, LocalFunction>>,
): Promise<LocalLambdaEndpoint> {
  const server = createServer(async (request, response) => {
    const name = decodeURIComponent(INVOKE_PATH.exec(request.url?.split('?')[0] ?? '')?.[1] ?? '');
    const handler = request.method === 'POST' ? functions[name] : undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (!handler) {
      response.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ResourceNotFoundException',
      });
      response.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
      return;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      const result = await handler(text === '' ? {} : JSON.parse(text));
      response.writeHead(200, {
        'content-type': 'application/json',
        'x-amz-executed-version': '$LATEST',
      });
      response.end(JSON.stringify(result ?? null));
    } catch (error) {
      response.writeHead(200, {
        'content-type': 'application/json',
        'x-amz-executed-version': '$LATEST',
        'x-amz-function-error': 'Unhandled',
      });
      response.end(
        JSON.stringify({
          errorType: error instanceof Error ? error.name : 'Error',
          errorMessage: error instanceof Error ? error.message : String(error),
          trace: [],
        }),
      );
    }
  });
  await listen(server, 0);
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}

export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
