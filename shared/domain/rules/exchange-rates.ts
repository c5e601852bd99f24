import type { CurrencyCode } from './currencies.ts';

/** Units of currency per 1 USD, per calendar year ("2024" → "MXN" → 18.3). */
export type ExchangeRateTable = Readonly<Record<string, Readonly<Record<CurrencyCode, number>>>>;

export const RATE_YEARS = [
  2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026,
] as const;
export type RateYear = (typeof RATE_YEARS)[number];

/**
 * Where a figure comes from. Every cell of the table names one; docs/normalization.md prints the
 * same table with these tags (a unit test keeps the two equal).
 */
export const RATE_SOURCES = {
  F: 'Federal Reserve Board, release G.5A "Foreign Exchange Rates — Annual": releases of 4 January 2016 (2015), of 2021 (2017–2020) and of 1 February 2024 (2020–2023); exact published figures. AUD, EUR and GBP are published as USD per unit (written 1/x) and inverted.',
  I: 'IRS "Yearly Average Currency Exchange Rates" (table revised 3 February 2023); exact published figures.',
  P: "Fixed by the issuing central bank (a peg): PAB and BSD and BMD at par with USD; BBD and BZD 2; XCD 2.70; AWG and ANG 1.79; KYD 1 = 1.20 USD (written 1/1.20); BOB 6.96, Banco Central de Bolivia's official rate since 2011 (the 2024–2025 parallel market rate is not used).",
  E: "Fixed to the euro by a currency board (BGN and BAM, 1.95583 per EUR): 1.95583 × that year's EUR figure, exact where the EUR figure is and approximate where it is.",
  A: "APPROXIMATE (~): annual averages of the central banks' official rates rounded to three significant figures, not checked against a publication in this repository; for 2025 an estimate made before the year's averages were published; 2026 carries 2025 forward unchanged.",
} as const;
export type RateSource = keyof typeof RATE_SOURCES;

/** One cell: the figure as published (`usdPerUnit` when the source quotes USD per unit). */
export interface RateCell {
  unitsPerUsd: number;
  source: RateSource;
  /** Set when the source publishes USD per unit: the figure as printed there. */
  usdPerUnit?: number;
  /** Set for BGN and BAM: the EUR cell this one is derived from. */
  perEuro?: number;
}

const fed = (unitsPerUsd: number): RateCell => ({ unitsPerUsd, source: 'F' });
const fedUsdPerUnit = (usdPerUnit: number): RateCell => ({
  unitsPerUsd: 1 / usdPerUnit,
  usdPerUnit,
  source: 'F',
});
const irs = (unitsPerUsd: number): RateCell => ({ unitsPerUsd, source: 'I' });
const approx = (unitsPerUsd: number): RateCell => ({ unitsPerUsd, source: 'A' });

type YearCells = Partial<Record<RateYear, RateCell>>;

/** Years 2015 … 2026 from a list (undefined = no figure); approximate 2025 is carried into 2026. */
function byYear(cells: readonly (RateCell | undefined)[]): YearCells {
  const result: YearCells = {};
  RATE_YEARS.forEach((year, column) => {
    const cell = cells[column];
    if (cell) result[year] = cell;
  });
  return result;
}

/** The same figure in every year, fixed by the issuer. */
function pegged(unitsPerUsd: number, usdPerUnit?: number): YearCells {
  return byYear(
    RATE_YEARS.map(() => ({
      unitsPerUsd,
      source: 'P' as const,
      ...(usdPerUnit === undefined ? {} : { usdPerUnit }),
    })),
  );
}

const _ = undefined;

/*
 * Yearly average exchange rates, units of currency per 1 USD, 2015–2026, one source per cell
 * (RATE_SOURCES). A year a currency has no figure for is missing on purpose: nothing here is a
 * guess presented as a figure. A row in such a year and currency is rejected no_exchange_rate,
 * and the message names the operator file that adds the rate (config/exchange-rates-<year>.csv).
 */
