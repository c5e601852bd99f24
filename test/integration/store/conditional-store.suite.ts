import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { startLocalAwsOn } from '#test/integration/report/local-backend.ts';
import { defineConditionalStoreContract } from '#test/support/conditional-store-contract.ts';
import type { DynamoBackend } from '#test/support/ingest-harness.ts';

/** The conditional store contract on one DynamoDB implementation, through the real SDK. */
export function defineDynamoConditionalStoreContract(backend: DynamoBackend): void {
  defineConditionalStoreContract(backend, async () => {
    const aws = await startLocalAwsOn(backend, {
      bucketName: 'conditional-store-test',
      tableName: 'conditional-store-test',
    });
    return {
      store: new DynamoConditionalStore(aws.dynamo, aws.tableName),
      stop: () => aws.stop(),
    };
  });
}
