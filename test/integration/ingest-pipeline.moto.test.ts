import { describe, it } from 'vitest';
import { MOTO_SKIP_REASON, motoAvailable } from '../support/moto.ts';
import { defineIngestPipelineSuite } from './ingest-pipeline.suite.ts';

// A third implementation nobody here wrote: S3, its event notifications to SQS and DynamoDB, all
// moto's. Skipped with the reason printed where moto_server is not installed.
if (motoAvailable()) {
  defineIngestPipelineSuite('moto');
} else {
  describe('ingestion pipeline on moto', () => {
    it.skip(MOTO_SKIP_REASON, () => {});
  });
}
