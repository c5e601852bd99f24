import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, Duration, type Size, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { Construct } from 'constructs';
import type { TABLE_SCHEMA } from '#shared/adapters/table-schema.ts';
import { OBSERVABILITY } from '#shared/config.ts';
import type { StageConfig } from '../stage.ts';
import { FUNCTION_BUNDLING } from './function-bundling.ts';
import { FUNCTION_ENV } from './function-environment.ts';

/** The repository root: `entry` paths and bundled directories are resolved from it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The DynamoDB item actions a function may be granted on the table (only ones our adapters call). */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:BatchWriteItem';

export type TableIndexName = (typeof TABLE_SCHEMA.indexes)[number]['name'];

/** Exactly the calls a function's code path makes on the table, and the indexes it queries. */
export interface TableAccess {
  actions: readonly TableAction[];
  /** Indexes the function queries: `dynamodb:Query` on each, nothing else. */
  queryIndexes?: readonly TableIndexName[];
}

export type ObjectAction =
  | 's3:GetObject'
  | 's3:GetObjectVersion'
  | 's3:PutObject'
  | 's3:DeleteObject';

/** Object actions allowed under one key prefix of the bucket (e.g. `reports/`). */
export interface ObjectGrant {
  prefix: string;
  actions: readonly ObjectAction[];
}

export interface BucketAccess {
  objects: readonly ObjectGrant[];
  /**
   * `s3:ListBucket`: `{ prefixes }` allows listing only keys under them (condition on `s3:prefix`);
   * `'any-key'` grants it unconditioned, which a function needs when it must tell a missing key from
   * a forbidden one: without it S3 answers GetObject/HeadObject of a missing key with 403, not 404.
   * `'any-key'` covers every listing, so it is never combined with prefixes.
   */
  list?: { prefixes: readonly string[] } | 'any-key';
}

export interface SalaryReportFunctionProps {
  /** Absolute path of the handler file (exports `handler`). */
  entry: string;
  description: string;
  stage: StageConfig;
  memorySize?: number;
  timeout?: Duration;
  ephemeralStorageSize?: Size;
  /** Function-specific settings; resource names come from the `bind*` helpers instead. */
  environment?: Record<string, string>;
  /**
   * Project directories (relative to the repository root) shipped inside the bundle at the same
   * relative path, e.g. the report page's build `web/dist`, which the handler reads from its
   * working directory. A directory that is not built yet is reported as a synthesis warning.
   */
  bundledDirectories?: readonly string[];
}

/**
 * Every Lambda of the service, with its defaults set once: Node 22 on arm64, an ESM bundle with
 * source maps, active tracing, Powertools settings, its own log group with the stage's retention,
 * and its own role that starts with nothing but writing to that log group (no AWS managed policy).
 *
 * Access to data is added only through `bindTable` / `bindBucket`, which set the environment
 * variable and the matching least-privilege grant in one call, so configuration and permissions
 * cannot drift apart.
 */
export class SalaryReportFunction extends NodejsFunction {
  /** The function's own role; its policy is exactly what the bind helpers granted. */
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: SalaryReportFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id} (${props.stage.name})`,
    });
    const bundledDirectories = (props.bundledDirectories ?? []).filter((directory) =>
      existsSync(join(PROJECT_ROOT, directory)),
    );
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      ...(props.ephemeralStorageSize ? { ephemeralStorageSize: props.ephemeralStorageSize } : {}),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        [FUNCTION_ENV.powertoolsServiceName]: OBSERVABILITY.serviceName,
        [FUNCTION_ENV.powertoolsMetricsNamespace]: OBSERVABILITY.metricsNamespace,
        [FUNCTION_ENV.powertoolsLogLevel]: props.stage.logLevel,
        [FUNCTION_ENV.stage]: props.stage.name,
        // Stack traces point at the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        target: FUNCTION_BUNDLING.target,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK too: the functions run the exact client versions the tests ran.
        externalModules: [],
        banner: FUNCTION_BUNDLING.banner,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) =>
            bundledDirectories.map(
              (directory) =>
                `mkdir -p "${join(outputDir, directory, '..')}" && cp -R "${join(inputDir, directory)}" "${join(outputDir, directory)}"`,
            ),
        },
      },
    });
    logGroup.grantWrite(role);
    this.executionRole = role;
    for (const directory of props.bundledDirectories ?? []) {
      if (!bundledDirectories.includes(directory)) {
        Annotations.of(this).addWarningV2(
          'salary-report:bundled-directory-missing',
          `${directory} does not exist: build it before deploying, or ${id} ships without it`,
        );
      }
    }

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*".',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the code is built and tested for (target node22; local toolchain Node 20); moving to a newer runtime is a deliberate upgrade.',
    });
  }

  /** Sets `TABLE_NAME` and grants exactly `access.actions` on the table and `Query` on the indexes named. */
  bindTable(table: ITable, access: TableAccess): this {
    this.addEnvironment(FUNCTION_ENV.tableName, table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({ actions: [...access.actions], resources: [table.tableArn] }),
    );
    const indexes = access.queryIndexes ?? [];
    if (indexes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    return this;
  }

  /** Sets `BUCKET_NAME` and grants each object action only under its prefix. */
  bindBucket(bucket: IBucket, access: BucketAccess): this {
    this.addEnvironment(FUNCTION_ENV.bucketName, bucket.bucketName);
    for (const grant of access.objects) {
      const objects = bucket.arnForObjects(`${grant.prefix}*`);
      this.addToRolePolicy(
        new PolicyStatement({ actions: [...grant.actions], resources: [objects] }),
      );
      Validations.of(this.executionRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(objects))}]`,
        reason: `S3 object actions take object ARNs; the wildcard is limited to keys under ${grant.prefix}.`,
      });
    }
    if (access.list === 'any-key') {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      );
    } else if (access.list && access.list.prefixes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': access.list.prefixes.map((p) => `${p}*`) } },
        }),
      );
    }
    return this;
  }
}
