import type { CurrencyCode } from './currencies.ts';

/** Units of currency per 1 USD, per calendar year ("2024" → "MXN" → 18.3). */
export type ExchangeRateTable = Readonly<Record<string, Readonly<Record<CurrencyCode, number>>>>;

export const RATE_YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026] as const;

/** One currency's yearly averages, 2019 … 2026 in `RATE_YEARS` order. */
type YearlyAverages = readonly [number, number, number, number, number, number, number, number];

/** The Federal Reserve quotes these currencies as USD per unit; the table wants units per USD. */
function perUsd(usdPerUnit: number): number {
  return 1 / usdPerUnit;
}

/*
 * Yearly average exchange rates, units of currency per 1 USD. Sources, by cell (see
 * docs/normalization.md, "Exchange rates", for the same table with its provenance):
 *
 * - 2019–2023, AUD BRL CAD CHF CNY EUR GBP INR JPY MXN: Federal Reserve Board, release G.5A
 *   "Foreign Exchange Rates — Annual" (releases of 2021 and 1 Feb 2024), exact published figures.
 *   AUD, EUR and GBP are published as USD per unit and inverted here.
 * - 2019–2022, ARS: IRS "Yearly Average Currency Exchange Rates" table, exact published figures.
 * - USD is 1 by definition. PAB is pegged at par with USD (1). BOB is the Banco Central de
 *   Bolivia's official rate, fixed at 6.96 since 2011 (the parallel market rate of 2024–2025 is
 *   not used).
 * - Every other cell (ARS 2023–2024; CLP COP PEN UYU CRC GTQ DOP PYG HNL NIO 2019–2024; the
 *   majors in 2024) is APPROXIMATE: annual averages of the central banks' official rates, rounded
 *   to three significant figures, not checked against a publication in this repository. Replace
 *   them with an operator rates file (config/exchange-rates*.csv) where precision matters.
 * - 2025 is an APPROXIMATE estimate made before the year's averages were published.
 * - 2026 has no published average: the 2025 figures are carried forward unchanged.
 */
const YEARLY_AVERAGES: Readonly<Record<CurrencyCode, YearlyAverages>> = {
  USD: [1, 1, 1, 1, 1, 1, 1, 1],
  // Federal Reserve G.5A 2019–2023; approximate 2024–2025.
  MXN: [19.2469, 21.5462, 20.2844, 20.1208, 17.7334, 18.3, 19.2, 19.2],
  CAD: [1.3269, 1.3422, 1.2533, 1.3014, 1.3494, 1.37, 1.4, 1.4],
  BRL: [3.944, 5.1587, 5.3958, 5.1605, 4.9946, 5.39, 5.55, 5.55],
  CNY: [6.9081, 6.9042, 6.4508, 6.729, 7.0809, 7.2, 7.18, 7.18],
  INR: [70.3777, 74.1429, 73.9351, 78.5792, 82.5708, 83.7, 87, 87],
  JPY: [109.0188, 106.7754, 109.8429, 131.4589, 140.5001, 151, 149, 149],
  CHF: [0.9937, 0.9389, 0.9144, 0.955, 0.8984, 0.881, 0.83, 0.83],
  EUR: [
    perUsd(1.1194),
    perUsd(1.141),
    perUsd(1.183),
    perUsd(1.0534),
    perUsd(1.0817),
    0.924,
    0.885,
    0.885,
  ],
  GBP: [
    perUsd(1.2768),
    perUsd(1.2829),
    perUsd(1.3764),
    perUsd(1.2371),
    perUsd(1.244),
    0.783,
    0.755,
    0.755,
  ],
  AUD: [
    perUsd(0.6952),
    perUsd(0.6899),
    perUsd(0.7515),
    perUsd(0.6951),
    perUsd(0.6644),
    1.52,
    1.55,
    1.55,
  ],
  // IRS 2019–2022; approximate official rate 2023–2025.
  ARS: [48.192, 70.635, 95.098, 130.792, 296, 915, 1150, 1150],
  // Approximate official annual averages.
  CLP: [703, 792, 759, 873, 840, 944, 950, 950],
  COP: [3280, 3690, 3740, 4260, 4330, 4070, 4100, 4100],
  PEN: [3.34, 3.5, 3.88, 3.84, 3.74, 3.75, 3.62, 3.62],
  UYU: [35.3, 42, 43.6, 41.2, 38.8, 39.9, 40.8, 40.8],
  CRC: [587, 585, 621, 647, 545, 514, 503, 503],
  GTQ: [7.7, 7.72, 7.73, 7.76, 7.83, 7.76, 7.68, 7.68],
  DOP: [51.3, 56.5, 57.2, 55.1, 56.2, 59.6, 62, 62],
  PYG: [6240, 6770, 6770, 6980, 7280, 7530, 7650, 7650],
  HNL: [24.5, 24.6, 24, 24.6, 24.7, 24.8, 26, 26],
  NIO: [33.1, 34.3, 35.2, 35.9, 36.4, 36.6, 36.6, 36.6],
  // Fixed rates.
  BOB: [6.96, 6.96, 6.96, 6.96, 6.96, 6.96, 6.96, 6.96],
  PAB: [1, 1, 1, 1, 1, 1, 1, 1],
};

export const EXCHANGE_RATES: ExchangeRateTable = tableByYear(YEARLY_AVERAGES);

function tableByYear(averagesByCurrency: Readonly<Record<CurrencyCode, YearlyAverages>>) {
  const table: Record<string, Record<CurrencyCode, number>> = {};
  RATE_YEARS.forEach((year, column) => {
    const rates: Record<CurrencyCode, number> = {};
    for (const [currency, averages] of Object.entries(averagesByCurrency)) {
      const rate = averages[column];
      if (rate !== undefined) rates[currency] = rate;
    }
    table[String(year)] = rates;
  });
  return table;
}
