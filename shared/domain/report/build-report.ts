import { createHash } from 'node:crypto';
import { TooFewRespondentsError } from '../../errors.ts';
import { SKETCH_RELATIVE_ACCURACY } from '../salaries/salary-aggregate.ts';
import type { CountryCode } from '../taxonomy.ts';
import { type BaseCell, buildReportCells, PUBLISHED } from './cells.ts';
import type { PreviousReport } from './comparisons.ts';
import { cellTableCsvBytes } from './csv.ts';
import type {
  Methodology,
  NormalizationUsed,
  QuantileMethodology,
  Report,
  ReportThresholds,
  SketchReason,
} from './model.ts';
import { MONTHS_PER_YEAR, RATIO_DECIMALS } from './rounding.ts';
import { writeCellsJson, writeComparisonsJson } from './snapshot-text.ts';
import { TextWriter, textCapacity } from './text-writer.ts';

/** One file's counted rows for the year (the methodology block adds them up). */
export interface FileRowCounts {
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

/**
 * The most respondents a cell may have for exact quantiles. The overall cell holds every respondent
 * of the year, so this bounds the year: generation holds each level's values in memory (8 bytes per
 * respondent and level, about 200 MB at this limit in a 1 GB function). Above it the whole report
 * takes its quantiles from sketches (±1 %), and the methodology says so (`over-exact-limit`).
 */
export const MAX_EXACT_CELL_RESPONDENTS = 5_000_000;

/** Hex digits of a version's content digest. */
const DIGEST_LENGTH = 12;

export const EXACT_QUANTILES = 'exact order statistics, linearly interpolated (type 7)';
export const SKETCH_QUANTILES = 'DDSketch order statistics, linearly interpolated (type 7)';

export interface ReportInput {
  year: number;
  /** Finest-grain aggregates of the year; any order (the report orders them itself). */
  cells: readonly BaseCell[];
  files: readonly FileRowCounts[];
  normalization: NormalizationUsed;
  baseCountry: CountryCode;
  thresholds: ReportThresholds;
  previous?: PreviousReport;
  /** Only ever written into metadata (`generatedAt`, the version), never into a statistic. */
  generatedAt: Date;
  /** Defaults to `MAX_EXACT_CELL_RESPONDENTS`. */
  maxExactCellRespondents?: number;
  /** The year's versions published before this one, plus one. Metadata too. */
  versionNumber: number;
}

/**
 * The whole report of a year. Deterministic: the same aggregates, rules, thresholds and previous
 * report give the same cells, comparisons and methodology figures, whatever the input order; only
 * `generatedAt`, the version's time part and `versionNumber` differ between two generations: the
 * version's digest part (`contentDigestOf`) is the same exactly when the content is.
 * A year with fewer than `minRespondents` respondents has no report (`TooFewRespondentsError`).
 */
export function buildReport(input: ReportInput): Report {
  return buildReportSnapshot(input).report;
}

/**
 * A report as published: its snapshot text, exactly `JSON.stringify(report)`, with what the use
 * case needs beside it. The report's objects are only made when asked for (`report`, parsed from
 * the text): generating a year writes the text and the CSV straight from the cell table.
 */
export interface ReportSnapshot {
  version: string;
  versionNumber: number;
  generatedAt: string;
  /** The snapshot text as UTF-8, what is stored (no string of it is made unless asked for). */
  jsonBytes: Uint8Array;
  /** The snapshot text, decoded from `jsonBytes` when first read. */
  readonly json: string;
  /** `JSON.parse(json)`, parsed once, when first read. */
  readonly report: Report;
  /** The report's CSV (`reportCsv` of its cells), as UTF-8. */
  csvBytes(): Uint8Array;
  /** Respondents (the overall cell's n), cells, and how many of them are suppressed. */
  cellCounts: { respondents: number; cells: number; suppressedCells: number };
}

/**
 * `buildReport`'s report as its snapshot text. The cells and comparisons, nearly all of the text,
 * are written once from the cell table (snapshot-text.ts): the content digest hashes the same
 * text the snapshot is made of.
 */
export function buildReportSnapshot(input: ReportInput): ReportSnapshot {
  if (input.cells.length === 0) {
    throw new RangeError(`no accepted rows for ${input.year}: there is nothing to report`);
  }
  const quantiles = quantileMethodology(input);
  const table = buildReportCells(
    quantiles.exact
      ? input.cells
      : input.cells.map(({ cell, aggregate }) => ({ cell, aggregate: aggregate.approximate() })),
    input.thresholds,
  );
  // Every count the report publishes (n, methodology.acceptedRows, the listing's respondents)
  // would name a number of respondents below the threshold.
  const overall = table.dimensions.findIndex((cell) => cell.level === 'overall');
  if (overall < 0 || table.suppression[overall] !== PUBLISHED) {
    throw new TooFewRespondentsError(
      `fewer than ${input.thresholds.minRespondents} respondents in ${input.year}: publishing the report would reveal how many there are`,
      { year: input.year, minRespondents: input.thresholds.minRespondents },
    );
  }
  const statistics = methodologyStatistics(input, quantiles);
  const generatedAt = input.generatedAt.toISOString();
  // JSON.stringify(report), key by key in the same order as `Report`: the head (which names the
  // version, so the digest), the cells and comparisons, then the methodology. The cells and
  // comparisons, nearly all of the text, are written once into one buffer after room for the
  // head (a digest always has the same length), hashed there, and the head put in front.
  const headOf = (digest: string) =>
    `${JSON.stringify({
      year: input.year,
      version: `${compactTimestamp(generatedAt)}-${digest}`,
      versionNumber: input.versionNumber,
      generatedAt,
      currency: 'USD',
    } satisfies Omit<Report, 'cells' | 'comparisons' | 'methodology'>).slice(0, -1)},"cells":`;
  const text = new TextWriter(textCapacity(table.length, 512));
  text.text(headOf('0'.repeat(DIGEST_LENGTH)));
  const cellsStart = text.position;
  writeCellsJson(table, text);
  text.text(',"comparisons":');
  writeComparisonsJson(table, input.baseCountry, input.previous, text);
  // The digest of JSON.stringify({ year, cells, comparisons, statistics }), hashed in pieces:
  // the snapshot's own bytes.
  const digest = createHash('sha256')
    .update(`{"year":${JSON.stringify(input.year)},"cells":`)
    .update(text.bytes().subarray(cellsStart))
    .update(`,"statistics":${JSON.stringify(statistics)}}`)
    .digest('hex')
    .slice(0, DIGEST_LENGTH);
  const version = `${compactTimestamp(generatedAt)}-${digest}`;
  text.overwriteAscii(0, headOf(digest));
  const methodology: Methodology = { version, generatedAt, ...statistics };
  text.text(`,"methodology":${JSON.stringify(methodology)}}`);
  let suppressedCells = 0;
  for (const kind of table.suppression) if (kind !== PUBLISHED) suppressedCells += 1;
  let json: string | undefined;
  let parsed: Report | undefined;
  return {
    version,
    versionNumber: input.versionNumber,
    generatedAt,
    jsonBytes: text.bytes(),
    get json() {
      json ??= text.toString();
      return json;
    },
    get report() {
      parsed ??= JSON.parse(this.json) as Report;
      return parsed;
    },
    csvBytes: () => cellTableCsvBytes({ year: input.year, version }, table),
    cellCounts: {
      respondents: table.n[overall] as number,
      cells: table.length,
      suppressedCells,
    },
  };
}

/**
 * Exact quantiles, unless some of the year's partials were stored as sketches (before exact
 * values existed) or the overall cell, the largest, is over the exact limit: then every cell's
 * quantiles come from a sketch, so neighbouring cells are always computed the same way.
 */
function quantileMethodology(input: ReportInput): QuantileMethodology {
  const limit = input.maxExactCellRespondents ?? MAX_EXACT_CELL_RESPONDENTS;
  let respondents = 0;
  let sketchReason: SketchReason | undefined;
  for (const { aggregate } of input.cells) {
    respondents += aggregate.count;
    if (!aggregate.exact) sketchReason = 'sketch-format-partials';
  }
  if (!sketchReason && respondents > limit) sketchReason = 'over-exact-limit';
  return sketchReason
    ? {
        method: SKETCH_QUANTILES,
        exact: false,
        relativeAccuracy: SKETCH_RELATIVE_ACCURACY,
        sketchReason,
      }
    : { method: EXACT_QUANTILES, exact: true, relativeAccuracy: 0 };
}

function methodologyStatistics(
  input: ReportInput,
  quantiles: QuantileMethodology,
): Omit<Methodology, 'version' | 'generatedAt'> {
  const rejectedByReason: Record<string, number> = {};
  let acceptedRows = 0;
  let rejectedRows = 0;
  for (const file of input.files) {
    acceptedRows += file.accepted;
    rejectedRows += file.rejected;
    for (const [reason, count] of Object.entries(file.rejectedByReason)) {
      rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + count;
    }
  }
  return {
    baseCountry: input.baseCountry,
    units: {
      monthly:
        'gross USD per month, converted at the year’s exchange rates (a row or file stating no pay basis is taken as gross; net-pay rows are excluded, never converted)',
      annual: `${MONTHS_PER_YEAR} × the monthly figure`,
    },
    rounding: `money half-up to cents, means from exact integer-cent sums; ratios and changes half-up to ${RATIO_DECIMALS} decimals, from the published figures`,
    quantiles,
    thresholds: { ...input.thresholds },
    normalization: {
      exchangeRates: sortedRecord(input.normalization.exchangeRates),
      seniorityRules: input.normalization.seniorityRules,
      ...(input.normalization.rulesFingerprint
        ? { rulesFingerprint: input.normalization.rulesFingerprint }
        : {}),
    },
    files: input.files.length,
    acceptedRows,
    rejectedRows,
    rejectedByReason: sortedRecord(rejectedByReason),
  };
}

/**
 * The part of a version that digests the report's content (statistics, comparisons, methodology
 * figures, rules and thresholds: everything but the time and the version number). Two versions
 * with the same digest publish the same thing.
 */
export function contentDigestOf(version: string): string {
  return version.slice(version.lastIndexOf('-') + 1);
}

/** `2026-01-05T06:00:00.123Z` → `20260105T060000123Z`: sorts like the time it encodes. */
function compactTimestamp(iso: string): string {
  return iso.replace(/[-:.]/g, '');
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
