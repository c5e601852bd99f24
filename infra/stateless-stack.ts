import { join } from 'node:path';
import { CfnOutput, Duration, Size, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BUCKET_PREFIXES } from '#shared/bucket-layout.ts';
import {
  ALARMED_METRICS,
  DEFAULT_REPORT_BASE_COUNTRY,
  DEFAULT_UPLOAD_MAX_BYTES,
  FUNCTION_SETTINGS,
  OBSERVABILITY,
  thresholdEnvironment,
} from '#shared/config.ts';
import { dataBucketName } from './constructs/bucket-layout.ts';
import { FUNCTION_ENV } from './constructs/function-environment.ts';
import { PROJECT_ROOT, SalaryReportFunction } from './constructs/salary-report-function.ts';
import type { StageConfig } from './stage.ts';

export interface StatelessStackProps extends StackProps {
  stage: StageConfig;
  table: ITable;
  deadLetterQueue: IQueue;
}

/** Ingestion: the tuning that keeps DynamoDB from being stampeded and retries bounded. */
export const INGESTION = {
  functionTimeout: Duration.seconds(FUNCTION_SETTINGS.ingestUpload.timeoutSeconds),
  /** AWS guidance for SQS event sources: at least six times the function timeout. */
  visibilityTimeoutFactor: 6,
  /** Receives of one message before it is parked in the dead-letter queue. */
  maxReceiveCount: 5,
  batchSize: 5,
  /** Concurrent function instances the queue may drive. */
  maxConcurrency: 5,
} as const;

/** The API's maximum presigned upload size. */
export const UPLOAD_MAX_BYTES = DEFAULT_UPLOAD_MAX_BYTES;

/** Routes answered by serve-report without authorization: the public, aggregated report. */
export const PUBLIC_ROUTES = [
  '/',
  '/app.js',
  '/app.css',
  '/openapi.json',
  '/reports',
  '/reports/{year}',
  '/reports/{year}/compare',
  '/reports/{year}/uploads',
] as const;

/**
 * CORS of the HTTP API. In AWS, API Gateway answers every preflight and overrides the CORS headers
 * of the handler's responses, so this must allow what the handler allows (its router's preflight
 * answer and its `httpCors` middleware in `shared/http`, which export no constant for them; a test
 * checks the two agree) plus the SigV4 headers of the IAM-authorized `POST /uploads`.
 */
export const API_CORS = {
  allowMethods: [
    CorsHttpMethod.GET,
    CorsHttpMethod.HEAD,
    CorsHttpMethod.POST,
    CorsHttpMethod.OPTIONS,
  ],
  allowHeaders: [
    'accept',
    'authorization',
    'content-type',
    'if-none-match',
    'x-amz-content-sha256',
    'x-amz-date',
    'x-amz-security-token',
  ],
  /** What the handler exposes: the ETag of a report, for conditional requests. */
  exposeHeaders: ['etag'],
  maxAge: Duration.minutes(10),
} as const;

/** The construct id CDK gives its singleton bucket-notification handler. */
const BUCKET_NOTIFICATIONS_HANDLER_ID =
  'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

const PUBLIC_ROUTE_ACKNOWLEDGMENT = {
  id: 'AwsSolutions-APIG4',
  reason:
    'The report is public by design: aggregated statistics above the privacy threshold. Only POST /uploads, which accepts data, requires (IAM) authorization.',
};

function functionEntry(name: string): string {
  return join(PROJECT_ROOT, 'functions', `${name}.ts`);
}

/** The country comparisons are ratios to. */
const REPORT_BASE_COUNTRY = DEFAULT_REPORT_BASE_COUNTRY;

/**
 * The code and its wiring, replaceable at any time without touching data: the ingestion queue
 * and function, the yearly report job, the HTTP API and the alarms.
 */
