import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** One service name for logs, metrics and traces, so they line up in CloudWatch and X-Ray. */
const SERVICE_NAME = process.env.POWERTOOLS_SERVICE_NAME ?? 'salary-report';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({
  serviceName: SERVICE_NAME,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SalaryReport',
});
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
