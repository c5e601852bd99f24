import { FileRejectedError } from '#shared/errors.ts';
import { exchangeRatesKey } from '../bucket-layout.ts';
import type { CanonicalColumn, ColumnMapping } from './columns.ts';
import { monthlyUsdCents, parseAmountText, splitSalaryText } from './money.ts';
import { LOCAL_CURRENCY, type MappingProfile, valueKey } from './profile.ts';
import { BASE_CURRENCY, localCurrency } from './rules/currencies.ts';
import type { NormalizationRules, PayBasis, PayPeriod } from './rules/index.ts';
import { bandFor, compileRules, leadingCurrencyCode } from './rules/lookup.ts';
import { MAX_YEARS_OF_EXPERIENCE } from './rules/seniority.ts';
import { compactKey, compactKeyWithout, currencyKey, foldText } from './rules/text.ts';
import {
  type ExclusionReason,
  NET_PAY,
  type RejectionReason,
  type RowOutcome,
} from './submission.ts';
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

/** Four-digit numbers outside this range are not years at all (a salary, an id). */
const MIN_YEAR_LIKE = 1900;
const MAX_YEAR_LIKE = 2200;

/**
 * Past this many distinct spellings a lookup cache is emptied and starts over, so a file full of
 * distinct garbage cannot grow memory without bound. Real survey columns have a few hundred.
 */
const CACHE_LIMIT = 20_000;
/** Cached lookup results besides a value: the cell was blank, or its text is not known. */
const BLANK = '';
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
 * Every lookup is cached per distinct raw text for the life of the normalizer.
 * Throws FileRejectedError when the file can never give a row a year, or when the profile keeps
 * rows by a field the file does not have.
 */
