import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { STAGE_NAMES } from '#infra/stage.ts';
import { buildApp } from './support/synth.ts';

/** Every acknowledged rule in the tree, with the reason given for it. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: unknown }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe.each(STAGE_NAMES)('cdk-nag AwsSolutions on the %s stage', (stage) => {
  it('reports no unacknowledged finding on the construct tree', () => {
    const { app } = buildApp(stage);
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('passes the validation CDK runs at synthesis (with cross-stack references resolved)', () => {
    const { app } = buildApp(stage);
    expect(() => app.synth()).not.toThrow();
  });

  it('gives a reason for every acknowledged rule', () => {
    const { app } = buildApp(stage);
    const acknowledged = acknowledgments(app);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledged) {
      expect(id).toMatch(/AwsSolutions-/);
      expect(typeof reason === 'string' && reason.length > 40, id).toBe(true);
    }
  });

  it('acknowledges wildcard resources one by one, never a whole rule', () => {
    const { app } = buildApp(stage);
    const iam5 = acknowledgments(app)
      .map(({ id }) => id.replace(/^annotation::/i, ''))
      .filter((id) => id.startsWith('AwsSolutions-IAM5'));
    expect(new Set(iam5)).toEqual(
      new Set([
        'AwsSolutions-IAM5[Resource::*]',
        ...['uploads', 'config', 'rejected', 'reports'].map(
          (prefix) =>
            `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::salary-report-${stage}-<AWS::AccountId>-<AWS::Region>/${prefix}/*]`,
        ),
      ]),
    );
  });
});
