import * as z from 'zod';
import { ROLES, SENIORITIES } from '../taxonomy.ts';

/**
 * The published report: a public contract (docs/report.md), defined once here as zod schemas. The
 * TypeScript types below are derived from them, and so is the API's OpenAPI document
 * (`shared/http/openapi.ts`). Extend it, never rename a field. Money is USD rounded half-up to
 * cents; ratios and changes to 4 decimals. Objects are closed: a field not listed here is not part
 * of the contract.
 */

/** The grains a reader can ask for, coarsest first; also the order cells are listed in. */
export const REPORT_LEVELS = [
  'overall',
  'country',
  'country-role',
  'country-role-seniority',
  'role-seniority',
] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];

/** The label of a published cell, by its number of respondents (see `confidenceFor`). */
export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

/** Why a ratio or a change could not be computed; carried in the data instead of a silent gap. */
export const UNAVAILABLE_REASONS = [
  'base-suppressed',
  'base-missing',
  'no-previous-report',
  'previous-suppressed',
  'previous-missing',
] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

/** ISO 3166-1 alpha-2, upper case ("MX", "US"). */
export const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/);
const money = z.number().min(0);
const count = z.int().min(0);
const timestamp = z.iso.datetime();
const unavailableReason = z.enum(UNAVAILABLE_REASONS);

const cellDimensions = {
  level: z.enum(REPORT_LEVELS),
  country: CountryCodeSchema.optional(),
  role: z.enum(ROLES).optional(),
  seniority: z.enum(SENIORITIES).optional(),
};
export type CellDimensions = z.infer<z.ZodObject<typeof cellDimensions>>;

/** Summary statistics in one unit (USD per month or per year). p10/p90 are null below a threshold. */
export const MoneyStatisticsSchema = z.object({
  mean: money,
  p10: money.nullable(),
  p25: money,
  median: money,
  p75: money,
  p90: money.nullable(),
});
export type MoneyStatistics = z.infer<typeof MoneyStatisticsSchema>;

export const PublishedCellSchema = z.object({
  ...cellDimensions,
  suppressed: z.literal(false),
  n: z.int().min(1),
  confidence: z.enum(CONFIDENCE_LEVELS),
  monthly: MoneyStatisticsSchema,
  annual: MoneyStatisticsSchema,
});
export type PublishedCell = z.infer<typeof PublishedCellSchema>;

/**
 * Why a cell is suppressed: `primary`, fewer respondents than the threshold; `complementary`, enough
 * respondents, but publishing it would let a reader recompute a primary-suppressed cell from a
 * published total (subtracting the published cells from it).
 */
export const SUPPRESSION_KINDS = ['primary', 'complementary'] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];

export const SuppressedCellSchema = z
  .object({
    ...cellDimensions,
    suppressed: z.literal(true),
    suppression: z.enum(SUPPRESSION_KINDS),
  })
  .describe(
    'Only the keys and why are published, not even n: primary, fewer respondents than the threshold; complementary, enough respondents, but hidden so that no published total gives a primary-suppressed cell away.',
  );
export type SuppressedCell = z.infer<typeof SuppressedCellSchema>;

export const ReportCellSchema = z.discriminatedUnion('suppressed', [
  PublishedCellSchema,
  SuppressedCellSchema,
]);
export type ReportCell = z.infer<typeof ReportCellSchema>;

export const YearOverYearChangeSchema = z.object({
  previousYear: z.int(),
  previousVersion: z.string(),
  previousMedian: money,
  previousMean: money,
  medianChange: z.number().describe("(this year's figure / the previous year's) − 1"),
  meanChange: z.number(),
});
export type YearOverYearChange = z.infer<typeof YearOverYearChangeSchema>;

export const CountryComparisonSchema = z.object({
  country: CountryCodeSchema,
  n: z.int().min(1),
  median: money.describe('Monthly USD, as in the country-role-seniority cell.'),
  mean: money,
  medianRatio: z
    .number()
    .nullable()
    .describe("This country's figure divided by the base country's (0.6 = 40 % below the base)."),
  meanRatio: z.number().nullable(),
  ratioUnavailableReason: unavailableReason.optional(),
  change: YearOverYearChangeSchema.nullable().describe(
    "Relative change against the previous year's published report (0.05 = +5 %).",
  ),
  changeUnavailableReason: unavailableReason.optional(),
});
export type CountryComparison = z.infer<typeof CountryComparisonSchema>;

