import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { OBSERVABILITY, POWERTOOLS_ENV } from './config.ts';

const SERVICE_NAME = process.env[POWERTOOLS_ENV.serviceName] ?? OBSERVABILITY.serviceName;

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({
  serviceName: SERVICE_NAME,
  namespace: process.env[POWERTOOLS_ENV.metricsNamespace] ?? OBSERVABILITY.metricsNamespace,
});
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
