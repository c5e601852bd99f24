import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PublishedReport, ReportPointerStore } from '../ports/report-store.ts';
import { queryAll } from './dynamo-query.ts';
import { TABLE_SCHEMA } from './table-schema.ts';

/**
 * DynamoDB layout (docs/data-model.md, docs/report.md):
 *   REPORT#<y> / CURRENT          the published version of year y; GSI1 REPORTS / <y> lists years
 *   REPORT#<y> / VERSION#<v>      every version ever published (versions sort by time)
 */
const reportPartition = (year: number) => `REPORT#${year}`;
const CURRENT = 'CURRENT';
const VERSION_PREFIX = 'VERSION#';
const REPORTS_INDEX_PARTITION = 'REPORTS';
const [INDEX] = TABLE_SCHEMA.indexes;

export class DynamoReportPointerStore implements ReportPointerStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async makeCurrent(report: PublishedReport): Promise<boolean> {
    const fields = toItemFields(report);
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: reportPartition(report.year),
          SK: `${VERSION_PREFIX}${report.version}`,
          ...fields,
        },
      }),
    );
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: reportPartition(report.year),
            SK: CURRENT,
            [INDEX.partitionKey]: REPORTS_INDEX_PARTITION,
            [INDEX.sortKey]: String(report.year),
            ...fields,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR #version <= :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': report.version },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async current(year: number): Promise<PublishedReport | undefined> {
    const response = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: reportPartition(year), SK: CURRENT },
      }),
    );
    return response.Item ? fromItem(response.Item) : undefined;
  }

  async listCurrent(): Promise<PublishedReport[]> {
    const reports: PublishedReport[] = [];
    for await (const item of queryAll(this.documents, {
      TableName: this.tableName,
      IndexName: INDEX.name,
      KeyConditionExpression: '#pk = :reports',
      ExpressionAttributeNames: { '#pk': INDEX.partitionKey },
      ExpressionAttributeValues: { ':reports': REPORTS_INDEX_PARTITION },
    })) {
      reports.push(fromItem(item));
    }
    return reports.sort((a, b) => a.year - b.year);
  }

  async history(year: number): Promise<PublishedReport[]> {
    const reports: PublishedReport[] = [];
    for await (const item of queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :versions)',
      ExpressionAttributeValues: { ':pk': reportPartition(year), ':versions': VERSION_PREFIX },
    })) {
      reports.push(fromItem(item));
    }
    return reports;
  }
}

function toItemFields(report: PublishedReport) {
  return {
    year: report.year,
    version: report.version,
    generatedAt: report.generatedAt,
    jsonKey: report.jsonKey,
    csvKey: report.csvKey,
    counts: report.counts,
  };
}

function fromItem(item: Record<string, unknown>): PublishedReport {
  const stored = item as unknown as PublishedReport;
  return {
    year: Number(stored.year),
    version: stored.version,
    generatedAt: stored.generatedAt,
    jsonKey: stored.jsonKey,
    csvKey: stored.csvKey,
    counts: stored.counts,
  };
}