export function createRowNormalizer(
  rules: NormalizationRules,
  mapping: ColumnMapping,
  context: NormalizerContext,
): (fields: readonly string[], line: number) => RowOutcome {
  const compiled = compileRules(rules);
  const { index, constants } = mapping;
  const { yearFromKey, fileName, latestYear, profile } = context;
  const constant = (column: CanonicalColumn): string => constants[column] ?? '';
  const yearConstant = constant('year');
  if (
    index.year === -1 &&
    yearConstant === '' &&
    index.submitted_at === -1 &&
    yearFromKey === undefined
  ) {
    throw new FileRejectedError(
      `${fileName}: cannot tell the survey year: no year or submitted_at column, and the object key has no uploads/<year>/ prefix`,
      { fileName },
    );
  }
  const inUsd = index.salary_usd >= 0;
  const columnName = (column: CanonicalColumn): string => {
    const position = index[column];
    return position >= 0 ? (mapping.header[position] ?? column) : column;
  };
  const names = {
    year: columnName('year'),
    submittedAt: columnName('submitted_at'),
    country: columnName('country'),
    role: columnName('role'),
    seniority: columnName(
      index.seniority >= 0 || constants.seniority !== undefined ? 'seniority' : 'years_experience',
    ),
    years: columnName('years_experience'),
    salary: columnName(inUsd ? 'salary_usd' : 'salary'),
    currency: columnName('currency'),
    period: columnName('period'),
    basis: columnName('pay_basis'),
  };
  // Each field reads its column, or else the profile's constant ('' when it has neither).
  const yearIndex = index.year;
  const hasYear = yearIndex >= 0 || yearConstant !== '';
  const submittedAtIndex = index.submitted_at;
  const countryIndex = index.country;
  const countryConstant = constant('country');
  const roleIndex = index.role;
  const roleConstant = constant('role');
  const seniorityIndex = index.seniority;
  const seniorityConstant = constant('seniority');
  const hasSeniority = seniorityIndex >= 0 || seniorityConstant !== '';
  const yearsIndex = index.years_experience;
  const yearsConstant = constant('years_experience');
  const hasYears = yearsIndex >= 0 || yearsConstant !== '';
  const salaryIndex = inUsd ? index.salary_usd : index.salary;
  const currencyIndex = inUsd ? -1 : index.currency;
  const currencyConstant = inUsd ? BASE_CURRENCY : constant('currency');
  const currencyIsLocal = currencyIndex === -1 && currencyConstant === LOCAL_CURRENCY;
  const periodIndex = index.period;
  const periodConstant = constant('period');
  const basisIndex = index.pay_basis;
  const basisConstant = constant('pay_basis');
  const hasBasis = basisIndex >= 0 || basisConstant !== '';

  const values = profile?.values ?? {};
  const split = profile?.split ?? {};
  const countryValues = values.country;
  const roleValues = values.role;
  const seniorityValues = values.seniority;
  const currencyValues = values.currency;
  const periodValues = values.period;
  const basisValues = values.pay_basis;

  const yearCache = new Map<string, number>();
  const countryCache = new Map<string, Lookup<CountryCode>>();
  const roleCache = new Map<string, Lookup<Role>>();
  const seniorityCache = new Map<string, Lookup<Seniority>>();
  const yearsCache = new Map<string, number>();
  const currencyCache = new Map<string, Lookup<string>>();
  const periodCache = new Map<string, Lookup<PayPeriod>>();
  const basisCache = new Map<string, Lookup<PayBasis>>();
  const { min: minUsd, max: maxUsd } = rules.plausibleMonthlyUsd;

  function yearOf(raw: string): number {
    let year = yearCache.get(raw);
    if (year === undefined) {
      const text = raw.trim();
      year = text === '' ? BLANK_NUMBER : (parseSurveyYear(text) ?? INVALID_NUMBER);
      remember(yearCache, raw, year);
    }
    return year;
  }

  function countryOne(text: string): Lookup<CountryCode> {
    const key = compactKey(text);
    if (key === '') return BLANK;
    return countryValues?.get(key) ?? compiled.countryByKey.get(key) ?? UNKNOWN;
  }

  function countryOf(raw: string): Lookup<CountryCode> {
    let country = countryCache.get(raw);
    if (country === undefined) {
      country = firstKnown(raw, split.country, countryOne);
      remember(countryCache, raw, country);
    }
    return country;
  }

  function roleOne(text: string): Lookup<Role> {
    const key = compactKey(text);
    if (key === '') return BLANK;
    const mapped = roleValues?.get(key) as Role | undefined;
    return mapped ?? compiled.roleByKey.get(compactKeyWithout(text, compiled.roleNoise)) ?? UNKNOWN;
  }

  function roleOf(raw: string): Lookup<Role> {
    let role = roleCache.get(raw);
    if (role === undefined) {
      role = firstKnown(raw, split.role, roleOne);
      remember(roleCache, raw, role);
    }
    return role;
  }

  function seniorityOne(text: string): Lookup<Seniority> {
    const key = compactKey(text);
    if (key === '') return BLANK;
    const mapped = seniorityValues?.get(key) as Seniority | undefined;
    return (
      mapped ??
      compiled.seniorityByKey.get(compactKeyWithout(text, compiled.seniorityNoise)) ??
      UNKNOWN
    );
  }

  function seniorityOf(raw: string): Lookup<Seniority> {
    let seniority = seniorityCache.get(raw);
    if (seniority === undefined) {
      seniority = firstKnown(raw, split.seniority, seniorityOne);
      remember(seniorityCache, raw, seniority);
    }
    return seniority;
  }

  function yearsOf(raw: string): number {
    let years = yearsCache.get(raw);
    if (years === undefined) {
      const text = raw.trim();
      years = text === '' ? BLANK_NUMBER : (parseYearsOfExperience(text) ?? INVALID_NUMBER);
      remember(yearsCache, raw, years);
    }
    return years;
  }

  function currencyOne(text: string): Lookup<string> {
    const key = currencyKey(text);
    if (key === '') return BLANK;
    const mapped = currencyValues?.get(key);
    if (mapped !== undefined) return mapped;
    if (compiled.ambiguousCurrencyKeys.has(key)) return AMBIGUOUS;
    return compiled.currencyByKey.get(key) ?? leadingCurrencyCode(text, compiled) ?? UNKNOWN;
  }

  function currencyOf(raw: string): Lookup<string> {
    let currency = currencyCache.get(raw);
    if (currency === undefined) {
      currency = firstKnown(raw, split.currency, currencyOne);
      remember(currencyCache, raw, currency);
    }
    return currency;
  }

  function periodOne(text: string): Lookup<PayPeriod> {
    const key = compactKey(text);
    if (key === '') return BLANK;
    const mapped = periodValues?.get(key) as PayPeriod | undefined;
    return mapped ?? compiled.periodByKey.get(key) ?? UNKNOWN;
  }

  function periodOf(raw: string): Lookup<PayPeriod> {
    let period = periodCache.get(raw);
    if (period === undefined) {
      period = firstKnown(raw, split.period, periodOne);
      remember(periodCache, raw, period);
    }
    return period;
  }

  function basisOne(text: string): Lookup<PayBasis> {
    const key = compactKey(text);
    if (key === '') return BLANK;
    const mapped = basisValues?.get(key) as PayBasis | undefined;
    return mapped ?? compiled.basisByKey.get(key) ?? UNKNOWN;
  }

  function basisOf(raw: string): Lookup<PayBasis> {
    let basis = basisCache.get(raw);
    if (basis === undefined) {
      basis = firstKnown(raw, split.pay_basis, basisOne);
      remember(basisCache, raw, basis);
    }
    return basis;
  }

  const lookups: Partial<Record<CanonicalColumn, (raw: string) => string | null>> = {
    country: countryOf,
    role: roleOf,
    seniority: seniorityOf,
    currency: currencyOf,
    period: periodOf,
    pay_basis: basisOf,
    year: (raw) => {
      const year = yearOf(raw);
      return year >= 0 ? String(year) : UNKNOWN;
    },
  };
  const includeChecks = Object.entries(profile?.include ?? {}).map(([field, kept]) =>
    includeCheck(
      field as CanonicalColumn,
      kept,
      mapping,
      profile,
      lookups[field as CanonicalColumn],
    ),
  );

  const includeCount = includeChecks.length;

  return function normalizeRow(fields: readonly string[], line: number): RowOutcome {
    for (let i = 0; i < includeCount; i++) {
      const check = includeChecks[i] as IncludeCheck;
      if (!check.keeps(fields)) return check.excluded;
    }
    let basisRaw = '';
    let basisUnknown = false;
    if (hasBasis) {
      basisRaw = basisIndex >= 0 ? (fields[basisIndex] ?? '') : basisConstant;
      const basis = basisOf(basisRaw);
      if (basis === 'net') return EXCLUDED_NET_PAY;
      basisUnknown = basis === UNKNOWN;
    }

    // Year: year column (or constant), else the date of submitted_at, else the object key.
    let year: number | undefined;
    if (hasYear) {
      const raw = yearIndex >= 0 ? (fields[yearIndex] ?? '') : yearConstant;
      const parsed = yearOf(raw);
      if (parsed === INVALID_NUMBER) {
        return reject(line, names.year, raw, 'invalid_year', `invalid year "${raw}"`);
      }
      if (parsed !== BLANK_NUMBER) year = parsed;
    }
    if (year === undefined && submittedAtIndex >= 0) {
      const raw = fields[submittedAtIndex] ?? '';
      if (raw.trim() !== '') {
        year = yearOfDate(raw);
        if (year === undefined) {
          return reject(line, names.submittedAt, raw, 'invalid_date', `unreadable date "${raw}"`);
        }
      }
    }
    if (year === undefined) year = yearFromKey;
    if (year === undefined) {
      const column = hasYear ? names.year : names.submittedAt;
      return reject(
        line,
        column,
        '',
        'missing_value',
        'no year, submission date or year in the file key',
      );
    }
    if (year < FIRST_SURVEY_YEAR || (latestYear !== undefined && year > latestYear)) {
      const column = hasYear ? names.year : names.submittedAt;
      const raw = hasYear
        ? yearIndex >= 0
          ? (fields[yearIndex] ?? '')
          : yearConstant
        : (fields[submittedAtIndex] ?? '');
      return reject(
        line,
        column,
        raw,
        'invalid_year',
        `year ${year} is outside the survey years ${FIRST_SURVEY_YEAR}–${latestYear ?? 'now'}`,
      );
    }
    if (basisUnknown) {
      return reject(
        line,
        names.basis,
        basisRaw,
        'unknown_pay_basis',
        `unknown pay basis "${basisRaw}": gross or net?`,
        year,
      );
    }

    const countryRaw = countryIndex >= 0 ? (fields[countryIndex] ?? '') : countryConstant;
    const country = countryOf(countryRaw);
    if (country === BLANK) return missing(line, names.country, countryRaw, year);
    if (country === UNKNOWN) {
      return reject(
        line,
        names.country,
        countryRaw,
        'unknown_country',
        `unknown country "${countryRaw}"`,
        year,
      );
    }

    const roleRaw = roleIndex >= 0 ? (fields[roleIndex] ?? '') : roleConstant;
    const role = roleOf(roleRaw);
    if (role === BLANK) return missing(line, names.role, roleRaw, year);
    if (role === UNKNOWN) {
      return reject(line, names.role, roleRaw, 'unknown_role', `unknown role "${roleRaw}"`, year);
    }

    let seniority: Seniority;
    const seniorityRaw = seniorityIndex >= 0 ? (fields[seniorityIndex] ?? '') : seniorityConstant;
    const stated = hasSeniority ? seniorityOf(seniorityRaw) : BLANK;
    if (stated === UNKNOWN) {
      return reject(
        line,
        names.seniority,
        seniorityRaw,
        'unknown_seniority',
        `unknown seniority "${seniorityRaw}"`,
        year,
      );
    }
    if (stated !== BLANK) {
      seniority = stated;
    } else {
      const yearsRaw = yearsIndex >= 0 ? (fields[yearsIndex] ?? '') : yearsConstant;
      const years = hasYears ? yearsOf(yearsRaw) : BLANK_NUMBER;
      if (years === BLANK_NUMBER) return missing(line, names.seniority, seniorityRaw, year);
      if (years === INVALID_NUMBER) {
        return reject(
          line,
          names.years,
          yearsRaw,
          'invalid_number',
          `years of experience "${yearsRaw}" is not a number from 0 to ${MAX_YEARS_OF_EXPERIENCE}`,
          year,
        );
      }
      seniority = bandFor(years, compiled.bandsByCountry.get(country) ?? compiled.defaultBands);
    }

    const periodRaw = periodIndex >= 0 ? (fields[periodIndex] ?? '') : periodConstant;
    const period = periodOf(periodRaw);
    if (period === BLANK) return missing(line, names.period, periodRaw, year);
    if (period === UNKNOWN) {
      return reject(
        line,
        names.period,
        periodRaw,
        'unknown_period',
        `unknown pay period "${periodRaw}"`,
        year,
      );
    }

    // Salary, with any currency written next to the number ("MXN 45000", "US$8,000").
    const salaryRaw = fields[salaryIndex] ?? '';
    let amount = parseAmountText(salaryRaw);
    let written: Lookup<string> = BLANK;
    if (amount === undefined) {
      if (salaryRaw.trim() === '' || NOT_AVAILABLE.test(salaryRaw)) {
        return missing(line, names.salary, salaryRaw, year);
      }
      const split = splitSalaryText(salaryRaw);
      if (split === undefined) {
        return reject(
          line,
          names.salary,
          salaryRaw,
          'invalid_number',
          `salary "${salaryRaw}" is not an amount`,
          year,
        );
      }
      if (split.currencyText !== '') {
        written = currencyOf(split.currencyText);
        if (written === UNKNOWN) {
          return reject(
            line,
            names.salary,
            salaryRaw,
            'unknown_currency',
            `unknown currency "${split.currencyText}" in salary "${salaryRaw}"`,
            year,
          );
        }
      }
      amount = parseAmountText(split.amountText);
      if (amount === undefined) {
        return reject(
          line,
          names.salary,
          salaryRaw,
          'invalid_number',
          `salary "${salaryRaw}" is not a positive amount`,
          year,
        );
      }
    }

    const currencyRaw = currencyIndex >= 0 ? (fields[currencyIndex] ?? '') : currencyConstant;
    let column: Lookup<string>;
    if (currencyIsLocal) {
      column = localCurrency(country, year) ?? UNKNOWN;
      if (column === UNKNOWN) {
        return reject(
          line,
          names.currency,
          currencyRaw,
          'unknown_currency',
          `no local currency known for ${country}`,
          year,
        );
      }
    } else {
      column = currencyOf(currencyRaw);
    }
    let currency: string;
    if (column === UNKNOWN) {
      return reject(
        line,
        names.currency,
        currencyRaw,
        'unknown_currency',
        `unknown currency "${currencyRaw}"`,
        year,
      );
    }
    if (column === BLANK || column === AMBIGUOUS) {
      if (written === BLANK || written === AMBIGUOUS) {
        if (column === BLANK) return missing(line, names.currency, currencyRaw, year);
        return reject(
          line,
          names.currency,
          currencyRaw,
          'unknown_currency',
          `ambiguous currency "${currencyRaw}": name it with its ISO code (USD, MXN…)`,
          year,
        );
      }
      currency = written;
    } else {
      if (written !== BLANK && written !== AMBIGUOUS && written !== column) {
        return reject(
          line,
          names.salary,
          salaryRaw,
          'conflicting_currency',
          `salary "${salaryRaw}" is in ${written} but ${inUsd ? `${names.salary} is in USD` : `the currency column says ${column} ("${currencyRaw}")`}`,
          year,
        );
      }
      currency = column;
    }

    const cents = monthlyUsdCents(compiled, amount, currency, period, year);
    if (cents === undefined) {
      return reject(
        line,
        names.currency,
        currencyRaw,
        'no_exchange_rate',
        `no ${year} exchange rate for ${currency}: add it to ${exchangeRatesKey(year)}`,
        year,
      );
    }
    if (cents < minUsd * 100 || cents > maxUsd * 100) {
      return reject(
        line,
        names.salary,
        salaryRaw,
        'implausible_salary',
        `salary ${salaryRaw} ${currency} ${period} is ${(cents / 100).toFixed(2)} USD per month, outside the plausible ${minUsd}–${maxUsd} USD`,
        year,
      );
    }
    return {
      ok: true,
      submission: { cell: { year, country, role, seniority }, monthlyUsdCents: cents },
    };
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
  keeps(fields: readonly string[]): boolean;
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
  const cache = new Map<string, boolean>();
  return {
    excluded: exclusion(field),
    keeps(fields) {
      const raw = position >= 0 ? (fields[position] ?? '') : (constant ?? '');
      let keep = cache.get(raw);
      if (keep === undefined) {
        keep = decide(raw);
        remember(cache, raw, keep);
      }
      return keep;
    },
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

function remember<V>(cache: Map<string, V>, raw: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(raw, value);
}

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_SPACE = 32;
const CHAR_T = 84;
const CHAR_HYPHEN = 45;
const CHAR_SLASH = 47;
const CHAR_DOT = 46;

/** Digits only, as a number; undefined for anything else (or an empty string). */
function digitsValue(text: string, from: number, to: number): number | undefined {
  if (to <= from) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < CHAR_0 || code > CHAR_9) return undefined;
    value = value * 10 + (code - CHAR_0);
  }
  return value;
}

function isSurveyYear(year: number): boolean {
  return year >= MIN_YEAR_LIKE && year <= MAX_YEAR_LIKE;
}

/** "2024" → 2024; anything else (2-digit years, words, out-of-range years) → undefined. */
export function parseSurveyYear(text: string): number | undefined {
  const year = text.length === 4 ? digitsValue(text, 0, 4) : undefined;
  return year !== undefined && isSurveyYear(year) ? year : undefined;
}

/**
 * The year of a submission date, or undefined when it is not a date we read.
 * Read: ISO `yyyy-mm-dd` (also with `/` or `.`), optionally followed by `T…` or ` hh:mm:ss`;
 * day-first `dd/mm/yyyy` and Excel's month-first `m/d/yyyy` (also with `-` or `.`), optionally
 * followed by a time. Day-first and month-first cannot be told apart in general, and need not be:
 * only the year is used. The date must still be real under at least one reading (both parts from
 * 1, one of them at most 12, the other at most 31). Two-digit years and Excel serial numbers are
 * not read (their century or epoch is a guess).
 */
export function yearOfDate(raw: string): number | undefined {
  const text = raw.trim();
  let end = text.length;
  let separator = -1;
  let firstCut = -1;
  let secondCut = -1;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= CHAR_0 && code <= CHAR_9) continue;
    if (i > 0 && (code === CHAR_SPACE || code === CHAR_T) && secondCut !== -1) {
      end = i;
    } else if (
      separator === -1 &&
      (code === CHAR_HYPHEN || code === CHAR_SLASH || code === CHAR_DOT)
    ) {
      separator = code;
      firstCut = i;
    } else if (code === separator && secondCut === -1) {
      secondCut = i;
    } else {
      return undefined;
    }
  }
  if (secondCut === -1) return undefined;
  const first = digitsValue(text, 0, firstCut);
  const second = digitsValue(text, firstCut + 1, secondCut);
  const third = digitsValue(text, secondCut + 1, end);
  if (first === undefined || second === undefined || third === undefined) return undefined;
  const secondDigits = secondCut - firstCut - 1;
  const thirdDigits = end - secondCut - 1;
  if (firstCut === 4) {
    const real = second >= 1 && second <= 12 && third >= 1 && third <= 31;
    return real && secondDigits <= 2 && thirdDigits <= 2 && isSurveyYear(first) ? first : undefined;
  }
  if (thirdDigits !== 4 || firstCut > 2 || secondDigits > 2) return undefined;
  const dayFirst = first >= 1 && first <= 31 && second >= 1 && second <= 12;
  const monthFirst = first >= 1 && first <= 12 && second >= 1 && second <= 31;
  return (dayFirst || monthFirst) && isSurveyYear(third) ? third : undefined;
}

