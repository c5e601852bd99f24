import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type Attributes,
  type ConditionalStore,
  type ConditionalWrite,
  checkAttributes,
  type IndexKey,
  type ItemKey,
  type StoredItem,
} from '../ports/conditional-store.ts';
import { type BackoffPolicy, batchWriteAll, DEFAULT_BACKOFF } from './batch-write.ts';
import { queryAll } from './dynamo-query.ts';
import { TABLE_SCHEMA } from './table-schema.ts';

const { partitionKey: PK, sortKey: SK } = TABLE_SCHEMA;
const [INDEX] = TABLE_SCHEMA.indexes;
const VERSION = 'itemVersion';
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;

/**
 * The conditional store on one DynamoDB table (layout: docs/data-model.md). Items are stored with
 * their attributes at the top level, the version in `itemVersion`, the index key in GSI1.
 *
 * Conditional writes ask for the stored item back when their condition fails
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`, one round trip); servers that do not return
 * it (dynalite) are answered by a strongly consistent read instead.
 */
export class DynamoConditionalStore implements ConditionalStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async get(key: ItemKey): Promise<StoredItem | undefined> {
    const response = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }),
    );
    return response.Item ? fromItem(response.Item) : undefined;
  }

  async getMany(keys: readonly ItemKey[]): Promise<StoredItem[]> {
    const items: StoredItem[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] = keys
        .slice(start, start + BATCH_GET_LIMIT)
        .map(keyOf);
      for (let attempt = 1; pending.length > 0; attempt++) {
        const response = await this.documents.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) items.push(fromItem(item));
        pending = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (pending.length > 0) {
          if (attempt >= this.backoff.maxAttempts) {
            throw new Error(`${pending.length} read(s) from ${this.tableName} still unprocessed`);
          }
          await this.backoff.sleep(this.backoff.baseDelayMs * 2 ** (attempt - 1));
        }
      }
    }
    return items;
  }

  putIfAbsent(key: ItemKey, attributes: Attributes, index?: IndexKey): Promise<ConditionalWrite> {
    return this.conditionalPut(key, 1, attributes, index, {
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
    });
  }

  compareAndSet(
    key: ItemKey,
    expectedVersion: number,
    attributes: Attributes,
    index?: IndexKey,
  ): Promise<ConditionalWrite> {
    return this.conditionalPut(key, expectedVersion + 1, attributes, index, {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': VERSION },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    });
  }

  async *query(partition: string, sortPrefix: string): AsyncIterable<StoredItem> {
    for await (const item of queryAll(
      this.documents,
      partitionQuery(this.tableName, partition, sortPrefix),
    )) {
      yield fromItem(item);
    }
  }

  async *queryKeys(partition: string, sortPrefix: string): AsyncIterable<ItemKey> {
    const input = partitionQuery(this.tableName, partition, sortPrefix);
    for await (const item of queryAll(this.documents, {
      ...input,
      ProjectionExpression: '#pk, #sk',
      ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#sk': SK },
    })) {
      yield { partition: String(item[PK]), sort: String(item[SK]) };
    }
  }

  async *queryIndex(indexPartition: string): AsyncIterable<StoredItem> {
    for await (const item of queryAll(this.documents, {
      TableName: this.tableName,
      IndexName: INDEX.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': INDEX.partitionKey },
      ExpressionAttributeValues: { ':pk': indexPartition },
    })) {
      yield fromItem(item);
    }
  }

  async putAll(items: readonly { key: ItemKey; attributes: Attributes }[]): Promise<void> {
    for (const { attributes } of items) checkAttributes(attributes);
    await batchWriteAll(
      this.documents,
      this.tableName,
      items.map(({ key, attributes }) => ({
        // No version attribute: an item without one reads as version 0.
        PutRequest: { Item: { ...attributes, ...keyOf(key) } },
      })),
      this.backoff,
    );
  }

  async deleteAll(keys: readonly ItemKey[]): Promise<void> {
    await batchWriteAll(
      this.documents,
      this.tableName,
      keys.map((key) => ({ DeleteRequest: { Key: keyOf(key) } })),
      this.backoff,
    );
  }

  private async conditionalPut(
    key: ItemKey,
    version: number,
    attributes: Attributes,
    index: IndexKey | undefined,
    condition: Pick<
      PutCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<ConditionalWrite> {
    checkAttributes(attributes);
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...attributes,
            ...keyOf(key),
            [VERSION]: version,
            ...(index
              ? { [INDEX.partitionKey]: index.partition, [INDEX.sortKey]: index.sort }
              : {}),
          },
          ...condition,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = error.Item ? fromItem(unmarshall(error.Item)) : await this.get(key);
      return { written: false, current };
    }
  }
}

/** A strongly consistent Query of one partition by sort-key prefix. */
function partitionQuery(
  tableName: string,
  partition: string,
  sortPrefix: string,
): QueryCommandInput & { ExpressionAttributeNames: Record<string, string> } {
  // DynamoDB refuses an empty key value, even as a prefix: the whole partition is read then.
  const byPrefix = sortPrefix !== '';
  return {
    TableName: tableName,
    KeyConditionExpression: byPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
    ExpressionAttributeNames: { '#pk': PK, ...(byPrefix ? { '#sk': SK } : {}) },
    ExpressionAttributeValues: {
      ':pk': partition,
      ...(byPrefix ? { ':prefix': sortPrefix } : {}),
    },
    ConsistentRead: true,
  };
}

function keyOf(key: ItemKey): Record<string, string> {
  return { [PK]: key.partition, [SK]: key.sort };
}

function fromItem(item: Record<string, unknown>): StoredItem {
  const {
    [PK]: partition,
    [SK]: sort,
    [VERSION]: version,
    [INDEX.partitionKey]: _indexPartition,
    [INDEX.sortKey]: _indexSort,
    ...attributes
  } = item;
  return {
    partition: String(partition),
    sort: String(sort),
    version: Number(version ?? 0),
    attributes: attributes as Attributes,
  };
}
