import { parse as parseCsv } from 'csv-parse/sync';
import * as z from 'zod';
import { ConfigError } from '#shared/errors.ts';
import { parseJsonFile } from '../json-file.ts';
import { ROLES, SENIORITIES } from '../taxonomy.ts';
import type { CountryRule } from './countries.ts';
import { BASE_CURRENCY, type CurrencyCode } from './currencies.ts';
import { AliasConflictError, compileRules } from './lookup.ts';
import type { NormalizationRules } from './normalization-rules.ts';
import { type ExperienceBand, MAX_YEARS_OF_EXPERIENCE } from './seniority.ts';
import { compactKey, compactKeyWithout, currencyKey, headerKey } from './text.ts';

/** Operator files read from `config/`: rate tables and one rules file. */
export interface RuleOverrides {
  exchangeRateFiles?: { name: string; text: string }[];
  rulesFile?: { name: string; text: string };
}

const RATE_COLUMNS = ['year', 'currency', 'units_per_usd'] as const;
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
const YEAR = /^\d{4}$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;

const aliasList = z.array(z.string().trim().min(1, 'an alias cannot be empty'));
const experienceBands = z
  .array(
    z.strictObject({
      fromYears: z.number().min(0).max(MAX_YEARS_OF_EXPERIENCE),
      seniority: z.enum(SENIORITIES),
    }),
  )
  .min(1)
  .superRefine((bands, issues) => {
    if (bands[0]?.fromYears !== 0) {
      issues.addIssue({
        code: 'custom',
        message: 'the first band must start at fromYears 0',
        path: [0, 'fromYears'],
      });
    }
    bands.forEach((band, position) => {
      const previous = bands[position - 1];
      if (previous && band.fromYears <= previous.fromYears) {
        issues.addIssue({
          code: 'custom',
          message: 'fromYears must increase from band to band',
          path: [position, 'fromYears'],
        });
      }
    });
  });

/** The shape of `config/rules.json`; every section is optional and adds to or replaces the defaults. */
const RulesFileSchema = z.strictObject({
  countries: z
    .record(
      z.string().regex(COUNTRY_CODE, 'expected an ISO 3166-1 alpha-2 code like "MX"'),
      aliasList,
    )
    .optional(),
  roles: z.partialRecord(z.enum(ROLES), aliasList).optional(),
  seniorities: z.partialRecord(z.enum(SENIORITIES), aliasList).optional(),
  currencies: z
    .record(z.string().regex(CURRENCY_CODE, 'expected an ISO 4217 code like "MXN"'), aliasList)
    .optional(),
  seniorityByExperience: z
    .strictObject({
      default: experienceBands.optional(),
      byCountry: z
        .record(
          z.string().regex(COUNTRY_CODE, 'expected an ISO 3166-1 alpha-2 code like "MX"'),
          experienceBands,
        )
        .optional(),
    })
    .optional(),
  plausibleMonthlyUsd: z
    .strictObject({ min: z.number().positive().optional(), max: z.number().positive().optional() })
    .optional(),
});
type RulesFile = z.infer<typeof RulesFileSchema>;

/**
 * The rules with the operator's files applied over `base`.
 *
 * Steps: 1. each rates CSV (`year,currency,units_per_usd`, header required), in the order given,
 * adds or replaces single rates; 2. `rules.json` adds aliases (an alias moves to its new target if
 * another had it), replaces experience bands per country or by default, and replaces bounds;
 * 3. the result is compiled once to prove no two aliases collide.
 * Throws ConfigError naming the file, line and field of the first invalid content.
 */
export function applyRuleOverrides(
  base: NormalizationRules,
  overrides: RuleOverrides,
): NormalizationRules {
  let rules = base;
  for (const file of overrides.exchangeRateFiles ?? []) {
    rules = { ...rules, exchangeRates: mergeRates(rules.exchangeRates, file) };
  }
  if (overrides.rulesFile) rules = applyRulesFile(rules, overrides.rulesFile);
  try {
    compileRules(rules);
  } catch (error) {
    if (error instanceof AliasConflictError) {
      const file = overrides.rulesFile?.name ?? 'rules';
      throw new ConfigError(`${file}: ${error.message}`, {
        file,
        field: error.table,
        alias: error.alias,
      });
    }
    throw error;
  }
  return rules;
}

