import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpProblem } from './problem.ts';
import { type QueryContract, readQuery } from './query.ts';
import type { HttpResponse } from './responses.ts';

export type HttpMethod = 'GET' | 'POST';

/**
 * What a route handler gets: the raw event, the path parameters its template captured and the
 * query read against the route's contract.
 */
export interface RoutedRequest {
  event: APIGatewayProxyEventV2;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

export interface Route {
  method: HttpMethod;
  /** Path template, `{name}` captures one segment: `/reports/{year}/compare`. */
  path: string;
  /**
   * The query parameters the route takes: anything else is refused with 400 and every value is
   * checked before `handle` runs. Routes without one (the page's files) ignore the query.
   */
  query?: QueryContract;
  handle: (request: RoutedRequest) => Promise<HttpResponse>;
}

/** Headers a browser may send on cross-origin API calls (answered in preflight). */
const ALLOWED_REQUEST_HEADERS = 'authorization, content-type, if-none-match, accept';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Matches a request to a route. A known path with another method answers 405 with `Allow`; an
 * unknown path 404; OPTIONS answers the preflight of a known path; HEAD runs GET, and the answer
 * keeps its body for the middlewares to see (`httpHeadWithoutBody` drops it last).
 */
export function createRouter(routes: readonly Route[]) {
  const compiled = routes.map((route) => ({ route, match: compilePath(route.path) }));
  return async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = normalizePath(event.rawPath);
    const candidates = compiled
      .map(({ route, match }) => ({ route, params: match(path) }))
      .filter(
        (candidate): candidate is { route: Route; params: Record<string, string> } =>
          candidate.params !== undefined,
      );
    if (candidates.length === 0) {
      throw new HttpProblem(404, `no resource at ${path}`);
    }
    const allowed = [...new Set(candidates.flatMap(({ route }) => allowedMethods(route.method)))];
    if (method === 'OPTIONS') {
      return {
        statusCode: 204,
        headers: {
          'access-control-allow-methods': allowed.join(', '),
          'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
          'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
          'cache-control': `public, max-age=${PREFLIGHT_MAX_AGE_SECONDS}`,
        },
        body: '',
      };
    }
    const lookup = method === 'HEAD' ? 'GET' : method;
    const chosen = candidates.find(({ route }) => route.method === lookup);
    if (!chosen) {
      throw new HttpProblem(405, `${method} is not allowed on ${path}`, {
        headers: { allow: allowed.join(', ') },
      });
    }
    const { route, params } = chosen;
    const query = route.query ? readQuery(route.query, event) : {};
    const response = await route.handle({ event, params, query });
    // A copy: middlewares add headers, and handlers may hand out cached responses.
    return { ...response };
  };
}

function allowedMethods(method: HttpMethod): string[] {
  return method === 'GET' ? ['GET', 'HEAD', 'OPTIONS'] : [method, 'OPTIONS'];
}

/** `/reports/` and `/reports` are the same resource; the stage prefix is never in `rawPath` for `$default`. */
function normalizePath(rawPath: string): string {
  return rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
}

function compilePath(template: string): (path: string) => Record<string, string> | undefined {
  const templateSegments = template.split('/');
  return (path) => {
    const segments = path.split('/');
    if (segments.length !== templateSegments.length) return undefined;
    const params: Record<string, string> = {};
    for (const [index, part] of templateSegments.entries()) {
      const segment = segments[index] ?? '';
      const capture = /^\{(\w+)\}$/.exec(part)?.[1];
      if (capture) {
        if (segment === '') return undefined;
        const decoded = decodeSegment(segment);
        if (decoded === undefined) return undefined;
        params[capture] = decoded;
      } else if (part !== segment) {
        return undefined;
      }
    }
    return params;
  };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
