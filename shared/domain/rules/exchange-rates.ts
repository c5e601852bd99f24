import type { CurrencyCode } from './currencies.ts';

/** Units of currency per 1 USD, per calendar year ("2024" → "MXN" → 18.3062). */
export type ExchangeRateTable = Readonly<Record<string, Readonly<Record<CurrencyCode, number>>>>;

export const RATE_YEARS = [
  2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026,
] as const;
export type RateYear = (typeof RATE_YEARS)[number];

/**
 * Where a figure comes from. Every cell of the table names one; docs/normalization.md prints the
 * same table with these tags (a unit test keeps the two equal). Only A and C cells are
 * approximate; every other figure was read in a copy of the publication named here.
 */
export const RATE_SOURCES = {
  F: 'Federal Reserve Board, statistical release G.5A "Foreign Exchange Rates — Annual": the release of 4 January 2016 (2015), the release covering 2017–2020 (dated 1 November 2021) and the release of 1 February 2024 (2020–2023); exact published figures. AUD, EUR and GBP are published as USD per unit (written 1/x) and inverted.',
  R: 'Federal Reserve Board annual averages as republished in FRED (Federal Reserve Bank of St. Louis), annual series AEX…US, AEXUSEU and AEXUSUK: the 2016, 2024 and 2025 figures, for want of the G.5A releases of January 2017, 2025 and 2026. The series prints the G.5A figures of 2015 and 2017–2023 unchanged. EUR and GBP are USD per unit (written 1/x) and inverted.',
  I: 'IRS "Yearly Average Currency Exchange Rates", the table revised 3 February 2023 (2017–2022); for HUF, ISK, RUB and TRY 2019–2022, two copies of the 2023 revisions (2019–2022 and 2019–2023) that print the same figures; exact published figures.',
  J: 'IRS "Yearly Average Currency Exchange Rates", the revision covering 2021–2025; exact published figures. Its 2021–2023 figures for these currencies equal those of the revision covering 2019–2023.',
  W: 'World Bank, World Development Indicators, "Official exchange rate (LCU per US$, period average)" (from the IMF\'s International Financial Statistics), as printed to two decimals in the edition with figures to 2021.',
  P: "Fixed by the issuing central bank (a peg): PAB and BSD and BMD at par with USD; BBD and BZD 2; XCD 2.70; AWG and ANG 1.79; KYD 1 = 1.20 USD (written 1/1.20); BOB 6.96, Banco Central de Bolivia's official rate since 2011 (the 2024–2025 parallel market rate is not used).",
  E: "Fixed to the euro by a currency board (BGN and BAM, 1.95583 per EUR): 1.95583 × that year's EUR figure, exact where the EUR figure is and approximate where it is.",
  A: "APPROXIMATE (~): annual averages of the central banks' official rates rounded to three significant figures, not checked against a publication in this repository; kept only where no published figure was found.",
  C: "CARRIED FORWARD (~): 2026 has no published annual average yet, so it carries that currency's 2025 cell unchanged (exact or approximate as that cell is).",
} as const;
export type RateSource = keyof typeof RATE_SOURCES;

/** Sources whose cells are not a published figure for that year; printed with a leading `~`. */
export const APPROXIMATE_SOURCES: ReadonlySet<RateSource> = new Set(['A', 'C']);

/** One cell: the figure as published (`usdPerUnit` when the source quotes USD per unit). */
export interface RateCell {
  unitsPerUsd: number;
  source: RateSource;
  /** Set when the source publishes USD per unit: the figure as printed there. */
  usdPerUnit?: number;
  /** Set for BGN and BAM: the EUR cell this one is derived from. */
  perEuro?: number;
}

const units =
  (source: RateSource) =>
  (unitsPerUsd: number): RateCell => ({ unitsPerUsd, source });
const usdPerUnit =
  (source: RateSource) =>
  (usdPerUnitFigure: number): RateCell => ({
    unitsPerUsd: 1 / usdPerUnitFigure,
    usdPerUnit: usdPerUnitFigure,
    source,
  });
const fed = units('F');
const fedUsdPerUnit = usdPerUnit('F');
const fedSeries = units('R');
const fedSeriesUsdPerUnit = usdPerUnit('R');
const irs2023 = units('I');
const irs2025 = units('J');
const worldBank = units('W');
const approx = units('A');

type YearCells = Partial<Record<RateYear, RateCell>>;

const LAST_PUBLISHED_YEAR = 2025;

/**
 * Years 2015 … 2025 from a list (undefined = no figure); 2026, not published yet, carries the
 * 2025 cell forward with source C.
 */
function byYear(cells: readonly (RateCell | undefined)[]): YearCells {
  const result: YearCells = {};
  RATE_YEARS.forEach((year, column) => {
    const cell = cells[column];
    if (cell) result[year] = cell;
  });
  const last = result[LAST_PUBLISHED_YEAR];
  if (last) result[2026] = { ...last, source: 'C' };
  return result;
}

