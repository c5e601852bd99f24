import { type App, CfnOutput, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfigFromContext } from './stage.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/**
 * The salary-report stacks on an app: `npx cdk deploy --all -c stage=dev|prod`. Account and region come from
 * the CLI's credentials; cdk-nag's AwsSolutions checks run on every synthesis, so an unsuppressed
 * finding fails `cdk synth` as well as the tests.
 */
export function buildSalaryReportApp(app: App): {
  stateful: StatefulStack;
  stateless: StatelessStack;
} {
  const stage = stageConfigFromContext(app);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const prefix = `SalaryReport-${stage.name}`;

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    stage,
    description: `Salary report data: upload/report bucket, aggregate table, dead-letter queue (${stage.name})`,
    terminationProtection: stage.name === 'prod',
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env,
    stage,
    table: stateful.table,
    deadLetterQueue: stateful.deadLetterQueue,
    description: `Salary report functions, queue, schedule, API and alarms (${stage.name})`,
  });

  stateless.addStackDependency(
    stateful,
    'the functions use its bucket, table and dead-letter queue',
  );

  new CfnOutput(stateful, 'BucketName', {
    description: 'Upload CSVs under uploads/; reports are written under reports/',
    value: stateful.bucket.bucketName,
  });
  new CfnOutput(stateful, 'TableName', { value: stateful.table.tableName });

  Tags.of(app).add('project', 'salary-report');
  Tags.of(app).add('stage', stage.name);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { stateful, stateless };
}
