import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARMED_METRICS, OBSERVABILITY } from '#shared/config.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { logicalIdOf, synthesize } from './support/synth.ts';

describe('StatelessStack', () => {
  let dev: ReturnType<typeof synthesize>;
  let queueArn: unknown;

  beforeAll(() => {
    dev = synthesize('dev');
    queueArn = { 'Fn::GetAtt': [logicalIdOf(dev.stateless.ingestionQueue), 'Arn'] };
  });

  describe('ingestion', () => {
    it('sends every create and delete under uploads/ to the ingestion queue, whatever the suffix', () => {
      // S3's suffix filter is case-sensitive: the handler checks `.csv` in any case and logs the rest.
      const uploads = { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } };
      dev.statelessTemplate.resourceCountIs('Custom::S3BucketNotifications', 1);
      dev.statelessTemplate.hasResourceProperties('Custom::S3BucketNotifications', {
        NotificationConfiguration: {
          QueueConfigurations: [
            { Events: ['s3:ObjectCreated:*'], Filter: uploads, QueueArn: queueArn },
            { Events: ['s3:ObjectRemoved:*'], Filter: uploads, QueueArn: queueArn },
          ],
        },
        // Keeps notifications that others configured on the bucket.
        Managed: false,
      });
    });

    it('lets only S3, for this bucket, send to the queue, and only over TLS', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(dev.stateless.ingestionQueue) }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            {
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
              Resource: queueArn,
              Condition: {
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':s3:::salary-report-dev-',
                        { Ref: 'AWS::AccountId' },
                        '-',
                        { Ref: 'AWS::Region' },
                      ],
                    ],
                  },
                },
              },
            },
          ],
        },
      });
    });

    it('parks a message in the dead-letter queue after 5 receives', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: {
            'Fn::ImportValue': Match.stringLikeRegexp('IngestionDeadLetterQueue.*Arn'),
          },
          maxReceiveCount: 5,
        },
      });
    });

    it('hides a message for at least six times the function timeout', () => {
      const fn =
        dev.statelessTemplate.toJSON().Resources[logicalIdOf(dev.stateless.ingestFunction)];
      const queue =
        dev.statelessTemplate.toJSON().Resources[logicalIdOf(dev.stateless.ingestionQueue)];
      expect(fn.Properties.Timeout).toBe(600);
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Properties.Timeout);
    });

    it('consumes in batches of 5 with partial failures and at most 5 concurrent instances', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: queueArn,
        FunctionName: { Ref: logicalIdOf(dev.stateless.ingestFunction) },
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
      });
    });
  });

  describe('functions', () => {
    it('run Node 22 on arm64 with tracing, their own log group and Powertools settings', () => {
      for (const fn of [
        dev.stateless.ingestFunction,
        dev.stateless.reportFunction,
        dev.stateless.apiFunction,
      ]) {
        dev.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: Match.absent(),
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: logicalIdOf(fn.logGroup) } },
          Role: { 'Fn::GetAtt': [logicalIdOf(fn.executionRole), 'Arn'] },
          Environment: {
            Variables: Match.objectLike({
              POWERTOOLS_SERVICE_NAME: 'salary-report',
              POWERTOOLS_METRICS_NAMESPACE: 'SalaryReport',
              POWERTOOLS_LOG_LEVEL: 'DEBUG',
              STAGE: 'dev',
              NODE_OPTIONS: '--enable-source-maps',
            }),
          },
        });
      }
      dev.statelessTemplate.resourcePropertiesCountIs(
        'AWS::Logs::LogGroup',
        { RetentionInDays: 14 },
        4,
      );
    });

    it('size ingestion for large files: 1 GB memory, 2 GiB of /tmp, 10 minutes', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('uploaded survey CSV'),
        MemorySize: 1024,
        EphemeralStorage: { Size: 2048 },
        Timeout: 600,
      });
    });

    it('set exactly the environment each function reads', () => {
      const variablesOf = (fn: { node: { defaultChild?: unknown } }) =>
        Object.keys(
          dev.statelessTemplate.toJSON().Resources[logicalIdOf(fn as never)].Properties.Environment
            .Variables,
        ).sort();
      const common = [
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_SERVICE_NAME',
        'STAGE',
      ];
      const storage = ['BUCKET_NAME', 'TABLE_NAME'];
      expect(variablesOf(dev.stateless.ingestFunction)).toEqual([...common, ...storage].sort());
      expect(variablesOf(dev.stateless.reportFunction)).toEqual(
        [
          ...common,
          ...storage,
          'REPORT_BASE_COUNTRY',
          'REPORT_HIGH_CONFIDENCE_FROM',
          'REPORT_MEDIUM_CONFIDENCE_FROM',
          'REPORT_MIN_RESPONDENTS',
          'REPORT_MIN_RESPONDENTS_OUTER_PERCENTILES',
        ].sort(),
      );
      expect(variablesOf(dev.stateless.apiFunction)).toEqual(
        [
          ...common,
          ...storage,
          'CORS_ALLOW_ORIGIN',
          'REPORT_BASE_COUNTRY',
          'UPLOAD_MAX_BYTES',
        ].sort(),
      );
      dev.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            REPORT_BASE_COUNTRY: 'US',
            UPLOAD_MAX_BYTES: String(50 * 1024 * 1024),
            CORS_ALLOW_ORIGIN: '*',
          }),
        },
      });
      // The stage's privacy thresholds, as the generate-report runtime reads them back.
      dev.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('yearly salary report'),
        Environment: {
          Variables: Match.objectLike({
            REPORT_MIN_RESPONDENTS: String(DEFAULT_THRESHOLDS.minRespondents),
            REPORT_MIN_RESPONDENTS_OUTER_PERCENTILES: String(
              DEFAULT_THRESHOLDS.minRespondentsForOuterPercentiles,
            ),
            REPORT_MEDIUM_CONFIDENCE_FROM: String(DEFAULT_THRESHOLDS.mediumConfidenceFrom),
            REPORT_HIGH_CONFIDENCE_FROM: String(DEFAULT_THRESHOLDS.highConfidenceFrom),
          }),
        },
      });
    });

    it('log at INFO and keep logs a year in prod', () => {
      const prod = synthesize('prod');
      expect(
        Object.values(prod.statelessTemplate.findResources('AWS::Logs::LogGroup')).map((group) => [
          group.Properties.RetentionInDays,
          group.DeletionPolicy,
        ]),
      ).toEqual(Array(4).fill([365, 'Retain']));
      prod.statelessTemplate.resourcePropertiesCountIs(
        'AWS::Lambda::Function',
        {
          Environment: {
            Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'INFO', STAGE: 'prod' }),
          },
        },
        3,
      );
    });
  });

  describe('yearly report', () => {
    const scheduleOf = (template: ReturnType<typeof synthesize>['statelessTemplate']) =>
      Object.values(template.findResources('AWS::Events::Rule')).map(
        (rule) => rule.Properties.ScheduleExpression,
      );

    it('runs generate-report at 06:00 UTC on 5 January with the event time as input', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 6 5 1 ? *)',
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [logicalIdOf(dev.stateless.reportFunction), 'Arn'] },
            Id: 'Target0',
            // generate-report reports on the year before `time` (GenerateReportEvent.time).
            InputTransformer: {
              InputPathsMap: { time: '$.time' },
              InputTemplate: '{"time":<time>}',
            },
            RetryPolicy: { MaximumRetryAttempts: 2 },
          },
        ],
      });
    });

    it('takes another schedule from context', () => {
      const { statelessTemplate } = synthesize('dev', {
        context: { reportSchedule: 'cron(0 3 2 1 ? *)' },
      });
      expect(scheduleOf(statelessTemplate)).toEqual(['cron(0 3 2 1 ? *)']);
    });

    it('outputs the function name for on-demand regeneration', () => {
      dev.statelessTemplate.hasOutput('ReportFunctionName', {
        Value: { Ref: logicalIdOf(dev.stateless.reportFunction) },
      });
    });
  });

  describe('HTTP API', () => {
    it('routes the report, its assets and the uploads to serve-report', () => {
      const routes = Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Route'));
      expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
        [
          'GET /',
          'GET /app.js',
          'GET /app.css',
          'GET /openapi.json',
          'GET /reports',
          'GET /reports/{year}',
          'GET /reports/{year}/compare',
          'GET /reports/{year}/uploads',
          'POST /uploads',
          'ANY /{proxy+}',
        ].sort(),
      );
      dev.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
      dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(dev.stateless.apiFunction), 'Arn'] },
      });
    });

    it('requires IAM authorization for POST /uploads only', () => {
      const routes = Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Route'));
      const authorized = routes
        .filter((route) => route.Properties.AuthorizationType === 'AWS_IAM')
        .map((route) => route.Properties.RouteKey);
      expect(authorized).toEqual(['POST /uploads']);
      for (const route of routes.filter((r) => r.Properties.RouteKey !== 'POST /uploads')) {
        expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      }
    });

    it('throttles the default stage and logs every request as JSON', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
          Format: Match.serializedJson(
            Match.objectLike({
              requestId: '$context.requestId',
              routeKey: '$context.routeKey',
              status: '$context.status',
            }),
          ),
        },
      });
    });

    it('answers CORS preflights for the report page and signed uploads, exposing the ETag', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: ['*'],
          AllowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
          AllowHeaders: [
            'accept',
            'authorization',
            'content-type',
            'if-none-match',
            'x-amz-content-sha256',
            'x-amz-date',
            'x-amz-security-token',
          ],
          ExposeHeaders: ['etag'],
          MaxAge: 600,
        },
      });
    });

    it('takes the allowed origin from context', () => {
      const { statelessTemplate } = synthesize('dev', {
        context: { corsAllowOrigin: 'https://salaries.example.org' },
      });
      statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://salaries.example.org'] }),
      });
    });

    it('outputs its URL', () => {
      dev.statelessTemplate.hasOutput('ApiUrl', {
        Value: {
          'Fn::Join': ['', Match.arrayWith(['https://', { Ref: logicalIdOf(dev.stateless.api) }])],
        },
      });
    });
  });

  describe('alarms', () => {
    it('alarm on any message in the dead-letter queue, on errors of each function and on an unreadable year', () => {
      const alarms = Object.values(dev.statelessTemplate.findResources('AWS::CloudWatch::Alarm'));
      const [topic] = Object.keys(dev.statelessTemplate.findResources('AWS::SNS::Topic'));
      expect(
        alarms.map((alarm) => [alarm.Properties.Namespace, alarm.Properties.MetricName]),
      ).toEqual([
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
        ['AWS/Lambda', 'Errors'],
        ['AWS/Lambda', 'Errors'],
        ['AWS/Lambda', 'Errors'],
        ['SalaryReport', 'ReportYearUnreadable'],
      ]);
      for (const alarm of alarms) {
        expect(alarm.Properties).toMatchObject({
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: topic }],
        });
      }
    });

    it('name the alarm of a year report generation cannot read, on the metric generate-report emits', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'salary-report-dev-report-year-unreadable',
        Namespace: OBSERVABILITY.metricsNamespace,
        MetricName: ALARMED_METRICS.reportYearUnreadable,
        Dimensions: [{ Name: 'service', Value: OBSERVABILITY.serviceName }],
        Statistic: 'Sum',
        Period: 300,
        AlarmDescription: Match.stringLikeRegexp('salary-report repair <year>'),
      });
    });

    it('let CloudWatch publish to the TLS-only alarm topic', () => {
      dev.statelessTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
            }),
          ]),
        },
      });
    });

    it('subscribe the alarm address given in context', () => {
      const { statelessTemplate } = synthesize('dev', {
        context: { alarmEmail: 'oncall@example.org' },
      });
      statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@example.org',
      });
    });
  });
});
