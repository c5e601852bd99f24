import { Aws } from 'aws-cdk-lib';
import type { StageName } from '../stage.ts';

/**
 * The data bucket's name: unique per stage, account and region, and built only from pseudo
 * parameters, so the stateless stack can address the bucket (ARNs in IAM policies, the notification
 * resource) without a cross-stack export — and its IAM resources read the same before and after
 * synthesis.
 */
export function dataBucketName(stage: StageName): string {
  return `salary-report-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}
