import { floorQuotient } from '../salaries/type7.ts';

/**
 * Rounding rules of the published numbers, in one place so the report, the CSV and the comparisons
 * agree to the digit. Half-up (ties away from zero for the positive amounts we publish).
 */

/** Months in a year: annual figures are 12 × the monthly ones (the source report speaks monthly). */
export const MONTHS_PER_YEAR = 12;

/** Decimal places of published ratios and relative changes (0.6061 = 60.61 %). */
export const RATIO_DECIMALS = 4;

/**
 * Exact mean of integer cents, scaled by `factor`, rounded half-up to whole cents, in USD. The sum
 * is a bigint, or a number when it is a safe integer.
 */
export function meanUsd(sumCents: bigint | number, count: number, factor = 1): number {
  const sum = Number(sumCents);
  if (
    (typeof sumCents === 'number'
      ? Number.isSafeInteger(sumCents) && sumCents >= 0
      : sumCents >= 0n) &&
    Number.isSafeInteger(count) &&
    count > 0 &&
    Number.isSafeInteger(factor) &&
    factor >= 0 &&
    (sum * factor + count) * 4 < Number.MAX_SAFE_INTEGER
  ) {
    // The same integer arithmetic in doubles, every step an exact integer below 2^53: a report
    // takes two means of each of its cells, and bigints cost an allocation per step.
    return floorQuotient(2 * sum * factor + count, 2 * count) / 100;
  }
  const n = BigInt(count);
  const scaled = BigInt(sumCents) * BigInt(factor);
  const doubled = 2n * scaled;
  const cents = scaled >= 0n ? (doubled + n) / (2n * n) : -((-doubled + n) / (2n * n));
  return Number(cents) / 100;
}

/**
 * A float USD amount rounded half-up to cents. The tiny epsilon keeps binary representation noise
 * (1.005 * 100 = 100.49999…) from flipping a tie, so equal inputs always print equal digits.
 */
export function roundUsd(usd: number): number {
  return roundHalfUp(usd, 2);
}

export function roundRatio(value: number): number {
  return roundHalfUp(value, RATIO_DECIMALS);
}

function roundHalfUp(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const scaled = Math.abs(value) * scale;
  const rounded = Math.floor(scaled + 0.5 + 1e-9) / scale;
  return value < 0 ? -rounded : rounded;
}
