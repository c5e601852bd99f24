import { describe, it } from 'vitest';
import { dynamoDbLocalAvailable } from '../../support/dynamodb-local.ts';
import { defineIngestPropertySuite, propertyRuns } from './ingest-property.suite.ts';

if (dynamoDbLocalAvailable() || process.env.CI === 'true') {
  defineIngestPropertySuite('dynamodb-local', propertyRuns(3));
} else {
  describe('random fault schedules on DynamoDB Local', () => {
    it.skip('needs Java and .vendor/dynamodb-local (npm run vendor:dynamodb-local)', () => {});
  });
}
