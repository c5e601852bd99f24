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
import { TABLE_SCHEMA } from '#shared/adapters/table-schema.ts';
import type { StageConfig } from '../stage.ts';
import { FUNCTION_ENV, METRICS_NAMESPACE, SERVICE_NAME } from './function-environment.ts';

/** The repository root: `entry` paths and bundled directories are resolved from it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** DynamoDB actions per access level: exactly the calls our adapters make, nothing broader. */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  'read-write': [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
} as const;
export type TableAccess = keyof typeof TABLE_ACTIONS;

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
  /** Key prefixes the function may list; `s3:ListBucket` is conditioned on them. */
  listPrefixes?: readonly string[];
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
        [FUNCTION_ENV.powertoolsServiceName]: SERVICE_NAME,
        [FUNCTION_ENV.powertoolsMetricsNamespace]: METRICS_NAMESPACE,
        [FUNCTION_ENV.powertoolsLogLevel]: props.stage.logLevel,
        [FUNCTION_ENV.stage]: props.stage.name,
        // Stack traces point at the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK too: the functions run the exact client versions the tests ran.
        externalModules: [],
        // CommonJS dependencies inside the ESM bundle still call `require`.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
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

  /** Sets `TABLE_NAME` and grants `access` on the table and its query index. */
  bindTable(table: ITable, access: TableAccess): this {
    this.addEnvironment(FUNCTION_ENV.tableName, table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [table.tableArn] }),
    );
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: TABLE_SCHEMA.indexes.map((index) => `${table.tableArn}/index/${index.name}`),
      }),
    );
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
    if (access.listPrefixes && access.listPrefixes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': access.listPrefixes.map((p) => `${p}*`) } },
        }),
      );
    }
    return this;
  }
}
