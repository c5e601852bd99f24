import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';

/** Content types whose bodies API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_CONTENT_TYPE =
  /^(text\/|application\/(json|[\w.+-]+\+json|xml|x-www-form-urlencoded|javascript))/i;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface LocalHttpRequest {
  method: string;
  /** The request target as sent: path and optional query string. */
  url: string;
  /** Header names as received; repeated headers as arrays. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  receivedAt: Date;
}

/**
 * The HTTP API (payload format 2.0) event API Gateway's `$default` route would deliver for this
 * request: lower-case header names with repeats joined by commas, cookies split out, the raw path
 * and query string untouched, query parameters decoded with repeats joined by commas.
 */
export function toApiGatewayEvent(request: LocalHttpRequest): APIGatewayProxyEventV2 {
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : request.url.slice(queryStart + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const lowerName = name.toLowerCase();
    const values = Array.isArray(value) ? value : [value];
    if (lowerName === 'cookie') {
      cookies = values.flatMap((cookie) => cookie.split(/;\s*/)).filter(Boolean);
      continue;
    }
    headers[lowerName] = headers[lowerName]
      ? `${headers[lowerName]},${values.join(',')}`
      : values.join(',');
  }

  const parameters = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = parameters.get(name);
    parameters.set(name, previous === undefined ? value : `${previous},${value}`);
  }

  const contentType = headers['content-type'] ?? '';
  const hasBody = request.body.length > 0;
  const bodyIsText = TEXT_CONTENT_TYPE.test(contentType);
  const host = headers.host ?? '127.0.0.1';

  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(parameters.size > 0 ? { queryStringParameters: Object.fromEntries(parameters) } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method.toUpperCase(),
        path: safeDecodePath(rawPath),
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: apiGatewayTime(request.receivedAt),
      timeEpoch: request.receivedAt.getTime(),
    },
    ...(hasBody ? { body: request.body.toString(bodyIsText ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: hasBody && !bodyIsText,
  };
}

/** API Gateway decodes percent-escapes in `requestContext.http.path`; a bad escape stays as sent. */
function safeDecodePath(rawPath: string): string {
  try {
    return decodeURI(rawPath);
  } catch {
    return rawPath;
  }
}

/** `25/Nov/2026:09:06:10 +0000`, the format of `requestContext.time`. */
function apiGatewayTime(at: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`
  );
}

/** Reads a whole request from Node's HTTP server into the shape `toApiGatewayEvent` takes. */
export async function readLocalHttpRequest(request: IncomingMessage): Promise<LocalHttpRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return {
    method: request.method ?? 'GET',
    url: request.url ?? '/',
    headers: request.headers,
    body: Buffer.concat(chunks),
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    receivedAt: new Date(),
  };
}

/** Writes a handler's structured result as API Gateway would answer the client. */
export function writeApiGatewayResult(
  result: APIGatewayProxyStructuredResultV2,
  response: ServerResponse,
): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    response.setHeader(name, String(value));
  }
  if (result.cookies && result.cookies.length > 0) {
    response.setHeader('set-cookie', result.cookies);
  }
  response.statusCode = result.statusCode ?? 200;
  const body = result.body ?? '';
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/** What Lambda gives every invocation of a function from its configuration. */
export interface LocalFunctionSettings {
  timeoutSeconds: number;
  memoryMb: number;
}

/**
 * The context Lambda passes next to one invocation's event (only the fields handlers read): its own
 * request id, and a deadline `timeoutSeconds` after the invocation starts on `now`'s clock. Build
 * one per invocation: a context outliving its invocation times out every later one (middy answers
 * with its early-timeout error once the deadline has passed).
 */
export function localLambdaContext(
  functionName: string,
  settings: LocalFunctionSettings,
  now: () => number = Date.now,
): Context {
  const deadline = now() + settings.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(settings.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
