import * as z from 'zod';
import { ProfileError } from '../errors.ts';
import { lineOfField, parseJsonFile } from './json-file.ts';
import { CANONICAL_COLUMNS, type CanonicalColumn } from './rules/canonical-columns.ts';
import { fingerprint, type NormalizationRules, PAY_BASES, PAY_PERIODS } from './rules/index.ts';
import {
  compileRules,
  normalizeCountry,
  normalizeCurrency,
  normalizePayBasis,
  normalizePayPeriod,
  normalizeRole,
  normalizeSeniority,
} from './rules/lookup.ts';
import { compactKey, currencyKey } from './rules/text.ts';
import { parseSurveyYear, parseYearsOfExperience } from './survey-answers.ts';
import { ROLES, SENIORITIES } from './taxonomy.ts';

/** A field a profile can name: the canonical columns (salary_usd and pay_basis included). */
export type ProfileField = CanonicalColumn;

/** Fields whose values the built-in tables normalize (a country code, a role slug...). */
const LOOKUP_FIELDS = ['country', 'role', 'seniority', 'currency', 'period', 'pay_basis'] as const;
export type LookupField = (typeof LOOKUP_FIELDS)[number];
/** Fields read as plain text, compared after the usual text reduction. */
const TEXT_FIELDS = ['employment_type', 'city'] as const;
const VALUE_FIELDS: readonly ProfileField[] = [...LOOKUP_FIELDS, ...TEXT_FIELDS];
const INCLUDE_FIELDS: readonly ProfileField[] = [...VALUE_FIELDS, 'year'];
const CONSTANT_FIELDS: readonly ProfileField[] = [...VALUE_FIELDS, 'year', 'years_experience'];

/** `"currency": "local"`: each row's currency is its country's. */
export const LOCAL_CURRENCY = 'local';

/** Profile names are file names: letters, digits, `.`, `_`, `-`; no path, no spaces. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The S3 user metadata an upload names its profile with (`x-amz-meta-profile`). */
export const PROFILE_METADATA_KEY = 'profile';

export function isProfileName(name: string): boolean {
  return PROFILE_NAME_PATTERN.test(name) && !name.endsWith('.json');
}

const fieldRecord = <T extends z.ZodType>(value: T) =>
  z.partialRecord(z.enum(CANONICAL_COLUMNS), value).optional();
const nonEmpty = z.string().trim().min(1, 'cannot be empty');

/** The JSON a profile file holds; every section is optional (docs/profiles.md). */
const ProfileFileSchema = z.strictObject({
  description: z.string().optional(),
  columns: fieldRecord(nonEmpty),
  constants: fieldRecord(nonEmpty),
  values: fieldRecord(z.record(z.string(), nonEmpty)),
  include: fieldRecord(z.array(nonEmpty).min(1, 'list at least one value to keep')),
  split: fieldRecord(z.string().min(1, 'the separator cannot be empty')),
});
export type ProfileFile = z.infer<typeof ProfileFileSchema>;

/** A validated profile, ready for the normalizer: lookups keyed like the cells they match. */
export interface MappingProfile {
  name: string;
  /** The bucket key it was read from (or the local file), for messages. */
  fileName: string;
  /** First 16 hex digits of the sha256 of its canonical JSON. */
  fingerprint: string;
  description?: string;
  /** Field → the header as written in the file. */
  columns: Partial<Record<ProfileField, string>>;
  /** Field → the one raw value every row has. */
  constants: Partial<Record<ProfileField, string>>;
  /** Field → reduced cell text (`valueKey`) → the canonical value it stands for. */
  values: Partial<Record<ProfileField, ReadonlyMap<string, string>>>;
  /** Field → the values to keep: canonical values for lookup fields, reduced text otherwise. */
  include: Partial<Record<ProfileField, ReadonlySet<string>>>;
  /** Field → the separator of its multi-valued cells. */
  split: Partial<Record<ProfileField, string>>;
}

/** How a cell is reduced before the profile's `values` table is consulted. */
export function valueKey(field: ProfileField, raw: string): string {
  return field === 'currency' ? currencyKey(raw) : compactKey(raw);
}

