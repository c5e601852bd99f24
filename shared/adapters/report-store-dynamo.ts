import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { contentDigestOf } from '../domain/report/build-report.ts';
import type { PublishedReport, PublishOutcome, ReportPointerStore } from '../ports/report-store.ts';
import { queryAll } from './dynamo-query.ts';
import { TABLE_SCHEMA } from './table-schema.ts';

/**
 * DynamoDB layout (docs/data-model.md, docs/report.md):
 *   REPORT#<y> / CURRENT          the published version of year y; GSI1 REPORTS / <y> lists years;
 *                                 `contentDigest` is its version's digest part, for the conditions
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

  async makeCurrent(
    report: PublishedReport,
    options: { replaceSameContent?: boolean } = {},
  ): Promise<PublishOutcome> {
    const later = '#version <= :version';
    const otherContent = '(attribute_not_exists(#digest) OR #digest <> :digest)';
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: reportPartition(report.year),
            SK: CURRENT,
            [INDEX.partitionKey]: REPORTS_INDEX_PARTITION,
            [INDEX.sortKey]: String(report.year),
            ...toItemFields(report),
            contentDigest: contentDigestOf(report.version),
          },
          ConditionExpression: options.replaceSameContent
            ? `attribute_not_exists(PK) OR ${later}`
            : `attribute_not_exists(PK) OR (${later} AND ${otherContent})`,
          ExpressionAttributeNames: {
            '#version': 'version',
            ...(options.replaceSameContent ? {} : { '#digest': 'contentDigest' }),
          },
          ExpressionAttributeValues: {
            ':version': report.version,
            ...(options.replaceSameContent ? {} : { ':digest': contentDigestOf(report.version) }),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.current(report.year);
      if (!current) throw error;
      if (
        options.replaceSameContent ||
        contentDigestOf(current.version) !== contentDigestOf(report.version)
      ) {
        await this.recordVersion(report);
        return 'superseded';
      }
      // Same content (a twin generation, earlier or later): the current version stands.
      // Recording it again repairs a history write lost to a crash right after it became current.
      await this.recordVersion(current);
      return 'same-content';
    }
    await this.recordVersion(report);
    return 'current';
  }

  /** The year's history entry of a version (a plain put: writing it twice changes nothing). */
  private async recordVersion(report: PublishedReport): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: reportPartition(report.year),
          SK: `${VERSION_PREFIX}${report.version}`,
          ...toItemFields(report),
        },
      }),
    );
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
    versionNumber: report.versionNumber,
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
    ...(stored.versionNumber === undefined ? {} : { versionNumber: Number(stored.versionNumber) }),
    generatedAt: stored.generatedAt,
    jsonKey: stored.jsonKey,
    csvKey: stored.csvKey,
    counts: stored.counts,
  };
}
