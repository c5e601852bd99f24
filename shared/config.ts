import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { isIsoCountryCode } from './domain/report/iso-country-codes.ts';
import type { ReportThresholds } from './domain/report/model.ts';
import { DEFAULT_THRESHOLDS, validateThresholds } from './domain/report/thresholds.ts';
import type { CountryCode } from './domain/taxonomy.ts';
import { ConfigError } from './errors.ts';

/**
 * Runtime configuration, read from the environment once per process. The names are set by the CDK
 * construct that binds each function to its resources, and by local mode; a missing required
 * variable fails at cold start, not at the first request that needs it.
 */
export interface StorageConfig {
  tableName: string;
  bucketName: string;
}

export interface ApiConfig extends StorageConfig {
  /** ISO 3166-1 alpha-2, upper case; checked when the configuration is loaded. */
  reportBaseCountry: CountryCode;
  uploadMaxBytes: number;
  corsAllowOrigin: string;
  /** Local mode only: the bearer token that authorizes POST /uploads. */
  uploadBearerToken?: string;
}

/** Environment variables that override the privacy thresholds (defaults in docs/report.md). */
export const THRESHOLD_ENV = {
  minRespondents: 'REPORT_MIN_RESPONDENTS',
  minRespondentsForOuterPercentiles: 'REPORT_MIN_RESPONDENTS_OUTER_PERCENTILES',
  mediumConfidenceFrom: 'REPORT_MEDIUM_CONFIDENCE_FROM',
  highConfidenceFrom: 'REPORT_HIGH_CONFIDENCE_FROM',
} as const satisfies Record<keyof ReportThresholds, string>;

export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  reportBaseCountry: 'REPORT_BASE_COUNTRY',
  uploadMaxBytes: 'UPLOAD_MAX_BYTES',
  corsAllowOrigin: 'CORS_ALLOW_ORIGIN',
  uploadBearerToken: 'UPLOAD_BEARER_TOKEN',
  stage: 'STAGE',
  ...THRESHOLD_ENV,
} as const;

/**
 * One service name for logs, metrics and traces of every function, so they line up in CloudWatch
 * and X-Ray, and the namespace of the service's own metrics. The CDK construct sets them as
 * Powertools' variables; the runtime falls back to the same values without them (local mode).
 */
/** Powertools reads these itself; the CDK construct sets them on every function. */
export const POWERTOOLS_ENV = {
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

export const OBSERVABILITY = {
  serviceName: 'salary-report',
  metricsNamespace: 'SalaryReport',
} as const;

/**
 * Metrics an alarm watches (the stateless stack alarms on them by these names). A year whose
 * stored aggregates disagree with their pointers cannot be reported until it is repaired.
 */
export const ALARMED_METRICS = {
  reportYearUnreadable: 'ReportYearUnreadable',
} as const;

/** Comparisons are ratios to this country unless configured otherwise. */
export const DEFAULT_REPORT_BASE_COUNTRY = 'US';
/** The largest upload `POST /uploads` will presign: 50 MiB. */
export const DEFAULT_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

/**
 * Each function's timeout and memory, set by the stack (infra/stateless-stack.ts) and used by local
 * mode for every simulated invocation's context: one place, so the two cannot drift.
 */
export const FUNCTION_SETTINGS = {
  ingestUpload: { timeoutSeconds: 10 * 60, memoryMb: 1024 },
  generateReport: { timeoutSeconds: 5 * 60, memoryMb: 1024 },
  /** Below the HTTP API's 30 s integration limit. */
  serveReport: { timeoutSeconds: 15, memoryMb: 512 },
} as const;

export function loadStorageConfig(): StorageConfig {
  return {
    tableName: getStringFromEnv({ key: ENV.tableName }),
    bucketName: getStringFromEnv({ key: ENV.bucketName }),
  };
}

export function loadApiConfig(): ApiConfig {
  const token = process.env[ENV.uploadBearerToken];
  return {
    ...loadStorageConfig(),
    reportBaseCountry: reportBaseCountry(
      getStringFromEnv({ key: ENV.reportBaseCountry, defaultValue: DEFAULT_REPORT_BASE_COUNTRY }),
    ),
    uploadMaxBytes: getNumberFromEnv({
      key: ENV.uploadMaxBytes,
      defaultValue: DEFAULT_UPLOAD_MAX_BYTES,
    }),
    corsAllowOrigin: getStringFromEnv({ key: ENV.corsAllowOrigin, defaultValue: '*' }),
    ...(token ? { uploadBearerToken: token } : {}),
  };
}

/** The privacy thresholds in force: defaults, each overridable; an inconsistent set fails at cold start. */
export function loadReportThresholds(): ReportThresholds {
  const read = (name: keyof ReportThresholds) =>
    getNumberFromEnv({ key: THRESHOLD_ENV[name], defaultValue: DEFAULT_THRESHOLDS[name] });
  return validateThresholds({
    minRespondents: read('minRespondents'),
    minRespondentsForOuterPercentiles: read('minRespondentsForOuterPercentiles'),
    mediumConfidenceFrom: read('mediumConfidenceFrom'),
    highConfidenceFrom: read('highConfidenceFrom'),
  });
}

/** The environment that sets `thresholds` (the CDK stage's setting, or a test's). */
export function thresholdEnvironment(thresholds: ReportThresholds): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, variable] of Object.entries(THRESHOLD_ENV)) {
    variables[variable] = String(thresholds[name as keyof ReportThresholds]);
  }
  return variables;
}

/** The comparisons' default base country: a wrong code fails at cold start, not in every ratio. */
export function reportBaseCountry(value: string): CountryCode {
  const code = value.trim().toUpperCase();
  if (!isIsoCountryCode(code)) {
    throw new ConfigError(
      `${ENV.reportBaseCountry} must be an ISO 3166-1 alpha-2 country code such as US, got ${JSON.stringify(value)}`,
      { variable: ENV.reportBaseCountry, value },
    );
  }
  return code;
}
