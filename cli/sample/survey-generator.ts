import { toCsvLine } from '#shared/domain/csv/write-csv.ts';
import type { RejectionReason } from '#shared/domain/submission.ts';
import type { CountryCode, Role, Seniority } from '#shared/domain/taxonomy.ts';
import { ROLES, SENIORITIES } from '#shared/domain/taxonomy.ts';
import {
  COUNTRY_PROFILES,
  type CountryProfile,
  type ExperienceRange,
  experienceRanges,
  MAX_LOG_DEVIATIONS,
  meanMonthlyUsd,
  ROLE_SHARES,
} from './population.ts';
import { cumulativeWeights, mulberry32, pickIndex, type Random, standardNormal } from './prng.ts';
import {
  CITIES,
  type EmploymentType,
  SAMPLE_COLUMNS,
  type SampleColumn,
  SURVEY_SPELLINGS,
  type SurveyLanguage,
  type SurveySpellings,
  type TimestampStyle,
} from './spellings.ts';

export type { SurveyLanguage } from './spellings.ts';

export interface SampleOptions {
  rows: number;
  /** Integer from 0 to 2³² − 1. */
  seed: number;
  year: number;
  language?: SurveyLanguage;
  /** Share of deliberately invalid rows, 0–1 (default 0.01). */
  badRowShare?: number;
  /** Local currency units per USD for `year`, from the rules table (USD itself may be omitted). */
  exchangeRates: Readonly<Record<string, number>>;
  /**
   * Where rows state their year: a `year` column (default), or a `submitted_at` timestamp within
   * the year in the same position. Both give the same respondents.
   */
  yearColumn?: YearColumn;
}

export type YearColumn = 'year' | 'submitted_at';

/** One generated respondent, with the normalized values the pipeline must derive from its row. */
export interface SampleRow {
  country: CountryCode;
  role: Role;
  /** The true seniority: as written, or derived from years of experience when left empty. */
  seniority: Seniority;
  yearsExperience: number;
  /** USD per month in whole cents, computed from the written salary exactly as ingestion does. */
  monthlyUsdCents: number;
  /** The row as written, in `sampleHeader` order (unquoted). */
  fields: string[];
  /** 1-based physical line in the CSV file (the header is line 1). */
  line: number;
  /**
   * Present on a deliberately invalid row: the header name of the offending column and the
   * rejection reason the pipeline must report. The other properties then describe the respondent
   * the row was drawn from; `monthlyUsdCents` is what the row states where it states a number.
   */
  bad?: { column: string; reason: RejectionReason };
}

const DEFAULT_LANGUAGE: SurveyLanguage = 'en';
const DEFAULT_BAD_ROW_SHARE = 0.01;
/** The PRNG has 32 bits of state: larger seeds would silently repeat smaller ones. */
const MAX_SEED = 0xffff_ffff;
/** Characters collected before `generateSurveyCsv` yields: large enough to amortize writes. */
const CSV_CHUNK_CHARS = 64 * 1024;

/** How respondents fill in the form, as shares of rows. */
const RESPONSE_HABITS = {
  /** Seniority left empty, years of experience filled (only where years determine seniority). */
  emptySeniority: 0.1,
  annualPeriod: 0.15,
  emptyCity: 0.25,
  /** Paid in USD while living outside the US: contracting for a foreign company, mostly. */
  contractorWhenPaidInUsdAbroad: 0.8,
  contractorOtherwise: 0.05,
} as const;

type SalaryFormat = 'plain' | 'groupedWithCents' | 'dollarSign' | 'currencyCode';

/** How salaries are written: "45000", "45,000.50", "$45,000", "MXN 45000". */
const SALARY_FORMAT_SHARES: Readonly<Record<SalaryFormat, number>> = {
  plain: 0.45,
  groupedWithCents: 0.15,
  dollarSign: 0.2,
  currencyCode: 0.2,
};
const SALARY_FORMATS = Object.keys(SALARY_FORMAT_SHARES) as SalaryFormat[];

/** Currencies whose unit is too small for anyone to write cents. */
const WHOLE_UNIT_CURRENCIES = new Set(['ARS', 'CLP', 'COP', 'CRC']);
/** Currencies written with a "$" sign locally (dollars and pesos). */
const DOLLAR_SIGN_CURRENCIES = new Set(['USD', 'CAD', 'MXN', 'ARS', 'CLP', 'COP', 'UYU']);

