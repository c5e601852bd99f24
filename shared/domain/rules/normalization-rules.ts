import type { Role, Seniority } from '../taxonomy.ts';
import type { CountryRule } from './countries.ts';
import type { CurrencyCode } from './currencies.ts';
import type { ExchangeRateTable } from './exchange-rates.ts';
import type { PayBasis } from './pay-basis.ts';
import type { PayPeriod, PayPeriodRule } from './pay-periods.ts';
import type { SeniorityByExperience } from './seniority.ts';

/** Inclusive bounds on a row's salary once normalized to USD per month. */
export interface PlausibleMonthlyUsd {
  min: number;
  max: number;
}

/**
 * Everything that turns a raw survey row into a cell and a USD amount, as plain data (so it can
 * be overridden from files, published with the report and fingerprinted). Header aliases are not
 * here: they decide whether a file is readable at all and live in `rules/canonical-columns.ts`.
 */
export interface NormalizationRules {
  countries: readonly CountryRule[];
  roles: Readonly<Record<Role, readonly string[]>>;
  roleNoiseWords: readonly string[];
  seniorities: Readonly<Record<Seniority, readonly string[]>>;
  seniorityNoiseWords: readonly string[];
  seniorityByExperience: SeniorityByExperience;
  currencies: Readonly<Record<CurrencyCode, readonly string[]>>;
  ambiguousCurrencySymbols: readonly string[];
  payPeriods: Readonly<Record<PayPeriod, PayPeriodRule>>;
  payBases: Readonly<Record<PayBasis, readonly string[]>>;
  exchangeRates: ExchangeRateTable;
  plausibleMonthlyUsd: PlausibleMonthlyUsd;
}
