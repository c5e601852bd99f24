import { FileRejectedError } from '#shared/errors.ts';
import { exchangeRatesKey } from '../bucket-layout.ts';
import { CsvRecord } from './csv/csv-record.ts';
import { FieldCache } from './csv/field-cache.ts';
import type { CanonicalColumn, ColumnMapping } from './header-mapping.ts';
import { LOCAL_CURRENCY, type MappingProfile, valueKey } from './profile.ts';
import { BASE_CURRENCY, localCurrency } from './rules/currencies.ts';
import type { NormalizationRules, PayBasis, PayPeriod } from './rules/index.ts';
import { bandFor, type CompiledRules, compileRules, labelCurrencyCode } from './rules/lookup.ts';
import { MAX_YEARS_OF_EXPERIENCE } from './rules/seniority.ts';
import { compactKey, compactKeyWithout, currencyKey, narrowForms } from './rules/text.ts';
import {
  monthlyUsdCents,
  parseAmountRange,
  parseAmountText,
  SalarySplit,
  scaledAmount,
  splitSalaryRange,
  splitSalaryText,
} from './salary-amounts.ts';
import {
  type ExclusionReason,
  NET_PAY,
  type RejectionReason,
  type RowOutcome,
} from './submission.ts';
import {
  commonDateYear,
  parseSurveyYear,
  parseYearsOfExperience,
  surveyYearAt,
  yearOfDate,
} from './survey-answers.ts';
import { FIRST_SURVEY_YEAR } from './survey-years.ts';
import type { CountryCode, Role, Seniority } from './taxonomy.ts';

export interface NormalizerContext {
  fileName: string;
  /** The year in the object key (`uploads/<year>/…`), the last fallback for a row's year. */
  yearFromKey?: number;
  /**
   * The latest year a row may belong to (the current year at ingestion): a later year is a typo
   * that could never be reported, so it is rejected instead of silently never counting.
   */
  latestYear?: number;
  /** The mapping profile the upload names, if any (docs/profiles.md). */
  profile?: MappingProfile;
}

/** "NA", "N/A", "n.a.": survey exports' word for a blank salary (missing_value, not a number). */
const NOT_AVAILABLE = /^\s*(n\/?a|n\.a\.)\s*$/i;
/**
 * Two amounts joined as a range, as bracketed form choices write them: "$60,000 - $79,999",
 * "60k-70k", "de 60000 a 70000", "Between 60000 and 70000" (see `isAmountRange`).
 */
const AMOUNT_RANGE =
  /(\d(?:[\d.,' ]*\d)?)\s*(k|mil|万)?\s*(?:[-–—~]|\b(?:to|and|a|y|hasta)\b)\s*\D{0,4}?(\d(?:[\d.,' ]*\d)?)\s*(k|mil|万)?/i;
/** Longer cells are not read as ranges: the pattern's cost stays bounded on any cell. */
const MAX_RANGE_CHARS = 80;

/**
 * Past this many distinct spellings a lookup cache is emptied and starts over, so a file full of
 * distinct garbage cannot grow memory without bound. Real survey columns have a few hundred.
 */
const CACHE_LIMIT = 20_000;
/** Cached lookup results besides a value: the cell was blank, or its text is not known. */
const BLANK = '';
/** A letter or digit of any script. */
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const UNKNOWN = null;
const AMBIGUOUS = '\u0000ambiguous';
/** Cached number results besides a value. */
const BLANK_NUMBER = -1;
const INVALID_NUMBER = -2;

type Lookup<T extends string> = T | typeof BLANK | typeof UNKNOWN;

/** The outcome of an excluded row, one object per reason (no allocation per row). */
function exclusion(reason: ExclusionReason): RowOutcome {
  return { ok: false, excluded: reason };
}
const EXCLUDED_NET_PAY = exclusion(NET_PAY);

/** Where a field's text comes from in every row: its column, else the profile's constant. */
interface FieldSource {
  /** The column's position, or -1 when the field has none. */
  index: number;
  /** The profile's constant ('' when there is none); read only when there is no column. */
  constant: string;
  /** The field has a column or a constant. */
  present: boolean;
  /** The column as written in the header, for messages (the canonical name when absent). */
  name: string;
}

/** What the steps have read of the row so far (one object per normalizer, reset per row). */
interface RowDraft {
  line: number;
  year: number;
  basisUnknown: boolean;
  country: CountryCode;
  role: Role;
  seniority: Seniority;
  period: PayPeriod;
  amount: number;
  /** The currency written next to the salary ("MXN 45000"), BLANK when none. */
  written: Lookup<string>;
  currency: string;
  /** The pay in USD cents a month, once the last step has converted it. */
  monthlyUsdCents: number;
}

