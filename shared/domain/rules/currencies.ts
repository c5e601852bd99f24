import countryToCurrency from 'country-to-currency';
import type { CountryCode } from '../taxonomy.ts';

/** ISO 4217 code, upper case ("MXN"). */
export type CurrencyCode = string;

/** The currency every salary is converted to; its rate is 1 in every year, by definition. */
export const BASE_CURRENCY: CurrencyCode = 'USD';

/**
 * Currency names, symbols and abbreviations, matched with `currencyKey` (case, accents, spaces,
 * dots and hyphens ignored; symbols kept). Every code is also recognized by itself ("mxn").
 * "Dólar"/"dollar" alone means USD: that is how the surveys use it.
 */
export const CURRENCY_ALIASES: Readonly<Record<CurrencyCode, readonly string[]>> = {
  USD: [
    'US$',
    'U$S',
    'U$D',
    'USD$',
    'dólar',
    'dólares',
    'dólar estadounidense',
    'dólares estadounidenses',
    'dólares americanos',
    'dollar',
    'dollars',
    'US dollar',
    'US dollars',
  ],
  MXN: ['MX$', 'MEX$', 'MXP', 'peso mexicano', 'pesos mexicanos'],
  CAD: [
    'CA$',
    'CAN$',
    'canadian dollar',
    'canadian dollars',
    'dólar canadiense',
    'dólares canadienses',
  ],
  BRL: ['R$', 'real', 'reais', 'reales', 'real brasileño'],
  ARS: ['AR$', 'peso argentino', 'pesos argentinos'],
  CLP: ['CLP$', 'peso chileno', 'pesos chilenos'],
  COP: ['COL$', 'peso colombiano', 'pesos colombianos'],
  PEN: ['S/', 'S/.', 'sol', 'soles', 'nuevo sol', 'nuevos soles', 'sol peruano'],
  UYU: ['$U', 'peso uruguayo', 'pesos uruguayos'],
  CRC: ['₡', 'colón', 'colones', 'colón costarricense'],
  GTQ: ['Q', 'quetzal', 'quetzales'],
  DOP: ['RD$', 'peso dominicano', 'pesos dominicanos'],
  BOB: ['Bs', 'Bs.', 'boliviano', 'bolivianos'],
  PYG: ['₲', 'Gs', 'Gs.', 'guaraní', 'guaraníes'],
  HNL: ['L', 'lempira', 'lempiras'],
  NIO: ['córdoba', 'córdobas'],
  PAB: ['B/', 'B/.', 'balboa', 'balboas'],
  EUR: ['€', 'euro', 'euros'],
  GBP: ['£', 'pound', 'pounds', 'pound sterling', 'libra', 'libras', 'libra esterlina'],
  CHF: ['Fr.', 'swiss franc', 'swiss francs', 'franco suizo', 'francos suizos'],
  JPY: ['yen', 'yenes', '円'],
  CNY: ['RMB', 'yuan', 'renminbi', '人民币'],
  INR: ['₹', 'Rs', 'rupee', 'rupees', 'rupia', 'rupias'],
  AUD: ['A$', 'AU$', 'australian dollar', 'australian dollars', 'dólar australiano'],
  CZK: ['Kč', 'koruna', 'Czech koruna', 'corona checa', 'coronas checas'],
  HUF: ['Ft', 'forint', 'forints', 'Hungarian forint', 'forinto', 'forintos'],
  ISK: ['Icelandic krona', 'Icelandic króna', 'corona islandesa', 'coronas islandesas'],
  RUB: ['₽', 'ruble', 'rubles', 'rouble', 'roubles', 'rublo', 'rublos'],
  TRY: ['₺', 'Turkish lira', 'lira turca', 'liras turcas'],
};

/**
 * Symbols and words shared by several currencies. In the currency column they are rejected as
 * unknown_currency ("ambiguous"); next to a salary amount ("$45,000") they are read as decoration
 * and say nothing, so the currency column must then name the currency.
 */
export const AMBIGUOUS_CURRENCY_SYMBOLS: readonly string[] = [
  '$',
  'C$', // Canadian dollar or Nicaraguan córdoba
  '¥', // yen or yuan
  'peso',
  'pesos',
];

/** Countries that changed to the euro: before `year`, their currency was `before`. */
const EURO_ADOPTIONS: Readonly<Record<CountryCode, { year: number; before: CurrencyCode }>> = {
  HR: { year: 2023, before: 'HRK' },
  BG: { year: 2026, before: 'BGN' },
};

/**
 * The currency a country pays in ("local" in a profile), from the `country-to-currency` package,
 * which gives today's currency; countries that adopted the euro keep their old one before that.
 */
export function localCurrency(country: CountryCode, year: number): CurrencyCode | undefined {
  const adoption = EURO_ADOPTIONS[country];
  if (adoption && year < adoption.year) return adoption.before;
  return (countryToCurrency as Readonly<Record<string, string>>)[country];
}
