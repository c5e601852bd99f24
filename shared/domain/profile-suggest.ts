import type { ProfileField, ProfileFile } from './profile.ts';
import { CANONICAL_COLUMNS, COLUMN_ALIASES } from './rules/canonical-columns.ts';
import { localCurrency } from './rules/currencies.ts';
import type { NormalizationRules } from './rules/index.ts';
import {
  normalizeCountry,
  normalizeCurrency,
  normalizePayBasis,
  normalizePayPeriod,
  normalizeRole,
  normalizeSeniority,
} from './rules/lookup.ts';
import { headerKey } from './rules/text.ts';
import { parseAmount, splitSalaryText } from './salary-amounts.ts';
import { parseSurveyYear, parseYearsOfExperience } from './survey-answers.ts';

/** How many rows `profile suggest` reads: enough to see the codes, quick on any file. */
export const SUGGEST_ROWS = 1000;

/** A draft profile plus what could not be decided, for the user to settle before using it. */
export interface SuggestedProfile {
  profile: ProfileFile;
  /** What was recognized and why, one line each. */
  notes: string[];
  /** What the user must decide; also written into the draft as `_todo`, which a profile refuses. */
  todo: string[];
}

const COLUMN_BY_HEADER_KEY = new Map(
  CANONICAL_COLUMNS.flatMap((column) =>
    COLUMN_ALIASES[column].map((alias) => [headerKey(alias), column] as const),
  ),
);

/** Kaggle-style seniority and contract codes. */
const LEVEL_CODES: Readonly<Record<string, string>> = {
  EN: 'junior',
  MI: 'mid',
  SE: 'senior',
  EX: 'lead',
};
const CONTRACT_CODES = new Set(['FT', 'PT', 'CT', 'FL']);
/** Header words that say what a column holds, when its values alone cannot. */
const HEADER_HINTS: readonly [RegExp, ProfileField][] = [
  [/(^|_)(usd|in_usd|converted)(_|$)|convertedcomp/, 'salary_usd'],
  [/salar|sueldo|comp(ensation|total)?|pay|gehalt|wage|remunera/, 'salary'],
  [/devtype|job|title|role|puesto|cargo|trabajo|position|stelle/, 'role'],
  [/codepro|professional/, 'years_experience'],
  [/year.*(code|exp)|exp|anos/, 'years_experience'],
  [/currenc|moneda|divisa|wahrung/, 'currency'],
  [/employment|empleo|contrat|contract|pay_?type|worker_?type|salary_?type/, 'employment_type'],
  [/(^|_)(job_|career_)?(level|grade|band)$|seniority|nivel|seniorit/, 'seniority'],
];
/** Headers of these words are never a seniority, whatever their values ("Education level"). */
const NOT_SENIORITY = /educ|school|estudio|english|ingles|language|idioma|satisf/;
/** Employment values that mean a salaried, full-time position (hourly pay cannot be converted). */
const SALARIED = /full.?time|completa|vollzeit|^salar(y|ied)$|^exempt$|^permanent$/i;

interface ColumnStats {
  header: string;
  position: number;
  key: string;
  values: string[];
  /** Every row's cell, blank or not, in row order. */
  cells: string[];
  distinct: Map<string, number>;
}

/**
 * Drafts a profile from a file's header and first rows.
 *
 * Steps: 1. columns with a built-in header alias keep it (no mapping needed); 2. other columns
 * are recognized by their values (countries, currencies, periods, pay bases, years, experience
 * answers, seniorities, roles) or, for amounts and free text, by words in their header; 3. a
 * header that is a country's name over values that are not countries (a province column) makes
 * the country a constant, with `"currency": "local"`; a period word in the salary header makes
 * the period a constant; 4. code tables it can guess (EN/MI/SE/EX) go into `values`, contract codes
 * and `;`-separated cells into `include` and `split`; 5. whatever is still missing, and values no
 * table knows, are listed in `todo`.
 */