/** An accepted row's cell and pay (see RecordNormalizer.check). */
export interface AcceptedRow {
  readonly year: number;
  readonly country: CountryCode;
  readonly role: Role;
  readonly seniority: Seniority;
  readonly monthlyUsdCents: number;
}

/** One check of the row: its rejection or exclusion, or undefined to go on to the next. */
type RowStep = (record: CsvRecord, row: RowDraft) => RowOutcome | undefined;

/**
 * Builds the function that turns one CSV record into a submission, a rejection or an exclusion.
 *
 * A row's year comes from the year column (or the profile's constant), else from the date in
 * submitted_at, else from `context.yearFromKey`. Seniority comes from the seniority column, or,
 * when that is absent or empty, from years of experience by the country's bands. First the
 * profile's `include` lists and the pay basis may exclude the row (net pay is excluded as
 * `net_pay`); then checks run in the order year, pay basis, country, role, seniority, period,
 * salary, currency, exchange rate, plausibility; the first failure is the row's rejection. A
 * field without a column takes the profile's constant; a salary_usd column is read as USD.
 * Every lookup is cached per distinct raw text for the life of the normalizer (`cachedLookup`).
 * Throws FileRejectedError when the file can never give a row a year, or when the profile keeps
 * rows by a field the file does not have.
 */
export function createRowNormalizer(
  rules: NormalizationRules,
  mapping: ColumnMapping,
  context: NormalizerContext,
): (fields: readonly string[], line: number) => RowOutcome {
  const normalizeRecord = createRecordNormalizer(rules, mapping, context);
  const record = new CsvRecord();
  return (fields, line) => normalizeRecord(record.setFields(fields), line);
}

/** Normalizes one record (see createRecordNormalizer). */
export interface RecordNormalizer {
  (record: CsvRecord, line: number): RowOutcome;
  /** How many leading fields of a record it reads: the fields after them are never looked at. */
  readonly fieldsRead: number;
  /**
   * The same decision without an object for an accepted row (the common case, once per row):
   * undefined when the row is accepted, and then `accepted` holds its cell and pay until the
   * next call; otherwise the rejection or exclusion the call would give.
   */
  check(record: CsvRecord, line: number): RowOutcome | undefined;
  readonly accepted: AcceptedRow;
}

/**
 * As `createRowNormalizer`, for a record as field positions (CsvRecord): fields are looked up from
 * their positions, and strings are created only for texts not seen before and for messages.
 */
export function createRecordNormalizer(
  rules: NormalizationRules,
  mapping: ColumnMapping,
  context: NormalizerContext,
): RecordNormalizer {
  const { fileName, yearFromKey, profile } = context;
  const inUsd = mapping.index.salary_usd >= 0;
  const source = (column: CanonicalColumn): FieldSource => fieldSource(mapping, column);
  const sources = {
    year: source('year'),
    submittedAt: source('submitted_at'),
    basis: source('pay_basis'),
    country: source('country'),
    role: source('role'),
    seniority: source('seniority'),
    years: source('years_experience'),
    period: source('period'),
    salary: source(inUsd ? 'salary_usd' : 'salary'),
    // A salary_usd column is in USD whatever the file says about currencies.
    currency: inUsd
      ? { index: -1, constant: BASE_CURRENCY, present: true, name: source('currency').name }
      : source('currency'),
  };
  if (!sources.year.present && sources.submittedAt.index === -1 && yearFromKey === undefined) {
    throw new FileRejectedError(
      `${fileName}: cannot tell the survey year: no year or submitted_at column, and the object key has no uploads/<year>/ prefix`,
      { fileName },
    );
  }
  const lookups = fieldLookups(compileRules(rules), profile);
  const includes = (
    Object.entries(profile?.include ?? {}) as [CanonicalColumn, ReadonlySet<string>][]
  ).map(([field, kept]) => includeCheck(field, kept, mapping, profile, lookups.byField[field]));
  // The steps, in order; each call site sees one step only, so the engine can inline it.
  const included = includes.length > 0 ? includedStep(includes) : skip;
  const payBasis = payBasisStep(sources.basis, lookups);
  const year = yearStep(sources, lookups, context);
  const unknownPayBasis = unknownPayBasisStep(sources.basis);
  const country = countryStep(sources.country, lookups);
  const role = roleStep(sources.role, lookups);
  const seniority = seniorityStep(sources, lookups);
  const period = periodStep(sources.period, lookups);
  const salary = salaryStep(sources.salary, lookups);
  const currency = currencyStep(sources, lookups, inUsd);
  const monthlyUsd = monthlyUsdStep(sources, lookups, rules);
  const row: RowDraft = {
    line: 0,
    year: 0,
    basisUnknown: false,
    country: '',
    role: 'backend',
    seniority: 'junior',
    period: 'monthly',
    amount: 0,
    written: BLANK,
    currency: '',
    monthlyUsdCents: 0,
  };

  const fieldsRead =
    1 +
    Math.max(
      ...Object.values(sources).map((source) => source.index),
      ...Object.keys(profile?.include ?? {}).map(
        (field) => mapping.index[field as CanonicalColumn],
      ),
    );
  const accepted: AcceptedRow = row;
  return Object.assign(normalizeRow, { fieldsRead, check: checkRow, accepted });

  function checkRow(fields: CsvRecord, line: number): RowOutcome | undefined {
    row.line = line;
    row.basisUnknown = false;
    row.written = BLANK;
    return (
      included(fields, row) ??
      payBasis(fields, row) ??
      year(fields, row) ??
      unknownPayBasis(fields, row) ??
      country(fields, row) ??
      role(fields, row) ??
      seniority(fields, row) ??
      period(fields, row) ??
      salary(fields, row) ??
      currency(fields, row) ??
      monthlyUsd(fields, row)
    );
  }

  function normalizeRow(fields: CsvRecord, line: number): RowOutcome {
    return (
      checkRow(fields, line) ?? {
        ok: true,
        submission: {
          cell: { year: row.year, country: row.country, role: row.role, seniority: row.seniority },
          monthlyUsdCents: row.monthlyUsdCents,
        },
      }
    );
  }
}

