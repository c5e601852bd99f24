import { DDSketch } from '@datadog/sketches-js';

/**
 * Relative accuracy of every quantile sketch. All sketches share it, because DDSketch only merges
 * sketches built with the same accuracy. 1% on a salary of $4,000 is ±$40.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Ranks this close to an integer are that integer (q·(n−1) in floating point). */
const RANK_EPSILON = 1e-9;

/** Integers up to here are exact in a double (2^53 − 1). */
const EXACT_DOUBLE_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * Everything the report needs about a set of monthly salaries, in a form that merges exactly:
 * count, sum and sum of squares in integer cents (bigint, so merge order never changes a digit)
 * and a DDSketch for quantiles (bin counts are integers, so merging is order-independent too).
 */
export class SalaryAggregate {
  count = 0;
  private exactCents = 0n;
  private exactSquares = 0n;
  private pendingCents = 0;
  private pendingSquares = 0;
  readonly sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });

  /** Exact sum of the monthly pay, in cents. */
  get sumCents(): bigint {
    this.flushPending();
    return this.exactCents;
  }

  set sumCents(value: bigint) {
    this.flushPending();
    this.exactCents = value;
  }

  /** Exact sum of squares of the monthly pay, in cents². */
  get sumSquaresCents(): bigint {
    this.flushPending();
    return this.exactSquares;
  }

  set sumSquaresCents(value: bigint) {
    this.flushPending();
    this.exactSquares = value;
  }

  /** Adds one respondent's normalized monthly pay, in integer USD cents. */
  add(monthlyUsdCents: number): void {
    const square = monthlyUsdCents * monthlyUsdCents;
    if (square > EXACT_DOUBLE_LIMIT) {
      this.addExactly(monthlyUsdCents);
    } else {
      // Hot path: sums stay in doubles while every partial sum is an exact integer (below
      // 2^53) and move into the bigints before they could round; BigInt per row costs 3×.
      if (this.pendingSquares + square > EXACT_DOUBLE_LIMIT) this.flushPending();
      this.pendingCents += monthlyUsdCents;
      this.pendingSquares += square;
      this.count += 1;
      this.sketch.accept(monthlyUsdCents / 100);
    }
  }

  private addExactly(monthlyUsdCents: number): void {
    const cents = BigInt(monthlyUsdCents);
    this.count += 1;
    this.sumCents += cents;
    this.sumSquaresCents += cents * cents;
    this.sketch.accept(monthlyUsdCents / 100);
  }

  private flushPending(): void {
    if (this.pendingSquares === 0 && this.pendingCents === 0) return;
    this.exactCents += BigInt(this.pendingCents);
    this.exactSquares += BigInt(this.pendingSquares);
    this.pendingCents = 0;
    this.pendingSquares = 0;
  }

  /** Folds another aggregate into this one. */
  merge(other: SalaryAggregate): this {
    if (other.count === 0) return this;
    this.count += other.count;
    this.sumCents += other.sumCents;
    this.sumSquaresCents += other.sumSquaresCents;
    this.sketch.merge(other.sketch);
    return this;
  }

  /** Exact mean in USD (not rounded). */
  mean(): number {
    if (this.count === 0) return Number.NaN;
    return Number(this.sumCents) / 100 / this.count;
  }

  /** Sample standard deviation in USD, from the exact integer moments. */
  standardDeviation(): number {
    if (this.count < 2) return Number.NaN;
    const n = BigInt(this.count);
    const numerator = n * this.sumSquaresCents - this.sumCents * this.sumCents;
    const varianceCents2 = Number(numerator) / (this.count * (this.count - 1));
    return Math.sqrt(Math.max(0, varianceCents2)) / 100;
  }

  /**
   * Quantile in USD, interpolated between the two order statistics around rank q·(n−1) (the
   * usual definition: R's type 7, numpy's default, Excel's PERCENTILE.INC). Each order statistic
   * comes from the sketch within its relative accuracy, so the result is too. Interpolating also
   * keeps p10 and p90 of 10 respondents off the smallest and largest salary, which the report
   * never publishes.
   */
  quantile(q: number): number {
    if (this.count === 0 || q < 0 || q > 1) return Number.NaN;
    const rank = q * (this.count - 1);
    const lower = Math.floor(rank);
    const fraction = rank - lower;
    if (fraction < RANK_EPSILON) return this.valueAtRank(lower);
    if (fraction > 1 - RANK_EPSILON) return this.valueAtRank(lower + 1);
    return this.valueAtRank(lower) * (1 - fraction) + this.valueAtRank(lower + 1) * fraction;
  }

  /** The sketch's estimate of the order statistic with 0-based rank `rank` (an integer). */
  private valueAtRank(rank: number): number {
    // Half a rank up, so a rank computed as 0.9999… in floating point still lands in its bin.
    return this.sketch.mapping.value(this.sketch.store.keyAtRank(rank + 0.5));
  }

  toStored(): StoredAggregate {
    return {
      count: this.count,
      sumCents: this.sumCents.toString(),
      sumSquaresCents: this.sumSquaresCents.toString(),
      sketch: this.sketch.toProto(),
    };
  }

  static fromStored(stored: StoredAggregate): SalaryAggregate {
    // The protobuf round trip rebuilds the index mapping from a serialized gamma, which differs
    // in the last bits; folding the bins into a fresh sketch keeps one canonical mapping, so a
    // quantile never depends on whether an aggregate came from storage.
    const aggregate = new SalaryAggregate();
    aggregate.sketch.merge(DDSketch.fromProto(stored.sketch));
    aggregate.count = stored.count;
    aggregate.sumCents = BigInt(stored.sumCents);
    aggregate.sumSquaresCents = BigInt(stored.sumSquaresCents);
    return aggregate;
  }

  static merged(parts: Iterable<SalaryAggregate>): SalaryAggregate {
    const total = new SalaryAggregate();
    for (const part of parts) total.merge(part);
    return total;
  }
}

/**
 * The persisted form: integers as decimal strings (they outgrow 2^53 for sums of squares) and the
 * sketch as DDSketch protobuf bytes (bounded by the plausibility range: a few hundred bins at most).
 */
export interface StoredAggregate {
  count: number;
  sumCents: string;
  sumSquaresCents: string;
  sketch: Uint8Array;
}