export function isLookupField(field: ProfileField): field is LookupField {
  return (LOOKUP_FIELDS as readonly string[]).includes(field);
}

/**
 * Reads and validates a profile file.
 *
 * Steps: 1. parse the JSON against the schema (unknown sections and fields are errors);
 * 2. check each section's fields and values against the rules: a field given both as a column and
 * as a constant, a `values` target that is not a canonical value (taxonomy slug, ISO code, period,
 * basis), a constant or an `include` entry that does not normalize, a currency with salary_usd.
 * Throws ProfileError naming the profile, the file, the line and the field of the first problem.
 */
export function parseProfile(
  name: string,
  fileName: string,
  text: string,
  rules: NormalizationRules,
): MappingProfile {
  const fail = (line: number, field: string | undefined, message: string): never => {
    const where = field === undefined ? `line ${line}` : `line ${line}, ${field}`;
    throw new ProfileError(`profile "${name}" (${fileName}): ${where}: ${message}`, {
      profile: name,
      file: fileName,
      line,
      ...(field === undefined ? {} : { field }),
    });
  };
  const file = parseJsonFile(text, ProfileFileSchema, ({ line, field, message }) =>
    fail(line, field, message),
  );
  const problem = (path: string[], message: string): never =>
    fail(lineOfField(text, path), path.join('.'), message);
  return validate(name, fileName, file, rules, problem);
}

function validate(
  name: string,
  fileName: string,
  file: ProfileFile,
  rules: NormalizationRules,
  problem: (path: string[], message: string) => never,
): MappingProfile {
  const columns = file.columns ?? {};
  const constants = file.constants ?? {};
  const usesUsd = columns.salary_usd !== undefined;

  const values: MappingProfile['values'] = {};
  for (const [field, table] of entries(file.values)) {
    if (!VALUE_FIELDS.includes(field)) {
      problem(
        ['values', field],
        `values are not read for ${field} (only ${VALUE_FIELDS.join(', ')})`,
      );
    }
    const map = new Map<string, string>();
    for (const [written, target] of Object.entries(table)) {
      const error = targetError(field, target, rules);
      if (error) problem(['values', field, written], error);
      map.set(valueKey(field, written), target);
    }
    values[field] = map;
  }

  for (const [field, header] of entries(columns)) {
    if (constants[field] !== undefined) {
      problem(
        ['constants', field],
        `${field} is given both as the column "${header}" and as a constant: keep one`,
      );
    }
  }
  if (usesUsd && (columns.currency !== undefined || constants.currency !== undefined)) {
    problem(
      [constants.currency !== undefined ? 'constants' : 'columns', 'currency'],
      'salary_usd is already in USD: a currency is not used, remove it',
    );
  }
  if (usesUsd && columns.salary !== undefined) {
    problem(['columns', 'salary'], 'map either salary (with a currency) or salary_usd, not both');
  }

  for (const [field, raw] of entries(constants)) {
    if (!CONSTANT_FIELDS.includes(field)) {
      problem(
        ['constants', field],
        `${field} cannot be a constant (only ${CONSTANT_FIELDS.join(', ')})`,
      );
    }
    if (field === 'currency' && raw === LOCAL_CURRENCY) continue;
    const error = constantError(field, raw, values[field], rules);
    if (error) problem(['constants', field], error);
  }

  const include: MappingProfile['include'] = {};
  for (const [field, kept] of entries(file.include)) {
    if (!INCLUDE_FIELDS.includes(field)) {
      problem(
        ['include', field],
        `rows cannot be kept by ${field} (only ${INCLUDE_FIELDS.join(', ')})`,
      );
    }
    const canonical = new Set<string>();
    for (const raw of kept) {
      const value = includeValue(field, raw, values[field], rules);
      if (value === undefined) {
        problem(['include', field], `"${raw}" is not a known ${field.replace('_', ' ')}`);
      }
      canonical.add(value);
    }
    include[field] = canonical;
  }

  for (const field of keys(file.split)) {
    if (!VALUE_FIELDS.includes(field)) {
      problem(['split', field], `${field} cells cannot be split (only ${VALUE_FIELDS.join(', ')})`);
    }
  }

  return {
    name,
    fileName,
    fingerprint: fingerprint(file),
    ...(file.description === undefined ? {} : { description: file.description }),
    columns,
    constants,
    values,
    include,
    split: file.split ?? {},
  };
}

