import type { CountryCode, Role, Seniority } from '../taxonomy.ts';
import { BASE_CURRENCY, type CurrencyCode } from './currencies.ts';
import type { NormalizationRules } from './normalization-rules.ts';
import { PAY_BASES, type PayBasis } from './pay-basis.ts';
import { PAY_PERIODS, type PayPeriod } from './pay-periods.ts';
import type { ExperienceBand } from './seniority.ts';
import { compactKey, compactKeyWithout, currencyKey } from './text.ts';

/** The rules turned into hash lookups, built once per rules object. */
export interface CompiledRules {
  countryByKey: ReadonlyMap<string, CountryCode>;
  roleByKey: ReadonlyMap<string, Role>;
  roleNoise: ReadonlySet<string>;
  seniorityByKey: ReadonlyMap<string, Seniority>;
  seniorityNoise: ReadonlySet<string>;
  currencyByKey: ReadonlyMap<string, CurrencyCode>;
  ambiguousCurrencyKeys: ReadonlySet<string>;
  periodByKey: ReadonlyMap<string, PayPeriod>;
  basisByKey: ReadonlyMap<string, PayBasis>;
  paymentsPerYear: Readonly<Record<PayPeriod, number>>;
  ratesByYear: ReadonlyMap<number, ReadonlyMap<CurrencyCode, number>>;
  defaultBands: readonly ExperienceBand[];
  bandsByCountry: ReadonlyMap<CountryCode, readonly ExperienceBand[]>;
  minMonthlyUsdCents: number;
  maxMonthlyUsdCents: number;
}

/** Two aliases of different targets reduce to the same key, or an alias reduces to nothing. */
export class AliasConflictError extends Error {
  constructor(
    message: string,
    readonly table: string,
    readonly alias: string,
  ) {
    super(message);
    this.name = 'AliasConflictError';
  }
}

const compiledByRules = new WeakMap<NormalizationRules, CompiledRules>();

export function compileRules(rules: NormalizationRules): CompiledRules {
  const cached = compiledByRules.get(rules);
  if (cached) return cached;
  const roleNoise = new Set(rules.roleNoiseWords);
  const seniorityNoise = new Set(rules.seniorityNoiseWords);
  const ratesByYear = new Map<number, Map<CurrencyCode, number>>();
  for (const [year, rates] of Object.entries(rules.exchangeRates)) {
    ratesByYear.set(Number(year), new Map(Object.entries(rates)));
  }
  const rateCodes = new Set([...ratesByYear.values()].flatMap((rates) => [...rates.keys()]));
  const compiled: CompiledRules = {
    countryByKey: aliasIndex(
      'countries',
      rules.countries.map((country) => [
        country.code,
        country.alpha3
          ? [country.code, country.alpha3, ...country.names]
          : [country.code, ...country.names],
      ]),
      compactKey,
    ),
    roleByKey: aliasIndex(
      'roles',
      Object.entries(rules.roles) as [Role, readonly string[]][],
      (alias) => compactKeyWithout(alias, roleNoise),
    ),
    roleNoise,
    seniorityByKey: aliasIndex(
      'seniorities',
      Object.entries(rules.seniorities) as [Seniority, readonly string[]][],
      (alias) => compactKeyWithout(alias, seniorityNoise),
    ),
    seniorityNoise,
    currencyByKey: aliasIndex(
      'currencies',
      [
        ...[...rateCodes].map((code) => [code, [code]] as [CurrencyCode, readonly string[]]),
        ...Object.entries(rules.currencies).map(
          ([code, aliases]) => [code, [code, ...aliases]] as [CurrencyCode, readonly string[]],
        ),
      ],
      currencyKey,
    ),
    ambiguousCurrencyKeys: new Set(rules.ambiguousCurrencySymbols.map(currencyKey)),
    periodByKey: aliasIndex(
      'payPeriods',
      PAY_PERIODS.map((period) => [period, [period, ...rules.payPeriods[period].aliases]]),
      compactKey,
    ),
    basisByKey: aliasIndex(
      'payBases',
      PAY_BASES.map((basis) => [basis, [basis, ...rules.payBases[basis]]]),
      compactKey,
    ),
    paymentsPerYear: Object.fromEntries(
      PAY_PERIODS.map((period) => [period, rules.payPeriods[period].paymentsPerYear]),
    ) as Record<PayPeriod, number>,
    ratesByYear,
    defaultBands: rules.seniorityByExperience.default,
    bandsByCountry: new Map(Object.entries(rules.seniorityByExperience.byCountry)),
    minMonthlyUsdCents: Math.round(rules.plausibleMonthlyUsd.min * 100),
    maxMonthlyUsdCents: Math.round(rules.plausibleMonthlyUsd.max * 100),
  };
  compiledByRules.set(rules, compiled);
  return compiled;
}