/** The invalid rows the generator plants, one defect each. */
const BAD_ROW_KINDS: readonly { column: SampleColumn; reason: RejectionReason }[] = [
  { column: 'country', reason: 'unknown_country' },
  { column: 'role', reason: 'unknown_role' },
  { column: 'salary', reason: 'invalid_number' },
  { column: 'currency', reason: 'missing_value' },
  { column: 'salary', reason: 'implausible_salary' },
];
/** Nobody is paid 5 USD a month: far below any plausibility floor. */
const IMPLAUSIBLE_MONTHLY_USD = 5;

const COLUMN = Object.fromEntries(SAMPLE_COLUMNS.map((column, index) => [column, index])) as {
  [column in SampleColumn]: number;
};

export function sampleHeader(language: SurveyLanguage, yearColumn: YearColumn = 'year'): string[] {
  const { header } = SURVEY_SPELLINGS[language];
  return SAMPLE_COLUMNS.map((column) =>
    column === 'year' && yearColumn === 'submitted_at' ? header.submittedAt : header[column],
  );
}

/**
 * Streams synthetic survey respondents, each with the row written for it and the values the
 * pipeline must derive. Memory stays constant whatever `rows`; the same options always give the
 * same rows. Throws RangeError for invalid options or a missing exchange rate.
 */
export function* generateSurveyRows(options: SampleOptions): Generator<SampleRow> {
  const plan = planSample(options);
  const random = mulberry32(options.seed);
  for (let index = 0; index < options.rows; index++) {
    yield drawRow(plan, random, index);
  }
}

/**
 * The sample as CSV text (UTF-8 when encoded, CRLF line ends), in chunks of about 64 KiB: the
 * header first, then one record per generated row, fields quoted where RFC 4180 requires.
 */
