import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamoClient, s3Client } from '#shared/adapters/aws-clients.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { parseIngestionMessage } from '#shared/adapters/s3-notification-messages.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { TempFileRejectionLog } from '#shared/adapters/temp-file-rejection-log.ts';
import { loadStorageConfig } from '#shared/config.ts';
import { logger, metrics, observedHandler } from '#shared/observability.ts';
import {
  type IngestDependencies,
  type IngestOutcome,
  ingestObjectEvent,
} from '#shared/use-cases/ingest-upload.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';

/**
 * SQS → ingestion, through Powertools' batch processor: each message carries one S3 notification; a
 * message that fails is reported in `batchItemFailures` so SQS retries only it (and, after
 * maxReceiveCount, parks it in the dead-letter queue).
 */
export async function ingestUploads(
  event: SQSEvent,
  deps: IngestDependencies,
): Promise<SQSBatchResponse> {
  return processPartialResponse(
    event,
    (message: SQSRecord) => ingestMessage(message, deps),
    new BatchProcessor(EventType.SQS),
    {
      // One message after the other, in the order SQS handed them over (events of one key that
      // share a batch are applied in their order; one file at a time in memory and /tmp).
      processInParallel: false,
      // A batch whose every message failed is answered like any other: each message is retried
      // on its own, and the invocation is not a function error.
      throwOnFullBatchFailure: false,
    },
  );
}

/** Applies the object events of one message; a failure is logged with its reason, then rethrown. */
async function ingestMessage(message: SQSRecord, deps: IngestDependencies): Promise<void> {
  try {
    for (const objectEvent of parseIngestionMessage(message)) {
      const outcome = await ingestObjectEvent(objectEvent, deps);
      logger.info('s3 event applied', { messageId: message.messageId, ...outcome });
      recordOutcome(outcome);
    }
  } catch (error) {
    logger.error('s3 event failed; it will be retried', {
      messageId: message.messageId,
      error: error as Error,
    });
    throw error;
  }
}

/** One count per outcome kind, plus the rows of ingested files, as CloudWatch metrics. */
function recordOutcome(outcome: IngestOutcome): void {
  metrics.addMetric(`Events_${outcome.kind}`, MetricUnit.Count, 1);
  if (outcome.kind === 'ingested' || outcome.kind === 'rejected') {
    metrics.addMetric('RowsAccepted', MetricUnit.Count, outcome.accepted);
    metrics.addMetric('RowsRejected', MetricUnit.Count, outcome.rejected);
  }
}

/** Production wiring, from the environment the CDK construct sets. */
export function createIngestDependencies(
  s3: S3Client,
  dynamo: DynamoDBClient,
  config = loadStorageConfig(),
): IngestDependencies {
  const objects = new S3ObjectStore(s3, config.bucketName);
  return {
    objects,
    store: new IngestionProtocol(new DynamoConditionalStore(dynamo, config.tableName)),
    newRejectionLog: () => new TempFileRejectionLog(objects),
    newRunId: () => randomUUID().slice(0, 8),
    now: () => new Date(),
    log: (message, context) => logger.info(message, context),
  };
}

const dependencies = createIngestDependencies(s3Client(), dynamoClient('background'));

export const handler = observedHandler((event: SQSEvent) => ingestUploads(event, dependencies));
