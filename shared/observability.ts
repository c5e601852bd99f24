import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { OBSERVABILITY, POWERTOOLS_ENV } from './config.ts';

const SERVICE_NAME = process.env[POWERTOOLS_ENV.serviceName] ?? OBSERVABILITY.serviceName;

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({
  serviceName: SERVICE_NAME,
  namespace: process.env[POWERTOOLS_ENV.metricsNamespace] ?? OBSERVABILITY.metricsNamespace,
  // Its own warnings (an invocation without metrics, a bad dimension) as structured log lines.
  logger,
});
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

export interface ObservedHandlerOptions {
  /**
   * Whether the handler's result is added to its trace segment. Off for large results (an HTTP
   * answer carries a whole report; a segment document is limited to 64 KB).
   */
  captureResponse?: boolean;
}

/**
 * Every function's entry point: the plain handler inside Powertools' middlewares. The logger
 * carries the Lambda context and the cold start (state cleared between invocations); the tracer
 * records the handler as a subsegment annotated with the cold start and the service; the metrics
 * the handler added are published when it ends, with a `ColdStart` metric per cold start.
 */
export function observedHandler<TEvent, TResult>(
  handler: (event: TEvent, context: Context) => Promise<TResult>,
  options: ObservedHandlerOptions = {},
) {
  return middy(handler)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: options.captureResponse ?? true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
