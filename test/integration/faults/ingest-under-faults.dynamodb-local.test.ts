import { describe, it } from 'vitest';
import { dynamoDbLocalAvailable } from '../../support/dynamodb-local.ts';
import { defineIngestUnderFaultsSuite } from './ingest-under-faults.suite.ts';

if (dynamoDbLocalAvailable() || process.env.CI === 'true') {
  defineIngestUnderFaultsSuite('dynamodb-local');
} else {
  describe('ingestion through a faulty DynamoDB Local', () => {
    it.skip('needs Java and .vendor/dynamodb-local (npm run vendor:dynamodb-local)', () => {});
  });
}
