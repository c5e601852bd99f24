import { describe, expect, it } from 'vitest';
import {
  generateSurveyCsv,
  generateSurveyRows,
  type SampleOptions,
  type SampleRow,
  sampleHeader,
} from '#cli/sample/survey-generator.ts';
import { readCsv } from '#shared/domain/csv/read-csv.ts';
import { mapColumns } from '#shared/domain/header-mapping.ts';
import { createRowNormalizer } from '#shared/domain/normalize.ts';
import { DEFAULT_RULES, exchangeRatesForYear } from '#shared/domain/rules/index.ts';
import type { RowOutcome } from '#shared/domain/submission.ts';

const YEAR = 2024;
const FILE_NAME = 'uploads/sample.csv';

interface ReadBack {
  header: readonly string[];
  outcomes: { fields: readonly string[]; line: number; outcome: RowOutcome }[];
}

/** The generated file read the way ingestion reads it: CSV reader, header mapping, normalizer. */
async function ingestGenerated(options: SampleOptions): Promise<ReadBack> {
  const encoder = new TextEncoder();
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of generateSurveyCsv(options)) yield encoder.encode(chunk);
  }
  let header: readonly string[] = [];
  let normalize: ((fields: readonly string[], line: number) => RowOutcome) | undefined;
  const outcomes: ReadBack['outcomes'] = [];
  await readCsv(FILE_NAME, bytes, {
    onStart() {
      outcomes.length = 0;
    },
    onHeader(names) {
      header = names;
      normalize = createRowNormalizer(DEFAULT_RULES, mapColumns(names, FILE_NAME), {
        fileName: FILE_NAME,
      });
    },
    onRecord(fields, line) {
      if (normalize) outcomes.push({ fields: [...fields], line, outcome: normalize(fields, line) });
    },
  });
  return { header, outcomes };
}

function expectIngestedAsGenerated(generated: readonly SampleRow[], read: ReadBack): void {
  expect(read.outcomes).toHaveLength(generated.length);
  generated.forEach((row, index) => {
    const { fields, line, outcome } = read.outcomes[index] ?? expect.unreachable();
    expect(line).toBe(row.line);
    expect(fields).toEqual(row.fields);
    if (row.bad) {
      expect(outcome, row.fields.join(',')).toMatchObject({
        ok: false,
        rejection: { line: row.line, column: row.bad.column, reason: row.bad.reason },
      });
    } else {
      expect(outcome, row.fields.join(',')).toEqual({
        ok: true,
        submission: {
          cell: { year: YEAR, country: row.country, role: row.role, seniority: row.seniority },
          monthlyUsdCents: row.monthlyUsdCents,
        },
      });
    }
  });
}

describe('generated sample through the ingestion normalizer', () => {
  const base: SampleOptions = {
    rows: 5_000,
    seed: 1_234,
    year: YEAR,
    badRowShare: 0.05,
    exchangeRates: exchangeRatesForYear(DEFAULT_RULES, YEAR),
  };

  it('accepts every good English row in exactly its cell and cents, and rejects every bad row with its reason', async () => {
    const options: SampleOptions = { ...base, language: 'en' };
    expectIngestedAsGenerated([...generateSurveyRows(options)], await ingestGenerated(options));
  });

  it('does the same for a Spanish survey (Spanish headers, names, periods)', async () => {
    const options: SampleOptions = { ...base, language: 'es', seed: 5_678 };
    expectIngestedAsGenerated([...generateSurveyRows(options)], await ingestGenerated(options));
  });

  it('reads the year from submission timestamps in both languages', async () => {
    for (const language of ['en', 'es'] as const) {
      const options: SampleOptions = { ...base, rows: 2_000, language, yearColumn: 'submitted_at' };
      expectIngestedAsGenerated([...generateSurveyRows(options)], await ingestGenerated(options));
    }
  });

  it('maps every generated header onto a canonical column, ignoring none', () => {
    for (const language of ['en', 'es'] as const) {
      for (const yearColumn of ['year', 'submitted_at'] as const) {
        const mapping = mapColumns(sampleHeader(language, yearColumn), FILE_NAME);
        expect(mapping.ignored).toEqual([]);
      }
    }
  });
});
