/**
 * Report generation for a whole year of survey rows, in its own process so peak RSS belongs to
 * the generation alone. Two steps:
 *   tsx bench/report-year-worker.ts prepare <survey.csv> <partials.json> <files>
 *     ingests the survey as <files> uploads (consecutive slices of its rows) and writes every
 *     file's year partial as it is stored: the exact salaries encoded (cents-codec) and cut into
 *     chunks of at most one DynamoDB item each; prints the stored bytes per respondent;
 *   tsx bench/report-year-worker.ts generate <partials.json>
 *     reads the chunks back as the aggregate store does (join, decode, merge per cell), generates
 *     the report into an in-memory report store and prints one JSON line: respondents, cells,
 *     seconds (read + merge + report, serialization included) and peak RSS.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { InMemoryReportStore } from '#shared/adapters/report-store-memory.ts';
import { SalaryAggregate } from '#shared/domain/aggregate.ts';
import { aggregateCsv } from '#shared/domain/aggregate-csv.ts';
import { cellId, compareCells } from '#shared/domain/cell.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import { decodePartialPayload, encodePartialPayload } from '#shared/domain/salaries/cents-codec.ts';
import { joinChunks, splitIntoChunks } from '#shared/domain/salaries/chunks.ts';
import type { CellAggregate, FileYearContribution } from '#shared/ports/ingestion-store.ts';
import { generateReport } from '#shared/use-cases/generate-report.ts';

const YEAR = 2025;
/**
 * What a stored chunk costs besides its bytes, as DynamoDB counts item size (attribute names and
 * values): PK `YEAR#2025`, SK `PART#<20 hex>#<32 hex sequencer>#<36-char run id>#<chunk>`, and
 * the run's sequencer and id repeated as attributes.
 */
const ITEM_OVERHEAD_BYTES = 2 + 9 + 2 + 100 + 9 + 32 + 5 + 36 + 7;

interface StoredYear {
  files: FileYearContribution[];
  /** Per file, its year partial's chunks, base64. */
  chunks: string[][];
}

async function prepare(survey: string, output: string, fileCount: number): Promise<void> {
  const lines = readFileSync(survey, 'utf8').split('\n');
  const header = lines[0] ?? '';
  const rows = lines.slice(1).filter((line) => line !== '');
  const perFile = Math.ceil(rows.length / fileCount);
  const year: StoredYear = { files: [], chunks: [] };
  let storedBytes = 0;
  let items = 0;
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
    const payload = encodePartialPayload({
      year: YEAR,
      cells: [...aggregation.cells.values()].map(({ submission, aggregate }) => ({
        cell: submission.cell,
        sortedCents: aggregate.sortedCents(),
      })),
    });
    const chunks = splitIntoChunks(payload);
    storedBytes += chunks.reduce((total, chunk) => total + chunk.length + ITEM_OVERHEAD_BYTES, 0);
    items += chunks.length;
    accepted += aggregation.accepted;
    year.chunks.push(chunks.map((chunk) => Buffer.from(chunk).toString('base64')));
    year.files.push({
      key,
      sequencer: String(index).padStart(32, '0'),
      accepted: aggregation.accepted,
      rejected: aggregation.rejected,
      rejectedByReason: { ...aggregation.rejectedByReason },
    });
  }
  writeFileSync(output, JSON.stringify(year));
  console.log(
    JSON.stringify({ respondents: accepted, items, bytesPerRespondent: storedBytes / accepted }),
  );
}

async function generate(input: string): Promise<void> {
  const year = JSON.parse(readFileSync(input, 'utf8')) as StoredYear;
  const chunksOfFiles = year.chunks.map((chunks) =>
    chunks.map((chunk) => new Uint8Array(Buffer.from(chunk, 'base64'))),
  );
  const store = new InMemoryReportStore();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const { report } = await generateReport(YEAR, {
    aggregates: {
      // What the aggregate store's readYear does with the partials a year's pointers name.
      readYear: async () => {
        const byCell = new Map<string, CellAggregate>();
        for (const chunks of chunksOfFiles) {
          for (const { cell, sortedCents } of decodePartialPayload(joinChunks(chunks)).cells) {
            const aggregate = SalaryAggregate.ofSortedCents(sortedCents);
            const id = cellId(cell);
            const existing = byCell.get(id);
            if (existing) existing.aggregate.merge(aggregate);
            else byCell.set(id, { cell, aggregate });
          }
        }
        const cells = [...byCell.values()].sort((a, b) => compareCells(a.cell, b.cell));
        return { year: YEAR, cells, files: year.files };
      },
      listIngestionRecords: async () => [],
    },
    snapshots: store,
    pointers: store,
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
