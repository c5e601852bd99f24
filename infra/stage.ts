import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ReportThresholds } from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS, validateThresholds } from '#shared/domain/report/thresholds.ts';

export const STAGE_NAMES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/**
 * Everything that differs between a throwaway development stack and production. `dev` can be torn
 * down completely with `cdk destroy`; `prod` keeps its data even if a stack is deleted.
 */
export interface StageConfig {
  name: StageName;
  /** For stateful resources (bucket, table, dead-letter queue, log groups). */
  removalPolicy: RemovalPolicy;
  /** Empties the buckets on stack deletion (dev only: prod retains them). */
  autoDeleteObjects: boolean;
  tableDeletionProtection: boolean;
  logRetention: RetentionDays;
  /** How long S3 server access logs are kept. */
  accessLogExpiration: Duration;
  logLevel: 'DEBUG' | 'INFO';
  /** Default-stage throttling of the HTTP API: steady requests per second and burst. */
  apiThrottle: { rateLimit: number; burstLimit: number };
  /** EventBridge schedule of the yearly report (UTC). */
  reportSchedule: string;
  /** Browser origin allowed by the API and the presigned-upload CORS rule. */
  corsAllowOrigin: string;
  /** Optional address subscribed to the alarm topic. */
  alarmEmail?: string;
  /** Privacy and confidence thresholds of the published reports (generate-report's environment). */
  reportThresholds: ReportThresholds;
}

/** 06:00 UTC on 5 January: the previous year's uploads have had a few days to arrive. */
export const DEFAULT_REPORT_SCHEDULE = 'cron(0 6 5 1 ? *)';

const STAGE_DEFAULTS: Record<StageName, Omit<StageConfig, 'reportSchedule' | 'corsAllowOrigin'>> = {
  dev: {
    name: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
    tableDeletionProtection: false,
    logRetention: RetentionDays.TWO_WEEKS,
    accessLogExpiration: Duration.days(30),
    logLevel: 'DEBUG',
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
    reportThresholds: DEFAULT_THRESHOLDS,
  },
  prod: {
    name: 'prod',
    removalPolicy: RemovalPolicy.RETAIN,
    autoDeleteObjects: false,
    tableDeletionProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    accessLogExpiration: Duration.days(365),
    logLevel: 'INFO',
    apiThrottle: { rateLimit: 100, burstLimit: 200 },
    reportThresholds: DEFAULT_THRESHOLDS,
  },
};

/**
 * Reads the stage from CDK context (`-c stage=prod`), plus the optional overrides `reportSchedule`,
 * `corsAllowOrigin` and `alarmEmail`. An unknown stage fails synthesis instead of deploying
 * something half-configured.
 */
export function stageConfigFromContext(scope: Construct): StageConfig {
  const name: unknown = scope.node.tryGetContext('stage') ?? 'dev';
  if (!isStageName(name)) {
    throw new Error(`Unknown stage "${String(name)}": use -c stage=${STAGE_NAMES.join('|')}`);
  }
  const alarmEmail = contextString(scope, 'alarmEmail');
  const defaults = STAGE_DEFAULTS[name];
  return {
    ...defaults,
    // An inconsistent set (publishing smaller cells than it suppresses) fails synthesis.
    reportThresholds: validateThresholds(defaults.reportThresholds),
    reportSchedule: contextString(scope, 'reportSchedule') ?? DEFAULT_REPORT_SCHEDULE,
    corsAllowOrigin: contextString(scope, 'corsAllowOrigin') ?? '*',
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}

function isStageName(value: unknown): value is StageName {
  return STAGE_NAMES.some((stage) => stage === value);
}

function contextString(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string`);
  return value;
}
