/**
 * A year of 1,000,000 survey rows — the CLI's `salary-report sample --rows 1000000 --seed 7` —
 * ingested through the ingestion protocol (in-memory conditional store) and reported: the partial
 * items' size as DynamoDB counts it, per respondent (the whole sample as one upload, and as ten
 * uploads of 100k rows), and report generation from those items with the real readers, each run
 * in its own process (bench/report-year-worker.ts) so peak RSS is the generation's own.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sampleOptions } from '#cli/commands/sample.ts';
import { generateSurveyCsv } from '#cli/sample/survey-generator.ts';
import { type BenchFigure, printFigures } from './results.ts';

const ROWS = 1_000_000;
const SEED = 7;
const UPLOAD_SPLITS = [1, 10] as const;
const workDirectory = join(import.meta.dirname, 'tmp');

function worker(args: string[]): Record<string, number> {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'report-year-worker.ts'), ...args],
    { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

export async function runReportYearBench(runs: number): Promise<BenchFigure[]> {
  mkdirSync(workDirectory, { recursive: true });
  const survey = join(workDirectory, `sample-${ROWS}-seed${SEED}.csv`);
  if (!existsSync(survey)) {
    const options = sampleOptions({
      rows: ROWS,
      seed: SEED,
      year: 2025,
      language: 'en',
      badRows: 0.01,
      timestamps: false,
    });
    await pipeline(Readable.from(generateSurveyCsv(options)), createWriteStream(survey));
  }
  const figures: BenchFigure[] = [];
  for (const files of UPLOAD_SPLITS) {
    const items = join(workDirectory, `year-${ROWS}-${files}-files.json`);
    const stored = worker(['prepare', survey, items, String(files)]);
    figures.push({
      name: `storage 1M sample, ${files} upload${files > 1 ? 's' : ''}, bytes/respondent`,
      value: stored.bytesPerRespondent ?? Number.NaN,
      unit: 'B',
    });
    const results = Array.from({ length: runs }, () => worker(['generate', items]));
    results.sort((a, b) => (a.seconds ?? 0) - (b.seconds ?? 0));
    const median = results[Math.floor(results.length / 2)] ?? {};
    const label = `report.generate.1M_respondents.${files}_file${files > 1 ? 's' : ''}`;
    figures.push(
      { name: label, value: Math.round((median.seconds ?? 0) * 1000), unit: 'ms' },
      { name: `${label} cpu`, value: Math.round((median.cpuSeconds ?? 0) * 1000), unit: 'ms' },
      {
        name: `${label} peak RSS`,
        value: Math.max(...results.map((result) => result.maxRssMb ?? 0)),
        unit: 'MB',
      },
    );
  }
  printFigures(
    `A year of ${ROWS.toLocaleString('en-US')} rows (seed ${SEED}): storage and report, median of ${runs}`,
    figures,
  );
  return figures;
}
