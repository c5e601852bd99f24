import { createHash } from 'node:crypto';
import { COUNTRIES } from './countries.ts';
import { AMBIGUOUS_CURRENCY_SYMBOLS, CURRENCY_ALIASES, type CurrencyCode } from './currencies.ts';
import { EXCHANGE_RATES } from './exchange-rates.ts';
import type { NormalizationRules, PlausibleMonthlyUsd } from './normalization-rules.ts';
import { PAY_BASIS_ALIASES } from './pay-basis.ts';
import { PAY_PERIOD_RULES } from './pay-periods.ts';
import { ROLE_ALIASES, ROLE_NOISE_WORDS } from './roles.ts';
import { SENIORITY_ALIASES, SENIORITY_BY_EXPERIENCE, SENIORITY_NOISE_WORDS } from './seniority.ts';

export type { CountryRule } from './countries.ts';
export { BASE_CURRENCY, type CurrencyCode } from './currencies.ts';
export type { ExchangeRateTable } from './exchange-rates.ts';
export type { NormalizationRules, PlausibleMonthlyUsd } from './normalization-rules.ts';
export { applyRuleOverrides, type RuleOverrides } from './overrides.ts';
export { PAY_BASES, type PayBasis } from './pay-basis.ts';
export { PAY_PERIODS, type PayPeriod, type PayPeriodRule } from './pay-periods.ts';
export type { ExperienceBand, SeniorityByExperience } from './seniority.ts';

/** Default plausibility bounds: below 100 USD a month is a typo or a part-time figure; above 100k a typo or a yearly figure. */
export const DEFAULT_PLAUSIBLE_MONTHLY_USD: PlausibleMonthlyUsd = { min: 100, max: 100_000 };

export const DEFAULT_RULES: NormalizationRules = {
  countries: COUNTRIES,
  roles: ROLE_ALIASES,
  roleNoiseWords: ROLE_NOISE_WORDS,
  seniorities: SENIORITY_ALIASES,
  seniorityNoiseWords: SENIORITY_NOISE_WORDS,
  seniorityByExperience: SENIORITY_BY_EXPERIENCE,
  currencies: CURRENCY_ALIASES,
  ambiguousCurrencySymbols: AMBIGUOUS_CURRENCY_SYMBOLS,
  payPeriods: PAY_PERIOD_RULES,
  payBases: PAY_BASIS_ALIASES,
  exchangeRates: EXCHANGE_RATES,
  plausibleMonthlyUsd: DEFAULT_PLAUSIBLE_MONTHLY_USD,
};

/** The rates of one year, units per USD by currency code, keys sorted (empty when none). */
export function exchangeRatesForYear(
  rules: NormalizationRules,
  year: number,
): Record<CurrencyCode, number> {
  const rates = rules.exchangeRates[String(year)] ?? {};
  return Object.fromEntries(Object.entries(rates).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const FINGERPRINT_HEX_CHARS = 16;

/**
 * A short stable digest of the rules (sha256 of their canonical JSON: object keys sorted, arrays
 * in order), so an ingestion record can say which rules produced it. Equal rules, equal print.
 */
export function rulesFingerprint(rules: NormalizationRules): string {
  return fingerprint(rules);
}

/** The first 16 hex digits of the sha256 of a value's canonical JSON. */
export function fingerprint(value: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(value))
    .digest('hex')
    .slice(0, FINGERPRINT_HEX_CHARS);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
