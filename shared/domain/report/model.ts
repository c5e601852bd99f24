import type { CountryCode, Role, Seniority } from '../taxonomy.ts';
import type { Confidence, ReportThresholds } from './thresholds.ts';

/**
 * The published report: a public contract (docs/report.md, OpenAPI `Report`). Extend it, never
 * rename a field. Money is USD rounded half-up to cents; ratios and changes to 4 decimals.
 */
export interface Report {
  year: number;
  /** Sortable and unique per generation: `<generatedAt, compact>-<digest of the statistics>`. */
  version: string;
  generatedAt: string;
  currency: 'USD';
  cells: ReportCell[];
  comparisons: Comparison[];
  methodology: Methodology;
}

/** The grains a reader can ask for, coarsest first; also the order cells are listed in. */
export const REPORT_LEVELS = [
  'overall',
  'country',
  'country-role',
  'country-role-seniority',
  'role-seniority',
] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];

export interface CellDimensions {
  level: ReportLevel;
  country?: CountryCode;
  role?: Role;
  seniority?: Seniority;
}

/** Summary statistics in one unit (USD per month or per year). p10/p90 are null below 10 people. */
export interface MoneyStatistics {
  mean: number;
  p10: number | null;
  p25: number;
  median: number;
  p75: number;
  p90: number | null;
}

export interface PublishedCell extends CellDimensions {
  suppressed: false;
  n: number;
  confidence: Confidence;
  monthly: MoneyStatistics;
  annual: MoneyStatistics;
}

/** Too few respondents: only the keys and the fact of suppression are published. */
export interface SuppressedCell extends CellDimensions {
  suppressed: true;
}

export type ReportCell = PublishedCell | SuppressedCell;

/** Why a ratio or a change could not be computed; carried in the data instead of a silent gap. */
export const UNAVAILABLE_REASONS = [
  'base-suppressed',
  'base-missing',
  'no-previous-report',
  'previous-suppressed',
  'previous-missing',
] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

/** One role × seniority across countries, each country against a base country and last year. */
export interface Comparison {
  role: Role;
  seniority: Seniority;
  baseCountry: CountryCode;
  /** The base country's published figures (monthly USD), or null with the reason why. */
  base: { median: number; mean: number } | null;
  baseUnavailableReason?: UnavailableReason;
  /** Published countries, sorted by country code. */
  countries: CountryComparison[];
  /** Countries with respondents in this role × seniority whose cell is suppressed. */
  suppressedCountries: CountryCode[];
}

export interface CountryComparison {
  country: CountryCode;
  n: number;
  /** Monthly USD, as in the country-role-seniority cell. */
  median: number;
  mean: number;
  /** This country's figure divided by the base country's (0.6 = 40 % below the base). */
  medianRatio: number | null;
  meanRatio: number | null;
  ratioUnavailableReason?: UnavailableReason;
  /** Relative change against the previous year's published report (0.05 = +5 %). */
  change: YearOverYearChange | null;
  changeUnavailableReason?: UnavailableReason;
}

export interface YearOverYearChange {
  previousYear: number;
  previousVersion: string;
  previousMedian: number;
  previousMean: number;
  /** (this year's figure / the previous year's) − 1. */
  medianChange: number;
  meanChange: number;
}

/** Everything needed to reproduce and judge the numbers. */
export interface Methodology {
  version: string;
  generatedAt: string;
  baseCountry: CountryCode;
  units: { monthly: string; annual: string };
  rounding: string;
  quantiles: QuantileMethodology;
  thresholds: ReportThresholds;
  normalization: NormalizationUsed;
  files: number;
  acceptedRows: number;
  rejectedRows: number;
  /** Rejected rows per reason slug, keys sorted. */
  rejectedByReason: Record<string, number>;
}

/** Why a report's quantiles come from a sketch rather than from the values themselves. */
export const SKETCH_REASONS = ['sketch-format-partials', 'over-exact-limit'] as const;
export type SketchReason = (typeof SKETCH_REASONS)[number];

/** How every quantile of a report was computed: one method for all its cells. */
export interface QuantileMethodology {
  /** The method in words. */
  method: string;
  /** True when every quantile is the exact type-7 value of the respondents' pay, to the cent. */
  exact: boolean;
  /** Largest relative error of a quantile: 0 when exact. */
  relativeAccuracy: number;
  /** Set when `exact` is false. */
  sketchReason?: SketchReason;
}

/**
 * The normalization rules the year's rows went through, as published data: exchange rates (units
 * of currency per USD, as the rules state them) and the seniority rules, plus the rules' digest.
 */
export interface NormalizationUsed {
  exchangeRates: Record<string, number>;
  seniorityRules: JsonValue;
  rulesFingerprint?: string;
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
