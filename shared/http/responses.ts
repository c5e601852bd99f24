import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { etagOf } from './etag.ts';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string | number | boolean>;
};

/** How long clients and CDNs may reuse each kind of answer. */
export const CACHE_POLICIES = {
  /** A year's current report changes only when it is regenerated. */
  report: 'public, max-age=300, stale-while-revalidate=60',
  /** Ingestion records move while files are uploaded. */
  uploads: 'public, max-age=30',
  openapi: 'public, max-age=3600',
  page: 'public, max-age=300',
  never: 'no-store',
} as const;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** A cacheable representation: body, content type, cache policy and a strong ETag. */
export function representation(
  body: string,
  contentType: string,
  cacheControl: string,
  etag = etagOf(body),
  extraHeaders: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': contentType,
      'cache-control': cacheControl,
      etag,
      ...extraHeaders,
    },
    body,
  };
}

export function jsonRepresentation(value: unknown, cacheControl: string): HttpResponse {
  return representation(JSON.stringify(value), JSON_CONTENT_TYPE, cacheControl);
}
