/**
 * Load figures, printed (never asserted: they depend on the machine). Part of `npm run
 * test:stress`; alone: `npm run test:load -- [--seconds 30] [--connections 50]
 * [--rows-during 1000000] [--big-rows 10000000]` (`--big-rows 0` skips the large ingestion).
 *
 * 1. `salary-report start` once on a fresh data directory (it ingests the sample and publishes
 *    its report), stopped; then `salary-report serve` on it.
 * 2. autocannon against `GET /reports/2025`: requests/s, p50/p99 latency, errors and non-2xx.
 * 3. The same while a file of `--rows-during` rows is uploaded and ingested by that stack.
 * 4. A fresh `serve` ingests a file of `--big-rows` rows: rows/s from upload to settled, and the
 *    stack process's peak RSS (constant memory: far below the file's size).
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Upload } from '@aws-sdk/lib-storage';
import autocannon from 'autocannon';
import { LocalStackProcess } from './support/local-stack-process.ts';

// Node 20 is what this machine runs; the SDK's reminder about Node 22 is noise in the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BIN = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));
const YEAR = 2025;
const MB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    'rows-during': { type: 'string', default: '1000000' },
    'big-rows': { type: 'string', default: '10000000' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rowsDuring = Number(values['rows-during']);
const bigRows = Number(values['big-rows']);

const root = mkdtempSync(join(tmpdir(), 'salary-report-load-'));
const dataDirectory = join(root, 'data');
const figures: Array<[string, string]> = [];
const figure = (name: string, value: string) => {
  figures.push([name, value]);
  console.log(`[load] ${name}: ${value}`);
};

try {
  console.log('[load] first start: ingesting the sample and publishing its report…');
  const seeding = await LocalStackProcess.start(dataDirectory, ['start']);
  await until(async () => (await fetch(`${seeding.state.apiUrl}/reports/${YEAR}`)).status === 200);
  await seeding.interrupt();

  let stack = await LocalStackProcess.start(dataDirectory, ['serve']);
  const url = `${stack.state.apiUrl}/reports/${YEAR}`;
  figure('API alone', describe(await hammer(url)));

  if (rowsDuring > 0) {
    const file = await sampleFile(rowsDuring, 11);
    const key = `uploads/${YEAR}/load-${rowsDuring}.csv`;
    const loaded = hammer(url);
    const ingestion = ingest(stack, key, file, rowsDuring);
    figure(`API while ${count(rowsDuring)} rows are ingested`, describe(await loaded));
    figure(`ingestion of ${count(rowsDuring)} rows beside the load`, await ingestion);
  }

  if (bigRows > 0) {
    await stack.interrupt();
    stack = await LocalStackProcess.start(dataDirectory, ['serve']);
    const file = await sampleFile(bigRows, 12);
    const idle = stack.memory();
    const outcome = await ingest(stack, `uploads/${YEAR}/big-${bigRows}.csv`, file, bigRows);
    const { peakRss } = stack.memory();
    figure(
      `ingestion of ${count(bigRows)} rows (${(statSync(file).size / MB).toFixed(0)} MB)`,
      outcome,
    );
    figure(
      'stack process memory',
      `${(idle.rss / MB).toFixed(0)} MB idle before, peak RSS ${(peakRss / MB).toFixed(0)} MB over the whole run`,
    );
  }
  await stack.interrupt();
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log('\n[load] figures');
for (const [name, value] of figures) console.log(`  ${name}: ${value}`);

async function hammer(target: string): Promise<autocannon.Result> {
  return autocannon({ url: target, connections, duration: seconds });
}

function describe(result: autocannon.Result): string {
  return (
    `${count(Math.round(result.requests.average))} req/s, p50 ${result.latency.p50} ms, ` +
    `p99 ${result.latency.p99} ms, ${result.errors} errors, ${result.timeouts} timeouts, ` +
    `${result.non2xx} non-2xx, ${count(result.requests.total)} requests in ${result.duration} s ` +
    `(${connections} connections)`
  );
}

/** Uploads (multipart) and waits for the record: rows/s from the end of the upload to settled. */
async function ingest(
  stack: LocalStackProcess,
  key: string,
  file: string,
  rows: number,
): Promise<string> {
  await new Upload({
    client: stack.s3,
    params: { Bucket: stack.state.bucketName, Key: key, Body: createReadStream(file) },
    partSize: 16 * MB,
  }).done();
  const uploaded = performance.now();
  await until(async () => {
    const record = await stack.recordOf(key);
    return record?.status === 'ingested' || record?.status === 'rejected';
  });
  const record = await stack.recordOf(key);
  const elapsed = (performance.now() - uploaded) / 1000;
  return (
    `${record?.status}: ${count(record?.accepted ?? 0)} accepted, ${count(record?.rejected ?? 0)} ` +
    `rejected in ${elapsed.toFixed(1)} s (${count(Math.round(rows / elapsed))} rows/s)`
  );
}

/** A deterministic sample survey written by `salary-report sample`. */
async function sampleFile(rows: number, seed: number): Promise<string> {
  const out = join(root, `sample-${rows}-${seed}.csv`);
  const child = spawn(
    process.execPath,
    [
      BIN,
      'sample',
      '--rows',
      String(rows),
      '--seed',
      String(seed),
      '--year',
      String(YEAR),
      '--out',
      out,
    ],
    { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`salary-report sample exited with ${code}`);
  return out;
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition().catch(() => false))) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
