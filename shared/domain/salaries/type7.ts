/**
 * Exact quantiles of integer cents, R's type 7 (numpy's default, Excel's PERCENTILE.INC), with no
 * floating point anywhere (docs/report.md, "Quantiles"):
 *
 *   x₀ ≤ … ≤ xₙ₋₁ the sorted values, level q = a/b, h = (n−1)·q, j = ⌊h⌋, g = h − j:
 *   Q(q) = xⱼ + g·(xⱼ₊₁ − xⱼ)            (xⱼ itself when g = 0)
 *
 * Because q is a fraction with a small denominator, Q(q)·b is the integer
 * xⱼ·b + r·(xⱼ₊₁ − xⱼ) with r = (n−1)·a mod b, so the quantile is an exact fraction of cents. A
 * published amount is that fraction times its factor (1 per month, 12 per year), rounded once,
 * half-up, to a whole cent.
 */

/** A quantile level as an exact fraction: p10 = 1/10, the median = 1/2. */
export interface QuantileLevel {
  numerator: number;
  denominator: number;
}

/** The levels the report publishes. */
export const PUBLISHED_QUANTILES = {
  p10: { numerator: 1, denominator: 10 },
  p25: { numerator: 1, denominator: 4 },
  median: { numerator: 1, denominator: 2 },
  p75: { numerator: 3, denominator: 4 },
  p90: { numerator: 9, denominator: 10 },
} as const satisfies Record<string, QuantileLevel>;

/** An exact non-negative rational number of cents. */
export interface ExactCents {
  numerator: bigint;
  denominator: bigint;
}

/** Q(level) of `sorted` (ascending integer cents, at least one) as an exact fraction of cents. */
export function type7Quantile(sorted: ArrayLike<number>, level: QuantileLevel): ExactCents {
  const { below, above, r, b } = bracket(sorted, level, 0, sorted.length);
  const denominator = BigInt(b);
  const low = BigInt(below);
  return { numerator: low * denominator + BigInt(r) * (BigInt(above) - low), denominator };
}

/** `factor × cents`, rounded half-up to a whole number of cents (exact: integer arithmetic). */
export function roundHalfUpCents(cents: ExactCents, factor = 1): number {
  const scaled = cents.numerator * BigInt(factor);
  const twice = 2n * cents.denominator;
  return Number((2n * scaled + cents.denominator) / twice);
}

/**
 * The published amount in cents: Q(level) × factor, rounded half-up once. The same integer
 * arithmetic as `type7Quantile` and `roundHalfUpCents`, in doubles while every intermediate is an
 * integer below 2^53 (salaries are), in bigints beyond: a report computes millions of these.
 */
export function type7QuantileCents(
  sorted: ArrayLike<number>,
  level: QuantileLevel,
  factor = 1,
): number {
  const { below, above, r, b } = bracket(sorted, level, 0, sorted.length);
  return roundedCents(below, above, r, b, factor);
}

/**
 * Two published amounts of one quantile, in USD: `type7QuantileCents(values, level) / 100` at
 * `out[at]` and `type7QuantileCents(values, level, factor) / 100` at `out[at + stride]`, the
 * order statistics looked up once for both (the report's monthly and annual figures). `values`
 * are the `count` values of `sorted` from `from` (all of it unless given).
 */
export function type7QuantileUsdInto(
  sorted: ArrayLike<number>,
  level: QuantileLevel,
  factor: number,
  out: Float64Array,
  at: number,
  stride: number,
  from = 0,
  count = sorted.length - from,
): void {
  const { below, above, r, b } = bracket(sorted, level, from, count);
  out[at] = roundedCents(below, above, r, b, 1) / 100;
  out[at + stride] = roundedCents(below, above, r, b, factor) / 100;
}

/** Q(level) × factor rounded half-up to cents, from the bracket of the values at `level`. */
function roundedCents(below: number, above: number, r: number, b: number, factor: number): number {
  if (above * b * factor * 4 > Number.MAX_SAFE_INTEGER || !Number.isSafeInteger(factor)) {
    const denominator = BigInt(b);
    const low = BigInt(below);
    const numerator = low * denominator + BigInt(r) * (BigInt(above) - low);
    return roundHalfUpCents({ numerator, denominator }, factor);
  }
  const twiceScaled = 2 * (below * b + r * (above - below)) * factor + b;
  return floorQuotient(twiceScaled, 2 * b);
}

/**
 * ⌊dividend / divisor⌋ of whole numbers (0 ≤ dividend < 2^53, divisor ≥ 1), exactly: the floor of
 * the doubles' quotient. That quotient q is an exact integer when the division is, and otherwise
 * lies at least 1/divisor below the next integer, while rounding moves it by at most half its ulp,
 * below q · 2^-53 < 1/divisor: it never reaches that integer. A report rounds two means and ten
 * quantiles of each of its cells this way; `%` on numbers beyond 32 bits is a call to the C
 * library's `fmod`, several times slower.
 */
export function floorQuotient(dividend: number, divisor: number): number {
  return Math.floor(dividend / divisor);
}

/**
 * The two order statistics around rank (n−1)·a/b of the `n` values of `sorted` from `from`, and
 * r = (n−1)·a mod b.
 */
function bracket(sorted: ArrayLike<number>, level: QuantileLevel, from: number, n: number) {
  const { numerator: a, denominator: b } = level;
  if (!Number.isInteger(a) || !Number.isInteger(b) || b <= 0 || a < 0 || a > b) {
    throw new RangeError(`quantile level ${a}/${b} is not a fraction from 0 to 1`);
  }
  if (n === 0) throw new RangeError('the quantile of no values is undefined');
  const scaledRank = (n - 1) * a;
  const j = Math.floor(scaledRank / b);
  const r = scaledRank - j * b;
  const below = valueAt(sorted, from + j);
  return { below, above: r === 0 ? below : valueAt(sorted, from + j + 1), r, b };
}

function valueAt(sorted: ArrayLike<number>, index: number): number {
  const value = sorted[index] as number;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`value at rank ${index} is not a whole number of cents: ${value}`);
  }
  return value;
}