/**
 * Years of experience: a number from 0 to MAX_YEARS_OF_EXPERIENCE, with "." or "," as decimal
 * mark; a trailing "+" ("10+") means at least that many and counts as that many. Survey answers
 * are read too (see `yearsFromAnswer`): ranges, "More than N years", "Less than 1 year".
 */
export function parseYearsOfExperience(text: string): number | undefined {
  const years = plainYears(text) ?? yearsFromAnswer(text);
  return years !== undefined && years <= MAX_YEARS_OF_EXPERIENCE ? years : undefined;
}

function plainYears(text: string): number | undefined {
  let body = text.trim();
  if (body.endsWith('+')) body = body.slice(0, -1).trimEnd();
  const mark = Math.max(body.indexOf('.'), body.indexOf(','));
  const whole = digitsValue(body, 0, mark === -1 ? body.length : mark);
  if (whole === undefined) return undefined;
  let years = whole;
  if (mark !== -1) {
    const fraction = digitsValue(body, mark + 1, body.length);
    if (fraction === undefined) return undefined;
    years += fraction / 10 ** (body.length - mark - 1);
  }
  return years;
}

/** A trailing unit ("years", "años", "yrs") and "of experience"/"de experiencia" say nothing. */
const YEARS_UNIT = /\s*\b(years?|yrs?|anos?)\b\.?(\s+(of|de)\s+(experience|experiencia))?$/;
const LESS_THAN = /^(less than|under|menos de|<)\s*(.+)$/;
const MORE_THAN = /^(more than|over|mas de|>)\s*(.+)$/;
const RANGE = /^(.+?)\s*(?:-|–|\bto\b|\ba\b)\s*(.+)$/;
const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, un: 1, uno: 1, una: 1 };

