import { type LocalAws, startLocalAws } from '#cli/local/local-aws.ts';
import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import type { DynamoBackend } from '../../support/ingest-harness.ts';
import { startMotoAws } from '../../support/moto.ts';

/**
 * Local S3 plus the chosen DynamoDB implementation (dynalite in process, or AWS's DynamoDB Local),
 * or moto for both, so the report suites prove the storage code on each; `stop` stops whatever
 * was started.
 */
export async function startLocalAwsOn(
  backend: DynamoBackend,
  names: { bucketName: string; tableName: string },
): Promise<LocalAws> {
  if (backend === 'moto') {
    // S3 and DynamoDB both on moto; the report suites need no notifications.
    return startMotoAws(names);
  }
  const dynamoLocal = backend === 'dynamodb-local' ? await startDynamoDbLocal() : undefined;
  const aws = await startLocalAws({
    ...names,
    ...(dynamoLocal ? { externalDynamoEndpoint: dynamoLocal.endpoint } : {}),
  });
  return {
    ...aws,
    async stop() {
      await aws.stop();
      await dynamoLocal?.stop();
    },
  };
}
