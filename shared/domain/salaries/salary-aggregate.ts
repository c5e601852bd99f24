import { DDSketch } from '@datadog/sketches-js';
import { roundUsd } from '../report/rounding.ts';
import { CentsBuffer, type SortSpace } from './cents-buffer.ts';
import { mergeSortedRuns } from './sorted-cents.ts';
import { type QuantileLevel, type7QuantileCents } from './type7.ts';

/**
 * Relative accuracy of every quantile sketch. All sketches share it, because DDSketch only merges
 * sketches built with the same accuracy. 1% on a salary of $4,000 is ±$40.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Ranks this close to an integer are that integer (q·(n−1) in floating point; sketch only). */
const RANK_EPSILON = 1e-9;

/** Integers up to here are exact in a double (2^53 − 1). */
const EXACT_DOUBLE_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * Everything the report needs about a set of monthly salaries, in a form that merges exactly:
 * count, sum and sum of squares in integer cents (bigint, so merge order never changes a digit)
 * and every salary itself, in integer cents, for exact quantiles (docs/report.md, "Quantiles").
 *
 * Aggregates read from partials stored before exact values existed hold a DDSketch instead of the
 * values (`exact` is false); merging one into an exact aggregate turns the result into a sketch,
 * so a cell never mixes methods (see `approximate`).
 */
export class SalaryAggregate {
  count = 0;
  private exactCents = 0n;
  private exactSquares = 0n;
  private pendingCents = 0;
  private pendingSquares = 0;
  /** Values added one by one and not yet sorted. */
  private unsorted: CentsBuffer | undefined;
  /** Sorted runs of values (each never mutated: runs are shared between merged aggregates). */
  private runs: Float64Array[] = [];
  /** Only for aggregates of the sketch format: then there are no values. */
  private sketch: DDSketch | undefined;