/** A step with nothing to check (the profile keeps every row, the file states no pay basis). */
const skip: RowStep = () => undefined;

function fieldSource(mapping: ColumnMapping, column: CanonicalColumn): FieldSource {
  const index = mapping.index[column];
  const constant = mapping.constants[column];
  return {
    index,
    constant: constant ?? '',
    present: index >= 0 || (constant !== undefined && constant !== ''),
    name: index >= 0 ? (mapping.header[index] ?? column) : column,
  };
}

/** The field's text in this row: its column's, else its constant ('' when it has neither). */
function textOf(record: CsvRecord, source: FieldSource): string {
  return source.index >= 0 ? record.field(source.index) : source.constant;
}

/**
 * A lookup remembered per distinct raw text for the life of the normalizer (see FieldCache):
 * `lookup.ofField(record, index)` from the field's position, `lookup.ofText(raw)` from a string.
 * Full-width forms are read as the characters they stand for where a value is read: lookup keys
 * fold them (`foldText`), numbers narrow them (`narrowForms`) — not before a profile's `split`,
 * whose separator may itself be full width ("，").
 */
function cachedLookup<T>(compute: (raw: string) => T): FieldCache<T> {
  return new FieldCache(compute, CACHE_LIMIT);
}

/** The source's value in this row through `lookup`: from its column's position, else its constant. */
function lookupSource<T>(lookup: FieldCache<T>, record: CsvRecord, source: FieldSource): T {
  return source.index >= 0 ? lookup.ofField(record, source.index) : lookup.ofText(source.constant);
}

interface FieldLookups {
  year: FieldCache<number>;
  years: FieldCache<number>;
  basis: FieldCache<Lookup<PayBasis>>;
  country: FieldCache<Lookup<CountryCode>>;
  role: FieldCache<Lookup<Role>>;
  seniority: FieldCache<Lookup<Seniority>>;
  currency: FieldCache<Lookup<string>>;
  period: FieldCache<Lookup<PayPeriod>>;
  /** The lookups a profile's `include` list can keep rows by, as text (null: not a value). */
  byField: Partial<Record<CanonicalColumn, (raw: string) => string | null>>;
  compiled: CompiledRules;
}

/**
 * Every field's lookup, cached: the profile's value table first (after the usual text
 * reduction), then the built-in tables; a multi-valued cell (the profile's `split`) gives its
 * first known value.
 */