/** Why `target` is not a canonical value of `field`, or undefined when it is one. */
function targetError(
  field: ProfileField,
  target: string,
  rules: NormalizationRules,
): string | undefined {
  switch (field) {
    case 'country':
      return rules.countries.some((country) => country.code === target)
        ? undefined
        : `"${target}" is not an ISO 3166-1 alpha-2 country code like "MX"`;
    case 'role':
      return (ROLES as readonly string[]).includes(target)
        ? undefined
        : `"${target}" is not a role: use one of ${ROLES.join(', ')}`;
    case 'seniority':
      return (SENIORITIES as readonly string[]).includes(target)
        ? undefined
        : `"${target}" is not a seniority: use one of ${SENIORITIES.join(', ')}`;
    case 'currency':
      return compileRules(rules).currencyByKey.get(currencyKey(target)) === target
        ? undefined
        : `"${target}" is not an ISO 4217 currency code the rules know, like "MXN"`;
    case 'period':
      return (PAY_PERIODS as readonly string[]).includes(target)
        ? undefined
        : `"${target}" is not a pay period: use one of ${PAY_PERIODS.join(', ')}`;
    case 'pay_basis':
      return (PAY_BASES as readonly string[]).includes(target)
        ? undefined
        : `"${target}" is not a pay basis: use gross or net`;
    default:
      return undefined;
  }
}

/** A raw value normalized like a cell of `field`: the profile's values first, then the built-ins. */
export function normalizeFieldValue(
  field: LookupField,
  raw: string,
  values: ReadonlyMap<string, string> | undefined,
  rules: NormalizationRules,
): string | undefined {
  const mapped = values?.get(valueKey(field, raw));
  if (mapped !== undefined) return mapped;
  switch (field) {
    case 'country':
      return normalizeCountry(raw, rules);
    case 'role':
      return normalizeRole(raw, rules);
    case 'seniority':
      return normalizeSeniority(raw, rules);
    case 'currency': {
      const currency = normalizeCurrency(raw, rules);
      return currency === 'ambiguous' ? undefined : currency;
    }
    case 'period':
      return normalizePayPeriod(raw, rules);
    case 'pay_basis':
      return normalizePayBasis(raw, rules);
  }
}

function constantError(
  field: ProfileField,
  raw: string,
  values: ReadonlyMap<string, string> | undefined,
  rules: NormalizationRules,
): string | undefined {
  if (isLookupField(field)) {
    return normalizeFieldValue(field, raw, values, rules) === undefined
      ? `"${raw}" is not a known ${field.replace('_', ' ')}`
      : undefined;
  }
  if (field === 'year') {
    return parseSurveyYear(raw) === undefined ? `"${raw}" is not a four-digit year` : undefined;
  }
  if (field === 'years_experience') {
    return parseYearsOfExperience(raw) === undefined
      ? `"${raw}" is not a number of years of experience`
      : undefined;
  }
  return undefined;
}

/** An include entry as the normalizer compares it: canonical value, year, or reduced text. */
function includeValue(
  field: ProfileField,
  raw: string,
  values: ReadonlyMap<string, string> | undefined,
  rules: NormalizationRules,
): string | undefined {
  if (isLookupField(field)) return normalizeFieldValue(field, raw, values, rules);
  if (field === 'year') {
    const year = parseSurveyYear(raw.trim());
    return year === undefined ? undefined : String(year);
  }
  const mapped = values?.get(valueKey(field, raw));
  return mapped === undefined ? valueKey(field, raw) : valueKey(field, mapped);
}

function entries<V>(record: Partial<Record<ProfileField, V>> | undefined): [ProfileField, V][] {
  return Object.entries(record ?? {}).filter(([, value]) => value !== undefined) as [
    ProfileField,
    V,
  ][];
}

function keys(record: Partial<Record<ProfileField, unknown>> | undefined): ProfileField[] {
  return Object.keys(record ?? {}) as ProfileField[];
}
