/**
 * Salaries as whole cents in sorted runs: the exact values behind every published quantile.
 *
 * Cents are integers, held in Float64Arrays: every integer up to 2^53 is exact in a double, so
 * sorting and merging never round (any plausibility bound an operator can configure is far below
 * $90 trillion a month), and a typed array sorts natively and costs 8 bytes per value. While a
 * file is read, each cell's values are held more compactly (`CentsBuffer`, cents-buffer.ts).
 */

/**
 * Below this many values the engine's sort (native code, fast from the first call) beats a radix
 * sort, whose counting passes cost a fixed 2^11 steps each and run in the interpreter until the
 * engine has optimized them: ingesting 100k rows sorts a few hundred cells of a few hundred values.
 */
const RADIX_SORT_FROM = 1024;
/** Widest digit of a pass: 2^11 counters (8 KB) stay in the first-level cache. */
const RADIX_BITS = 11;

/**
 * Sorts integer cents ascending, in place, and returns them. Salaries in cents are whole numbers
 * below 2^32 ($42 million a month), so they are sorted by a three-pass radix sort on 11-bit digits,
 * about three times faster than the engine's comparison sort; anything else (a value that is not
 * such an integer) falls back to that sort. Either way the result is the same sorted run.
 */
export function sortCents(values: Float64Array): Float64Array {
  const length = values.length;
  if (length < RADIX_SORT_FROM) return values.sort();
  const keys = new Uint32Array(length);
  for (let index = 0; index < length; index++) {
    const value = values[index] as number;
    if (value !== value >>> 0) return values.sort();
    keys[index] = value;
  }
  values.set(sortUint32(keys));
  return values;
}

/**
 * Scratch space of the radix sort, kept between calls up to this many values (1 MB; sorting is
 * never reentrant): ingestion sorts blocks of a few thousand values, thousands of times.
 */
const KEPT_SPARE_VALUES = 1 << 18;
let radixSpare = new Uint32Array(0);
const radixOffsets = new Uint32Array(1 << RADIX_BITS);

/**
 * Sorts whole numbers below 2^32 ascending, in place, and returns them: the radix sort of
 * `sortCents` (below `RADIX_SORT_FROM` values, the engine's sort). Digits are taken from each key's
 * distance to the smallest key, and only as many passes as that span needs: a cell's salaries in
 * cents span about 2^22, two passes of 11 bits, where all 32 bits would take three.
 */
export function sortUint32(keys: Uint32Array): Uint32Array {
  const length = keys.length;
  if (length < RADIX_SORT_FROM) return keys.sort();
  let min = keys[0] as number;
  let max = min;
  for (let index = 1; index < length; index++) {
    const key = keys[index] as number;
    if (key < min) min = key;
    else if (key > max) max = key;
  }
  const spanBits = 32 - Math.clz32(max - min);
  if (spanBits === 0) return keys;
  const passes = Math.ceil(spanBits / RADIX_BITS);
  const digitBits = Math.ceil(spanBits / passes);
  const mask = (1 << digitBits) - 1;
  if (radixSpare.length < length && length <= KEPT_SPARE_VALUES) {
    radixSpare = new Uint32Array(length);
  }
  let source: Uint32Array = keys;
  let target: Uint32Array =
    length <= KEPT_SPARE_VALUES ? radixSpare.subarray(0, length) : new Uint32Array(length);
  const offsets = radixOffsets;
  for (let pass = 0, shift = 0; pass < passes; pass++, shift += digitBits) {
    offsets.fill(0, 0, mask + 1);
    for (let index = 0; index < length; index++) {
      const digit = (((source[index] as number) - min) >>> shift) & mask;
      offsets[digit] = (offsets[digit] as number) + 1;
    }
    let start = 0;
    for (let digit = 0; digit <= mask; digit++) {
      const count = offsets[digit] as number;
      offsets[digit] = start;
      start += count;
    }
    for (let index = 0; index < length; index++) {
      const key = source[index] as number;
      const digit = ((key - min) >>> shift) & mask;
      const at = offsets[digit] as number;
      target[at] = key;
      offsets[digit] = at + 1;
    }
    [source, target] = [target, source];
  }
  // After an odd number of passes the sorted keys are in the scratch space.
  if (source !== keys) keys.set(source);
  return keys;
}

/**
 * Sorts `values` ascending in place, moving each `payload` entry with its value (payload[i]
 * belongs to values[i]); values that are equal keep their order (stable). Whole cents below 2^32
 * are sorted by radix, as `sortUint32` does, keys and payloads together; any other value makes it
 * a comparison sort of the positions.
 */
