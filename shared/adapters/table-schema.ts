/**
 * The single DynamoDB table's key schema, shared by the CDK stack and the local stand-ins so the two
 * can never disagree. Item layouts are documented in docs/data-model.md.
 */
export const TABLE_SCHEMA = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [{ name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
  timeToLiveAttribute: 'expiresAt',
} as const;
