import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requestHeader } from './middleware.ts';
import { HttpProblem } from './problem.ts';

/**
 * Who may ask for an upload URL. In AWS the route uses IAM authorization, so API Gateway only
 * invokes us for signed callers and says so in `requestContext.authorizer.iam`. In local mode a
 * configured bearer token stands in for IAM. Anything else is refused (401), failing closed.
 */
export function assertUploadAuthorized(
  event: APIGatewayProxyEventV2,
  bearerToken: string | undefined,
): void {
  const context = event.requestContext as { authorizer?: { iam?: unknown } };
  if (context.authorizer?.iam) return;
  const presented = /^Bearer\s+(\S+)$/i.exec(requestHeader(event, 'authorization') ?? '')?.[1];
  if (bearerToken && presented && sameSecret(presented, bearerToken)) return;
  throw new HttpProblem(
    401,
    presented ? 'the bearer token is not valid' : 'uploads need authorization',
    { headers: { 'www-authenticate': 'Bearer realm="uploads"' } },
  );
}

/** Constant-time comparison of two secrets of any length (hashing first equalizes the lengths). */
function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
