import { ENV, POWERTOOLS_ENV } from '#shared/config.ts';

/**
 * Names of the environment variables the functions read, all defined in `shared/config.ts` (the
 * application's own, which the runtime reads there, and Powertools'). Values are set only by
 * `SalaryReportFunction`: its defaults and its `bind*` helpers.
 */
export const FUNCTION_ENV = {
  ...ENV,
  powertoolsServiceName: POWERTOOLS_ENV.serviceName,
  powertoolsMetricsNamespace: POWERTOOLS_ENV.metricsNamespace,
  powertoolsLogLevel: POWERTOOLS_ENV.logLevel,
} as const;