export class StatelessStack extends Stack {
  readonly ingestFunction: SalaryReportFunction;
  readonly reportFunction: SalaryReportFunction;
  readonly apiFunction: SalaryReportFunction;
  readonly ingestionQueue: Queue;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stage, table, deadLetterQueue } = props;
    // Addressed by its deterministic name: see dataBucketName.
    const bucket = Bucket.fromBucketName(this, 'DataBucket', dataBucketName(stage.name));

    this.ingestFunction = new SalaryReportFunction(this, 'IngestUpload', {
      entry: functionEntry('ingest-upload'),
      description: 'Aggregates each uploaded survey CSV (S3 events via SQS) into DynamoDB',
      stage,
      memorySize: FUNCTION_SETTINGS.ingestUpload.memoryMb,
      timeout: INGESTION.functionTimeout,
      // Rejected rows are spooled to /tmp before being uploaded as one errors file.
      ephemeralStorageSize: Size.gibibytes(2),
    })
      // The ingestion protocol over DynamoConditionalStore: ingestion records and year pointers
      // (GetItem, conditional PutItem), partials (BatchWriteItem puts and deletes, Query).
      .bindTable(table, {
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:BatchWriteItem',
        ],
      })
      .bindBucket(bucket, {
        objects: [
          // GetObject also authorizes HeadObject (finding the current version after a removal).
          { prefix: BUCKET_PREFIXES.uploads, actions: ['s3:GetObject', 's3:GetObjectVersion'] },
          { prefix: BUCKET_PREFIXES.config, actions: ['s3:GetObject'] },
          { prefix: BUCKET_PREFIXES.rejected, actions: ['s3:PutObject', 's3:DeleteObject'] },
        ],
        // Ingestion must tell "the object is gone" (404: a later event covers it) from "forbidden"
        // (403: a real failure, retried); S3 answers 404 for a missing key only to a caller allowed to
        // list the bucket. It also lists config/ for the rules in force.
        list: 'any-key',
      });

    this.reportFunction = new SalaryReportFunction(this, 'GenerateReport', {
      entry: functionEntry('generate-report'),
      description: 'Computes and publishes the yearly salary report (schedule or on demand)',
      stage,
      memorySize: FUNCTION_SETTINGS.generateReport.memoryMb,
      timeout: Duration.seconds(FUNCTION_SETTINGS.generateReport.timeoutSeconds),
      environment: {
        [FUNCTION_ENV.reportBaseCountry]: REPORT_BASE_COUNTRY,
        ...thresholdEnvironment(stage.reportThresholds),
      },
    })
      // readYear of the ingestion protocol (Query); DynamoReportPointerStore: the previous year's
      // current pointer (GetItem), the new version and current pointer (PutItem).
      .bindTable(table, { actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'] })
      .bindBucket(bucket, {
        objects: [
          // Reads the previous year's report for the year-over-year change.
          { prefix: BUCKET_PREFIXES.reports, actions: ['s3:PutObject', 's3:GetObject'] },
          // The report states the exchange rates and rules in force (operator overrides).
          { prefix: BUCKET_PREFIXES.config, actions: ['s3:GetObject'] },
        ],
        list: { prefixes: [BUCKET_PREFIXES.config] },
      });

    this.apiFunction = new SalaryReportFunction(this, 'ServeReport', {
      entry: functionEntry('serve-report'),
      description: 'HTTP API: the report page, report JSON and presigned CSV uploads',
      stage,
      memorySize: FUNCTION_SETTINGS.serveReport.memoryMb,
      timeout: Duration.seconds(FUNCTION_SETTINGS.serveReport.timeoutSeconds),
      // The report page's build, served from the function's working directory.
      bundledDirectories: ['web/dist'],
      environment: {
        [FUNCTION_ENV.reportBaseCountry]: REPORT_BASE_COUNTRY,
        [FUNCTION_ENV.uploadMaxBytes]: String(UPLOAD_MAX_BYTES),
        [FUNCTION_ENV.corsAllowOrigin]: stage.corsAllowOrigin,
      },
    })
      // DynamoReportPointerStore: a year's current report (GetItem), the list of years (Query on
      // GSI1); listIngestionRecords(year) of the ingestion protocol: pointers (Query), records
      // (BatchGetItem).
      .bindTable(table, {
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        queryIndexes: ['GSI1'],
      })
      .bindBucket(bucket, {
        objects: [
          { prefix: BUCKET_PREFIXES.reports, actions: ['s3:GetObject'] },
          // Only to sign the presigned PUT URLs of POST /uploads; the browser does the upload.
          { prefix: BUCKET_PREFIXES.uploads, actions: ['s3:PutObject'] },
        ],
      });

    this.ingestionQueue = this.createIngestionPipeline(bucket, deadLetterQueue);
    this.createReportSchedule(stage);
    const { api, url } = this.createApi(stage);
    this.api = api;
    this.createAlarms(stage, deadLetterQueue);

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the report API and page',
      value: url,
    });
    new CfnOutput(this, 'ReportFunctionName', {
      description: 'Invoke with {"year": 2025} to regenerate a report on demand',
      value: this.reportFunction.functionName,
    });
  }

  private createIngestionPipeline(bucket: IBucket, deadLetterQueue: IQueue): Queue {
    const queue = new Queue(this, 'IngestionQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(
        INGESTION.functionTimeout.toSeconds() * INGESTION.visibilityTimeoutFactor,
      ),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: INGESTION.maxReceiveCount },
    });

    // On the imported bucket, so the notification custom resource lives in this stack: the queue
    // is here, and the stateful stack must not depend back on this one.
    // Prefix only: S3's suffix filter is case-sensitive, so `Survey.CSV` would vanish without a
    // trace. The handler takes `.csv` in any case and logs every other key it ignores.
    const uploadsFilter = { prefix: BUCKET_PREFIXES.uploads };
    bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue), uploadsFilter);
    bucket.addEventNotification(EventType.OBJECT_REMOVED, new SqsDestination(queue), uploadsFilter);
    this.acknowledgeNotificationHandler();

    this.ingestFunction.addEventSource(
      new SqsEventSource(queue, {
        batchSize: INGESTION.batchSize,
        maxConcurrency: INGESTION.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    return queue;
  }

  /** CDK's own deploy-time handler that writes the bucket's notification configuration. */
  private acknowledgeNotificationHandler(): void {
    const handler = this.node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
    if (!handler) throw new Error('The bucket notification handler was not created');
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's bucket-notification custom resource handler (runs only during deployment) logs through the AWS managed basic execution policy; its S3 permission is scoped to this bucket.",
    });
  }

  private createReportSchedule(stage: StageConfig): void {
    new Rule(this, 'YearlyReportSchedule', {
      description: 'Publishes the previous year report once a year',
      schedule: Schedule.expression(stage.reportSchedule),
      // The event's time, which the function reads to report on the year before it (a retried
      // delivery keeps the year even if it lands after New Year).
      targets: [
        new LambdaFunction(this.reportFunction, {
          event: RuleTargetInput.fromObject({ time: EventField.time }),
          retryAttempts: 2,
        }),
      ],
    });
  }

  private createApi(stage: StageConfig): { api: HttpApi; url: string } {
    const api = new HttpApi(this, 'ReportApi', {
      description: `Salary report API (${stage.name})`,
      createDefaultStage: false,
      // API Gateway answers preflights itself and replaces the handler's CORS headers with these.
      corsPreflight: {
        allowOrigins: [stage.corsAllowOrigin],
        allowMethods: [...API_CORS.allowMethods],
        allowHeaders: [...API_CORS.allowHeaders],
        exposeHeaders: [...API_CORS.exposeHeaders],
        maxAge: API_CORS.maxAge,
      },
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    const apiStage = new HttpStage(this, 'ReportApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: stage.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            caller: '$context.identity.userArn',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('ServeReportIntegration', this.apiFunction);
    for (const path of PUBLIC_ROUTES) {
      for (const route of api.addRoutes({ path, methods: [HttpMethod.GET], integration })) {
        Validations.of(route).acknowledge(PUBLIC_ROUTE_ACKNOWLEDGMENT);
      }
    }
    api.addRoutes({
      path: '/uploads',
      methods: [HttpMethod.POST],
      integration,
      authorizer: new HttpIamAuthorizer(),
    });
    // Unknown paths and methods reach the handler, which answers 404/405 as problem+json.
    for (const route of api.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.ANY],
      integration,
    })) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The catch-all only lets the handler answer unknown paths and methods with 404/405; it serves no data.',
      });
    }
    return { api, url: apiStage.url };
  }

  private createAlarms(stage: StageConfig, deadLetterQueue: IQueue): void {
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `Salary report alarms (${stage.name})`,
      enforceSSL: true,
    });
    // enforceSSL replaces the default topic policy, so CloudWatch must be allowed explicitly.
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`,
          },
        },
      }),
    );
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and states only, no survey data; encrypting them would need a customer managed KMS key open to CloudWatch.',
    });
    if (stage.alarmEmail) topic.addSubscription(new EmailSubscription(stage.alarmEmail));

    const alarms: { id: string; description: string; metric: IMetric; alarmName?: string }[] = [
      {
        id: 'DeadLetterQueueNotEmpty',
        description: 'S3 events failed ingestion 5 times and wait in the dead-letter queue',
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
      },
      ...[this.ingestFunction, this.reportFunction, this.apiFunction].map((fn) => ({
        id: `${fn.node.id}Errors`,
        description: `${fn.node.id} reported function errors`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      })),
      {
        id: 'ReportYearUnreadable',
        alarmName: `salary-report-${stage.name}-report-year-unreadable`,
        description:
          "A year's stored aggregates disagree with their pointers: report generation refused it " +
          'and its log names the files; run `salary-report repair <year>` (docs/data-model.md)',
        // Emitted by generate-report (EMF, Powertools' `service` dimension).
        metric: new Metric({
          namespace: OBSERVABILITY.metricsNamespace,
          metricName: ALARMED_METRICS.reportYearUnreadable,
          dimensionsMap: { service: OBSERVABILITY.serviceName },
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
      },
    ];
    for (const { id, description, metric, alarmName } of alarms) {
      const alarm = new Alarm(this, id, {
        ...(alarmName ? { alarmName } : {}),
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new SnsAction(topic));
    }
  }
}
