/**
 * Runs one ingestion measurement in its own process, so peak RSS belongs to that measurement
 * alone. Usage: tsx bench/ingest-worker.ts <mode> <file.csv>; prints one JSON line.
 */
import { createReadStream, statSync } from 'node:fs';
import { parse as csvParse } from 'csv-parse';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';
import { readCsv } from '#shared/domain/csv/read-csv.ts';
import { FileAggregation } from '#shared/domain/file-aggregation.ts';
import { mapColumns } from '#shared/domain/header-mapping.ts';
import { createRowNormalizer } from '#shared/domain/normalize.ts';
import { encodePartials } from '#shared/domain/partial-payload.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import { aggregateCsv, type RejectionSink } from '#shared/domain/survey-file.ts';

type Mode =
  | 'udsv-raw'
  | 'papaparse'
  | 'csv-parse'
  | 'read-csv'
  | 'ingest'
  | 'ingest-csv-parse'
  | 'ingest-stored';

const [mode, file] = process.argv.slice(2) as [Mode, string];
const bytes = statSync(file).size;
const open = async () => createReadStream(file);
const discard: RejectionSink = { add: () => {}, reset: () => {} };

/**
 * The reference: uDSV's streaming parse into string arrays, each row counted and dropped (nothing
 * accumulated), on text decoded by Node's streaming UTF-8 decoder.
 */
async function udsvRows(): Promise<number> {
  let rows = 0;
  let parser: ReturnType<typeof initParser> | undefined;
  const onRow = () => {
    rows += 1;
  };
  for await (const text of createReadStream(file, { encoding: 'utf8' })) {
    parser ??= initParser(inferSchema(text as string, { encl: '"' }));
    parser.chunk<string[]>(text as string, parser.stringArrs, onRow);
  }
  parser?.end();
  return rows;
}

async function papaRows(): Promise<number> {
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(file, { encoding: 'utf8' }), {
      chunk: (results) => {
        rows += results.data.length;
      },
      complete: () => resolve(),
      error: reject,
    });
  });
  return rows - 1;
}

async function csvParseRows(): Promise<number> {
  let rows = 0;
  for await (const _record of createReadStream(file).pipe(csvParse({ relax_column_count: true }))) {
    rows += 1;
  }
  return rows - 1;
}

async function readCsvRows(): Promise<number> {
  let rows = 0;
  await readCsv(file, open, {
    onStart: () => {},
    onHeader: () => {},
    onRecord: () => {
      rows += 1;
    },
  });
  return rows;
}

/** Everything ingestion computes before it writes: the partials' stored bytes included. */
async function ingest(): Promise<number> {
  const { aggregation } = await aggregateCsv({
    fileName: file,
    open,
    rules: DEFAULT_RULES,
    rejections: discard,
  });
  encodePartials(
    [...aggregation.cells.values()].map(({ submission, aggregate }) => ({
      cell: submission.cell,
      aggregate,
    })),
  );
  return aggregation.accepted + aggregation.rejected;
}

/** The straightforward version: csv-parse with `columns: true`, one object per row. */
async function ingestWithCsvParse(): Promise<number> {
  const aggregation = new FileAggregation();
  let normalize: ReturnType<typeof createRowNormalizer> | undefined;
  let header: string[] = [];
  let line = 1;
  const parser = createReadStream(file).pipe(
    csvParse({
      bom: true,
      relax_column_count: true,
      columns: (names: string[]) => {
        header = names;
        normalize = createRowNormalizer(DEFAULT_RULES, mapColumns(names, file), { fileName: file });
        return names;
      },
    }),
  );
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    line += 1;
    const outcome = normalize?.(
      header.map((name) => record[name] ?? ''),
      line,
    );
    if (outcome?.ok) aggregation.addSubmission(outcome.submission);
    else if (outcome?.rejection) aggregation.addRejection(outcome.rejection);
  }
  return aggregation.accepted + aggregation.rejected;
}

/**
 * One delivery of the uploaded file's S3 event through the ingest handler, on s3rver and
 * dynalite in this process. Timed: the invocation only. Starting the servers, uploading the file
 * and loading the handler module (Lambda's INIT, measured by bench/cold-start.ts) come before.
 */
async function ingestStored(): Promise<number> {
  const { IngestHarness } = await import('#test/support/ingest-harness.ts');
  const { readFileSync } = await import('node:fs');
  const harness = await IngestHarness.start();
  try {
    await harness.loadHandler();
    const event = await harness.put(`uploads/2025/bench-${Date.now()}.csv`, readFileSync(file));
    const cpu = process.cpuUsage();
    const started = performance.now();
    await harness.deliver([event]);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const record = (await harness.store.listIngestionRecords())[0];
    report((record?.accepted ?? 0) + (record?.rejected ?? 0), seconds, used);
    return -1;
  } finally {
    await harness.stop();
  }
}

/**
 * The line the bench reads. `cpuSeconds` (this process's user + system time over the same span)
 * says how much of the wall time was our own work on a busy machine.
 */
function report(rows: number, seconds: number, cpu: NodeJS.CpuUsage): void {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ mode, rows, seconds, maxRssMb, bytes, cpuSeconds }));
}

const runners: Record<Mode, () => Promise<number>> = {
  'udsv-raw': udsvRows,
  papaparse: papaRows,
  'csv-parse': csvParseRows,
  'read-csv': readCsvRows,
  ingest,
  'ingest-csv-parse': ingestWithCsvParse,
  'ingest-stored': ingestStored,
};

const cpu = process.cpuUsage();
const started = performance.now();
const rows = await runners[mode]();
if (rows >= 0) report(rows, (performance.now() - started) / 1000, process.cpuUsage(cpu));