export function sortWithPayload(values: Float64Array, payload: Int32Array): void {
  const length = values.length;
  const keys = new Uint32Array(length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < length; index++) {
    const value = values[index] as number;
    if (value !== value >>> 0) {
      sortPositions(values, payload);
      return;
    }
    keys[index] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (length < 2 || max === min) return;
  const spanBits = 32 - Math.clz32(max - min);
  const passes = Math.ceil(spanBits / RADIX_BITS);
  const digitBits = Math.ceil(spanBits / passes);
  const mask = (1 << digitBits) - 1;
  let sourceKeys: Uint32Array = keys;
  let sourcePayload: Int32Array = payload;
  let targetKeys: Uint32Array = new Uint32Array(length);
  let targetPayload: Int32Array = new Int32Array(length);
  const offsets = new Uint32Array(mask + 1);
  for (let pass = 0, shift = 0; pass < passes; pass++, shift += digitBits) {
    offsets.fill(0);
    for (let index = 0; index < length; index++) {
      const digit = (((sourceKeys[index] as number) - min) >>> shift) & mask;
      offsets[digit] = (offsets[digit] as number) + 1;
    }
    let start = 0;
    for (let digit = 0; digit <= mask; digit++) {
      const count = offsets[digit] as number;
      offsets[digit] = start;
      start += count;
    }
    for (let index = 0; index < length; index++) {
      const key = sourceKeys[index] as number;
      const digit = ((key - min) >>> shift) & mask;
      const at = offsets[digit] as number;
      targetKeys[at] = key;
      targetPayload[at] = sourcePayload[index] as number;
      offsets[digit] = at + 1;
    }
    [sourceKeys, targetKeys] = [targetKeys, sourceKeys];
    [sourcePayload, targetPayload] = [targetPayload, sourcePayload];
  }
  for (let index = 0; index < length; index++) values[index] = sourceKeys[index] as number;
  if (sourcePayload !== payload) payload.set(sourcePayload);
}

/** `sortWithPayload` for any numbers: the positions sorted by value, then both reordered. */
function sortPositions(values: Float64Array, payload: Int32Array): void {
  const positions = Array.from({ length: values.length }, (_, index) => index);
  positions.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  const sortedValues = Float64Array.from(positions, (position) => values[position] as number);
  const sortedPayload = Int32Array.from(positions, (position) => payload[position] as number);
  values.set(sortedValues);
  payload.set(sortedPayload);
}

/** True when `values` never decreases (a run every merge and the codec may rely on). */
export function isSortedRun(values: ArrayLike<number>): boolean {
  for (let index = 1; index < values.length; index++) {
    if ((values[index] as number) < (values[index - 1] as number)) return false;
  }
  return true;
}

/** Above this many runs, merging them takes more passes over the values than a radix sort. */
const RADIX_MERGE_FROM_RUNS = 32;

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
  if (nonEmpty > RADIX_MERGE_FROM_RUNS && total >= RADIX_SORT_FROM) {
    // Many short runs (a role-seniority cell gathers one per country): log2(runs) merge passes
    // cost more than sorting all the values again in three radix passes; same sorted run.
    const values = new Float64Array(total);
    let start = 0;
    for (const run of runs) {
      values.set(run, start);
      start += run.length;
    }
    return sortCents(values);
  }
  // Two buffers, merged into one another level by level: two allocations whatever the number of
  // runs (a typed array per merge made the garbage collector the report's biggest cost).
  const source = new Float64Array(total);
  const bounds: number[] = [0];
  for (const run of runs) {
    if (run.length === 0) continue;
    const start = bounds[bounds.length - 1] as number;
    source.set(run, start);
    bounds.push(start + run.length);
  }
  return mergeAdjacentRuns(source, new Float64Array(total), bounds);
}

/**
 * Merges the sorted runs lying side by side in `source` (run i is [bounds[i], bounds[i + 1]),
 * bounds[0] = 0) into one sorted run of `bounds[last]` values, level by level, using `spare`
 * (at least as long) as the other buffer: returns the start of whichever of the two holds it.
 */
export function mergeAdjacentRuns(
  source: Float64Array,
  spare: Float64Array,
  bounds: readonly number[],
): Float64Array {
  let from = source;
  let to = spare;
  let level = bounds;
  while (level.length > 2) {
    const next: number[] = [0];
    for (let index = 0; index + 1 < level.length; index += 2) {
      const start = level[index] as number;
      const middle = level[index + 1] as number;
      const end = level[index + 2];
      if (end === undefined) {
        to.set(from.subarray(start, middle), start);
        next.push(middle);
      } else {
        mergeInto(from, start, middle, end, to);
        next.push(end);
      }
    }
    [from, to] = [to, from];
    level = next;
  }
  return from.subarray(0, level[level.length - 1] ?? 0);
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
