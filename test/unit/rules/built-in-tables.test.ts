import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COUNTRIES } from '#shared/domain/rules/countries.ts';
import { localCurrency } from '#shared/domain/rules/currencies.ts';
import {
  APPROXIMATE_SOURCES,
  EXCHANGE_RATE_CELLS,
  RATE_SOURCES,
  RATE_YEARS,
  type RateCell,
} from '#shared/domain/rules/exchange-rates.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import { normalizeCountry, normalizeCurrency } from '#shared/domain/rules/lookup.ts';
import { parseYearsOfExperience } from '#shared/domain/survey-answers.ts';

describe('countries', () => {
  it('are every ISO 3166-1 country (249) plus Kosovo, each with its alpha-3 code', () => {
    expect(COUNTRIES).toHaveLength(250);
    expect(COUNTRIES.every((country) => /^[A-Z]{3}$/.test(country.alpha3 ?? ''))).toBe(true);
    expect(COUNTRIES.map((country) => country.code)).toContain('XK');
  });

  it.each([
    ['DE', 'DE'],
    ['DEU', 'DE'],
    ['Germany', 'DE'],
    ['Alemania', 'DE'],
    ['Viet Nam', 'VN'],
    ['Vietnam', 'VN'],
    ['United Kingdom of Great Britain and Northern Ireland', 'GB'],
    ['United States of America', 'US'],
    ['Russian Federation', 'RU'],
    ['Iran, Islamic Republic of...', 'IR'],
    ['Venezuela, Bolivarian Republic of...', 'VE'],
    ['Republic of Korea', 'KR'],
    ['Corea del Sur', 'KR'],
    ['Hong Kong (S.A.R.)', 'HK'],
    ['Türkiye', 'TR'],
    ['Turquía', 'TR'],
    ['Nueva Zelanda', 'NZ'],
    ['Sudáfrica', 'ZA'],
    ['Côte d’Ivoire', 'CI'],
    ['Democratic Republic of the Congo', 'CD'],
    ['Republic of the Congo', 'CG'],
    ['EE.UU.', 'US'],
    ['Inglaterra', 'GB'],
    ['Scotland', 'GB'],
    ['Wales', 'GB'],
    ['Northern Ireland', 'GB'],
    ['U.S.', 'US'],
    ['united states of america', 'US'],
  ])('reads "%s" as %s', (raw, code) => {
    expect(normalizeCountry(raw, DEFAULT_RULES)).toBe(code);
  });

  it.each([
    ['México DF', 'a city with its district'],
    ['Ciudad de México', 'a capital'],
    ['Buenos Aires', 'a capital'],
    ['Salvador', 'a Brazilian city'],
    ['Congo', 'a name two countries share'],
    ['Nomadic', 'a survey answer that is no country'],
    ['America', 'a continent in Spanish'],
  ])('does not read "%s" (%s) as a country', (raw) => {
    expect(normalizeCountry(raw, DEFAULT_RULES)).toBeUndefined();
  });
});

describe('years of experience answers', () => {
  it.each([
    ['1 - 2', 1.5],
    ['3 - 5', 4],
    ['6-10', 8],
    ['5 to 9 years', 7],
    ['1 a 2 años', 1.5],
    ['10+', 10],
    ['More than 50 years', 50],
    ['Más de 10 años', 10],
    ['Less than 1 year', 0],
    ['Menos de un año', 0],
    ['< 1', 0],
    ['3 años', 3],
    ['4,5', 4.5],
    ['1 year or less', 0],
    ['2 - 4 years', 3],
    ['5-7 years', 6],
    ['41 years or more', 41],
    ['10 años o más', 10],
    ['1 año o menos', 0],
  ])('reads "%s" as %d', (raw, years) => {
    expect(parseYearsOfExperience(raw)).toBe(years);
  });

  it.each([
    ['Less than 5 years', 'its years are unknown'],
    ['5 years or less', 'its years are unknown'],
    ['5 - 3', 'a range backwards'],
    ['61', 'more than a career'],
    ['More than 70 years', 'more than a career'],
    ['a lot', 'no number'],
  ])('does not read "%s" (%s)', (raw) => {
    expect(parseYearsOfExperience(raw)).toBeUndefined();
  });
});

describe('currencies', () => {
  it('reads labels that start with their ISO code, as survey exports write them', () => {
    expect(normalizeCurrency('MXN\tMexican peso', DEFAULT_RULES)).toBe('MXN');
    expect(normalizeCurrency('EUR European Euro', DEFAULT_RULES)).toBe('EUR');
    expect(normalizeCurrency('XYZ\tNo such money', DEFAULT_RULES)).toBeUndefined();
  });

  it('knows the local currency of every country, and the one before the euro', () => {
    const missing = COUNTRIES.filter(
      (country) => localCurrency(country.code, 2025) === undefined,
    ).map((country) => country.code);
    expect(missing).toEqual([]);
    expect(localCurrency('AR', 2025)).toBe('ARS');
    expect(localCurrency('EC', 2025)).toBe('USD');
    expect(localCurrency('HR', 2022)).toBe('HRK');
    expect(localCurrency('HR', 2023)).toBe('EUR');
    expect(localCurrency('BG', 2025)).toBe('BGN');
  });
});

/** How docs/normalization.md prints a cell: the figure as published, then its source tag. */
function cellText(cell: RateCell | undefined): string {
  if (!cell) return '—';
  const figure =
    cell.perEuro !== undefined
      ? `${cell.perEuro}×EUR`
      : cell.usdPerUnit !== undefined
        ? `1/${cell.usdPerUnit}`
        : String(cell.unitsPerUsd);
  return `${APPROXIMATE_SOURCES.has(cell.source) ? '~' : ''}${figure} ${cell.source}`;
}

function rateTableMarkdown(): string {
  const header = `| currency | ${RATE_YEARS.join(' | ')} |`;
  const rule = `|---|${RATE_YEARS.map(() => '---|').join('')}`;
  const rows = Object.entries(EXCHANGE_RATE_CELLS).map(
    ([currency, years]) =>
      `| ${currency} | ${RATE_YEARS.map((year) => cellText(years[year])).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

describe('exchange rates', () => {
  it('name a known source in every cell', () => {
    for (const years of Object.values(EXCHANGE_RATE_CELLS)) {
      for (const cell of Object.values(years)) {
        expect(Object.keys(RATE_SOURCES)).toContain(cell.source);
        expect(cell.unitsPerUsd).toBeGreaterThan(0);
      }
    }
  });

  it('are the table docs/normalization.md prints', () => {
    const docs = readFileSync(new URL('../../../docs/normalization.md', import.meta.url), 'utf8');
    expect(docs).toContain(rateTableMarkdown());
  });

  it('cover 2015–2025 with published figures for the majors of the Americas and Europe', () => {
    for (const currency of ['MXN', 'CAD', 'BRL', 'EUR', 'GBP', 'CHF', 'SEK', 'HUF', 'ISK']) {
      const cells = EXCHANGE_RATE_CELLS[currency] ?? {};
      const published = RATE_YEARS.filter((year) => {
        const cell = cells[year];
        return cell !== undefined && !APPROXIMATE_SOURCES.has(cell.source);
      });
      expect(published, currency).toEqual(RATE_YEARS.filter((year) => year !== 2026));
    }
  });

  it('carry each 2025 figure into 2026, marked as carried forward', () => {
    for (const [currency, cells] of Object.entries(EXCHANGE_RATE_CELLS)) {
      const last = cells[2025];
      const next = cells[2026];
      if (!last || last.source === 'P') continue;
      expect(next, currency).toEqual({ ...last, source: 'C' });
    }
  });
});
