import { beforeAll, describe, expect, it } from 'vitest';
import type { SalaryReportFunction } from '#infra/constructs/salary-report-function.ts';
import {
  logicalIdOf,
  type ReadableStatement,
  statementsOfRole,
  synthesize,
} from './support/synth.ts';

/**
 * Least privilege, proved on the synthesized template: each function's role holds exactly these
 * statements, in this order, and nothing else (no managed policies).
 */
describe('IAM policies of the functions', () => {
  let stacks: ReturnType<typeof synthesize>;
  let table: string;
  const bucket = 'arn:<AWS::Partition>:s3:::salary-report-dev-<AWS::AccountId>-<AWS::Region>';

  beforeAll(() => {
    stacks = synthesize('dev');
    table = `<${logicalIdOf(stacks.stateful.table)}.Arn>`;
  });

  const statementsOf = (fn: SalaryReportFunction): ReadableStatement[] =>
    statementsOfRole(
      stacks.statelessTemplate,
      logicalIdOf(fn.executionRole),
      stacks.statefulTemplate,
    );

  const baseline = (fn: SalaryReportFunction): ReadableStatement[] => [
    // X-Ray accepts no resource-level permissions: AWS requires "*".
    { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
    {
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`<${logicalIdOf(fn.logGroup)}.Arn>`],
    },
  ];

  it('lets ingest-upload read uploads and config, write rejected files, and update records and partials', () => {
    const fn = stacks.stateless.ingestFunction;
    expect(statementsOf(fn)).toEqual([
      ...baseline(fn),
      {
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:BatchWriteItem',
        ],
        resources: [table],
      },
      { actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${bucket}/uploads/*`] },
      { actions: ['s3:GetObject'], resources: [`${bucket}/config/*`] },
      { actions: ['s3:PutObject', 's3:DeleteObject'], resources: [`${bucket}/rejected/*`] },
      // Unconditioned, so a missing key answers 404 (object gone), not 403 (forbidden).
      { actions: ['s3:ListBucket'], resources: [bucket] },
      {
        actions: [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        resources: [`<${logicalIdOf(stacks.stateless.ingestionQueue)}.Arn>`],
      },
    ]);
  });

  it('lets generate-report read aggregates, put report pointers, read and write reports, and read config', () => {
    const fn = stacks.stateless.reportFunction;
    expect(statementsOf(fn)).toEqual([
      ...baseline(fn),
      {
        actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [table],
      },
      { actions: ['s3:PutObject', 's3:GetObject'], resources: [`${bucket}/reports/*`] },
      { actions: ['s3:GetObject'], resources: [`${bucket}/config/*`] },
      {
        actions: ['s3:ListBucket'],
        resources: [bucket],
        condition: { StringLike: { 's3:prefix': ['config/*'] } },
      },
    ]);
  });

  it('gives serve-report read-only table access, report reads, and upload signing', () => {
    const fn = stacks.stateless.apiFunction;
    expect(statementsOf(fn)).toEqual([
      ...baseline(fn),
      {
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [table],
      },
      { actions: ['dynamodb:Query'], resources: [`${table}/index/GSI1`] },
      { actions: ['s3:GetObject'], resources: [`${bucket}/reports/*`] },
      { actions: ['s3:PutObject'], resources: [`${bucket}/uploads/*`] },
    ]);
  });

  it('attaches no managed policy to any function role', () => {
    for (const fn of [
      stacks.stateless.ingestFunction,
      stacks.stateless.reportFunction,
      stacks.stateless.apiFunction,
    ]) {
      const role = stacks.statelessTemplate.toJSON().Resources[logicalIdOf(fn.executionRole)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ]);
    }
  });

  it('limits the notification handler to this bucket', () => {
    const handlerPolicies = Object.values(
      stacks.statelessTemplate.findResources('AWS::IAM::Policy'),
    ).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes('BucketNotificationsHandler'),
    );
    expect(handlerPolicies.map((policy) => policy.Properties.PolicyDocument.Statement)).toEqual([
      [
        { Action: 's3:PutBucketNotification', Effect: 'Allow', Resource: expect.anything() },
        { Action: 's3:GetBucketNotification', Effect: 'Allow', Resource: expect.anything() },
      ],
    ]);
    for (const statement of handlerPolicies[0]?.Properties.PolicyDocument.Statement ?? []) {
      expect(JSON.stringify(statement.Resource)).toContain(':s3:::salary-report-dev-');
    }
  });
});
