import { describe, it } from 'vitest';
import { dynamoDbLocalAvailable } from '../../support/dynamodb-local.ts';
import { definePartialLayoutsSuite } from './partial-layouts.suite.ts';

// CI installs Java and DynamoDB Local (.ci/run), so there this suite always runs; on a laptop
// without them it is skipped with a visible reason instead of failing.
if (dynamoDbLocalAvailable() || process.env.CI === 'true') {
  definePartialLayoutsSuite('dynamodb-local');
} else {
  describe('partial item layouts on DynamoDB Local', () => {
    it.skip('needs Java and .vendor/dynamodb-local (npm run vendor:dynamodb-local)', () => {});
  });
}