export function suggestProfile(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rules: NormalizationRules,
): SuggestedProfile {
  const notes: string[] = [];
  const todo: string[] = [];
  const columns: Partial<Record<ProfileField, string>> = {};
  const constants: Partial<Record<ProfileField, string>> = {};
  const values: NonNullable<ProfileFile['values']> = {};
  const include: NonNullable<ProfileFile['include']> = {};
  const split: NonNullable<ProfileFile['split']> = {};
  const found = new Map<ProfileField, ColumnStats>();

  const stats: ColumnStats[] = header.map((name, position) => {
    const cells = rows.map((row) => (row[position] ?? '').trim());
    const values = cells.filter((cell) => cell !== '');
    const distinct = new Map<string, number>();
    for (const value of values) distinct.set(value, (distinct.get(value) ?? 0) + 1);
    return { header: name, position, key: headerKey(name), values, cells, distinct };
  });

  // 1. Built-in header aliases.
  for (const column of stats) {
    const field = COLUMN_BY_HEADER_KEY.get(column.key);
    if (!field || found.has(field)) continue;
    found.set(field, column);
    notes.push(`${field}: "${column.header}" (a header the pipeline knows; no mapping needed)`);
  }

  // 2. By values, then by header words. Two-letter answers ("Sí", "No") are only country codes
  // when there are several of them ("SI" is Slovenia, "NO" Norway).
  const countryColumns = new Set(
    stats.filter(
      (column) =>
        column.distinct.size >= 5 || [...column.distinct.keys()].some((value) => value.length > 2),
    ),
  );
  const countryOf = (value: string, column: ColumnStats) =>
    countryColumns.has(column) ? normalizeCountry(value, rules) : undefined;
  const share = (
    column: ColumnStats,
    read: (value: string, column: ColumnStats) => unknown,
  ): number => {
    if (column.values.length === 0) return 0;
    let known = 0;
    for (const [value, count] of column.distinct) {
      if (read(value, column) !== undefined) known += count;
    }
    return known / column.values.length;
  };
  const splitShare = (column: ColumnStats) =>
    column.values.filter((value) => value.includes(';')).length / Math.max(1, column.values.length);
  const firstOf = (value: string) => (value.includes(';') ? (value.split(';')[0] ?? '') : value);
  const free = () => stats.filter((column) => ![...found.values()].includes(column));
  const claim = (field: ProfileField, column: ColumnStats, why: string) => {
    if (found.has(field)) return;
    found.set(field, column);
    columns[field] = column.header;
    notes.push(`${field}: "${column.header}" (${why})`);
  };
  const byValues: [
    ProfileField,
    (value: string, column: ColumnStats) => unknown,
    number,
    string,
  ][] = [
    ['country', countryOf, 0.8, 'country names or ISO codes'],
    [
      'currency',
      (value) => {
        const currency = normalizeCurrency(value, rules);
        return currency === 'ambiguous' ? undefined : currency;
      },
      0.8,
      'currency codes or names',
    ],
    ['period', (value) => normalizePayPeriod(value, rules), 0.8, 'pay periods'],
    ['pay_basis', (value) => normalizePayBasis(value, rules), 0.8, 'gross or net'],
    ['year', (value) => parseSurveyYear(value), 0.95, 'four-digit years'],
    [
      'seniority',
      (value) => LEVEL_CODES[value] ?? normalizeSeniority(value, rules),
      0.8,
      'seniorities',
    ],
    [
      'role',
      (value) => normalizeRole(firstOf(value), rules),
      0.4,
      'job titles the built-in roles recognize',
    ],
  ];
  for (const [field, read, threshold, what] of byValues) {
    if (found.has(field)) continue;
    const best = free()
      // A column most rows leave blank ("If Other, please indicate…") names no row's field.
      .filter((column) => column.values.length >= 0.5 * column.cells.length)
      .map((column) => ({ column, share: share(column, read) }))
      .filter(({ share }) => share >= threshold)
      .sort((a, b) => b.share - a.share)[0];
    if (best) claim(field, best.column, `${Math.round(best.share * 100)}% ${what}`);
  }
  const numeric = (column: ColumnStats) =>
    share(column, (value) => (/^[\d.,\s]+$/.test(value) ? true : undefined));
  // An employee number or response id: every value different and holding a digit.
  const identifier = (column: ColumnStats) =>
    column.values.length >= 20 &&
    column.distinct.size === column.values.length &&
    column.values.every((value) => /\d/.test(value));
  const fits = (field: ProfileField, column: ColumnStats): boolean => {
    // Amounts may carry their currency ("9,406.97 EUR", "$85,000"); USD columns are bare numbers.
    if (field === 'salary') return share(column, parseAmount) >= 0.5;
    if (field === 'salary_usd') return numeric(column) >= 0.5;
    if (identifier(column)) return false;
    if (
      field === 'seniority' &&
      (NOT_SENIORITY.test(column.key) || found.has('years_experience'))
    ) {
      return false;
    }
    if (field === 'years_experience') return share(column, parseYearsOfExperience) >= 0.8;
    if (field === 'year') return share(column, parseSurveyYear) >= 0.95;
    // Text fields hold words, not amounts or experience answers.
    return numeric(column) < 0.5 && share(column, parseYearsOfExperience) < 0.5;
  };
  for (const [pattern, field] of HEADER_HINTS) {
    if (found.has(field)) continue;
    const column = free().find(
      (candidate) => pattern.test(candidate.key) && fits(field, candidate),
    );
    if (column) claim(field, column, 'its header');
  }
  if (found.has('salary_usd')) {
    for (const field of ['salary', 'currency'] as const) {
      if (columns[field] === undefined) continue;
      delete columns[field];
      notes.push(`${field}: not used, salary_usd is already in USD`);
    }
  }

  // 3. Implied country, currency and period.
  if (!found.has('country')) {
    const named = stats
      .map((column) => ({ column, code: normalizeCountry(column.header, rules) }))
      .find(
        ({ column, code }) =>
          code !== undefined && share(column, (v) => normalizeCountry(v, rules)) < 0.5,
      );
    if (named?.code) {
      constants.country = named.code;
      notes.push(
        `country: ${named.code} for every row (the column "${named.column.header}" is named after it and holds places in it)`,
      );
    } else {
      todo.push('country: no country column; set constants.country (an ISO code like "MX")');
    }
  }
  const written = writtenCurrencies(found.get('salary'), found.get('country'), rules);
  if (!found.has('currency') && !found.has('salary_usd') && written) {
    if (written.single !== undefined) {
      constants.currency = written.single;
      notes.push(`currency: ${written.single} (written next to every amount)`);
    } else if (written.localShare >= 0.9) {
      constants.currency = 'local';
      notes.push(
        `currency: "local" (the amounts carry their currency, ${written.example}, and it is the row's country's own in ${Math.round(written.localShare * 100)}% of rows; rows paid in another currency will be rejected as conflicting_currency)`,
      );
    } else {
      todo.push(
        `currency: the amounts carry several currencies (${written.codes.join(', ')}), not always the country's own; set constants.currency, or add a currency column`,
      );
    }
  } else if (!found.has('currency') && !found.has('salary_usd')) {
    if (constants.country !== undefined) {
      constants.currency = 'local';
      notes.push(`currency: "local" (${constants.country}'s currency for every row)`);
    } else {
      todo.push('currency: no currency column; set constants.currency (an ISO code, or "local")');
    }
  }
  if (!found.has('period')) {
    const salary = found.get('salary_usd') ?? found.get('salary');
    const words = salary?.key ?? '';
    const period = /mensual|month|monat/.test(words)
      ? 'monthly'
      : /yearly|annual|anual|jahr/.test(words)
        ? 'annual'
        : undefined;
    if (period) {
      constants.period = period;
      notes.push(`period: ${period} (the salary header "${salary?.header}" says so)`);
    } else {
      todo.push('period: no pay period column; set constants.period (monthly, annual…)');
    }
  }

  // 4. Code tables, include lists, split cells.
  const seniority = found.get('seniority');
  if (seniority && [...seniority.distinct.keys()].every((value) => LEVEL_CODES[value])) {
    values.seniority = Object.fromEntries(
      [...seniority.distinct.keys()].sort().map((code) => [code, LEVEL_CODES[code] ?? '']),
    );
    notes.push('seniority: EN/MI/SE/EX codes (entry, mid, senior, executive)');
  } else if (seniority) {
    const unknown = [...seniority.distinct.entries()]
      .filter(([value]) => normalizeSeniority(value, rules) === undefined)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15);
    if (unknown.length > 0) {
      todo.push(
        `values.seniority: no built-in seniority for ${unknown.map(([value, count]) => `"${value}" (${count})`).join(', ')}: map each to junior, mid, senior or lead`,
      );
    }
  }
  const employment = found.get('employment_type');
  if (employment) {
    if (splitShare(employment) > 0) split.employment_type = ';';
    const parts = [...employment.distinct.keys()].flatMap((value) => value.split(';'));
    if (parts.every((part) => CONTRACT_CODES.has(part))) {
      include.employment_type = ['FT'];
      notes.push('employment_type: FT/PT/CT/FL codes; keeping full-time (FT) rows');
    } else {
      const fullTime = [...new Set(parts)].filter((part) => SALARIED.test(part.trim()));
      const hourly = parts.some((part) => /hour|hora|stunde/i.test(part));
      if (fullTime.length > 0) {
        include.employment_type = fullTime;
        notes.push(
          `employment_type: keeping ${fullTime.map((part) => `"${part}"`).join(', ')} rows${hourly ? ' (hourly pay cannot be made monthly: its hours are unknown)' : ''}`,
        );
      }
    }
  }
  const role = found.get('role');
  if (role) {
    if (splitShare(role) >= 0.05) {
      split.role = ';';
      notes.push('role: several ";"-separated values per cell; counted under the first known one');
    }
    const unknown = [...role.distinct.entries()]
      .flatMap(([value, count]) =>
        (split.role ? value.split(';') : [value]).map((part) => [part, count] as const),
      )
      .filter(([part]) => part.trim() !== '' && normalizeRole(part, rules) === undefined);
    const counts = new Map<string, number>();
    for (const [part, count] of unknown) counts.set(part, (counts.get(part) ?? 0) + count);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
    if (top.length > 0) {
      todo.push(
        `values.role: no built-in role for ${top.map(([part, count]) => `"${part}" (${count})`).join(', ')}: map each to a role, or keep only known ones with include.role`,
      );
    }
  }
  const years = found.get('years_experience');
  if (years && share(years, (value) => (/^\d+([.,]\d+)?$/.test(value) ? undefined : true)) > 0) {
    notes.push(
      'years_experience: answers like "1 - 2", "10+", "Less than 1 year" are read built in',
    );
  }
  const basis = found.get('pay_basis');
  if (basis) notes.push('pay_basis: net rows will be excluded (reports are gross pay)');
  if (!found.has('role')) todo.push('role: no column recognized; set columns.role');
  if (!found.has('salary') && !found.has('salary_usd')) {
    todo.push('salary: no amount column recognized; set columns.salary (or columns.salary_usd)');
  }
  if (!found.has('seniority') && !found.has('years_experience')) {
    todo.push('seniority: no seniority or years of experience column; set one in columns');
  }

  const profile: ProfileFile = {
    description: 'Draft by salary-report profile suggest: check every line, then delete _todo',
    ...(Object.keys(columns).length > 0 ? { columns } : {}),
    ...(Object.keys(constants).length > 0 ? { constants } : {}),
    ...(Object.keys(values).length > 0 ? { values } : {}),
    ...(Object.keys(include).length > 0 ? { include } : {}),
    ...(Object.keys(split).length > 0 ? { split } : {}),
  };
  return { profile, notes, todo };
}

