import { exchangeRatesForYear, type NormalizationRules, rulesFingerprint } from '../rules/index.ts';
import type { JsonValue, NormalizationUsed } from './model.ts';

/**
 * The part of the normalization rules a report reader needs to judge a year's numbers: that
 * year's exchange rates, the seniority rules (aliases and experience bands), and the rules' digest
 * (ingestion records carry the same digest, so a reader can tell which files used these rules).
 */
export function normalizationUsedFor(rules: NormalizationRules, year: number): NormalizationUsed {
  return {
    exchangeRates: exchangeRatesForYear(rules, year),
    seniorityRules: asJson({
      aliases: rules.seniorities,
      byExperience: rules.seniorityByExperience,
    }),
    rulesFingerprint: rulesFingerprint(rules),
  };
}

/** Rules are plain data already; a JSON round trip turns their readonly types into JsonValue. */
function asJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
