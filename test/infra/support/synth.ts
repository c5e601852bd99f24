import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { buildSalaryReportApp } from '#infra/salary-report-app.ts';
import type { StageName } from '#infra/stage.ts';

/** The context `cdk synth` uses (feature flags included), so tests build what the CLI builds. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8'),
).context;

export interface SynthOptions {
  /** Run esbuild on the real handlers (slow); otherwise bundling is skipped. */
  bundle?: boolean;
  context?: Record<string, unknown>;
}

export function buildApp(stage: StageName, options: SynthOptions = {}) {
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      stage,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  return { app, ...buildSalaryReportApp(app) };
}

export function synthesize(stage: StageName, options: SynthOptions = {}) {
  const built = buildApp(stage, options);
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
  };
}

export function logicalIdOf(construct: IConstruct): string {
  const element = construct.node.defaultChild as CfnElement;
  return Stack.of(element).resolve(element.logicalId);
}

/** One IAM statement, with CloudFormation references flattened to readable strings. */
export interface ReadableStatement {
  actions: string[];
  resources: string[];
  condition?: unknown;
}

/**
 * Every statement of every policy attached to a role, in order. Cross-stack imports are rendered as
 * the exporting stack's reference (`<AggregateTable1234ABCD.Arn>`), so expectations name resources
 * rather than export names.
 */
export function statementsOfRole(
  template: Template,
  roleLogicalId: string,
  exportingTemplate: Template,
): ReadableStatement[] {
  const exports = exportedValues(exportingTemplate);
  const render = (resource: unknown): string => {
    const flat = flattenCfnReference(resource);
    return flat.replace(/^[^/]+:ExportsOutput\w+/, (name) => exports.get(name) ?? name);
  };
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some(
      (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
    ),
  );
  return policies.flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]).map((statement) => {
      if (statement.Effect !== 'Allow') throw new Error('Only Allow statements are expected');
      return {
        actions: asArray(statement.Action).map(String),
        resources: asArray(statement.Resource).map(render),
        ...(statement.Condition ? { condition: statement.Condition } : {}),
      };
    }),
  );
}

function exportedValues(template: Template): Map<string, string> {
  const values = new Map<string, string>();
  for (const output of Object.values(template.findOutputs('*'))) {
    const name = output.Export?.Name;
    if (typeof name === 'string') values.set(name, flattenCfnReference(output.Value));
  }
  return values;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
