import { describe, expect, it } from 'vitest';
import { FUNCTION_ENV } from '#infra/constructs/function-environment.ts';

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
        'REPORT_MIN_RESPONDENTS',
        'REPORT_MIN_RESPONDENTS_OUTER_PERCENTILES',
        'REPORT_MEDIUM_CONFIDENCE_FROM',
        'REPORT_HIGH_CONFIDENCE_FROM',
      ].sort(),
    );
  });
});
