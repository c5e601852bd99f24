/**
 * Key prefixes of the upload/report bucket, shared by the application code (what it reads and
 * writes) and the infrastructure (notifications, lifecycle rules and IAM grants are scoped by them).
 */
export const BUCKET_PREFIXES = {
  /** Survey CSVs in; every create/delete here is an ingestion event. */
  uploads: 'uploads/',
  /** `<upload key>.errors.csv` files written by ingestion. */
  rejected: 'rejected/',
  /** `reports/<year>/<version>/` report snapshots. */
  reports: 'reports/',
  /** Operator overrides (exchange rates, rules) read by ingestion and report generation. */
  config: 'config/',
} as const;

/** Only CSV files under `uploads/` are ingested. */
export const UPLOAD_SUFFIX = '.csv';
