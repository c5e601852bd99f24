/**
 * Bytes per respondent as actually stored: a survey split into <files> uploads, each put into the
 * local bucket and delivered to the real ingestion handler, the partials written into a real
 * DynamoDB implementation (dynalite or DynamoDB Local); then every stored partial item of the year
 * is read back with Query and its size counted as DynamoDB counts it (attribute names plus values).
 *
 *   tsx bench/stored-bytes.ts <survey.csv> <files> [dynalite|dynamodb-local]
 *
 * Prints one JSON line: respondents, partial items, bytes (payload bytes alone, and whole items),
 * bytes per respondent, the largest item, the table size DescribeTable reports (every item of the
 * table, ingestion records and pointers included; DynamoDB Local updates it at once, dynalite
 * reports 0, DynamoDB itself updates it about every six hours), and the wall and CPU seconds of
 * the real generate-report handler over what was stored (reading included; peak RSS is not
 * printed: this process also held the survey).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  type AttributeValue,
  DescribeTableCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { loadApiConfig } from '#shared/config.ts';
import { BUCKET, type DynamoBackend, IngestHarness } from '#test/support/ingest-harness.ts';

const YEAR = 2025;
const [survey = '', fileCount = '10', backend = 'dynalite'] = process.argv.slice(2);

/** DynamoDB's item size: each attribute's name in UTF-8 plus its value (numbers ~1 byte per 2 digits). */
function itemBytes(item: Record<string, AttributeValue>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    total += Buffer.byteLength(name);
    if (value.S !== undefined) total += Buffer.byteLength(value.S);
    else if (value.B !== undefined) total += value.B.length;
    else if (value.N !== undefined)
      total += Math.ceil(value.N.replace(/^-|\./g, '').length / 2) + 1;
    else total += Buffer.byteLength(JSON.stringify(value)) + 3;
  }
  return total;
}

const lines = readFileSync(survey, 'utf8').split('\n');
const header = lines[0] ?? '';
const rows = lines.slice(1).filter((line) => line !== '');
const files = Number(fileCount);
const perFile = Math.ceil(rows.length / files);
const harness = await IngestHarness.start(backend as DynamoBackend);
process.env.TABLE_NAME ??= harness.tableName;
process.env.BUCKET_NAME ??= BUCKET;
// The handler module wires production dependencies from the environment when loaded.
const { createGenerateReportDependencies, generateReportHandler } = await import(
  '#functions/generate-report.ts'
);
try {
  let accepted = 0;
  for (let index = 0; index < files; index++) {
    const key = `uploads/${YEAR}/part-${String(index).padStart(3, '0')}.csv`;
    const body = [header, ...rows.slice(index * perFile, (index + 1) * perFile), ''].join('\n');
    const failures = await harness.deliver([await harness.put(key, body)]);
    if (failures.batchItemFailures.length > 0) throw new Error(`ingesting ${key} failed`);
  }
  for (const record of await harness.store.listIngestionRecords()) accepted += record.accepted;

  let items = 0;
  let bytes = 0;
  let payloadBytes = 0;
  let largest = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page: QueryCommandOutput = await harness.aws.dynamo.send(
      new QueryCommand({
        TableName: harness.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :part)',
        ExpressionAttributeValues: { ':pk': { S: `YEAR#${YEAR}` }, ':part': { S: 'PART#' } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const size = itemBytes(item);
      items += 1;
      bytes += size;
      // A packed item's `pack` (its cells' payloads and their few bytes of framing), or an
      // item of one payload as written before packing.
      payloadBytes += item.pack?.B?.length ?? item.payload?.B?.length ?? 0;
      largest = Math.max(largest, size);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  const table = await harness.aws.dynamo.send(
    new DescribeTableCommand({ TableName: harness.tableName }),
  );
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const outcome = await generateReportHandler(
    { year: YEAR },
    createGenerateReportDependencies(harness.aws.s3, harness.aws.dynamo, {
      ...loadApiConfig(),
      bucketName: BUCKET,
      tableName: harness.tableName,
    }),
  );
  const reportSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  console.log(
    JSON.stringify({
      backend,
      files,
      respondents: accepted,
      partialItems: items,
      partialBytes: bytes,
      payloadBytes,
      bytesPerRespondent: bytes / accepted,
      payloadBytesPerRespondent: payloadBytes / accepted,
      largestItemBytes: largest,
      tableSizeBytes: table.Table?.TableSizeBytes,
      tableItems: table.Table?.ItemCount,
      reportRespondents: outcome.counts.respondents,
      reportSeconds,
      reportCpuSeconds: (cpu.user + cpu.system) / 1e6,
    }),
  );
} finally {
  await harness.stop();
}
