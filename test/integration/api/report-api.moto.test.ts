import { describe, it } from 'vitest';
import { MOTO_SKIP_REASON, motoAvailable } from '../../support/moto.ts';
import { defineReportApiSuite } from './report-api.suite.ts';

// S3 and DynamoDB on moto: a third implementation nobody here wrote. Skipped with the reason
// printed where moto_server is not installed.
if (motoAvailable()) {
  defineReportApiSuite('moto');
} else {
  describe('report API on moto', () => {
    it.skip(MOTO_SKIP_REASON, () => {});
  });
}