/** One role × seniority across countries, each country against a base country and last year. */
export const ComparisonSchema = z.object({
  role: z.enum(ROLES),
  seniority: z.enum(SENIORITIES),
  baseCountry: CountryCodeSchema,
  base: z
    .object({ median: money, mean: money })
    .nullable()
    .describe("The base country's published figures (monthly USD), or null with the reason why."),
  baseUnavailableReason: unavailableReason.optional(),
  countries: z.array(CountryComparisonSchema).describe('Published countries, sorted by code.'),
  suppressedCountries: z
    .array(CountryCodeSchema)
    .describe('Countries with respondents in this role × seniority whose cell is suppressed.'),
  suppressedCountryDetails: z
    .array(z.object({ country: CountryCodeSchema, suppression: z.enum(SUPPRESSION_KINDS) }))
    .describe('The same countries, each with why its cell is suppressed.'),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

/**
 * Privacy and confidence thresholds, modelled on the trusted compensation surveys: a cell with too
 * few respondents publishes nothing but the fact that it is suppressed, and the outer percentiles
 * need more respondents than the middle ones because they sit close to one individual's pay.
 * Defaults and checks: `thresholds.ts`.
 */
export const ReportThresholdsSchema = z.object({
  minRespondents: z
    .int()
    .describe('Fewer respondents than this: the cell is suppressed (no numbers, not even n).'),
  minRespondentsForOuterPercentiles: z
    .int()
    .describe('Fewer respondents than this: p10 and p90 are withheld (null).'),
  mediumConfidenceFrom: z
    .int()
    .describe('From this many respondents the confidence label is "medium".'),
  highConfidenceFrom: z
    .int()
    .describe('From this many respondents the confidence label is "high".'),
});
export type ReportThresholds = z.infer<typeof ReportThresholdsSchema>;

/** Any JSON value: the seniority rules are published as the operator configured them. */
export const JsonValueSchema = z.json();
export type JsonValue = z.infer<typeof JsonValueSchema>;

/** Why a report's quantiles come from a sketch rather than from the values themselves. */
export const SKETCH_REASONS = ['sketch-format-partials', 'over-exact-limit'] as const;
export type SketchReason = (typeof SKETCH_REASONS)[number];

/** How every quantile of a report was computed: one method for all its cells. */
export const QuantileMethodologySchema = z
  .object({
    method: z.string().describe('The method in words.'),
    exact: z
      .boolean()
      .optional()
      .describe(
        "true: each quantile is the exact type-7 value of the respondents' pay, to the cent",
      ),
    relativeAccuracy: z.number().describe('largest relative error; 0 when exact'),
    sketchReason: z.enum(SKETCH_REASONS).optional().describe('Set when `exact` is false.'),
  })
  .describe(
    'How every quantile of the report was computed. `exact` is absent in reports generated before exact percentiles, which all used the sketch.',
  );
export type QuantileMethodology = z.infer<typeof QuantileMethodologySchema>;

/**
 * The normalization rules the year's rows went through, as published data: exchange rates (units
 * of currency per USD, as the rules state them) and the seniority rules, plus the rules' digest.
 */
export const NormalizationUsedSchema = z.object({
  exchangeRates: z
    .record(z.string(), z.number())
    .describe('Units of each currency per USD used for the year.'),
  seniorityRules: JsonValueSchema,
  rulesFingerprint: z.string().optional(),
});
export type NormalizationUsed = z.infer<typeof NormalizationUsedSchema>;

/** Everything needed to reproduce and judge the numbers. */
export const MethodologySchema = z.object({
  version: z.string(),
  generatedAt: timestamp,
  baseCountry: CountryCodeSchema,
  units: z.object({ monthly: z.string(), annual: z.string() }),
  rounding: z.string(),
  quantiles: QuantileMethodologySchema,
  thresholds: ReportThresholdsSchema,
  normalization: NormalizationUsedSchema,
  files: count,
  acceptedRows: count,
  rejectedRows: count,
  rejectedByReason: z
    .record(z.string(), z.int())
    .describe('Rejected rows per reason, keys sorted.'),
});
export type Methodology = z.infer<typeof MethodologySchema>;

export const ReportSchema = z.object({
  year: z.int(),
  version: z
    .string()
    .describe(
      'Sortable and unique per generation: <generatedAt, compact>-<digest of the statistics>.',
    ),
  versionNumber: z
    .int()
    .min(1)
    .describe(
      "Which version of the year's report this is, counting from 1: what a reader is shown.",
    ),
  generatedAt: timestamp,
  currency: z.literal('USD'),
  cells: z.array(ReportCellSchema),
  comparisons: z.array(ComparisonSchema),
  methodology: MethodologySchema,
});
export type Report = z.infer<typeof ReportSchema>;

/** Counts a report listing shows without loading the report. */
export const ReportCountsSchema = z.object({
  respondents: z.int().describe("Respondents in the report (the overall cell's n)."),
  cells: z.int(),
  publishedCells: z.int(),
  suppressedCells: z.int(),
  files: z.int(),
});
export type ReportCounts = z.infer<typeof ReportCountsSchema>;