function fieldLookups(compiled: CompiledRules, profile: MappingProfile | undefined): FieldLookups {
  const values = profile?.values ?? {};
  const split = profile?.split ?? {};
  const lookupOf = <T extends string>(
    separator: string | undefined,
    one: (text: string) => Lookup<T>,
  ) => cachedLookup((raw: string) => firstKnown(raw, separator, one));
  const keyed = <T extends string>(
    table: ReadonlyMap<string, string> | undefined,
    builtIn: (text: string, key: string) => T | undefined,
  ) => {
    return (text: string): Lookup<T> => {
      const key = compactKey(text);
      // No Latin letter or digit: blank if there is no letter or digit at all ("-", "?"), else
      // text the tables cannot know ("日本", "Разработчик"), which is unknown, not missing.
      if (key === '') return WORD_CHARACTER.test(text) ? UNKNOWN : BLANK;
      return (table?.get(key) as T | undefined) ?? builtIn(text, key) ?? UNKNOWN;
    };
  };
  const year = cachedLookup((raw: string) => {
    const text = narrowForms(raw).trim();
    return text === '' ? BLANK_NUMBER : (parseSurveyYear(text) ?? INVALID_NUMBER);
  });
  const lookups: FieldLookups = {
    year,
    years: cachedLookup((raw: string) => {
      const text = narrowForms(raw).trim();
      return text === '' ? BLANK_NUMBER : (parseYearsOfExperience(text) ?? INVALID_NUMBER);
    }),
    basis: lookupOf(
      split.pay_basis,
      keyed<PayBasis>(values.pay_basis, (_, key) => compiled.basisByKey.get(key)),
    ),
    country: lookupOf(
      split.country,
      keyed<CountryCode>(values.country, (_, key) => compiled.countryByKey.get(key)),
    ),
    role: lookupOf(
      split.role,
      keyed<Role>(values.role, (text) =>
        compiled.roleByKey.get(compactKeyWithout(text, compiled.roleNoise)),
      ),
    ),
    seniority: lookupOf(
      split.seniority,
      keyed<Seniority>(values.seniority, (text) =>
        compiled.seniorityByKey.get(compactKeyWithout(text, compiled.seniorityNoise)),
      ),
    ),
    period: lookupOf(
      split.period,
      keyed<PayPeriod>(values.period, (_, key) => compiled.periodByKey.get(key)),
    ),
    currency: lookupOf(split.currency, (text: string): Lookup<string> => {
      const key = currencyKey(text);
      if (key === '') return BLANK;
      const mapped = values.currency?.get(key);
      if (mapped !== undefined) return mapped;
      if (compiled.ambiguousCurrencyKeys.has(key)) return AMBIGUOUS;
      return (
        compiled.currencyByKey.get(key) ?? labelCurrencyCode(narrowForms(text), compiled) ?? UNKNOWN
      );
    }),
    byField: {},
    compiled,
  };
  lookups.byField = {
    country: (raw) => lookups.country.ofText(raw),
    role: (raw) => lookups.role.ofText(raw),
    seniority: (raw) => lookups.seniority.ofText(raw),
    currency: (raw) => lookups.currency.ofText(raw),
    period: (raw) => lookups.period.ofText(raw),
    pay_basis: (raw) => lookups.basis.ofText(raw),
    year: (raw) => {
      const parsed = year.ofText(raw);
      return parsed >= 0 ? String(parsed) : UNKNOWN;
    },
  };
  return lookups;
}

/** The profile's `include` lists: a row left out by one is excluded, naming its field. */
function includedStep(includes: readonly IncludeCheck[]): RowStep {
  const count = includes.length;
  return function checkIncluded(record) {
    for (let index = 0; index < count; index++) {
      const check = includes[index] as IncludeCheck;
      if (!check.keeps(record)) return check.excluded;
    }
    return undefined;
  };
}

/** Net pay is excluded at once; an unknown basis is rejected once the year is known. */
function payBasisStep(basis: FieldSource, lookups: FieldLookups): RowStep {
  if (!basis.present) return skip;
  return function checkPayBasis(record, row) {
    const value = lookupSource(lookups.basis, record, basis);
    if (value === 'net') return EXCLUDED_NET_PAY;
    row.basisUnknown = value === UNKNOWN;
    return undefined;
  };
}

function unknownPayBasisStep(basis: FieldSource): RowStep {
  return (record, row) => {
    if (!row.basisUnknown) return undefined;
    const raw = textOf(record, basis);
    const message = `unknown pay basis "${raw}": gross or net?`;
    return reject(row.line, basis.name, raw, 'unknown_pay_basis', message, row.year);
  };
}

/**
 * Field `index` when it is a survey year of four plain digits (see parseSurveyYear), read in place.
 * This and `dateYearInPlace` read the same in byte text (CsvRecord.bytes): they succeed only when
 * every character they look at is an ASCII digit or separator, at positions no non-ASCII character
 * can precede; anything else is left to the decoded text.
 */
function yearInPlace(record: CsvRecord, index: number): number | undefined {
  const start = record.starts[index];
  if (index >= record.count || start === undefined || start < 0) return undefined;
  return surveyYearAt(record.text, start, record.ends[index] as number);
}

