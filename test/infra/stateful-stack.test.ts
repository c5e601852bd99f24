import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageConfigFromContext } from '#infra/stage.ts';
import { logicalIdOf, synthesize } from './support/synth.ts';

const TLS_ONLY = Match.objectLike({
  Effect: 'Deny',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe('StatefulStack', () => {
  let dev: ReturnType<typeof synthesize>;
  let prod: ReturnType<typeof synthesize>;

  beforeAll(() => {
    dev = synthesize('dev');
    prod = synthesize('prod');
  });

  describe('data bucket', () => {
    it('blocks public access, encrypts with SSE-S3, versions objects and logs access', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: {
          'Fn::Join': [
            '',
            ['salary-report-dev-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { LogFilePrefix: 'data-bucket/' },
      });
    });

    it('denies requests without TLS 1.2', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalIdOf(dev.stateful.bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            TLS_ONLY,
            Match.objectLike({
              Effect: 'Deny',
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            }),
          ]),
        },
      });
    });

    it('expires replaced rejected-row files and uploads, and the delete markers they leave', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            {
              Id: 'expire-replaced-rejected-rows',
              Prefix: 'rejected/',
              NoncurrentVersionExpiration: { NoncurrentDays: 7 },
              ExpiredObjectDeleteMarker: true,
              Status: 'Enabled',
            },
            {
              Id: 'expire-replaced-uploads',
              Prefix: 'uploads/',
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              ExpiredObjectDeleteMarker: true,
              Status: 'Enabled',
            },
          ]),
        },
      });
    });

    it('keeps every report version, moving those older than 90 days to Standard-IA', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            {
              Id: 'archive-old-report-versions',
              Prefix: 'reports/',
              Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }],
              Status: 'Enabled',
            },
          ]),
          // Small snapshots stay in Standard, where they cost less than IA's 128 KiB minimum.
          TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
        },
      });
    });

    it('never expires current uploads, errors files or reports', () => {
      const [rules] = Object.values(dev.statefulTemplate.findResources('AWS::S3::Bucket'))
        .map((bucket) => bucket.Properties.LifecycleConfiguration?.Rules)
        .filter((found): found is Record<string, unknown>[] =>
          JSON.stringify(found ?? []).includes('uploads/'),
        );
      expect(rules?.map((rule) => rule.Id)).toEqual([
        'expire-replaced-rejected-rows',
        'archive-old-report-versions',
        'expire-replaced-uploads',
        'abort-incomplete-uploads',
      ]);
      for (const rule of rules ?? []) {
        expect(rule.ExpirationInDays).toBeUndefined();
        expect(rule.ExpirationDate).toBeUndefined();
      }
    });

    it('aborts incomplete multipart uploads after a day', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            {
              Id: 'abort-incomplete-uploads',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            },
          ]),
        },
      });
    });

    it('allows cross-origin PUT only, for presigned uploads', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        CorsConfiguration: {
          CorsRules: [
            {
              AllowedMethods: ['PUT'],
              AllowedOrigins: ['*'],
              AllowedHeaders: [
                'content-type',
                'x-amz-checksum-*',
                'x-amz-sdk-checksum-algorithm',
                'x-amz-meta-profile',
              ],
              MaxAge: 3000,
            },
          ],
        },
      });
    });

    it('takes the allowed origin from context', () => {
      const { statefulTemplate } = synthesize('dev', {
        context: { corsAllowOrigin: 'https://salaries.example.org' },
      });
      statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        CorsConfiguration: {
          CorsRules: [Match.objectLike({ AllowedOrigins: ['https://salaries.example.org'] })],
        },
      });
    });
  });

  describe('aggregate table', () => {
    it('is on-demand with PITR, KMS encryption, TTL and the GSI1 index', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });
  });

  describe('dead-letter queue', () => {
    it('keeps failed events 14 days, encrypted, TLS only', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::SQS::Queue', {
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
      dev.statefulTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: { Statement: [TLS_ONLY] },
      });
    });
  });

  describe('stages', () => {
    it('retains bucket, table and queue in prod, with deletion and termination protection', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue']) {
        for (const resource of Object.values(prod.statefulTemplate.findResources(type))) {
          expect(resource.DeletionPolicy).toBe('Retain');
        }
      }
      prod.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        DeletionProtectionEnabled: true,
      });
      prod.statefulTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
      expect(prod.stateful.terminationProtection).toBe(true);
    });

    it('lets dev be destroyed completely', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue']) {
        for (const resource of Object.values(dev.statefulTemplate.findResources(type))) {
          expect(resource.DeletionPolicy).toBe('Delete');
        }
      }
      dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        DeletionProtectionEnabled: false,
      });
      dev.statefulTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    });

    it('rejects an unknown stage', () => {
      const app = new App({ context: { stage: 'staging' } });
      expect(() => stageConfigFromContext(app)).toThrow('Unknown stage "staging"');
    });
  });

  it('outputs the bucket and table names', () => {
    dev.statefulTemplate.hasOutput('BucketName', {
      Value: { Ref: logicalIdOf(dev.stateful.bucket) },
    });
    dev.statefulTemplate.hasOutput('TableName', {
      Value: { Ref: logicalIdOf(dev.stateful.table) },
    });
  });
});
