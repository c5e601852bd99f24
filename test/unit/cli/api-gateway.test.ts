import { describe, expect, it } from 'vitest';
import {
  type LocalHttpRequest,
  localLambdaContext,
  toApiGatewayEvent,
} from '#cli/local/api-gateway.ts';
import { FUNCTION_SETTINGS } from '#shared/config.ts';

const receivedAt = new Date('2026-03-01T12:34:56.000Z');

function request(overrides: Partial<LocalHttpRequest>): LocalHttpRequest {
  return {
    method: 'GET',
    url: '/',
    headers: { host: '127.0.0.1:3000' },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    receivedAt,
    ...overrides,
  };
}

describe('toApiGatewayEvent', () => {
  it('keeps the raw path and query string and joins repeated parameters with commas', () => {
    const event = toApiGatewayEvent(
      request({ url: '/reports/2025?country=MX&country=US&role=back%20end' }),
    );

    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('$default');
    expect(event.rawPath).toBe('/reports/2025');
    expect(event.rawQueryString).toBe('country=MX&country=US&role=back%20end');
    expect(event.queryStringParameters).toEqual({ country: 'MX,US', role: 'back end' });
    expect(event.requestContext.http).toMatchObject({ method: 'GET', path: '/reports/2025' });
    expect(event.requestContext.time).toBe('01/Mar/2026:12:34:56 +0000');
    expect(event.requestContext.timeEpoch).toBe(receivedAt.getTime());
  });

  it('lower-cases header names, joins repeated headers and splits cookies out', () => {
    const event = toApiGatewayEvent(
      request({
        headers: {
          Host: 'localhost',
          'If-None-Match': '"a"',
          'X-Forwarded-For': ['1.1.1.1', '2.2.2.2'],
          Cookie: 'theme=dark; lang=es',
        },
      }),
    );

    expect(event.headers).toEqual({
      host: 'localhost',
      'if-none-match': '"a"',
      'x-forwarded-for': '1.1.1.1,2.2.2.2',
    });
    expect(event.cookies).toEqual(['theme=dark', 'lang=es']);
    expect(event.queryStringParameters).toBeUndefined();
  });

  it('passes a JSON body as text and a binary body base64-encoded', () => {
    const json = toApiGatewayEvent(
      request({
        method: 'post',
        url: '/uploads',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"year":2025}'),
      }),
    );
    const binary = toApiGatewayEvent(
      request({
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from([0, 255]),
      }),
    );

    expect(json).toMatchObject({ body: '{"year":2025}', isBase64Encoded: false });
    expect(json.requestContext.http.method).toBe('POST');
    expect(binary).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
  });

  it('omits the body of a request without one', () => {
    const event = toApiGatewayEvent(request({}));

    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });
});

describe('localLambdaContext', () => {
  const settings = FUNCTION_SETTINGS.serveReport;

  it("counts down the function's timeout from the moment the invocation starts", () => {
    let now = 1_000_000;
    const context = localLambdaContext('api', settings, () => now);

    expect(context.getRemainingTimeInMillis()).toBe(settings.timeoutSeconds * 1000);
    expect(context.memoryLimitInMB).toBe(String(settings.memoryMb));
    now += 4_000;
    expect(context.getRemainingTimeInMillis()).toBe(settings.timeoutSeconds * 1000 - 4_000);
    now += settings.timeoutSeconds * 1000;
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });

  it('gives a later invocation its own full deadline and request id', () => {
    let now = 0;
    const first = localLambdaContext('api', settings, () => now);
    now += 10 * settings.timeoutSeconds * 1000;
    const later = localLambdaContext('api', settings, () => now);

    expect(first.getRemainingTimeInMillis()).toBe(0);
    expect(later.getRemainingTimeInMillis()).toBe(settings.timeoutSeconds * 1000);
    expect(later.awsRequestId).not.toBe(first.awsRequestId);
  });
});