/** The year of field `index` when it is a date in one of the common shapes, read in place. */
function dateYearInPlace(record: CsvRecord, index: number): number | undefined {
  const start = record.starts[index];
  if (index >= record.count || start === undefined || start < 0) return undefined;
  return commonDateYear(record.text, start, record.ends[index] as number);
}

/**
 * Field `index` as an amount (see parseAmountText), read in place. In byte text (CsvRecord.bytes)
 * a field with a non-ASCII character is never read as an amount here (each such character starts
 * with a byte of 0xC2 or more, which no amount accepts): the salary step reads it again, decoded,
 * through `salarySplitInPlace`.
 */
function amountInPlace(record: CsvRecord, index: number): number | undefined {
  if (index >= record.count || index < 0) return undefined;
  const start = record.starts[index] as number;
  if (start < 0) {
    const text = record.unescaped[index] as string;
    return parseAmountRange(text, 0, text.length);
  }
  return parseAmountRange(record.text, start, record.ends[index] as number);
}

/**
 * Field `index` split into its number and currency text (see splitSalaryRange), read in place
 * when it is plain (CsvRecord.isPlain), else from its decoded text. `into.text` is what the
 * split's positions point into.
 */
function salarySplitInPlace(
  record: CsvRecord,
  index: number,
  into: FieldSplit,
  readMagnitude = true,
): boolean {
  if (index >= record.count || index < 0) return false;
  let text: string;
  let start = 0;
  let end: number;
  if (record.isPlain(index)) {
    text = record.text;
    start = record.starts[index] as number;
    end = record.ends[index] as number;
  } else {
    // Decoded; full-width forms read as what they stand for ("４５，０００", "45000ｋ").
    text = narrowForms(record.field(index));
    end = text.length;
  }
  into.text = text;
  return splitSalaryRange(text, start, end, into, readMagnitude) !== undefined;
}

/**
 * Whether a salary cell is a range: two amounts joined by a dash or a word, the second above the
 * first and within ten times it ("$60,000 - $79,999", "60k-70k"; not "45000 y 3000 bono" nor
 * "45000 a 12 meses").
 */
function isAmountRange(text: string): boolean {
  if (text.length > MAX_RANGE_CHARS) return false;
  const match = AMOUNT_RANGE.exec(text);
  if (match === null) return false;
  const [, lowText, lowMagnitude, highText, highMagnitude] = match;
  const scale = (magnitude: string | undefined) =>
    magnitude === undefined ? 1 : magnitude === '万' ? 10_000 : 1_000;
  const low = parseAmountText(lowText as string);
  const high = parseAmountText(highText as string);
  if (low === undefined || high === undefined) return false;
  const lowAmount = low * scale(lowMagnitude ?? highMagnitude);
  const highAmount = high * scale(highMagnitude);
  return highAmount > lowAmount && highAmount <= lowAmount * 10;
}

/** A salary's split, with the text its positions point into. */
class FieldSplit extends SalarySplit {
  text = '';
}

/** The amount of a field once split (see salarySplitInPlace), times its magnitude ("60k"). */
function amountOfSplit(split: FieldSplit): number | undefined {
  const amount = parseAmountRange(split.text, split.amountStart, split.amountEnd);
  return amount === undefined ? undefined : scaledAmount(amount, split.multiplier);
}

/** Year: the year column (or constant), else the date of submitted_at, else the object key. */
function yearStep(
  sources: { year: FieldSource; submittedAt: FieldSource },
  lookups: FieldLookups,
  { yearFromKey, latestYear }: NormalizerContext,
): RowStep {
  const { year: yearSource, submittedAt } = sources;
  const column = yearSource.present ? yearSource.name : submittedAt.name;
  return function checkYear(record, row) {
    let year: number | undefined;
    if (yearSource.present) {
      // A plain four-digit year is read in place; anything else through the cached lookup.
      const parsed =
        yearInPlace(record, yearSource.index) ?? lookupSource(lookups.year, record, yearSource);
      if (parsed === INVALID_NUMBER) {
        const raw = textOf(record, yearSource);
        return reject(row.line, yearSource.name, raw, 'invalid_year', `invalid year "${raw}"`);
      }
      if (parsed !== BLANK_NUMBER) year = parsed;
    }
    if (year === undefined && submittedAt.index >= 0) {
      // The common date shapes are read in place; anything else as a string.
      year = dateYearInPlace(record, submittedAt.index);
      const raw = year === undefined ? record.field(submittedAt.index) : '';
      if (raw.trim() !== '') {
        year = yearOfDate(narrowForms(raw));
        if (year === undefined) {
          const message = `unreadable date "${raw}"`;
          return reject(row.line, submittedAt.name, raw, 'invalid_date', message);
        }
      }
    }
    year ??= yearFromKey;
    if (year === undefined) {
      return reject(
        row.line,
        column,
        '',
        'missing_value',
        'no year, submission date or year in the file key',
      );
    }
    if (year < FIRST_SURVEY_YEAR || (latestYear !== undefined && year > latestYear)) {
      const raw = yearSource.present ? textOf(record, yearSource) : record.field(submittedAt.index);
      return reject(
        row.line,
        column,
        raw,
        'invalid_year',
        `year ${year} is outside the survey years ${FIRST_SURVEY_YEAR}–${latestYear ?? 'now'}`,
      );
    }
    row.year = year;
    return undefined;
  };
}

