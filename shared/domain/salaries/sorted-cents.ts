/**
 * Salaries as whole cents in sorted runs: the exact values behind every published quantile.
 *
 * Cents are integers, held in Float64Arrays: every integer up to 2^53 is exact in a double, so
 * appending, sorting and merging never round (any plausibility bound an operator can configure is
 * far below $90 trillion a month), and a typed array sorts natively and costs 8 bytes per value.
 */

const INITIAL_CAPACITY = 16;

/**
 * The values of one cell as ingestion meets them: appended one respondent at a time (amortized
 * O(1), no per-row allocation), sorted once when the file is done.
 */
export class CentsBuffer {
  private values = new Float64Array(INITIAL_CAPACITY);
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(cents: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = cents;
  }

  /**
   * Hands the values over, sorted ascending in place (no copy: ingestion's peak memory is one
   * buffer), and leaves the buffer empty.
   */
  takeSorted(): Float64Array {
    const sorted = this.values.subarray(0, this.size).sort();
    this.values = new Float64Array(INITIAL_CAPACITY);
    this.size = 0;
    return sorted;
  }
}

/** True when `values` never decreases (a run every merge and the codec may rely on). */
export function isSortedRun(values: ArrayLike<number>): boolean {
  for (let index = 1; index < values.length; index++) {
    if ((values[index] as number) < (values[index - 1] as number)) return false;
  }
  return true;
}

/**
 * One sorted run holding every value of `runs` (each sorted ascending). Runs are merged in pairs,
 * level by level, like the last passes of a merge sort: n·log2(k) steps for n values in k runs,
 * and the result depends only on the multiset of values, never on the order of the runs.
 * A single run is returned as is (callers never mutate runs).
 */
export function mergeSortedRuns(runs: readonly Float64Array[]): Float64Array {
  let nonEmpty = 0;
  let total = 0;
  let only: Float64Array | undefined;
  for (const run of runs) {
    if (run.length === 0) continue;
    nonEmpty += 1;
    total += run.length;
    only = run;
  }
  if (only === undefined) return new Float64Array(0);
  if (nonEmpty === 1) return only;
  // Two buffers, merged into one another level by level: two allocations whatever the number of
  // runs (a typed array per merge made the garbage collector the report's biggest cost).
  let source = new Float64Array(total);
  let target = new Float64Array(total);
  let bounds: number[] = [0];
  for (const run of runs) {
    if (run.length === 0) continue;
    const start = bounds[bounds.length - 1] as number;
    source.set(run, start);
    bounds.push(start + run.length);
  }
  while (bounds.length > 2) {
    const next: number[] = [0];
    for (let index = 0; index + 1 < bounds.length; index += 2) {
      const start = bounds[index] as number;
      const middle = bounds[index + 1] as number;
      const end = bounds[index + 2];
      if (end === undefined) {
        target.set(source.subarray(start, middle), start);
        next.push(middle);
      } else {
        mergeInto(source, start, middle, end, target);
        next.push(end);
      }
    }
    [source, target] = [target, source];
    bounds = next;
  }
  return source;
}

/** Merges the sorted ranges [start, middle) and [middle, end) of `from` into `to` at `start`. */
function mergeInto(
  from: Float64Array,
  start: number,
  middle: number,
  end: number,
  to: Float64Array,
): void {
  let i = start;
  let j = middle;
  let k = start;
  while (i < middle && j < end) {
    const a = from[i] as number;
    const b = from[j] as number;
    if (a <= b) {
      to[k++] = a;
      i++;
    } else {
      to[k++] = b;
      j++;
    }
  }
  if (i < middle) to.set(from.subarray(i, middle), k);
  else if (j < end) to.set(from.subarray(j, end), k);
}