// biome-ignore format: a table reads best as rows of twelve years
const FED_AND_APPROXIMATE: Readonly<Record<CurrencyCode, YearCells>> = {
  MXN: byYear([
    fed(15.873), _, fed(18.8841), fed(19.2179), fed(19.2469), fed(21.5462), fed(20.2844),
    fed(20.1208), fed(17.7334), approx(18.3), approx(19.2), approx(19.2),
  ]),
  CAD: byYear([
    fed(1.2791), _, fed(1.2984), fed(1.2957), fed(1.3269), fed(1.3422), fed(1.2533),
    fed(1.3014), fed(1.3494), approx(1.37), approx(1.4), approx(1.4),
  ]),
  BRL: byYear([
    fed(3.336), _, fed(3.191), fed(3.6513), fed(3.944), fed(5.1587), fed(5.3958), fed(5.1605),
    fed(4.9946), approx(5.39), approx(5.55), approx(5.55),
  ]),
  CNY: byYear([
    fed(6.2827), _, fed(6.7569), fed(6.609), fed(6.9081), fed(6.9042), fed(6.4508), fed(6.729),
    fed(7.0809), approx(7.2), approx(7.18), approx(7.18),
  ]),
  INR: byYear([
    fed(64.11), _, fed(65.0659), fed(68.3734), fed(70.3777), fed(74.1429), fed(73.9351),
    fed(78.5792), fed(82.5708), approx(83.7), approx(87), approx(87),
  ]),
  JPY: byYear([
    fed(121.05), _, fed(112.0986), fed(110.3974), fed(109.0188), fed(106.7754), fed(109.8429),
    fed(131.4589), fed(140.5001), approx(151), approx(149), approx(149),
  ]),
  CHF: byYear([
    fed(0.9628), _, fed(0.9842), fed(0.9784), fed(0.9937), fed(0.9389), fed(0.9144), fed(0.955),
    fed(0.8984), approx(0.881), approx(0.83), approx(0.83),
  ]),
  DKK: byYear([
    fed(6.7263), _, fed(6.5957), fed(6.3131), fed(6.6703), fed(6.543), fed(6.2897), fed(7.0786),
    fed(6.89),
  ]),
  NOK: byYear([
    fed(8.0681), _, fed(8.2679), fed(8.1318), fed(8.8001), fed(9.4283), fed(8.5955), fed(9.6138),
    fed(10.5659),
  ]),
  SEK: byYear([
    fed(8.435), _, fed(8.543), fed(8.6945), fed(9.4604), fed(9.2167), fed(8.5812), fed(10.1177),
    fed(10.6089),
  ]),
  EUR: byYear([
    fedUsdPerUnit(1.1096), _, fedUsdPerUnit(1.1301), fedUsdPerUnit(1.1817), fedUsdPerUnit(1.1194),
    fedUsdPerUnit(1.141), fedUsdPerUnit(1.183), fedUsdPerUnit(1.0534), fedUsdPerUnit(1.0817),
    approx(0.924), approx(0.885), approx(0.885),
  ]),
  GBP: byYear([
    fedUsdPerUnit(1.5284), _, fedUsdPerUnit(1.289), fedUsdPerUnit(1.3363), fedUsdPerUnit(1.2768),
    fedUsdPerUnit(1.2829), fedUsdPerUnit(1.3764), fedUsdPerUnit(1.2371), fedUsdPerUnit(1.244),
    approx(0.783), approx(0.755), approx(0.755),
  ]),
  AUD: byYear([
    fedUsdPerUnit(0.7522), _, fedUsdPerUnit(0.7671), fedUsdPerUnit(0.7481), fedUsdPerUnit(0.6952),
    fedUsdPerUnit(0.6899), fedUsdPerUnit(0.7515), fedUsdPerUnit(0.6951), fedUsdPerUnit(0.6644),
    approx(1.52), approx(1.55), approx(1.55),
  ]),
  ARS: byYear([
    _, _, irs(17.227), irs(28.167), irs(48.192), irs(70.635), irs(95.098), irs(130.792),
    approx(296), approx(915), approx(1150), approx(1150),
  ]),
  CLP: byYear([
    _, _, _, _, approx(703), approx(792), approx(759), approx(873), approx(840), approx(944),
    approx(950), approx(950),
  ]),
  COP: byYear([
    _, _, _, _, approx(3280), approx(3690), approx(3740), approx(4260), approx(4330),
    approx(4070), approx(4100), approx(4100),
  ]),
  PEN: byYear([
    _, _, _, _, approx(3.34), approx(3.5), approx(3.88), approx(3.84), approx(3.74), approx(3.75),
    approx(3.62), approx(3.62),
  ]),
  UYU: byYear([
    _, _, _, _, approx(35.3), approx(42), approx(43.6), approx(41.2), approx(38.8), approx(39.9),
    approx(40.8), approx(40.8),
  ]),
  CRC: byYear([
    _, _, _, _, approx(587), approx(585), approx(621), approx(647), approx(545), approx(514),
    approx(503), approx(503),
  ]),
  GTQ: byYear([
    _, _, _, _, approx(7.7), approx(7.72), approx(7.73), approx(7.76), approx(7.83), approx(7.76),
    approx(7.68), approx(7.68),
  ]),
  DOP: byYear([
    _, _, _, _, approx(51.3), approx(56.5), approx(57.2), approx(55.1), approx(56.2), approx(59.6),
    approx(62), approx(62),
  ]),
  PYG: byYear([
    _, _, _, _, approx(6240), approx(6770), approx(6770), approx(6980), approx(7280), approx(7530),
    approx(7650), approx(7650),
  ]),
  HNL: byYear([
    _, _, _, _, approx(24.5), approx(24.6), approx(24), approx(24.6), approx(24.7), approx(24.8),
    approx(26), approx(26),
  ]),
  NIO: byYear([
    _, _, _, _, approx(33.1), approx(34.3), approx(35.2), approx(35.9), approx(36.4), approx(36.6),
    approx(36.6), approx(36.6),
  ]),
};

