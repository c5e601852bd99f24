import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { matchesIfNoneMatch } from './etag.ts';
import { PROBLEM_CONTENT_TYPE, problemFor } from './problem.ts';
import type { HttpResponse } from './responses.ts';
import { CACHE_POLICIES } from './responses.ts';

type HttpMiddleware = MiddlewareObj<APIGatewayProxyEventV2, HttpResponse>;

/** A header of the request, whatever case the caller (or a local proxy) wrote its name in. */
export function requestHeader(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/**
 * CORS headers on every response, errors included (browsers hide an error body without them).
 * Preflight answers come from the router, which knows each path's methods.
 */
export function httpCors(options: { allowOrigin: string }): HttpMiddleware {
  const headers: Record<string, string> = {
    'access-control-allow-origin': options.allowOrigin,
    'access-control-expose-headers': 'etag',
  };
  // A single configured origin is still an answer that depends on the request's Origin (caches
  // must not serve it to another origin); `*` does not.
  const varyOn = options.allowOrigin === '*' ? undefined : 'origin';
  const addHeaders: HttpMiddleware['after'] = (request) => {
    if (!request.response) return;
    const { vary } = request.response.headers;
    const merged = varyOn ? mergeVary(vary === undefined ? undefined : String(vary), varyOn) : vary;
    request.response.headers = {
      ...request.response.headers,
      ...headers,
      ...(merged !== undefined ? { vary: merged } : {}),
    };
  };
  return { name: 'httpCors', after: addHeaders, onError: addHeaders };
}

/** `Vary` naming both the response's own fields and `field` (once, whatever its case). */
export function mergeVary(existing: string | undefined, field: string): string {
  const fields = (existing ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (fields.includes('*')) return '*';
  return fields.some((name) => name.toLowerCase() === field.toLowerCase())
    ? fields.join(', ')
    : [...fields, field].join(', ');
}

/**
 * Every thrown error becomes an `application/problem+json` response (headers only for HEAD);
 * internal errors are logged with their stack and answered with a generic 500 body.
 */
export function httpProblemErrors(options: {
  logError: (message: string, context: Record<string, unknown>) => void;
}): HttpMiddleware {
  return {
    name: 'httpProblemErrors',
    onError: (request) => {
      const { problem, headers, internal } = problemFor(request.error);
      if (internal) {
        options.logError('request failed', {
          error: request.error,
          routeKey: request.event.routeKey,
          path: request.event.rawPath,
        });
      }
      request.response = {
        statusCode: problem.status,
        headers: {
          'content-type': PROBLEM_CONTENT_TYPE,
          'cache-control': CACHE_POLICIES.never,
          ...headers,
        },
        // A HEAD answer never has a body, not even a problem document.
        body: request.event.requestContext.http.method === 'HEAD' ? '' : JSON.stringify(problem),
      };
    },
  };
}

/**
 * HEAD answers as GET does, without the body: the router runs the GET route and keeps its body
 * until every other middleware has seen it (so a HEAD gets GET's `Content-Encoding`, weak ETag and
 * `Vary` for the same `Accept-Encoding`), and this, used first so it runs last, drops it.
 */
export function httpHeadWithoutBody(): HttpMiddleware {
  const dropBody: HttpMiddleware['after'] = (request) => {
    const { response, event } = request;
    if (!response || event.requestContext.http.method.toUpperCase() !== 'HEAD') return;
    request.response = { ...response, body: '', isBase64Encoded: false };
  };
  return { name: 'httpHeadWithoutBody', after: dropBody, onError: dropBody };
}

/** `If-None-Match` naming the current ETag of a GET/HEAD answer: 304 with the validators only. */
export function httpConditionalGet(): HttpMiddleware {
  return {
    name: 'httpConditionalGet',
    after: (request) => {
      const { response, event } = request;
      const method = event.requestContext.http.method;
      const etag = response?.headers.etag;
      if (response?.statusCode !== 200 || typeof etag !== 'string') return;
      if (method !== 'GET' && method !== 'HEAD') return;
      if (!matchesIfNoneMatch(requestHeader(event, 'if-none-match'), etag)) return;
      const { 'cache-control': cacheControl, vary } = response.headers;
      request.response = {
        statusCode: 304,
        headers: {
          etag,
          ...(cacheControl !== undefined ? { 'cache-control': cacheControl } : {}),
          ...(vary !== undefined ? { vary } : {}),
        },
        body: '',
      };
    },
  };
}
