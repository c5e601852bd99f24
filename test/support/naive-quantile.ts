/**
 * The reference every exact-quantile test compares against, written independently of
 * `shared/domain/salaries/type7.ts`: type 7 read as the piecewise-linear curve through the points
 * (k/(n−1), x₍ₖ₎), evaluated at q with plain fractions (found by scanning, not by a rank formula),
 * then rounded half-up to a cent by comparing the remainder with one half.
 */

class Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;

  constructor(numerator: bigint, denominator = 1n) {
    if (denominator === 0n) throw new RangeError('division by zero');
    const sign = denominator < 0n ? -1n : 1n;
    const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator * sign);
    this.numerator = (sign * numerator) / divisor;
    this.denominator = (sign * denominator) / divisor;
  }

  plus(other: Fraction): Fraction {
    return new Fraction(
      this.numerator * other.denominator + other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }

  minus(other: Fraction): Fraction {
    return this.plus(new Fraction(-other.numerator, other.denominator));
  }

  times(other: Fraction): Fraction {
    return new Fraction(this.numerator * other.numerator, this.denominator * other.denominator);
  }

  atMost(other: Fraction): boolean {
    return this.numerator * other.denominator <= other.numerator * this.denominator;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

/** A quantile level such as 0.1 or 0.25 as a fraction (levels here have at most 4 decimals). */
function levelFraction(q: number): Fraction {
  return new Fraction(BigInt(Math.round(q * 10_000)), 10_000n);
}

/** Type-7 quantile of integer cents × `factor`, rounded half-up to whole cents. */
export function naiveType7Cents(values: readonly number[], q: number, factor = 1): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new RangeError('no values');
  const level = levelFraction(q);
  let value: Fraction;
  if (n === 1) {
    value = new Fraction(BigInt(sorted[0] as number));
  } else {
    // The segment [k/(n−1), (k+1)/(n−1)] holding q, found by walking the points.
    let k = 0;
    while (k < n - 2 && new Fraction(BigInt(k + 1), BigInt(n - 1)).atMost(level)) k++;
    const start = new Fraction(BigInt(k), BigInt(n - 1));
    const slope = new Fraction(
      BigInt((sorted[k + 1] as number) - (sorted[k] as number)) * BigInt(n - 1),
    );
    value = new Fraction(BigInt(sorted[k] as number)).plus(level.minus(start).times(slope));
  }
  const scaled = value.times(new Fraction(BigInt(factor)));
  const whole = scaled.numerator / scaled.denominator;
  const remainder = scaled.numerator - whole * scaled.denominator;
  return Number(2n * remainder >= scaled.denominator ? whole + 1n : whole);
}

/** The same in USD, as the report publishes it. */
export function naiveType7Usd(values: readonly number[], q: number, factor = 1): number {
  return naiveType7Cents(values, q, factor) / 100;
}

/** The published quantiles and their levels, as the tests name them. */
export const QUANTILES = [
  ['p10', 0.1],
  ['p25', 0.25],
  ['median', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
] as const;