function countryStep(country: FieldSource, lookups: FieldLookups): RowStep {
  const { index, constant } = country;
  const lookup = lookups.country;
  return function checkCountry(record, row) {
    const value = index >= 0 ? lookup.ofField(record, index) : lookup.ofText(constant);
    if (value === BLANK) return missing(row.line, country.name, textOf(record, country), row.year);
    if (value === UNKNOWN) {
      const raw = textOf(record, country);
      const message = `unknown country "${raw}"`;
      return reject(row.line, country.name, raw, 'unknown_country', message, row.year);
    }
    row.country = value;
    return undefined;
  };
}

function roleStep(role: FieldSource, lookups: FieldLookups): RowStep {
  const { index, constant } = role;
  const lookup = lookups.role;
  return function checkRole(record, row) {
    const value = index >= 0 ? lookup.ofField(record, index) : lookup.ofText(constant);
    if (value === BLANK) return missing(row.line, role.name, textOf(record, role), row.year);
    if (value === UNKNOWN) {
      const raw = textOf(record, role);
      return reject(row.line, role.name, raw, 'unknown_role', `unknown role "${raw}"`, row.year);
    }
    row.role = value;
    return undefined;
  };
}

/** The stated seniority, else years of experience by the country's bands. */
function seniorityStep(
  sources: { seniority: FieldSource; years: FieldSource },
  lookups: FieldLookups,
): RowStep {
  const { seniority, years } = sources;
  // Without a seniority column or constant, a missing value is named by years of experience.
  const name = seniority.present ? seniority.name : years.name;
  const { bandsByCountry, defaultBands } = lookups.compiled;
  return function checkSeniority(record, row) {
    const stated = seniority.present ? lookupSource(lookups.seniority, record, seniority) : BLANK;
    if (stated === UNKNOWN) {
      const raw = textOf(record, seniority);
      const message = `unknown seniority "${raw}"`;
      return reject(row.line, name, raw, 'unknown_seniority', message, row.year);
    }
    if (stated !== BLANK) {
      row.seniority = stated;
      return undefined;
    }
    const value = years.present ? lookupSource(lookups.years, record, years) : BLANK_NUMBER;
    if (value === BLANK_NUMBER) return missing(row.line, name, textOf(record, seniority), row.year);
    if (value === INVALID_NUMBER) {
      const yearsRaw = textOf(record, years);
      return reject(
        row.line,
        years.name,
        yearsRaw,
        'invalid_number',
        `years of experience "${yearsRaw}" is not a number from 0 to ${MAX_YEARS_OF_EXPERIENCE}`,
        row.year,
      );
    }
    row.seniority = bandFor(value, bandsByCountry.get(row.country) ?? defaultBands);
    return undefined;
  };
}

function periodStep(period: FieldSource, lookups: FieldLookups): RowStep {
  const { index, constant } = period;
  const lookup = lookups.period;
  return function checkPeriod(record, row) {
    const value = index >= 0 ? lookup.ofField(record, index) : lookup.ofText(constant);
    if (value === BLANK) return missing(row.line, period.name, textOf(record, period), row.year);
    if (value === UNKNOWN) {
      const raw = textOf(record, period);
      const message = `unknown pay period "${raw}"`;
      return reject(row.line, period.name, raw, 'unknown_period', message, row.year);
    }
    row.period = value;
    return undefined;
  };
}