/** BGN and BAM: 1.95583 per EUR by law, so per USD they follow the EUR figure of each year. */
const EURO_CURRENCY_BOARD = 1.95583;

function euroBoard(euro: YearCells): YearCells {
  const result: YearCells = {};
  for (const year of RATE_YEARS) {
    const cell = euro[year];
    if (!cell) continue;
    result[year] = {
      unitsPerUsd: EURO_CURRENCY_BOARD * cell.unitsPerUsd,
      source: cell.source === 'A' ? 'A' : 'E',
      perEuro: EURO_CURRENCY_BOARD,
    };
  }
  return result;
}

/** Every cell with its source, by currency then year. USD is 1 by definition and not listed. */
export const EXCHANGE_RATE_CELLS: Readonly<Record<CurrencyCode, YearCells>> = {
  ...FED_AND_APPROXIMATE,
  BGN: euroBoard(FED_AND_APPROXIMATE.EUR ?? {}),
  BAM: euroBoard(FED_AND_APPROXIMATE.EUR ?? {}),
  PAB: pegged(1),
  BSD: pegged(1),
  BMD: pegged(1),
  BBD: pegged(2),
  BZD: pegged(2),
  XCD: pegged(2.7),
  AWG: pegged(1.79),
  ANG: pegged(1.79),
  KYD: pegged(1 / 1.2, 1.2),
  BOB: pegged(6.96),
};

export const EXCHANGE_RATES: ExchangeRateTable = tableByYear(EXCHANGE_RATE_CELLS);

function tableByYear(cells: Readonly<Record<CurrencyCode, YearCells>>): ExchangeRateTable {
  const table: Record<string, Record<CurrencyCode, number>> = {};
  for (const year of RATE_YEARS) {
    const rates: Record<CurrencyCode, number> = { USD: 1 };
    for (const [currency, years] of Object.entries(cells)) {
      const cell = years[year];
      if (cell) rates[currency] = cell.unitsPerUsd;
    }
    table[String(year)] = rates;
  }
  return table;
}
