/**
 * Report generation for a whole year of survey rows, in its own process so peak RSS belongs to
 * the generation alone. Two steps:
 *   tsx bench/report-year-worker.ts prepare <survey.csv> <items.json> <files>
 *     ingests the survey as <files> uploads (consecutive slices of its rows) through the ingestion
 *     protocol into the in-memory conditional store, writes the store's items to <items.json> and
 *     prints the partial items' size as DynamoDB counts it, per respondent;
 *   tsx bench/report-year-worker.ts generate <items.json>
 *     loads those items into a fresh store and generates the report with the real readers (query,
 *     pointer check, chunk join, decode, merge) into an in-memory report store; prints one JSON
 *     line: respondents, cells, seconds and CPU seconds (read + merge + report, serialization
 *     included), peak RSS.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import { encodePartials } from '#shared/domain/partial-payload.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import { aggregateCsv } from '#shared/domain/survey-file.ts';
import type { StoredItem, StoredValue } from '#shared/ports/conditional-store.ts';
import { generateReport } from '#shared/use-cases/generate-report.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { MemoryConditionalStore } from '#test/support/memory-conditional-store.ts';

const YEAR = 2025;

/** JSON with bytes as base64, so stored items round-trip. */
function toJson(items: readonly StoredItem[]): string {
  return JSON.stringify(items, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    return original instanceof Uint8Array
      ? { $bytes: Buffer.from(original).toString('base64') }
      : value;
  });
}

function fromJson(text: string): StoredItem[] {
  return JSON.parse(text, (_key, value: unknown) =>
    value && typeof value === 'object' && '$bytes' in value
      ? new Uint8Array(Buffer.from(String(value.$bytes), 'base64'))
      : value,
  ) as StoredItem[];
}

/** An item's size as DynamoDB bills and limits it: names plus values, keys and version included. */
function dynamoItemBytes(item: StoredItem): number {
  const attributes: Record<string, StoredValue> = {
    ...item.attributes,
    PK: item.partition,
    SK: item.sort,
    itemVersion: item.version,
  };
  return Object.entries(attributes).reduce(
    (total, [name, value]) => total + Buffer.byteLength(name) + valueBytes(value),
    0,
  );
}

function valueBytes(value: StoredValue): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).length / 2) + 1;
  if (typeof value === 'boolean') return 1;
  if (value instanceof Uint8Array) return value.length;
  const entries = Array.isArray(value) ? value : Object.entries(value);
  return 3 + entries.length + JSON.stringify(entries).length;
}

async function prepare(survey: string, output: string, fileCount: number): Promise<void> {
  const lines = readFileSync(survey, 'utf8').split('\n');
  const header = lines[0] ?? '';
  const rows = lines.slice(1).filter((line) => line !== '');
  const perFile = Math.ceil(rows.length / fileCount);
  const store = new MemoryConditionalStore();
  const protocol = new IngestionProtocol(store);
  let accepted = 0;
  for (let index = 0; index < fileCount; index++) {
    const key = `uploads/${YEAR}/part-${String(index).padStart(3, '0')}.csv`;
    const text = [header, ...rows.slice(index * perFile, (index + 1) * perFile), ''].join('\n');
    const { aggregation } = await aggregateCsv({
      fileName: key,
      open: async () => Readable.from([Buffer.from(text)]),
      rules: DEFAULT_RULES,
      yearFromKey: YEAR,
      rejections: { add: () => {}, reset: () => {} },
    });
    const event = { key, sequencer: (index + 1).toString(16).toUpperCase().padStart(32, '0') };
    const run = { ...event, runId: `run-${index}` };
    await protocol.claim(event, new Date().toISOString());
    const partials = encodePartials(
      [...aggregation.cells.values()].map(({ submission, aggregate }) => ({
        cell: submission.cell,
        aggregate,
      })),
    );
    await protocol.writePartials(run, partials);
    await protocol.commit(
      run,
      {
        status: 'ingested',
        accepted: aggregation.accepted,
        rejected: aggregation.rejected,
        rejectedByReason: { ...aggregation.rejectedByReason },
        partials,
        perYear: aggregation.perYear,
      },
      new Date().toISOString(),
    );
    await protocol.publish(key);
    accepted += aggregation.accepted;
  }
  const items = store.items();
  const partialItems = items.filter((item) => item.sort.startsWith('PART#'));
  const bytes = partialItems.reduce((total, item) => total + dynamoItemBytes(item), 0);
  writeFileSync(output, toJson(items));
  console.log(
    JSON.stringify({
      respondents: accepted,
      partialItems: partialItems.length,
      bytesPerRespondent: bytes / accepted,
    }),
  );
}

async function generate(input: string): Promise<void> {
  const items = fromJson(readFileSync(input, 'utf8'));
  const store = new MemoryConditionalStore();
  await store.putAll(
    items.map((item) => ({
      key: { partition: item.partition, sort: item.sort },
      attributes: item.attributes,
    })),
  );
  const reports = new InMemoryReportStore();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const { report } = await generateReport(YEAR, {
    aggregates: new IngestionProtocol(store),
    snapshots: reports,
    pointers: reports,
    normalizationUsed: async () => ({ exchangeRates: { USD: 1 }, seniorityRules: {} }),
    baseCountry: 'US',
    thresholds: DEFAULT_THRESHOLDS,
    now: () => new Date(),
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const overall = report.cells.find((cell) => cell.level === 'overall');
  console.log(
    JSON.stringify({
      respondents: overall && !overall.suppressed ? overall.n : 0,
      cells: report.cells.length,
      exact: report.methodology.quantiles.exact,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

const [step, ...args] = process.argv.slice(2);
if (step === 'prepare') await prepare(args[0] ?? '', args[1] ?? '', Number(args[2] ?? 10));
else if (step === 'generate') await generate(args[0] ?? '');
else throw new Error(`unknown step ${step}: prepare or generate`);
