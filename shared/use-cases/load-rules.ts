import { BUCKET_PREFIXES, isExchangeRatesKey, RULES_KEY } from '../bucket-layout.ts';
import {
  applyRuleOverrides,
  DEFAULT_RULES,
  type NormalizationRules,
} from '../domain/rules/index.ts';
import type { ObjectStore } from '../ports/object-store.ts';

/**
 * The normalization rules in force: the shipped defaults plus the operator's overrides.
 *
 * Steps: 1. list `config/`; 2. read every `config/exchange-rates*.csv` (sorted by key, so later
 * files win deterministically) and `config/rules.json`; 3. apply them over the defaults
 * (invalid content throws ConfigError naming the file, line and field).
 */
export async function loadNormalizationRules(objects: ObjectStore): Promise<NormalizationRules> {
  const keys = (await objects.listKeys(BUCKET_PREFIXES.config)).sort();
  const exchangeRateFiles: { name: string; text: string }[] = [];
  let rulesFile: { name: string; text: string } | undefined;
  for (const key of keys) {
    if (isExchangeRatesKey(key)) {
      const text = await objects.readText(key);
      if (text !== undefined) exchangeRateFiles.push({ name: key, text });
    } else if (key === RULES_KEY) {
      const text = await objects.readText(key);
      if (text !== undefined) rulesFile = { name: key, text };
    }
  }
  if (exchangeRateFiles.length === 0 && !rulesFile) return DEFAULT_RULES;
  return applyRuleOverrides(DEFAULT_RULES, {
    exchangeRateFiles,
    ...(rulesFile ? { rulesFile } : {}),
  });
}
