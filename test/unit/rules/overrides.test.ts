import { describe, expect, it } from 'vitest';
import {
  applyRuleOverrides,
  DEFAULT_RULES,
  exchangeRatesForYear,
  rulesFingerprint,
} from '#shared/domain/rules/index.ts';
import {
  normalizeCountry,
  normalizeRole,
  seniorityFromExperience,
} from '#shared/domain/rules/lookup.ts';
import { ConfigError } from '#shared/errors.ts';

function rulesFile(json: unknown) {
  return { rulesFile: { name: 'config/rules.json', text: JSON.stringify(json, null, 2) } };
}

function ratesFile(text: string, name = 'config/exchange-rates-2025.csv') {
  return { exchangeRateFiles: [{ name, text }] };
}

describe('applyRuleOverrides', () => {
  describe('exchange-rate files', () => {
    it('adds and replaces rates per year', () => {
      const rules = applyRuleOverrides(
        DEFAULT_RULES,
        ratesFile('year,currency,units_per_usd\n2025,MXN,19.5\n2027,mxn,20\n'),
      );

      expect(rules.exchangeRates['2025']?.MXN).toBe(19.5);
      expect(rules.exchangeRates['2025']?.USD).toBe(1);
      expect(rules.exchangeRates['2027']).toEqual({ MXN: 20 });
      expect(DEFAULT_RULES.exchangeRates['2025']?.MXN).toBe(19.2052);
    });

    it('lets a later file win', () => {
      const rules = applyRuleOverrides(DEFAULT_RULES, {
        exchangeRateFiles: [
          {
            name: 'config/exchange-rates-a.csv',
            text: 'year,currency,units_per_usd\n2025,EUR,0.9\n',
          },
          {
            name: 'config/exchange-rates-b.csv',
            text: 'year,currency,units_per_usd\n2025,EUR,0.95\n',
          },
        ],
      });

      expect(exchangeRatesForYear(rules, 2025).EUR).toBe(0.95);
    });

    it('requires the header', () => {
      expect(() => applyRuleOverrides(DEFAULT_RULES, ratesFile('2025,MXN,19.5\n'))).toThrow(
        'config/exchange-rates-2025.csv: line 1, header: expected the columns year,currency,units_per_usd, found 2025,MXN,19.5',
      );
    });

    it.each([
      ['2025,MXN,abc', 'line 3, units_per_usd: "abc" is not a positive number'],
      ['2025,MXN,-1', 'line 3, units_per_usd'],
      ['2025,MXN,0', 'line 3, units_per_usd'],
      ['25,MXN,19', 'line 3, year: "25" is not a four-digit year'],
      ['2025,PESO,19', 'line 3, currency: "PESO" is not an ISO 4217 code'],
      ['2025,USD,2', 'line 3, units_per_usd: USD is the base currency'],
      ['2025,MXN', 'line 3, row'],
    ])('rejects "%s" naming file, line and field', (badRow, message) => {
      const attempt = () =>
        applyRuleOverrides(
          DEFAULT_RULES,
          ratesFile(`year,currency,units_per_usd\n2024,MXN,18\n${badRow}\n`),
        );

      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`config/exchange-rates-2025.csv: ${message}`);
    });
  });

  describe('rules.json', () => {
    it('adds aliases', () => {
      const rules = applyRuleOverrides(
        DEFAULT_RULES,
        rulesFile({ countries: { MX: ['Méjico'] }, roles: { backend: ['Server-side Ninja'] } }),
      );

      expect(normalizeCountry('Mejico', rules)).toBe('MX');
      expect(normalizeRole('Server Side Ninja', rules)).toBe('backend');
    });

    it('moves an alias that another target had', () => {
      const rules = applyRuleOverrides(DEFAULT_RULES, rulesFile({ roles: { fullstack: ['Web'] } }));
      const moved = applyRuleOverrides(rules, rulesFile({ roles: { frontend: ['Web'] } }));

      expect(normalizeRole('Web Developer', rules)).toBe('fullstack');
      expect(normalizeRole('Web Developer', moved)).toBe('frontend');
    });

    it('replaces a country’s experience bands and the bounds', () => {
      const rules = applyRuleOverrides(
        DEFAULT_RULES,
        rulesFile({
          seniorityByExperience: {
            byCountry: {
              CO: [
                { fromYears: 0, seniority: 'junior' },
                { fromYears: 2, seniority: 'mid' },
              ],
            },
          },
          plausibleMonthlyUsd: { min: 200 },
        }),
      );

      expect(seniorityFromExperience(2, 'CO', rules)).toBe('mid');
      expect(seniorityFromExperience(30, 'CO', rules)).toBe('mid');
      expect(seniorityFromExperience(11, 'MX', rules)).toBe('senior');
      expect(rules.plausibleMonthlyUsd).toEqual({ min: 200, max: 100_000 });
    });

    it('names the file, line and field of invalid content', () => {
      const text = '{\n  "roles": {\n    "backend": ["ok"],\n    "wizard": ["Mage"]\n  }\n}';
      const attempt = () =>
        applyRuleOverrides(DEFAULT_RULES, { rulesFile: { name: 'config/rules.json', text } });

      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/^config\/rules\.json: line 4, roles\.wizard: /);
    });

    it('rejects bands that do not start at 0 or do not increase', () => {
      const attempt = () =>
        applyRuleOverrides(
          DEFAULT_RULES,
          rulesFile({
            seniorityByExperience: {
              default: [
                { fromYears: 0, seniority: 'junior' },
                { fromYears: 0, seniority: 'mid' },
              ],
            },
          }),
        );

      expect(attempt).toThrow(
        /seniorityByExperience\.default\.1\.fromYears: fromYears must increase/,
      );
    });

    it('rejects unknown keys, bad JSON and inverted bounds', () => {
      expect(() => applyRuleOverrides(DEFAULT_RULES, rulesFile({ colour: 'red' }))).toThrow(
        ConfigError,
      );
      expect(() =>
        applyRuleOverrides(DEFAULT_RULES, {
          rulesFile: { name: 'config/rules.json', text: '{\n  "roles": \n}' },
        }),
      ).toThrow(/^config\/rules\.json: line \d+: invalid JSON/);
      expect(() =>
        applyRuleOverrides(
          DEFAULT_RULES,
          rulesFile({ plausibleMonthlyUsd: { min: 500, max: 400 } }),
        ),
      ).toThrow(ConfigError);
    });

    it('rejects an alias that becomes empty once noise words are dropped', () => {
      expect(() =>
        applyRuleOverrides(DEFAULT_RULES, rulesFile({ roles: { manager: ['Tech Lead'] } })),
      ).toThrow(/config\/rules\.json: roles: alias "Tech Lead" of manager is empty/);
    });
  });
});

describe('rulesFingerprint', () => {
  it('is a short stable digest', () => {
    expect(rulesFingerprint(DEFAULT_RULES)).toMatch(/^[0-9a-f]{16}$/);
    expect(rulesFingerprint(DEFAULT_RULES)).toBe(rulesFingerprint({ ...DEFAULT_RULES }));
  });

  it('changes when a rule changes', () => {
    const rules = applyRuleOverrides(
      DEFAULT_RULES,
      ratesFile('year,currency,units_per_usd\n2025,MXN,19.5\n'),
    );

    expect(rulesFingerprint(rules)).not.toBe(rulesFingerprint(DEFAULT_RULES));
  });
});
