import { resolve } from 'node:path';
import type { Output } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localDynamoClientConfig,
  localS3ClientConfig,
} from '#cli/local/local-client-config.ts';
import { CliError, reasonOf } from './errors.ts';
import { DEFAULT_DATA_DIR, type LocalStackState, readLiveLocalStackState } from './local/state.ts';

/** Options every command that talks to a stack takes (`--help` lists them). */
export interface TargetOptions {
  stack?: string;
  bucket?: string;
  table?: string;
  function?: string;
  apiUrl?: string;
  region?: string;
  dataDir: string;
}

/** Where a command sends its calls: the local stack or a deployed one, with clients for it. */
export interface Target {
  /** For messages: "the local stack (.local-data)", "stack SalaryReport-dev". */
  label: string;
  bucketName?: string;
  tableName?: string;
  apiUrl?: string;
  reportFunctionName?: string;
  /** The options that name this target again, for the commands the CLI suggests. */
  commandFlags: readonly string[];
  /** Set in local mode: the running stack's endpoints and its data directory. */
  local?: { state: LocalStackState; dataDirectory: string };
  /** Each client's SDK package loads on first use: a command loads only the ones it calls. */
  s3(): Promise<S3Client>;
  dynamo(): Promise<DynamoDBClient>;
  lambda(): Promise<LambdaClient>;
}

/** Names of the deployed app's stack outputs (infra/salary-report-app.ts, stateless-stack.ts). */
const STACK_OUTPUTS = {
  bucketName: 'BucketName',
  tableName: 'TableName',
  apiUrl: 'ApiUrl',
  reportFunctionName: 'ReportFunctionName',
} as const;

/** The CDK app deploys two stacks per stage: `<prefix>-Stateful` and `<prefix>-Stateless`. */
const STACK_SUFFIXES = ['-Stateful', '-Stateless'] as const;

/** Calls to AWS fail fast enough for a person waiting at a terminal. */
const DEPLOYED_MAX_ATTEMPTS = 3;

/**
 * Local mode unless a deployment is named: `--stack` reads the stacks' outputs, and `--bucket`,
 * `--table`, `--function`, `--api-url` name (or override) single resources. Deployed clients
 * use the standard AWS credential chain and region configuration.
 */
export async function resolveTarget(options: TargetOptions, cwd: string): Promise<Target> {
  const explicit = {
    ...(options.bucket ? { bucketName: options.bucket } : {}),
    ...(options.table ? { tableName: options.table } : {}),
    ...(options.function ? { reportFunctionName: options.function } : {}),
    ...(options.apiUrl ? { apiUrl: parseApiUrl(options.apiUrl) } : {}),
  };
  if (options.stack || Object.keys(explicit).length > 0) {
    const region = options.region ? { region: options.region } : {};
    const fromStack = options.stack ? await readStackOutputs(options.stack, region) : {};
    const config = { ...region, maxAttempts: DEPLOYED_MAX_ATTEMPTS };
    const flags = {
      stack: '--stack',
      bucket: '--bucket',
      table: '--table',
      function: '--function',
      apiUrl: '--api-url',
      region: '--region',
    } as const;
    return {
      label: options.stack ? `stack ${stackPrefix(options.stack)}` : 'the deployment',
      commandFlags: Object.entries(flags).flatMap(([name, flag]) => {
        const value = options[name as keyof typeof flags];
        return value ? [flag, value] : [];
      }),
      ...fromStack,
      ...explicit,
      s3: once(async () => new (await import('@aws-sdk/client-s3')).S3Client(config)),
      dynamo: once(
        async () => new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient(config),
      ),
      lambda: once(async () => new (await import('@aws-sdk/client-lambda')).LambdaClient(config)),
    };
  }
  return localTarget(
    resolve(cwd, options.dataDir),
    options.dataDir === DEFAULT_DATA_DIR ? [] : ['--data-dir', options.dataDir],
  );
}

function localTarget(dataDirectory: string, commandFlags: readonly string[]): Target {
  const state = readLiveLocalStackState(dataDirectory);
  if (!state) {
    throw new CliError(
      `no local stack is running on ${dataDirectory}: start one with \`npm start\` (or ` +
        '`salary-report serve`) in another terminal, or name a deployment with --stack',
    );
  }
  return {
    label: `the local stack (${state.apiUrl})`,
    commandFlags,
    bucketName: state.bucketName,
    tableName: state.tableName,
    apiUrl: state.apiUrl,
    reportFunctionName: state.reportFunctionName,
    local: { state, dataDirectory },
    s3: once(
      async () =>
        new (await import('@aws-sdk/client-s3')).S3Client(localS3ClientConfig(state.s3Endpoint)),
    ),
    dynamo: once(
      async () =>
        new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient(
          localDynamoClientConfig(state.dynamoEndpoint),
        ),
    ),
    lambda: once(async () => {
      const { LambdaClient } = await import('@aws-sdk/client-lambda');
      return new LambdaClient({
        endpoint: state.lambdaEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      });
    }),
  };
}

/** A target's resource a command cannot do without, or a message saying how to name it. */
export function required<Name extends 'bucketName' | 'tableName' | 'reportFunctionName'>(
  target: Target,
  name: Name,
  purpose: string,
): string {
  const value = target[name];
  if (value) return value;
  const flag = { bucketName: '--bucket', tableName: '--table', reportFunctionName: '--function' }[
    name
  ];
  throw new CliError(`${purpose} needs ${flag} <name> (or --stack <name>)`);
}

function stackPrefix(stack: string): string {
  const suffix = STACK_SUFFIXES.find((candidate) => stack.endsWith(candidate));
  return suffix ? stack.slice(0, -suffix.length) : stack;
}

async function readStackOutputs(
  stack: string,
  config: { region?: string },
): Promise<Partial<Pick<Target, 'bucketName' | 'tableName' | 'apiUrl' | 'reportFunctionName'>>> {
  const prefix = stackPrefix(stack);
  const { CloudFormationClient, DescribeStacksCommand } = await import(
    '@aws-sdk/client-cloudformation'
  );
  const client = new CloudFormationClient({ ...config, maxAttempts: DEPLOYED_MAX_ATTEMPTS });
  try {
    const outputs: Output[] = [];
    for (const suffix of STACK_SUFFIXES) {
      const name = `${prefix}${suffix}`;
      const answer = await client.send(new DescribeStacksCommand({ StackName: name }));
      outputs.push(...(answer.Stacks?.[0]?.Outputs ?? []));
    }
    const value = (key: string) => outputs.find((output) => output.OutputKey === key)?.OutputValue;
    const found = {
      bucketName: value(STACK_OUTPUTS.bucketName),
      tableName: value(STACK_OUTPUTS.tableName),
      apiUrl: value(STACK_OUTPUTS.apiUrl),
      reportFunctionName: value(STACK_OUTPUTS.reportFunctionName),
    };
    return Object.fromEntries(Object.entries(found).filter(([, output]) => output !== undefined));
  } catch (error) {
    throw new CliError(
      `could not read the outputs of ${prefix}-Stateful and ${prefix}-Stateless: ${reasonOf(error)}`,
    );
  } finally {
    client.destroy();
  }
}

function parseApiUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(url.protocol);
    return url.href.replace(/\/$/, '');
  } catch {
    throw new CliError(`--api-url must be an http(s) URL, got "${text}"`);
  }
}

function once<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= create();
    return value;
  };
}
