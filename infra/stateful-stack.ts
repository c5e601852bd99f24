import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
  StorageClass,
  TransitionDefaultMinimumObjectSize,
} from 'aws-cdk-lib/aws-s3';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_SCHEMA } from '#shared/adapters/table-schema.ts';
import { BUCKET_PREFIXES } from '#shared/bucket-layout.ts';
import { dataBucketName } from './constructs/bucket-layout.ts';
import type { StageConfig } from './stage.ts';

export interface StatefulStackProps extends StackProps {
  stage: StageConfig;
}

/** How long a failed ingestion event waits in the dead-letter queue (the SQS maximum). */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The data that must outlive any deployment of the code: the upload/report bucket, the aggregate
 * table and the dead-letter queue of failed ingestion events. In `prod` all three are retained when
 * the stack is deleted.
 */
export class StatefulStack extends Stack {
  readonly bucket: IBucket;
  readonly table: ITable;
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { stage } = props;

    const accessLogs = new Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging can only deliver to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: stage.accessLogExpiration }],
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: stage.autoDeleteObjects,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'DataBucket', {
      bucketName: dataBucketName(stage.name),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Ingestion reads the exact version named in each event; re-uploads never change what an
      // in-flight event reads.
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        {
          // An errors file lives as long as the upload it describes: ingestion overwrites it with
          // the next version's and deletes it when the upload is deleted or re-uploaded clean. On
          // this versioned bucket both leave a noncurrent version, and a delete leaves a delete
          // marker, which stays after that version expired unless removed here.
          id: 'expire-replaced-rejected-rows',
          prefix: BUCKET_PREFIXES.rejected,
          noncurrentVersionExpiration: Duration.days(7),
          expiredObjectDeleteMarker: true,
        },
        {
          // Every report version has its own keys and is never overwritten: the published history
          // is kept on purpose. Versions older than 90 days are rarely read; S3 skips objects
          // under 128 KiB (the bucket's minimum transition size, below which IA costs more).
          id: 'archive-old-report-versions',
          prefix: BUCKET_PREFIXES.reports,
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
          ],
        },
        {
          id: 'expire-replaced-uploads',
          prefix: BUCKET_PREFIXES.uploads,
          noncurrentVersionExpiration: Duration.days(30),
          // `aws s3 rm` of an upload leaves a delete marker alone once its versions expired.
          expiredObjectDeleteMarker: true,
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      transitionDefaultMinimumObjectSize:
        TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      // Only what a browser needs to PUT a CSV to a presigned URL from the report page.
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: [stage.corsAllowOrigin],
          allowedHeaders: [
            'content-type',
            'x-amz-checksum-*',
            'x-amz-sdk-checksum-algorithm',
            'x-amz-meta-profile',
          ],
          maxAge: 3000,
        },
      ],
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: stage.autoDeleteObjects,
    });

    const table = new Table(this, 'AggregateTable', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // An AWS managed key (not the AWS owned default) so key use shows up in CloudTrail.
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
      deletionProtection: stage.tableDeletionProtection,
      removalPolicy: stage.removalPolicy,
    });
    for (const index of TABLE_SCHEMA.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.table = table;

    this.deadLetterQueue = new Queue(this, 'IngestionDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      removalPolicy: stage.removalPolicy,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This is the dead-letter queue of the ingestion queue (stateless stack); a DLQ has no DLQ of its own.',
    });
  }
}
