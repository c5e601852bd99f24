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
  let level = runs.filter((run) => run.length > 0);
  if (level.length === 0) return new Float64Array(0);
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let index = 0; index + 1 < level.length; index += 2) {
      next.push(mergeTwo(level[index] as Float64Array, level[index + 1] as Float64Array));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Float64Array);
    level = next;
  }
  return level[0] as Float64Array;
}

function mergeTwo(left: Float64Array, right: Float64Array): Float64Array {
  const merged = new Float64Array(left.length + right.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < left.length && j < right.length) {
    const a = left[i] as number;
    const b = right[j] as number;
    if (a <= b) {
      merged[k++] = a;
      i++;
    } else {
      merged[k++] = b;
      j++;
    }
  }
  if (i < left.length) merged.set(left.subarray(i), k);
  else if (j < right.length) merged.set(right.subarray(j), k);
  return merged;
}
