import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import {
  generateSurveyCsv,
  type SampleOptions,
  type SurveyLanguage,
} from '#cli/sample/survey-generator.ts';
import { DEFAULT_RULES, exchangeRatesForYear } from '#shared/domain/rules/index.ts';
import { CliError } from '../errors.ts';
import { count } from '../format.ts';
import type { CliIo } from '../io.ts';

export interface SampleCommandOptions {
  rows: number;
  seed: number;
  year: number;
  language: SurveyLanguage;
  badRows: number;
  timestamps: boolean;
  out?: string;
}

/** The generator's options for a year, with that year's exchange rates from the rules table. */
export function sampleOptions(options: Omit<SampleCommandOptions, 'out'>): SampleOptions {
  const exchangeRates = exchangeRatesForYear(DEFAULT_RULES, options.year);
  if (Object.keys(exchangeRates).length === 0) {
    throw new CliError(`the rules have no exchange rates for ${options.year}: pick another --year`);
  }
  return {
    rows: options.rows,
    seed: options.seed,
    year: options.year,
    language: options.language,
    badRowShare: options.badRows,
    exchangeRates,
    yearColumn: options.timestamps ? 'submitted_at' : 'year',
  };
}

/** Writes a deterministic synthetic survey to `--out` (or standard output). */
export async function sampleCommand(options: SampleCommandOptions, io: CliIo): Promise<void> {
  const generatorOptions = sampleOptions(options);
  if (!options.out) {
    for await (const chunk of generateSurveyCsv(generatorOptions)) io.stdout(chunk);
    return;
  }
  const path = resolve(io.cwd, options.out);
  const file = createWriteStream(path);
  const failed = once(file, 'error').then(([error]) => {
    throw new CliError(`could not write ${path}: ${(error as Error).message}`);
  });
  const written = (async () => {
    for await (const chunk of generateSurveyCsv(generatorOptions)) {
      if (!file.write(chunk)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
  })();
  await Promise.race([written, failed]);
  io.stderr(
    `Wrote ${count(options.rows)} ${options.language === 'es' ? 'Spanish' : 'English'} survey ` +
      `${options.rows === 1 ? 'row' : 'rows'} for ${options.year} to ${path} (each row deliberately invalid with a ` +
      `${Math.round(options.badRows * 100)}% chance).\n`,
  );
}