interface WrittenCurrencies {
  /** The one currency every amount names, if so. */
  single?: string;
  /** Share of the amounts naming a currency whose currency is their row's country's own. */
  localShare: number;
  codes: string[];
  example: string;
}

/**
 * The currencies written next to the amounts of a salary column ("9,406.97 EUR", "MXN 45000"),
 * when at least 80% of the amounts name one; undefined otherwise.
 */
function writtenCurrencies(
  salary: ColumnStats | undefined,
  country: ColumnStats | undefined,
  rules: NormalizationRules,
): WrittenCurrencies | undefined {
  if (!salary) return undefined;
  const codes = new Map<string, number>();
  let named = 0;
  let local = 0;
  let example = '';
  const currentYear = new Date().getUTCFullYear();
  salary.values.forEach((value) => {
    const text = splitSalaryText(value)?.currencyText ?? '';
    const code = text === '' ? undefined : normalizeCurrency(text, rules);
    if (code === undefined || code === 'ambiguous') return;
    named += 1;
    example ||= `"${value}"`;
    codes.set(code, (codes.get(code) ?? 0) + 1);
  });
  if (named < 0.8 * salary.values.length || named === 0) return undefined;
  if (country) {
    for (let row = 0; row < salary.cells.length; row++) {
      const code = normalizeCountry(country.cells[row] ?? '', rules);
      const text = splitSalaryText(salary.cells[row] ?? '')?.currencyText ?? '';
      const written = text === '' ? undefined : normalizeCurrency(text, rules);
      if (code && written && localCurrency(code, currentYear) === written) local += 1;
    }
  }
  const list = [...codes.keys()].sort();
  return {
    ...(list.length === 1 ? { single: list[0] } : {}),
    localShare: local / named,
    codes: list,
    example,
  };
}
