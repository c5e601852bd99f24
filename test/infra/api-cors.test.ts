import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { API_CORS } from '#infra/stateless-stack.ts';
import { httpCors } from '#shared/http/middleware.ts';
import type { HttpResponse } from '#shared/http/responses.ts';
import { createRouter } from '#shared/http/router.ts';
import { apiEvent, LAMBDA_CONTEXT } from '#test/integration/api/api-events.ts';

const ok = async (): Promise<HttpResponse> => ({ statusCode: 200, headers: {}, body: '' });

/** The handler's own CORS answers, for one GET and one POST path like the real API's. */
async function handlerCors() {
  const route = createRouter([
    { method: 'GET', path: '/reports', handle: ok },
    { method: 'POST', path: '/uploads', handle: ok },
  ]);
  const preflights = await Promise.all(
    ['/reports', '/uploads'].map((path) => route(apiEvent({ method: 'OPTIONS', path }))),
  );
  const list = (value: unknown) => String(value ?? '').split(/,\s*/);
  const withCors = middy((_event: APIGatewayProxyEventV2) => ok()).use(
    httpCors({ allowOrigin: '*' }),
  );
  const response = await withCors(apiEvent({ method: 'GET', path: '/reports' }), LAMBDA_CONTEXT);
  return {
    methods: preflights.flatMap((preflight) =>
      list(preflight.headers['access-control-allow-methods']),
    ),
    headers: preflights.flatMap((preflight) =>
      list(preflight.headers['access-control-allow-headers']),
    ),
    maxAgeSeconds: preflights.map((preflight) =>
      Number(preflight.headers['access-control-max-age']),
    ),
    exposed: list(response.headers['access-control-expose-headers']),
  };
}

/**
 * In AWS, API Gateway answers preflights and overrides the handler's CORS headers, so its
 * configuration must allow at least what the handler allows (local mode runs the handler's).
 */
describe('the HTTP API CORS configuration', () => {
  it('allows every method the handler answers preflights for', async () => {
    const { methods } = await handlerCors();
    expect(API_CORS.allowMethods).toEqual(expect.arrayContaining([...new Set(methods)]));
  });

  it('allows every request header the handler allows, plus the SigV4 headers of POST /uploads', async () => {
    const { headers } = await handlerCors();
    expect(API_CORS.allowHeaders).toEqual(
      expect.arrayContaining([
        ...new Set(headers),
        'if-none-match',
        'authorization',
        'content-type',
        'x-amz-date',
        'x-amz-security-token',
        'x-amz-content-sha256',
      ]),
    );
  });

  it('exposes exactly the response headers the handler exposes', async () => {
    const { exposed } = await handlerCors();
    expect([...API_CORS.exposeHeaders].sort()).toEqual([...new Set(exposed)].sort());
  });

  it('caches preflights as long as the handler says', async () => {
    const { maxAgeSeconds } = await handlerCors();
    expect(new Set(maxAgeSeconds)).toEqual(new Set([API_CORS.maxAge.toSeconds()]));
  });
});
