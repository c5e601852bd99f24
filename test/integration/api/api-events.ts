import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export interface ApiRequest {
  method: string;
  path: string;
  /** Raw query string without `?`, exactly as the client sent it. */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Set as API Gateway does when the route's IAM authorization accepted the caller. */
  iamCaller?: boolean;
}

/** An API Gateway HTTP API (payload format 2.0) event, as the `$default` stage delivers it. */
export function apiEvent(request: ApiRequest): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries({ host: 'api.example.test', ...request.headers }).map(([name, value]) => [
      name.toLowerCase(),
      value,
    ]),
  );
  const rawQueryString = request.query ?? '';
  const joined = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    joined.set(name, joined.has(name) ? `${joined.get(name)},${value}` : value);
  }
  const time = new Date('2026-03-01T12:00:00.000Z');
  const requestContext = {
    accountId: '123456789012',
    apiId: 'api1234567',
    domainName: 'api.example.test',
    domainPrefix: 'api',
    http: {
      method: request.method,
      path: request.path,
      protocol: 'HTTP/1.1',
      sourceIp: '192.0.2.10',
      userAgent: 'vitest',
    },
    requestId: 'request-1',
    routeKey: '$default',
    stage: '$default',
    time: '01/Mar/2026:12:00:00 +0000',
    timeEpoch: time.getTime(),
    ...(request.iamCaller
      ? {
          authorizer: {
            iam: {
              accessKey: 'AKIAEXAMPLE',
              accountId: '123456789012',
              callerId: 'AIDAEXAMPLE',
              cognitoIdentity: null,
              principalOrgId: 'o-example',
              userArn: 'arn:aws:iam::123456789012:user/analyst',
              userId: 'AIDAEXAMPLE',
            },
          },
        }
      : {}),
  };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString,
    headers,
    ...(joined.size > 0 ? { queryStringParameters: Object.fromEntries(joined) } : {}),
    requestContext,
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}

export const LAMBDA_CONTEXT: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'serve-report',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:serve-report',
  memoryLimitInMB: '512',
  awsRequestId: 'lambda-request-1',
  logGroupName: '/aws/lambda/serve-report',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};