/**
 * Survey answers about years of experience (cached per distinct answer by the normalizer):
 * `a - b` (also `a–b`, `a to b`, `a a b`) counts as its midpoint; `N+`, `More than N years`,
 * `Más de N años` as N; `N years` / `N años` as N; `Less than 1 year`, `Menos de un año`, `< 1` as 0 (a "less than" above
 * one year is not read: its years are unknown).
 */
function yearsFromAnswer(text: string): number | undefined {
  const answer = foldText(text).trim().replace(YEARS_UNIT, '');
  const less = LESS_THAN.exec(answer);
  if (less) {
    const bound = answerNumber(less[2] ?? '');
    return bound !== undefined && bound <= 1 ? 0 : undefined;
  }
  const more = MORE_THAN.exec(answer);
  if (more) return answerNumber(more[2] ?? '');
  const range = RANGE.exec(answer);
  if (range) {
    const from = answerNumber(range[1] ?? '');
    const to = answerNumber(range[2] ?? '');
    return from !== undefined && to !== undefined && from <= to ? (from + to) / 2 : undefined;
  }
  return answerNumber(answer);
}

function answerNumber(text: string): number | undefined {
  const word = text.trim().replace(YEARS_UNIT, '');
  return NUMBER_WORDS[word] ?? plainYears(word);
}
