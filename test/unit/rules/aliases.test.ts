import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import {
  compileRules,
  normalizeCountry,
  normalizeCurrency,
  normalizePayPeriod,
  normalizeRole,
  normalizeSeniority,
} from '#shared/domain/rules/lookup.ts';

describe('default rules', () => {
  it('have no alias shared by two targets', () => {
    expect(() => compileRules(DEFAULT_RULES)).not.toThrow();
  });
});

describe('normalizeCountry', () => {
  it.each([
    ['Mexico', 'MX'],
    ['México', 'MX'],
    ['MX', 'MX'],
    ['MEX', 'MX'],
    [' mexico ', 'MX'],
    ['Estados Unidos', 'US'],
    ['EEUU', 'US'],
    ['EE.UU.', 'US'],
    ['USA', 'US'],
    ['US', 'US'],
    ['U.S.A.', 'US'],
    ['United States of America', 'US'],
    ['Brasil', 'BR'],
    ['Perú', 'PE'],
    ['Reino Unido', 'GB'],
    ['UK', 'GB'],
    ['España', 'ES'],
    ['Alemania', 'DE'],
    ['Países Bajos', 'NL'],
    ['Canadá', 'CA'],
    ['India', 'IN'],
    ['República Dominicana', 'DO'],
    ['costa-rica', 'CR'],
  ])('reads "%s" as %s', (raw, code) => {
    expect(normalizeCountry(raw, DEFAULT_RULES)).toBe(code);
  });

  it('does not guess misspellings', () => {
    expect(normalizeCountry('Mexco', DEFAULT_RULES)).toBeUndefined();
  });
});

describe('normalizeRole', () => {
  it.each([
    ['Back End Developer', 'backend'],
    ['Backend Engineer', 'backend'],
    ['Desarrollador Back-End', 'backend'],
    ['Software Engineer - Backend', 'backend'],
    ['Sr. Backend Developer', 'backend'],
    ['Frontend', 'frontend'],
    ['Front-End Developer', 'frontend'],
    ['Full Stack', 'fullstack'],
    ['Desarrollador Full-Stack', 'fullstack'],
    ['iOS Developer', 'mobile'],
    ['Android', 'mobile'],
    ['Desarrollador Móvil', 'mobile'],
    ['SRE', 'devops'],
    ['DevOps Engineer', 'devops'],
    ['Data Scientist', 'data'],
    ['Data Engineer', 'data'],
    ['Ingeniero de Datos', 'data'],
    ['QA Automation', 'qa'],
    ['Tester', 'qa'],
    ['Ciberseguridad', 'security'],
    ['Firmware Engineer', 'embedded'],
    ['Engineering Manager', 'manager'],
    ['Gerente de Ingeniería', 'manager'],
  ])('reads "%s" as %s', (raw, role) => {
    expect(normalizeRole(raw, DEFAULT_RULES)).toBe(role);
  });

  it.each(['Tech Lead', 'Software Engineer', 'Developer', 'Astronaut'])(
    'does not bucket "%s" anywhere',
    (raw) => {
      expect(normalizeRole(raw, DEFAULT_RULES)).toBeUndefined();
    },
  );
});

describe('normalizeSeniority', () => {
  it.each([
    ['Junior', 'junior'],
    ['jr', 'junior'],
    ['Trainee', 'junior'],
    ['Entry level', 'junior'],
    ['mid', 'mid'],
    ['Mid-Level', 'mid'],
    ['SSR', 'mid'],
    ['Semi Senior', 'mid'],
    ['semi-senior', 'mid'],
    ['Semisenior', 'mid'],
    ['Intermediate', 'mid'],
    ['Middle', 'mid'],
    ['Medio', 'mid'],
    ['Sr', 'senior'],
    ['SENIOR', 'senior'],
    ['Senior Developer', 'senior'],
    ['Lead', 'lead'],
    ['Tech Lead', 'lead'],
    ['Staff', 'lead'],
    ['Principal', 'lead'],
    ['Líder', 'lead'],
  ])('reads "%s" as %s', (raw, seniority) => {
    expect(normalizeSeniority(raw, DEFAULT_RULES)).toBe(seniority);
  });

  it.each(['Señor', 'Intern', 'Pasante', 'expert'])('does not read "%s"', (raw) => {
    expect(normalizeSeniority(raw, DEFAULT_RULES)).toBeUndefined();
  });
});

describe('normalizeCurrency', () => {
  it.each([
    ['USD', 'USD'],
    ['usd', 'USD'],
    ['US$', 'USD'],
    ['Dólares', 'USD'],
    ['MXN', 'MXN'],
    ['Pesos Mexicanos', 'MXN'],
    ['R$', 'BRL'],
    ['S/.', 'PEN'],
    ['€', 'EUR'],
    ['Euros', 'EUR'],
    ['£', 'GBP'],
    ['Q', 'GTQ'],
  ])('reads "%s" as %s', (raw, code) => {
    expect(normalizeCurrency(raw, DEFAULT_RULES)).toBe(code);
  });

  it.each(['$', 'pesos', 'C$', '¥'])('calls "%s" ambiguous', (raw) => {
    expect(normalizeCurrency(raw, DEFAULT_RULES)).toBe('ambiguous');
  });

  it('does not read an unknown code', () => {
    expect(normalizeCurrency('XYZ', DEFAULT_RULES)).toBeUndefined();
  });
});

describe('normalizePayPeriod', () => {
  it.each([
    ['Monthly', 'monthly'],
    ['mensual', 'monthly'],
    ['per month', 'monthly'],
    ['Annual', 'annual'],
    ['anual', 'annual'],
    ['Yearly', 'annual'],
    ['por año', 'annual'],
    ['Quincenal', 'semimonthly'],
    ['bi-weekly', 'biweekly'],
    ['Semanal', 'weekly'],
  ])('reads "%s" as %s', (raw, period) => {
    expect(normalizePayPeriod(raw, DEFAULT_RULES)).toBe(period);
  });

  it('does not read hourly pay', () => {
    expect(normalizePayPeriod('hourly', DEFAULT_RULES)).toBeUndefined();
  });
});