/** alias key → target; the same key for the same target twice is fine, for two targets is not. */
function aliasIndex<T extends string>(
  table: string,
  entries: Iterable<readonly [T, readonly string[]]>,
  key: (alias: string) => string,
): Map<string, T> {
  const index = new Map<string, T>();
  for (const [target, aliases] of entries) {
    for (const alias of aliases) {
      const aliasKey = key(alias);
      if (aliasKey === '') {
        throw new AliasConflictError(
          `${table}: alias "${alias}" of ${target} is empty once case, accents, punctuation and noise words are removed`,
          table,
          alias,
        );
      }
      const existing = index.get(aliasKey);
      if (existing !== undefined && existing !== target) {
        throw new AliasConflictError(
          `${table}: alias "${alias}" of ${target} matches the same text as an alias of ${existing}`,
          table,
          alias,
        );
      }
      index.set(aliasKey, target);
    }
  }
  return index;
}

/** The country a raw value names, or undefined. */
export function normalizeCountry(raw: string, rules: NormalizationRules): CountryCode | undefined {
  return compileRules(rules).countryByKey.get(compactKey(raw));
}

export function normalizeRole(raw: string, rules: NormalizationRules): Role | undefined {
  const compiled = compileRules(rules);
  const key = compactKeyWithout(raw, compiled.roleNoise);
  return key === '' ? undefined : compiled.roleByKey.get(key);
}

export function normalizeSeniority(raw: string, rules: NormalizationRules): Seniority | undefined {
  const compiled = compileRules(rules);
  const key = compactKeyWithout(raw, compiled.seniorityNoise);
  return key === '' ? undefined : compiled.seniorityByKey.get(key);
}

/** A currency code, 'ambiguous' for shared symbols like "$", or undefined when unknown. */
export function normalizeCurrency(
  raw: string,
  rules: NormalizationRules,
): CurrencyCode | 'ambiguous' | undefined {
  const compiled = compileRules(rules);
  const key = currencyKey(raw);
  if (compiled.ambiguousCurrencyKeys.has(key)) return 'ambiguous';
  return compiled.currencyByKey.get(key) ?? labelCurrencyCode(raw, compiled);
}

/** An ISO code in capitals, then a tab or space and more text: "MXN\tMexican peso". */
const CODE_THEN_NAME = /^\s*([A-Z]{3})[\t ]+\S/;
/** An ISO code in capitals last, in brackets or after a spaced dash: "US Dollar (USD)", "Euro - EUR". */
const NAME_THEN_CODE = /(?:[([]\s*([A-Z]{3})\s*[)\]]|\S\s+[-–—]\s*([A-Z]{3}))\s*$/;

/**
 * The currency of a label that names it with its ISO code and its name, as survey exports and
 * form choices write them: code first ("MXN\tMexican peso", "EUR European Euro") or last ("US
 * Dollar (USD)", "Pesos mexicanos [MXN]", "Euro - EUR"); undefined otherwise, or when the code is
 * not one the rules know.
 */
export function labelCurrencyCode(raw: string, compiled: CompiledRules): CurrencyCode | undefined {
  const lastMatch = NAME_THEN_CODE.exec(raw);
  const code = CODE_THEN_NAME.exec(raw)?.[1] ?? lastMatch?.[1] ?? lastMatch?.[2];
  const known = (text: string) => compiled.currencyByKey.get(currencyKey(text));
  if (code === undefined || known(code) !== code) return undefined;
  // The rest of the label must not name another currency: another code ("USD (MXN)", "Peso
  // (ARS) - USD") or a name ("Euro (USD)"; "Dollars (CAD)" is fine: dollars of any kind).
  for (const [other] of raw.matchAll(CAPITAL_CODES)) {
    if (other !== code && known(other) === other) return undefined;
  }
  const name = raw.replaceAll(code, ' ').replace(LABEL_PUNCTUATION, ' ').trim();
  const named = name === '' ? undefined : known(name);
  if (named !== undefined && named !== code && !GENERIC_DOLLAR_KEYS.has(currencyKey(name))) {
    return undefined;
  }
  return code;
}

const CAPITAL_CODES = /\b[A-Z]{3}\b/g;
const LABEL_PUNCTUATION = /[()[\]\-–—]/g;
/** "Dollar" alone means USD (CURRENCY_ALIASES), but a label's code says which dollars. */
const GENERIC_DOLLAR_KEYS = new Set(['dollar', 'dollars', 'dolar', 'dolares']);

export function normalizePayBasis(raw: string, rules: NormalizationRules): PayBasis | undefined {
  return compileRules(rules).basisByKey.get(compactKey(raw));
}

export function normalizePayPeriod(raw: string, rules: NormalizationRules): PayPeriod | undefined {
  return compileRules(rules).periodByKey.get(compactKey(raw));
}

/** The seniority a number of years of experience implies in a country (its own bands or the default). */
export function seniorityFromExperience(
  years: number,
  country: CountryCode,
  rules: NormalizationRules,
): Seniority {
  const compiled = compileRules(rules);
  return bandFor(years, compiled.bandsByCountry.get(country) ?? compiled.defaultBands);
}

export function bandFor(years: number, bands: readonly ExperienceBand[]): Seniority {
  let seniority: Seniority = 'junior';
  for (const band of bands) {
    if (years >= band.fromYears) seniority = band.seniority;
  }
  return seniority;
}

/** Units of `currency` per USD in `year`; USD is 1 in every year. */
export function exchangeRate(
  compiled: CompiledRules,
  currency: CurrencyCode,
  year: number,
): number | undefined {
  if (currency === BASE_CURRENCY) return 1;
  return compiled.ratesByYear.get(year)?.get(currency);
}