/** The same figure in every year, fixed by the issuer. */
function pegged(unitsPerUsd: number, usdPerUnitFigure?: number): YearCells {
  const result: YearCells = {};
  for (const year of RATE_YEARS) {
    result[year] = {
      unitsPerUsd,
      source: 'P',
      ...(usdPerUnitFigure === undefined ? {} : { usdPerUnit: usdPerUnitFigure }),
    };
  }
  return result;
}

const _ = undefined;

/*
 * Yearly average exchange rates, units of currency per 1 USD, 2015–2025 (2026 carried forward),
 * one source per cell (RATE_SOURCES). A year a currency has no figure for is missing on purpose:
 * nothing here is a guess presented as a figure. A row in such a year and currency is rejected
 * no_exchange_rate, and the message names the operator file that adds the rate
 * (config/exchange-rates-<year>.csv).
 */
// biome-ignore format: a table reads best as rows of eleven years
const PUBLISHED_AND_APPROXIMATE: Readonly<Record<CurrencyCode, YearCells>> = {
  MXN: byYear([
    fed(15.873), fedSeries(18.6674), fed(18.8841), fed(19.2179), fed(19.2469), fed(21.5462),
    fed(20.2844), fed(20.1208), fed(17.7334), fedSeries(18.3062), fedSeries(19.2052),
  ]),
  CAD: byYear([
    fed(1.2791), fedSeries(1.3243), fed(1.2984), fed(1.2957), fed(1.3269), fed(1.3422),
    fed(1.2533), fed(1.3014), fed(1.3494), fedSeries(1.3699), fedSeries(1.3973),
  ]),
  BRL: byYear([
    fed(3.336), fedSeries(3.4839), fed(3.191), fed(3.6513), fed(3.944), fed(5.1587), fed(5.3958),
    fed(5.1605), fed(4.9946), fedSeries(5.3872), fedSeries(5.5891),
  ]),
  CNY: byYear([
    fed(6.2827), fedSeries(6.64), fed(6.7569), fed(6.609), fed(6.9081), fed(6.9042), fed(6.4508),
    fed(6.729), fed(7.0809), fedSeries(7.1957), fedSeries(7.1875),
  ]),
  INR: byYear([
    fed(64.11), fedSeries(67.1572), fed(65.0659), fed(68.3734), fed(70.3777), fed(74.1429),
    fed(73.9351), fed(78.5792), fed(82.5708), fedSeries(83.6566), fedSeries(87.1468),
  ]),
  JPY: byYear([
    fed(121.05), fedSeries(108.6569), fed(112.0986), fed(110.3974), fed(109.0188), fed(106.7754),
    fed(109.8429), fed(131.4589), fed(140.5001), fedSeries(151.4551), fedSeries(149.5686),
  ]),
  CHF: byYear([
    fed(0.9628), fedSeries(0.9848), fed(0.9842), fed(0.9784), fed(0.9937), fed(0.9389),
    fed(0.9144), fed(0.955), fed(0.8984), fedSeries(0.8808), fedSeries(0.8305),
  ]),
  DKK: byYear([
    fed(6.7263), fedSeries(6.7276), fed(6.5957), fed(6.3131), fed(6.6703), fed(6.543),
    fed(6.2897), fed(7.0786), fed(6.89), fedSeries(6.8955), fedSeries(6.6137),
  ]),
  NOK: byYear([
    fed(8.0681), fedSeries(8.3936), fed(8.2679), fed(8.1318), fed(8.8001), fed(9.4283),
    fed(8.5955), fed(9.6138), fed(10.5659), fedSeries(10.7574), fedSeries(10.3852),
  ]),
  SEK: byYear([
    fed(8.435), fedSeries(8.5541), fed(8.543), fed(8.6945), fed(9.4604), fed(9.2167), fed(8.5812),
    fed(10.1177), fed(10.6089), fedSeries(10.5744), fedSeries(9.806),
  ]),
  EUR: byYear([
    fedUsdPerUnit(1.1096), fedSeriesUsdPerUnit(1.1072), fedUsdPerUnit(1.1301),
    fedUsdPerUnit(1.1817), fedUsdPerUnit(1.1194), fedUsdPerUnit(1.141), fedUsdPerUnit(1.183),
    fedUsdPerUnit(1.0534), fedUsdPerUnit(1.0817), irs2025(0.924), irs2025(0.886),
  ]),
  GBP: byYear([
    fedUsdPerUnit(1.5284), fedSeriesUsdPerUnit(1.3555), fedUsdPerUnit(1.289),
    fedUsdPerUnit(1.3363), fedUsdPerUnit(1.2768), fedUsdPerUnit(1.2829), fedUsdPerUnit(1.3764),
    fedUsdPerUnit(1.2371), fedUsdPerUnit(1.244), irs2025(0.783), irs2025(0.759),
  ]),
  AUD: byYear([
    fedUsdPerUnit(0.7522), _, fedUsdPerUnit(0.7671), fedUsdPerUnit(0.7481), fedUsdPerUnit(0.6952),
    fedUsdPerUnit(0.6899), fedUsdPerUnit(0.7515), fedUsdPerUnit(0.6951), fedUsdPerUnit(0.6644),
    irs2025(1.516), irs2025(1.551),
  ]),
  CZK: byYear([
    worldBank(24.6), worldBank(24.44), worldBank(23.38), worldBank(21.73), worldBank(22.93),
    worldBank(23.21), worldBank(21.68),
  ]),
  HUF: byYear([
    worldBank(279.33), worldBank(281.52), worldBank(274.43), worldBank(270.21), irs2023(290.707),
    irs2023(307.766), irs2023(303.292), irs2023(372.775), irs2025(353.02), irs2025(365.603),
    irs2025(352.869),
  ]),
  ISK: byYear([
    worldBank(131.92), worldBank(120.81), worldBank(106.84), worldBank(108.3), irs2023(122.571),
    irs2023(135.354), irs2023(126.986), irs2023(135.296), irs2025(137.857), irs2025(137.958),
    irs2025(128.262),
  ]),
  RUB: byYear([
    _, _, _, _, irs2023(64.687), irs2023(72.299), irs2023(73.686), irs2023(69.896),
    irs2025(85.509), irs2025(92.837), irs2025(83.755),
  ]),
  TRY: byYear([
    _, _, _, _, irs2023(5.685), irs2023(7.025), irs2023(8.904), irs2023(16.572), irs2025(23.824),
    irs2025(32.867), irs2025(39.546),
  ]),
  ARS: byYear([
    _, _, irs2023(17.227), irs2023(28.167), irs2023(48.192), irs2023(70.635), irs2023(95.098),
    irs2023(130.792), irs2025(296.154), irs2025(915.161), irs2025(1243.369),
  ]),
  CLP: byYear([
    worldBank(654.12), worldBank(676.96), worldBank(648.83), worldBank(641.28), worldBank(702.9),
    worldBank(792.73), worldBank(758.96), approx(873), approx(840), approx(944), approx(950),
  ]),
  COP: byYear([
    worldBank(2741.88), worldBank(3054.12), worldBank(2951.33), worldBank(2955.7),
    worldBank(3280.83), worldBank(3694.85), worldBank(3743.59), approx(4260), approx(4330),
    approx(4070), approx(4100),
  ]),
  PEN: byYear([
    _, _, _, _, approx(3.34), approx(3.5), approx(3.88), approx(3.84), approx(3.74), approx(3.75),
    approx(3.62),
  ]),
  UYU: byYear([
    _, _, _, _, approx(35.3), approx(42), approx(43.6), approx(41.2), approx(38.8), approx(39.9),
    approx(40.8),
  ]),
  CRC: byYear([
    worldBank(534.57), worldBank(544.74), worldBank(567.51), worldBank(576.97), worldBank(587.29),
    worldBank(584.9), worldBank(620.78), approx(647), approx(545), approx(514), approx(503),
  ]),
  GTQ: byYear([
    _, _, _, _, approx(7.7), approx(7.72), approx(7.73), approx(7.76), approx(7.83), approx(7.76),
    approx(7.68),
  ]),
  DOP: byYear([
    worldBank(45.05), worldBank(46.06), worldBank(47.53), worldBank(49.51), worldBank(51.29),
    worldBank(56.52), worldBank(57.22), approx(55.1), approx(56.2), approx(59.6), approx(62),
  ]),
  PYG: byYear([
    _, _, _, _, approx(6240), approx(6770), approx(6770), approx(6980), approx(7280),
    approx(7530), approx(7650),
  ]),
  HNL: byYear([
    _, _, _, _, approx(24.5), approx(24.6), approx(24), approx(24.6), approx(24.7), approx(24.8),
    approx(26),
  ]),
  NIO: byYear([
    _, _, _, _, approx(33.1), approx(34.3), approx(35.2), approx(35.9), approx(36.4), approx(36.6),
    approx(36.6),
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
      source: APPROXIMATE_SOURCES.has(cell.source) ? cell.source : 'E',
      perEuro: EURO_CURRENCY_BOARD,
    };
  }
  return result;
}

/** Every cell with its source, by currency then year. USD is 1 by definition and not listed. */
export const EXCHANGE_RATE_CELLS: Readonly<Record<CurrencyCode, YearCells>> = {
  ...PUBLISHED_AND_APPROXIMATE,
  BGN: euroBoard(PUBLISHED_AND_APPROXIMATE.EUR ?? {}),
  BAM: euroBoard(PUBLISHED_AND_APPROXIMATE.EUR ?? {}),
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