export async function* generateSurveyCsv(options: SampleOptions): AsyncGenerator<string> {
  let chunk = toCsvLine(sampleHeader(options.language ?? DEFAULT_LANGUAGE, options.yearColumn));
  for (const row of generateSurveyRows(options)) {
    chunk += toCsvLine(row.fields);
    if (chunk.length >= CSV_CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

interface CountryPlan {
  profile: CountryProfile;
  seniorityCumulative: number[];
  experience: Readonly<Record<Seniority, ExperienceRange>>;
  /** μ of ln(monthly USD), indexed [role][seniority] in taxonomy order. */
  logMeans: number[][];
  localRate: number;
  cities: readonly string[];
  countrySpellings: readonly string[];
}

interface SamplePlan {
  year: number;
  yearText: string;
  /** Month lengths of `year`, for timestamps; undefined when rows write the year itself. */
  monthDays: readonly number[] | undefined;
  badRowShare: number;
  spellings: SurveySpellings;
  countries: CountryPlan[];
  countryCumulative: number[];
  roleCumulative: number[];
  salaryFormatCumulative: number[];
  submissionIdPrefix: string;
}

function planSample(options: SampleOptions): SamplePlan {
  const badRowShare = options.badRowShare ?? DEFAULT_BAD_ROW_SHARE;
  if (!Number.isInteger(options.rows) || options.rows < 0) {
    throw new RangeError(`rows must be a non-negative integer, got ${options.rows}`);
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer from 0 to ${MAX_SEED}, got ${options.seed}`);
  }
  if (!Number.isInteger(options.year)) {
    throw new RangeError(`year must be an integer, got ${options.year}`);
  }
  if (!(badRowShare >= 0 && badRowShare <= 1)) {
    throw new RangeError(`badRowShare must be between 0 and 1, got ${badRowShare}`);
  }
  const spellings = SURVEY_SPELLINGS[options.language ?? DEFAULT_LANGUAGE];
  const missingRates = COUNTRY_PROFILES.map((profile) => profile.localCurrency).filter(
    (currency) => !(rateFor(options.exchangeRates, currency) > 0),
  );
  if (missingRates.length > 0) {
    throw new RangeError(
      `no exchange rate for ${[...new Set(missingRates)].join(', ')} in ${options.year}`,
    );
  }
  return {
    year: options.year,
    yearText: String(options.year),
    monthDays: options.yearColumn === 'submitted_at' ? monthLengths(options.year) : undefined,
    badRowShare,
    spellings,
    countries: COUNTRY_PROFILES.map((profile) => ({
      profile,
      seniorityCumulative: cumulativeWeights(SENIORITIES.map((s) => profile.seniorityShares[s])),
      experience: experienceRanges(profile.code),
      logMeans: ROLES.map((role) =>
        SENIORITIES.map(
          (seniority) =>
            Math.log(meanMonthlyUsd(profile, role, seniority)) - profile.logSpread ** 2 / 2,
        ),
      ),
      localRate: rateFor(options.exchangeRates, profile.localCurrency),
      cities: CITIES[profile.code] ?? [],
      countrySpellings: spellings.countries[profile.code] ?? [profile.code],
    })),
    countryCumulative: cumulativeWeights(COUNTRY_PROFILES.map((profile) => profile.share)),
    roleCumulative: cumulativeWeights(ROLES.map((role) => ROLE_SHARES[role])),
    salaryFormatCumulative: cumulativeWeights(
      SALARY_FORMATS.map((format) => SALARY_FORMAT_SHARES[format]),
    ),
    submissionIdPrefix: `${options.year}-${options.seed.toString(36)}-`,
  };
}

const SECONDS_PER_DAY = 86_400;

function monthLengths(year: number): number[] {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
}

/**
 * The year column's value: the year, or a submission timestamp at `fraction` of the way through
 * it. The draw happens either way, so both variants describe the same respondents.
 */
function submissionTime(plan: SamplePlan, fraction: number): string {
  if (!plan.monthDays) return plan.yearText;
  const daysInYear = plan.monthDays.reduce((sum, days) => sum + days, 0);
  const second = Math.floor(fraction * daysInYear * SECONDS_PER_DAY);
  let day = Math.floor(second / SECONDS_PER_DAY);
  let month = 0;
  for (const days of plan.monthDays) {
    if (day < days) break;
    day -= days;
    month += 1;
  }
  const time = second % SECONDS_PER_DAY;
  return formatTimestamp(plan.spellings.timestampStyle, {
    year: plan.year,
    month: month + 1,
    day: day + 1,
    hour: Math.floor(time / 3600),
    minute: Math.floor(time / 60) % 60,
    second: time % 60,
  });
}

interface Timestamp {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** "2024-03-15T14:03:27Z" (ISO 8601), or "15/03/2024 14:03:27" as Spanish Google Forms exports. */
function formatTimestamp(style: TimestampStyle, at: Timestamp): string {
  const time = `${twoDigits(at.hour)}:${twoDigits(at.minute)}:${twoDigits(at.second)}`;
  return style === 'iso'
    ? `${at.year}-${twoDigits(at.month)}-${twoDigits(at.day)}T${time}Z`
    : `${twoDigits(at.day)}/${twoDigits(at.month)}/${at.year} ${time}`;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function rateFor(rates: Readonly<Record<string, number>>, currency: string): number {
  return rates[currency] ?? (currency === 'USD' ? 1 : Number.NaN);
}

function drawRow(plan: SamplePlan, random: Random, index: number): SampleRow {
  const { spellings } = plan;
  const badKind =
    random() < plan.badRowShare
      ? BAD_ROW_KINDS[Math.floor(random() * BAD_ROW_KINDS.length)]
      : undefined;

  const country = plan.countries[pickIndex(random, plan.countryCumulative)] ?? fail();
  const { profile } = country;
  const roleIndex = pickIndex(random, plan.roleCumulative);
  const seniorityIndex = pickIndex(random, country.seniorityCumulative);
  const role = ROLES[roleIndex] ?? fail();
  const seniority = SENIORITIES[seniorityIndex] ?? fail();
  const experience = country.experience[seniority];
  const yearsExperience =
    experience.min + Math.floor(random() * (experience.max - experience.min + 1));
  const writesSeniority = !experience.derivable || random() >= RESPONSE_HABITS.emptySeniority;

  const deviation = Math.max(
    -MAX_LOG_DEVIATIONS,
    Math.min(MAX_LOG_DEVIATIONS, standardNormal(random)),
  );
  const logMean = country.logMeans[roleIndex]?.[seniorityIndex] ?? fail();
  const targetUsd = Math.exp(logMean + profile.logSpread * deviation);

  const paidInUsd = random() < profile.usdPaidShare;
  const currency = paidInUsd ? 'USD' : profile.localCurrency;
  const paidInForeignCurrency = currency !== profile.localCurrency;
  const contractorShare = paidInForeignCurrency
    ? RESPONSE_HABITS.contractorWhenPaidInUsdAbroad
    : RESPONSE_HABITS.contractorOtherwise;
  const employmentType: EmploymentType = random() < contractorShare ? 'contractor' : 'fullTime';
  const annual = random() < RESPONSE_HABITS.annualPeriod;
  const format = SALARY_FORMATS[pickIndex(random, plan.salaryFormatCumulative)] ?? 'plain';
  const rate = paidInUsd ? 1 : country.localRate;
  let salary = writeSalary(targetUsd, currency, rate, annual, format);

  const city =
    random() < RESPONSE_HABITS.emptyCity || country.cities.length === 0
      ? ''
      : pick(random, country.cities);
  const fields = [
    pick(random, country.countrySpellings),
    pick(random, spellings.roles[role]),
    writesSeniority ? pick(random, spellings.seniorities[seniority]) : '',
    String(yearsExperience),
    salary.text,
    currency,
    pick(random, spellings.periods[annual ? 'annual' : 'monthly']),
    submissionTime(plan, random()),
    city,
    plan.submissionIdPrefix + String(index + 1).padStart(7, '0'),
    spellings.employmentTypes[employmentType],
  ];

  const row: SampleRow = {
    country: profile.code,
    role,
    seniority,
    yearsExperience,
    monthlyUsdCents: salary.monthlyUsdCents,
    fields,
    line: index + 2,
  };
  if (badKind) {
    row.bad = { column: spellings.header[badKind.column], reason: badKind.reason };
    switch (badKind.reason) {
      case 'unknown_country':
        fields[COLUMN.country] = spellings.unknownCountry;
        break;
      case 'unknown_role':
        fields[COLUMN.role] = spellings.unknownRole;
        break;
      case 'invalid_number':
        fields[COLUMN.salary] = spellings.nonNumericSalary;
        break;
      case 'missing_value':
        // A bare number: "$" or a currency code in the salary would let a reader infer it.
        salary = writeSalary(targetUsd, currency, rate, annual, 'plain');
        fields[COLUMN.salary] = salary.text;
        fields[COLUMN.currency] = '';
        break;
      default:
        salary = writeSalary(IMPLAUSIBLE_MONTHLY_USD, 'USD', 1, false, 'plain');
        fields[COLUMN.salary] = salary.text;
        fields[COLUMN.currency] = 'USD';
        fields[COLUMN.period] = pick(random, spellings.periods.monthly);
    }
    row.monthlyUsdCents = salary.monthlyUsdCents;
  }
  return row;
}

interface WrittenSalary {
  text: string;
  monthlyUsdCents: number;
}

/**
 * Writes a monthly USD pay as a respondent would, in `currency` (units per USD = `rate`), and
 * derives the cents ingestion will compute from that text: amount / rate, / 12 if annual, rounded
 * half-up. An amount whose exact cents land within a hair of .5 is nudged by one written unit, so
 * no order of floating-point operations can round it the other way.
 */
function writeSalary(
  monthlyUsd: number,
  currency: string,
  rate: number,
  annual: boolean,
  requested: SalaryFormat,
): WrittenSalary {
  const format = applicableFormat(requested, currency);
  const scale = format === 'groupedWithCents' ? 100 : 1;
  const months = annual ? 12 : 1;
  let monthlyScaled = Math.max(1, Math.round(monthlyUsd * rate * scale));
  for (;;) {
    const amountScaled = monthlyScaled * months;
    const exactCents = (amountScaled / scale / rate / months) * 100;
    if (Math.abs(exactCents - Math.floor(exactCents) - 0.5) < 1e-6) {
      monthlyScaled += 1;
      continue;
    }
    return {
      text: formatAmount(amountScaled, currency, format),
      monthlyUsdCents: Math.round(exactCents),
    };
  }
}

function applicableFormat(requested: SalaryFormat, currency: string): SalaryFormat {
  if (requested === 'groupedWithCents' && WHOLE_UNIT_CURRENCIES.has(currency)) return 'plain';
  if (requested === 'dollarSign' && !DOLLAR_SIGN_CURRENCIES.has(currency)) return 'plain';
  return requested;
}

function formatAmount(amountScaled: number, currency: string, format: SalaryFormat): string {
  switch (format) {
    case 'plain':
      return String(amountScaled);
    case 'groupedWithCents': {
      const cents = amountScaled % 100;
      return `${groupThousands((amountScaled - cents) / 100)}.${cents < 10 ? '0' : ''}${cents}`;
    }
    case 'dollarSign':
      return `$${groupThousands(amountScaled)}`;
    case 'currencyCode':
      return `${currency} ${amountScaled}`;
  }
}

/** 1234567 → "1,234,567". */
function groupThousands(whole: number): string {
  const digits = String(whole);
  let grouped = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const start = Math.max(0, end - 3);
    grouped = grouped === '' ? digits.slice(start, end) : `${digits.slice(start, end)},${grouped}`;
  }
  return grouped;
}

function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] ?? fail();
}

function fail(): never {
  throw new Error('sample plan index out of range');
}