/** The amount, with any currency written next to the number ("MXN 45000", "US$8,000"). */
function salaryStep(salary: FieldSource, lookups: FieldLookups): RowStep {
  const split = new FieldSplit();
  // A magnitude's letters that the profile maps to a currency ("K" for kwacha) are that currency.
  const namesCurrency = (text: string) => {
    const value = lookups.currency.ofText(text);
    return value !== UNKNOWN && value !== BLANK && value !== AMBIGUOUS;
  };
  return function checkSalary(record, row) {
    const amount = amountInPlace(record, salary.index);
    if (amount !== undefined) {
      row.amount = amount;
      return undefined;
    }
    // Not a plain amount: the number and the currency text around it, read in place.
    let found = salarySplitInPlace(record, salary.index, split);
    if (found && split.multiplier !== 1 && namesCurrency(split.magnitudeText)) {
      found = salarySplitInPlace(record, salary.index, split, false);
    }
    let splitAmount = found ? amountOfSplit(split) : undefined;
    if (splitAmount !== undefined) {
      if (split.currencyText !== '') {
        row.written = lookups.currency.ofText(split.currencyText);
        if (row.written === UNKNOWN) {
          const raw = record.field(salary.index);
          const message = `unknown currency "${split.currencyText}" in salary "${raw}"`;
          return reject(row.line, salary.name, raw, 'unknown_currency', message, row.year);
        }
      }
      row.amount = splitAmount;
      return undefined;
    }
    // Rejected, unless its full-width forms, read as what they stand for, make it an amount (in
    // text decoded up front the split above saw them as they are).
    const raw = record.field(salary.index);
    const narrow = narrowForms(raw);
    if (narrow !== raw) {
      split.text = narrow;
      found = splitSalaryRange(narrow, 0, narrow.length, split) !== undefined;
      if (found && split.multiplier !== 1 && namesCurrency(split.magnitudeText)) {
        found = splitSalaryRange(narrow, 0, narrow.length, split, false) !== undefined;
      }
      splitAmount = found ? amountOfSplit(split) : undefined;
    }
    if (splitAmount === undefined && isAmountRange(narrow)) {
      const message = `salary "${raw}" is a range: the report needs each respondent's own amount`;
      return reject(row.line, salary.name, raw, 'invalid_number', message, row.year);
    }
    if (found) {
      if (split.currencyText !== '') {
        row.written = lookups.currency.ofText(split.currencyText);
        if (row.written === UNKNOWN) {
          const message = `unknown currency "${split.currencyText}" in salary "${raw}"`;
          return reject(row.line, salary.name, raw, 'unknown_currency', message, row.year);
        }
      }
      if (splitAmount === undefined) {
        const message = `salary "${raw}" is not a positive amount`;
        return reject(row.line, salary.name, raw, 'invalid_number', message, row.year);
      }
      row.amount = splitAmount;
      return undefined;
    }
    // No digit, or text on both sides of the number.
    if (raw.trim() === '' || NOT_AVAILABLE.test(raw)) {
      return missing(row.line, salary.name, raw, row.year);
    }
    const message = `salary "${raw}" is not an amount`;
    return reject(row.line, salary.name, raw, 'invalid_number', message, row.year);
  };
}

/** The currency column (or constant, or the country's local currency), checked against the salary's. */
function currencyStep(
  sources: { currency: FieldSource; salary: FieldSource },
  lookups: FieldLookups,
  inUsd: boolean,
): RowStep {
  const { currency, salary } = sources;
  const local = currency.index === -1 && currency.constant === LOCAL_CURRENCY;
  return function checkCurrency(record, row) {
    let column: Lookup<string>;
    if (local) {
      column = localCurrency(row.country, row.year) ?? UNKNOWN;
      if (column === UNKNOWN) {
        const raw = textOf(record, currency);
        const message = `no local currency known for ${row.country}`;
        return reject(row.line, currency.name, raw, 'unknown_currency', message, row.year);
      }
    } else {
      column = lookupSource(lookups.currency, record, currency);
    }
    if (column === UNKNOWN) {
      const raw = textOf(record, currency);
      const message = `unknown currency "${raw}"`;
      return reject(row.line, currency.name, raw, 'unknown_currency', message, row.year);
    }
    const { written } = row;
    if (column === BLANK || column === AMBIGUOUS) {
      // (An unknown written currency was rejected by the salary step.)
      if (written === BLANK || written === AMBIGUOUS || written === UNKNOWN) {
        const raw = textOf(record, currency);
        if (column === BLANK) return missing(row.line, currency.name, raw, row.year);
        const message = `ambiguous currency "${raw}": name it with its ISO code (USD, MXN…)`;
        return reject(row.line, currency.name, raw, 'unknown_currency', message, row.year);
      }
      row.currency = written;
      return undefined;
    }
    if (written !== BLANK && written !== AMBIGUOUS && written !== column) {
      const salaryRaw = record.field(salary.index);
      const against = inUsd
        ? `${salary.name} is in USD`
        : `the currency column says ${column} ("${textOf(record, currency)}")`;
      const message = `salary "${salaryRaw}" is in ${written} but ${against}`;
      return reject(row.line, salary.name, salaryRaw, 'conflicting_currency', message, row.year);
    }
    row.currency = column;
    return undefined;
  };
}