  /** True when every quantile comes from the values themselves. */
  get exact(): boolean {
    return this.sketch === undefined;
  }

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
    this.addToSums(monthlyUsdCents);
    if (this.sketch) this.sketch.accept(monthlyUsdCents / 100);
    else {
      if (!this.unsorted) this.unsorted = new CentsBuffer();
      this.unsorted.push(monthlyUsdCents);
    }
  }

  /** Adds `values[start..end)` in order, as `add` one by one would. */
  addAll(values: Float64Array, start: number, end: number): void {
    if (this.sketch) {
      for (let index = start; index < end; index++) this.add(values[index] as number);
      return;
    }
    for (let index = start; index < end; index++) this.addToSums(values[index] as number);
    if (!this.unsorted) this.unsorted = new CentsBuffer();
    this.unsorted.pushAll(values, start, end);
  }

  private addToSums(monthlyUsdCents: number): void {
    const square = monthlyUsdCents * monthlyUsdCents;
    if (square > EXACT_DOUBLE_LIMIT) {
      const cents = BigInt(monthlyUsdCents);
      this.sumCents += cents;
      this.sumSquaresCents += cents * cents;
    } else {
      // Hot path: sums stay in doubles while every partial sum is an exact integer (below
      // 2^53) and move into the bigints before they could round; BigInt per row costs 3×.
      if (this.pendingSquares + square > EXACT_DOUBLE_LIMIT) this.flushPending();
      this.pendingCents += monthlyUsdCents;
      this.pendingSquares += square;
    }
    this.count += 1;
  }

  private flushPending(): void {
    if (this.pendingSquares === 0 && this.pendingCents === 0) return;
    this.exactCents += BigInt(this.pendingCents);
    this.exactSquares += BigInt(this.pendingSquares);
    this.pendingCents = 0;
    this.pendingSquares = 0;
  }

  /** Moves values added one by one into a sorted run. */
  private sortUnsorted(): void {
    if (this.unsorted && this.unsorted.length > 0) this.runs.push(this.unsorted.takeSorted());
    this.unsorted = undefined;
  }

  /** Folds another aggregate into this one. */
  merge(other: SalaryAggregate): this {
    if (other.count === 0) return this;
    this.count += other.count;
    this.sumCents += other.sumCents;
    this.sumSquaresCents += other.sumSquaresCents;
    if (this.sketch || other.sketch) {
      this.becomeSketch();
      this.sketch?.merge(other.sketch ?? sketchOf(other.sortedCents()));
    } else {
      other.sortUnsorted();
      this.runs.push(...other.runs);
    }
    return this;
  }

  /**
   * Every value, sorted ascending, in integer cents (exact aggregates only). The runs are merged
   * once and the result kept, so asking again costs nothing. Callers must not modify it.
   */
  sortedCents(): Float64Array {
    if (this.sketch) throw new RangeError('an aggregate of the sketch format has no values');
    const only = this.runs[0];
    if (only && this.runs.length === 1 && !this.unsorted) return only;
    this.sortUnsorted();
    const merged = mergeSortedRuns(this.runs);
    this.runs = merged.length > 0 ? [merged] : [];
    return merged;
  }

  /**
   * Every value, sorted ascending, like `sortedCents`, but sorted in `space` (valid until the
   * space is used again) and not kept: for a caller that reads each aggregate's values once
   * (encoding a file's partials, cell after cell), so the cells of a file being ingested stay
   * compressed and the sorting allocates nothing per cell.
   */
  sortedCentsIn(space: SortSpace): Float64Array {
    if (this.sketch) throw new RangeError('an aggregate of the sketch format has no values');
    if (!this.unsorted || this.unsorted.length === 0) return mergeSortedRuns(this.runs);
    if (this.runs.length === 0) return this.unsorted.sortedIn(space);
    return mergeSortedRuns([...this.runs, this.unsorted.sortedIn(space)]);
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
   * The published quantile at `level` of `factor` × the monthly pay (1: monthly, 12: annual), in
   * USD rounded half-up to the cent: R's type 7, interpolated between the order statistics around
   * rank q·(n−1). Exact to the cent from the values (`type7QuantileCents`); for an aggregate of
   * the sketch format, each order statistic comes from the sketch, within its relative accuracy.
   * Interpolating also keeps p10 and p90 of 10 respondents off the smallest and largest salary,
   * which the report never publishes.
   */
  quantileUsd(level: QuantileLevel, factor = 1): number {
    if (this.count === 0) return Number.NaN;
    if (!this.sketch) return type7QuantileCents(this.sortedCents(), level, factor) / 100;
    const rank = (level.numerator / level.denominator) * (this.count - 1);
    const lower = Math.floor(rank);
    const fraction = rank - lower;
    const sketch = this.sketch;
    let usd: number;
    if (fraction < RANK_EPSILON) usd = valueAtRank(sketch, lower);
    else if (fraction > 1 - RANK_EPSILON) usd = valueAtRank(sketch, lower + 1);
    else
      usd = valueAtRank(sketch, lower) * (1 - fraction) + valueAtRank(sketch, lower + 1) * fraction;
    return roundUsd(usd * factor);
  }

  /**
   * The same respondents with quantiles from a sketch, for a report that cannot be exact in every
   * cell (some partials are of the sketch format, or a cell is over the exact limit): one method
   * for the whole report, so neighbouring cells stay comparable.
   */
  approximate(): SalaryAggregate {
    const copy = new SalaryAggregate();
    copy.count = this.count;
    copy.sumCents = this.sumCents;
    copy.sumSquaresCents = this.sumSquaresCents;
    copy.sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
    copy.sketch.merge(this.sketch ?? sketchOf(this.sortedCents()));
    return copy;
  }

  private becomeSketch(): void {
    if (this.sketch) return;
    const sketch = this.count > 0 ? sketchOf(this.sortedCents()) : undefined;
    this.sketch = sketch ?? new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
    this.runs = [];
    this.unsorted = undefined;
  }

  static fromStored(stored: StoredAggregate): SalaryAggregate {
    // The protobuf round trip rebuilds the index mapping from a serialized gamma, which differs
    // in the last bits; folding the bins into a fresh sketch keeps one canonical mapping, so a
    // quantile never depends on whether an aggregate came from storage.
    const aggregate = new SalaryAggregate();
    aggregate.sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
    aggregate.sketch.merge(DDSketch.fromProto(stored.sketch));
    aggregate.count = stored.count;
    aggregate.sumCents = BigInt(stored.sumCents);
    aggregate.sumSquaresCents = BigInt(stored.sumSquaresCents);
    return aggregate;
  }

  /**
   * The aggregate of stored exact values (sorted ascending integer cents, as the payload codec
   * reads them): count and sums are recomputed from the values, so they cannot disagree.
   */
  static ofSortedCents(sortedCents: Float64Array): SalaryAggregate {
    const aggregate = new SalaryAggregate();
    for (let index = 0; index < sortedCents.length; index++) {
      aggregate.addToSums(sortedCents[index] as number);
    }
    if (sortedCents.length > 0) aggregate.runs.push(sortedCents);
    return aggregate;
  }

  static merged(parts: Iterable<SalaryAggregate>): SalaryAggregate {
    const total = new SalaryAggregate();
    for (const part of parts) total.merge(part);
    return total;
  }
}

/** A sketch of sorted integer cents, in USD (what the sketch format stored). */
function sketchOf(sortedCents: Float64Array): DDSketch {
  const sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
  for (const cents of sortedCents) sketch.accept(cents / 100);
  return sketch;
}

/** The sketch's estimate of the order statistic with 0-based rank `rank` (an integer), in USD. */
function valueAtRank(sketch: DDSketch, rank: number): number {
  // Half a rank up, so a rank computed as 0.9999… in floating point still lands in its bin.
  return sketch.mapping.value(sketch.store.keyAtRank(rank + 0.5));
}

/**
 * The sketch format's fields (partials stored before exact values, read only): integers as decimal
 * strings (they outgrow 2^53 for sums of squares) and the sketch as DDSketch protobuf bytes.
 */
export interface StoredAggregate {
  count: number;
  sumCents: string;
  sumSquaresCents: string;
  sketch: Uint8Array;
}
