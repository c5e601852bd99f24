import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { dynamoClient, s3Client } from '#shared/adapters/aws-clients.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { DynamoReportPointerStore } from '#shared/adapters/report-store-dynamo.ts';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { ALARMED_METRICS, loadApiConfig, loadReportThresholds } from '#shared/config.ts';
import { normalizationUsedFor } from '#shared/domain/report/normalization-used.ts';
import { previousYear } from '#shared/domain/report/years.ts';
import { ValidationError } from '#shared/errors.ts';
import { logger, metrics, observedHandler } from '#shared/observability.ts';
import type { PublishedReport } from '#shared/ports/report-store.ts';
import {
  type GenerateReportDependencies,
  generateReport,
} from '#shared/use-cases/generate-report.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { InconsistentYearError } from '#shared/use-cases/ingestion/year-reads.ts';
import { loadNormalizationRules } from '#shared/use-cases/load-rules.ts';

/**
 * What starts a generation: `{ "year": 2025 }` on demand (CLI, console), or the EventBridge
 * schedule's event, which carries its `time` and no year: the year before that time is reported.
 * A new version is published only when the report's content changed; `"regenerate": true`
 * publishes one anyway.
 */
export interface GenerateReportEvent {
  year?: number | string;
  time?: string;
  regenerate?: boolean;
}

export interface GenerateReportOutcome extends PublishedReport {
  /** False when a later version was made current while this one was generated. */
  current: boolean;
  /** False when the current version already had this content: it is the one returned. */
  generated: boolean;
}

export function yearToGenerate(event: GenerateReportEvent, now: Date): number {
  if (event.year === undefined) {
    const time = event.time ? new Date(event.time) : now;
    return previousYear(Number.isNaN(time.getTime()) ? now : time);
  }
  const year = typeof event.year === 'number' ? event.year : Number(event.year);
  if (!Number.isInteger(year)) {
    throw new ValidationError(`"year" must be a whole year, got ${JSON.stringify(event.year)}`);
  }
  return year;
}

/**
 * The plain handler: one generation, logged with its outcome. A year whose stored aggregates
 * disagree with their pointers fails with the files and runs named, and counts as
 * `ReportYearUnreadable` (alarmed): a stuck year is noticed, never retried in a loop.
 */
export async function generateReportHandler(
  event: GenerateReportEvent,
  deps: GenerateReportDependencies,
): Promise<GenerateReportOutcome> {
  const year = yearToGenerate(event ?? {}, deps.now());
  if (event?.regenerate !== undefined && typeof event.regenerate !== 'boolean') {
    throw new ValidationError(
      `"regenerate" must be true or false, got ${JSON.stringify(event.regenerate)}`,
    );
  }
  let outcome: Awaited<ReturnType<typeof generateReport>>;
  try {
    outcome = await generateReport(year, deps, { regenerate: event?.regenerate === true });
  } catch (error) {
    if (error instanceof InconsistentYearError) {
      metrics.addMetric(ALARMED_METRICS.reportYearUnreadable, MetricUnit.Count, 1);
      logger.error('the year cannot be read: repair it with salary-report repair', {
        year,
        files: error.disagreements,
      });
    }
    throw error;
  }
  const { published, current, generated } = outcome;
  logger.info(generated ? 'report published' : 'report unchanged', {
    ...published,
    current,
    generated,
  });
  if (generated) {
    metrics.addMetric('ReportsPublished', MetricUnit.Count, 1);
    metrics.addMetric('ReportRespondents', MetricUnit.Count, published.counts.respondents);
    metrics.addMetric('ReportSuppressedCells', MetricUnit.Count, published.counts.suppressedCells);
  }
  return { ...published, current, generated };
}

/** Production wiring, from the environment the CDK construct sets. */
export function createGenerateReportDependencies(
  s3: S3Client,
  dynamo: DynamoDBClient,
  config = loadApiConfig(),
): GenerateReportDependencies {
  const objects = new S3ObjectStore(s3, config.bucketName);
  return {
    aggregates: new IngestionProtocol(new DynamoConditionalStore(dynamo, config.tableName)),
    snapshots: new S3ReportSnapshotStore(s3, config.bucketName),
    pointers: new DynamoReportPointerStore(dynamo, config.tableName),
    normalizationUsed: async (year) =>
      normalizationUsedFor(await loadNormalizationRules(objects), year),
    baseCountry: config.reportBaseCountry,
    thresholds: loadReportThresholds(),
    now: () => new Date(),
  };
}

const dependencies = createGenerateReportDependencies(s3Client(), dynamoClient('background'));

export const handler = observedHandler((event: GenerateReportEvent) =>
  generateReportHandler(event, dependencies),
);