/** Converts to USD cents a month, then checks the result is a plausible salary. */
function monthlyUsdStep(
  sources: { currency: FieldSource; salary: FieldSource },
  lookups: FieldLookups,
  rules: NormalizationRules,
): RowStep {
  const { currency, salary } = sources;
  const { min: minUsd, max: maxUsd } = rules.plausibleMonthlyUsd;
  return function checkMonthlyUsd(record, row) {
    const { year, period } = row;
    const cents = monthlyUsdCents(lookups.compiled, row.amount, row.currency, period, year);
    if (cents === undefined) {
      const message = `no ${year} exchange rate for ${row.currency}: add it to ${exchangeRatesKey(year)}`;
      return reject(
        row.line,
        currency.name,
        textOf(record, currency),
        'no_exchange_rate',
        message,
        year,
      );
    }
    if (cents < minUsd * 100 || cents > maxUsd * 100) {
      const raw = record.field(salary.index);
      // "59.00 MXN" already names its currency; "59" gets it from the currency column.
      const named = (splitSalaryText(raw)?.currencyText ?? '') !== '';
      const message = `salary ${raw}${named ? '' : ` ${row.currency}`} ${period} is ${(cents / 100).toFixed(2)} USD per month, outside the plausible ${minUsd}–${maxUsd} USD`;
      return reject(row.line, salary.name, raw, 'implausible_salary', message, year);
    }
    row.monthlyUsdCents = cents;
    return undefined;
  };
}

/**
 * The first value of a multi-valued cell ("Developer, back-end;Developer, front-end" split by
 * ";") that `lookup` knows; blank when every part is blank, unknown when none is known. Without
 * a separator, the cell is one value.
 */
function firstKnown<T extends string>(
  raw: string,
  separator: string | undefined,
  lookup: (text: string) => Lookup<T>,
): Lookup<T> {
  if (separator === undefined) return lookup(raw);
  let sawText = false;
  for (const part of raw.split(separator)) {
    const value = lookup(part);
    if (value !== BLANK && value !== UNKNOWN && value !== AMBIGUOUS) return value;
    if (value !== BLANK) sawText = true;
  }
  return sawText ? UNKNOWN : BLANK;
}

interface IncludeCheck {
  keeps(record: CsvRecord): boolean;
  excluded: RowOutcome;
}

/**
 * Whether a row is kept by one of the profile's `include` lists: a lookup field keeps rows whose
 * value (the first known one of a split cell) normalizes into the list; a text field keeps rows
 * with any of its (split) values in the list, compared after the usual text reduction. Blank and
 * unrecognized values are not in any list. Cached per distinct raw text.
 */
function includeCheck(
  field: CanonicalColumn,
  kept: ReadonlySet<string>,
  mapping: ColumnMapping,
  profile: MappingProfile | undefined,
  lookup: ((raw: string) => string | null) | undefined,
): IncludeCheck {
  const position = mapping.index[field];
  const constant = mapping.constants[field];
  if (position === -1 && constant === undefined) {
    const header = mapping.header.map((name) => `"${name}"`).join(', ');
    throw new FileRejectedError(
      `profile "${profile?.name}" keeps rows by ${field}, but the file has no ${field} column; headers seen: ${header}`,
      { field },
    );
  }
  const separator = profile?.split[field];
  const values = profile?.values[field];
  const textKept = (text: string): boolean => {
    const mapped = values?.get(valueKey(field, text));
    return kept.has(mapped === undefined ? valueKey(field, text) : valueKey(field, mapped));
  };
  const decide = lookup
    ? (raw: string) => {
        const value = lookup(raw);
        return value !== null && kept.has(value);
      }
    : (raw: string) =>
        separator === undefined ? textKept(raw) : raw.split(separator).some(textKept);
  const keeps = cachedLookup(decide);
  return {
    excluded: exclusion(field),
    keeps: (record) =>
      position >= 0 ? keeps.ofField(record, position) : keeps.ofText(constant ?? ''),
  };
}

function reject(
  line: number,
  column: string,
  value: string,
  reason: RejectionReason,
  message: string,
  year?: number,
): RowOutcome {
  return {
    ok: false,
    rejection:
      year === undefined
        ? { line, column, value, reason, message }
        : { line, column, value, reason, message, year },
  };
}

function missing(line: number, column: string, value: string, year: number): RowOutcome {
  return reject(line, column, value, 'missing_value', `missing ${column}`, year);
}
