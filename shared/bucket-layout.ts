/**
 * The data bucket's key layout, the one place it is written down: the application code (what it
 * reads and writes), the infrastructure (notifications, lifecycle rules and IAM grants are scoped by
 * the prefixes), the CLI and the API description all build and read keys through this module.
 *
 * | keys                                   | written by                       |
 * |----------------------------------------|----------------------------------|
 * | `uploads/<year>/<file>.csv`            | analysts, the CLI, POST /uploads |
 * | `rejected/<upload key>.errors.csv`     | ingestion                        |
 * | `reports/<year>/<version>/report.json` | report generation (and `.csv`)   |
 * | `config/exchange-rates*.csv`, `config/rules.json` | operators             |
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

/** Only CSV files under `uploads/` are ingested (the suffix in any case). */
export const UPLOAD_SUFFIX = '.csv';

/** `uploads/<year>/<fileName>`: the year in the key is the last fallback for a row's year. */
export function uploadKey(year: number, fileName: string): string {
  return `${BUCKET_PREFIXES.uploads}${year}/${fileName}`;
}

/** Whether ingestion reads this key: under `uploads/` and ending in `.csv` in any case. */
export function isIngestibleUploadKey(key: string): boolean {
  return key.startsWith(BUCKET_PREFIXES.uploads) && key.toLowerCase().endsWith(UPLOAD_SUFFIX);
}

/** The year of an `uploads/<year>/…` key; undefined for any other key. */
export function yearOfUploadKey(key: string): number | undefined {
  if (!key.startsWith(BUCKET_PREFIXES.uploads)) return undefined;
  const rest = key.slice(BUCKET_PREFIXES.uploads.length);
  const year = rest.slice(0, 4);
  if (rest[4] !== '/' || !/^\d{4}$/.test(year)) return undefined;
  return Number(year);
}

/**
 * The keys `POST /uploads` hands out, as a JSON Schema pattern: `uploads/<year>/<uuid>.csv`
 * (the service picks the name, so a caller can neither overwrite a file nor escape the prefix).
 */
export const GRANTED_UPLOAD_KEY_PATTERN = `^${BUCKET_PREFIXES.uploads}\\d{4}/[0-9a-f-]+\\${UPLOAD_SUFFIX}$`;

/** Where ingestion keeps the rejected rows of an upload: next to nothing else, one per upload. */
export function rejectedRowsKey(uploadKey: string): string {
  return `${BUCKET_PREFIXES.rejected}${uploadKey}.errors.csv`;
}

/** A report version's snapshot files: written once, never rewritten. */
export function reportSnapshotKeys(year: number, version: string) {
  const folder = `${BUCKET_PREFIXES.reports}${year}/${version}/`;
  return { jsonKey: `${folder}report.json`, csvKey: `${folder}report.csv` };
}

/** The operator's rule overrides (seniority rules, aliases, bounds). */
export const RULES_KEY = `${BUCKET_PREFIXES.config}rules.json`;

/** The operator file that adds a year's missing exchange rates, named in `no_exchange_rate`. */
export function exchangeRatesKey(year: number): string {
  return `${BUCKET_PREFIXES.config}exchange-rates-${year}.csv`;
}

/** Operator exchange-rate files: `config/exchange-rates*.csv` (any case), later keys win. */
export function isExchangeRatesKey(key: string): boolean {
  if (!key.startsWith(BUCKET_PREFIXES.config)) return false;
  const name = key.slice(BUCKET_PREFIXES.config.length);
  return (
    !name.includes('/') &&
    name.toLowerCase().startsWith('exchange-rates') &&
    name.toLowerCase().endsWith('.csv')
  );
}

/** A mapping profile an upload can name in its `profile` metadata (docs/profiles.md). */
export function profileKey(name: string): string {
  return `${BUCKET_PREFIXES.config}profiles/${name}.json`;
}
