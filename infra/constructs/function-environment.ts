import { ENV } from '#shared/config.ts';

/**
 * Names of the environment variables the functions read. The application's own names are defined in
 * `shared/config.ts` (the runtime reads them there); Powertools reads its own, listed here. Values are
 * set only by `SalaryReportFunction`: its defaults and its `bind*` helpers.
 */
export const FUNCTION_ENV = {
  ...ENV,
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  powertoolsLogLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

/** One service name for logs, metrics and traces of every function. */
export const SERVICE_NAME = 'salary-report';
export const METRICS_NAMESPACE = 'SalaryReport';