function mergeRates(
  table: NormalizationRules['exchangeRates'],
  file: { name: string; text: string },
): NormalizationRules['exchangeRates'] {
  const fail = (line: number, field: string, message: string): never => {
    throw new ConfigError(`${file.name}: line ${line}, ${field}: ${message}`, {
      file: file.name,
      line,
      field,
    });
  };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes with the line it ends on.
    records = parseCsv(file.text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return fail(line, 'row', error instanceof Error ? error.message : String(error));
  }
  const [header, ...rows] = records;
  if (!header)
    return fail(1, 'header', `expected the header ${RATE_COLUMNS.join(',')}, found an empty file`);
  const position = RATE_COLUMNS.map((column) =>
    header.record.findIndex((name) => headerKey(name) === column),
  );
  const [yearAt, currencyAt, rateAt] = position;
  if (
    yearAt === undefined ||
    currencyAt === undefined ||
    rateAt === undefined ||
    position.includes(-1)
  ) {
    return fail(
      header.info.lines,
      'header',
      `expected the columns ${RATE_COLUMNS.join(',')}, found ${header.record.join(',')}`,
    );
  }
  const merged: Record<string, Record<CurrencyCode, number>> = Object.fromEntries(
    Object.entries(table).map(([year, rates]) => [year, { ...rates }]),
  );
  for (const { record, info } of rows) {
    const year = record[yearAt] ?? '';
    const currency = (record[currencyAt] ?? '').toUpperCase();
    const rateText = record[rateAt] ?? '';
    if (!YEAR.test(year)) fail(info.lines, 'year', `"${year}" is not a four-digit year`);
    if (!CURRENCY_CODE.test(currency))
      fail(info.lines, 'currency', `"${record[currencyAt] ?? ''}" is not an ISO 4217 code`);
    const rate = Number(rateText);
    if (!PLAIN_DECIMAL.test(rateText) || !(rate > 0)) {
      fail(info.lines, 'units_per_usd', `"${rateText}" is not a positive number like 17.7334`);
    }
    if (currency === BASE_CURRENCY && rate !== 1) {
      fail(
        info.lines,
        'units_per_usd',
        `${BASE_CURRENCY} is the base currency: its rate is always 1`,
      );
    }
    merged[year] = { ...merged[year], [currency]: rate };
  }
  return merged;
}

function applyRulesFile(
  rules: NormalizationRules,
  file: { name: string; text: string },
): NormalizationRules {
  const parsed = parseJsonFile(file.text, RulesFileSchema, ({ line, field, message }) => {
    const where = field === undefined ? `line ${line}:` : `line ${line}, ${field}:`;
    throw new ConfigError(`${file.name}: ${where} ${message}`, {
      file: file.name,
      line,
      ...(field === undefined ? {} : { field }),
    });
  });
  return mergeRulesFile(rules, parsed);
}

function mergeRulesFile(rules: NormalizationRules, file: RulesFile): NormalizationRules {
  let merged = rules;
  if (file.countries)
    merged = { ...merged, countries: addCountryAliases(merged.countries, file.countries) };
  if (file.roles) {
    const noise = new Set(merged.roleNoiseWords);
    merged = {
      ...merged,
      roles: addAliases(merged.roles, file.roles, (alias) => compactKeyWithout(alias, noise)),
    };
  }
  if (file.seniorities) {
    const noise = new Set(merged.seniorityNoiseWords);
    merged = {
      ...merged,
      seniorities: addAliases(merged.seniorities, file.seniorities, (alias) =>
        compactKeyWithout(alias, noise),
      ),
    };
  }
  if (file.currencies)
    merged = { ...merged, currencies: addAliases(merged.currencies, file.currencies, currencyKey) };
  if (file.seniorityByExperience) {
    const { default: defaultBands, byCountry } = file.seniorityByExperience;
    merged = {
      ...merged,
      seniorityByExperience: {
        default:
          (defaultBands as ExperienceBand[] | undefined) ?? merged.seniorityByExperience.default,
        byCountry: {
          ...merged.seniorityByExperience.byCountry,
          ...(byCountry as Record<string, ExperienceBand[]>),
        },
      },
    };
  }
  if (file.plausibleMonthlyUsd) {
    const bounds = { ...merged.plausibleMonthlyUsd, ...file.plausibleMonthlyUsd };
    if (bounds.min >= bounds.max) {
      throw new ConfigError(
        `rules: plausibleMonthlyUsd.min (${bounds.min}) must be below max (${bounds.max})`,
        {
          field: 'plausibleMonthlyUsd',
        },
      );
    }
    merged = { ...merged, plausibleMonthlyUsd: bounds };
  }
  return merged;
}

/** Adds aliases to their targets, taking each one away from any other target that had it. */
function addAliases<T extends string>(
  table: Readonly<Record<T, readonly string[]>>,
  additions: Partial<Record<T, string[]>>,
  key: (alias: string) => string,
): Record<T, readonly string[]> {
  const result = { ...table } as Record<T, readonly string[]>;
  for (const [target, aliases] of Object.entries(additions) as [T, string[] | undefined][]) {
    if (!aliases) continue;
    const keys = new Set(aliases.map(key));
    for (const other of Object.keys(result) as T[]) {
      if (other !== target) result[other] = result[other].filter((alias) => !keys.has(key(alias)));
    }
    result[target] = [...(result[target] ?? []), ...aliases];
  }
  return result;
}

function addCountryAliases(
  countries: readonly CountryRule[],
  additions: Record<string, string[]>,
): CountryRule[] {
  const result = countries.map((country) => ({ ...country }));
  for (const [code, names] of Object.entries(additions)) {
    const keys = new Set(names.map(compactKey));
    for (const country of result) {
      if (country.code !== code)
        country.names = country.names.filter((name) => !keys.has(compactKey(name)));
    }
    const existing = result.find((country) => country.code === code);
    if (existing) existing.names = [...existing.names, ...names];
    else result.push({ code, names });
  }
  return result;
}
