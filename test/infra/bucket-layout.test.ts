import { describe, expect, it } from 'vitest';
import { BUCKET_PREFIXES } from '#infra/constructs/bucket-layout.ts';
import { FUNCTION_ENV } from '#infra/constructs/function-environment.ts';
import { REPORTS_PREFIX } from '#shared/adapters/report-store-s3.ts';
import { REJECTED_PREFIX, UPLOADS_PREFIX } from '#shared/use-cases/ingest-upload.ts';
import { CONFIG_PREFIX } from '#shared/use-cases/load-rules.ts';

describe('bucket layout', () => {
  it('scopes grants and rules by the prefixes the application code uses', () => {
    expect(BUCKET_PREFIXES.uploads).toBe(UPLOADS_PREFIX);
    expect(BUCKET_PREFIXES.rejected).toBe(REJECTED_PREFIX);
    expect(BUCKET_PREFIXES.config).toBe(CONFIG_PREFIX);
    expect(BUCKET_PREFIXES.reports).toBe(REPORTS_PREFIX);
  });
});

describe('function environment', () => {
  it('uses the variable names the runtime configuration reads', () => {
    expect(Object.values(FUNCTION_ENV).sort()).toEqual(
      [
        'TABLE_NAME',
        'BUCKET_NAME',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_LOG_LEVEL',
        'STAGE',
        'REPORT_BASE_COUNTRY',
        'UPLOAD_MAX_BYTES',
        'CORS_ALLOW_ORIGIN',
        'UPLOAD_BEARER_TOKEN',
      ].sort(),
    );
  });
});
