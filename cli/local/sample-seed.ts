import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SAMPLE_SURVEY_YEAR } from '#cli/sample/population.ts';
import { generateSurveyCsv } from '#cli/sample/survey-generator.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import { uploadKey } from '#shared/bucket-layout.ts';
import type { Report } from '#shared/domain/report/model.ts';
import type { IngestionRecord } from '#shared/ports/ingestion-store.ts';
import type { PublishedReport } from '#shared/ports/report-store.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { sampleOptions } from '../commands/sample.ts';
import type { LocalStack } from './local-stack.ts';

export interface SampleFile {
  name: string;
  rows: number;
  seed: number;
  language: 'en' | 'es';
  badRows: number;
  timestamps: boolean;
}

/**
 * What a first start ingests: an English export, a Spanish Google Forms export (timestamps), and a
 * small messy file with a quarter of its rows broken. ~41k rows: seconds to ingest.
 */
export const FIRST_START_SAMPLE: readonly SampleFile[] = [
  {
    name: 'survey-2025-en.csv',
    rows: 24_000,
    seed: 1,
    language: 'en',
    badRows: 0.01,
    timestamps: false,
  },
  {
    name: 'encuesta-2025-es.csv',
    rows: 16_000,
    seed: 2,
    language: 'es',
    badRows: 0.01,
    timestamps: true,
  },
  {
    name: 'messy-export.csv',
    rows: 800,
    seed: 3,
    language: 'en',
    badRows: 0.25,
    timestamps: false,
  },
];

export interface SeedOutcome {
  files: IngestionRecord[];
  published: PublishedReport;
  report: Report;
}

/** True when nothing was ever uploaded to this stack (its first start). */
export async function isEmptyStack(stack: LocalStack): Promise<boolean> {
  const store = new IngestionProtocol(
    new DynamoConditionalStore(stack.aws.dynamo, stack.state.tableName),
  );
  return (await store.listIngestionRecords()).length === 0;
}

/**
 * Uploads generated survey files to the local bucket (their S3 events drive ingestion, as any
 * upload's do), waits until they are ingested, and generates the year's report.
 */
export async function seedSample(
  stack: LocalStack,
  files: readonly SampleFile[] = FIRST_START_SAMPLE,
  year = SAMPLE_SURVEY_YEAR,
): Promise<SeedOutcome> {
  const keys: string[] = [];
  for (const file of files) {
    let csv = '';
    for await (const chunk of generateSurveyCsv(sampleOptions({ ...file, year }))) csv += chunk;
    const key = uploadKey(year, file.name);
    await stack.aws.s3.send(
      new PutObjectCommand({
        Bucket: stack.state.bucketName,
        Key: key,
        Body: csv,
        ContentType: 'text/csv',
      }),
    );
    keys.push(key);
  }
  await stack.ingestionIdle();
  const store = new IngestionProtocol(
    new DynamoConditionalStore(stack.aws.dynamo, stack.state.tableName),
  );
  const records = await Promise.all(keys.map((key) => store.getRecord(key)));
  const published = (await stack.generateReport(year)) as PublishedReport;
  return {
    files: records.filter((record): record is IngestionRecord => record !== undefined),
    published,
    report: await readReport(stack, published.jsonKey),
  };
}

export async function readReport(stack: LocalStack, jsonKey: string): Promise<Report> {
  const json = await new S3ReportSnapshotStore(stack.aws.s3, stack.state.bucketName).readJson(
    jsonKey,
  );
  if (json === undefined) throw new Error(`report snapshot ${jsonKey} is missing`);
  return JSON.parse(json) as Report;
}
