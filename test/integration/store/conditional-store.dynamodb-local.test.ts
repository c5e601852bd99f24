import { describe, it } from 'vitest';
import { dynamoDbLocalAvailable } from '../../support/dynamodb-local.ts';
import { defineDynamoConditionalStoreContract } from './conditional-store.suite.ts';

if (dynamoDbLocalAvailable() || process.env.CI === 'true') {
  defineDynamoConditionalStoreContract('dynamodb-local');
} else {
  describe('conditional store contract on DynamoDB Local', () => {
    it.skip('needs Java and .vendor/dynamodb-local (npm run vendor:dynamodb-local)', () => {});
  });
}
