import { describe, it } from 'vitest';
import { dynamoDbLocalAvailable } from '../support/dynamodb-local.ts';
import { defineExactQuantilesSuite } from './exact-quantiles.suite.ts';

// CI installs Java and DynamoDB Local (.ci/run), so there this suite always runs; on a laptop
// without them it is skipped with a visible reason instead of failing.
if (dynamoDbLocalAvailable() || process.env.CI === 'true') {
  defineExactQuantilesSuite('dynamodb-local', Number(process.env.EXACT_PROPERTY_RUNS ?? 10));
} else {
  describe('exact quantiles on DynamoDB Local', () => {
    it.skip('needs Java and .vendor/dynamodb-local (npm run vendor:dynamodb-local)', () => {});
  });
}
