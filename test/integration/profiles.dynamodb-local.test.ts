import { describe, it } from 'vitest';
import { dynamoDbLocalAvailable } from '../support/dynamodb-local.ts';
import { defineProfilesSuite } from './profiles.suite.ts';

// CI installs Java and DynamoDB Local (.ci/run), so there this suite always runs; on a laptop
// without them it is skipped with a visible reason instead of failing.
if (dynamoDbLocalAvailable() || process.env.CI === 'true') {
  defineProfilesSuite('dynamodb-local');
} else {
  describe('uploads read through mapping profiles on DynamoDB Local', () => {
    it.skip('needs Java and .vendor/dynamodb-local (npm run vendor:dynamodb-local)', () => {});
  });
}
