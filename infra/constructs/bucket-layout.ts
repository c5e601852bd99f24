import { Aws } from 'aws-cdk-lib';
import type { StageName } from '../stage.ts';

/**
 * Key prefixes of the upload/report bucket. Infrastructure scopes notifications, lifecycle rules
 * and IAM grants by them; `test/infra/bucket-layout.test.ts` proves they equal the prefixes the
 * application code reads and writes.
 */
export const BUCKET_PREFIXES = {
  /** Survey CSVs in; every create/delete here is an ingestion event. */
  uploads: 'uploads/',
  /** `<upload key>.errors.csv` files written by ingestion. */
  rejected: 'rejected/',
  /** `reports/<year>/<version>/` report snapshots. */
  reports: 'reports/',
  /** Operator overrides (exchange rates, rules) read by ingestion. */
  config: 'config/',
} as const;

/** Only CSV files under `uploads/` are ingested. */
export const UPLOAD_SUFFIX = '.csv';

/**
 * The data bucket's name: unique per stage, account and region, and built only from pseudo
 * parameters, so the stateless stack can address the bucket (ARNs in IAM policies, the notification
 * resource) without a cross-stack export — and its IAM resources read the same before and after
 * synthesis.
 */
export function dataBucketName(stage: StageName): string {
  return `salary-report-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}
