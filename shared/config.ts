import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { isIsoCountryCode } from './domain/report/countries.ts';
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

export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  reportBaseCountry: 'REPORT_BASE_COUNTRY',
  uploadMaxBytes: 'UPLOAD_MAX_BYTES',
  corsAllowOrigin: 'CORS_ALLOW_ORIGIN',
  uploadBearerToken: 'UPLOAD_BEARER_TOKEN',
  stage: 'STAGE',
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
