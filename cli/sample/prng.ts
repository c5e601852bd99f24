/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit state, a handful of integer
 * operations per draw, good enough statistics for sample data, and identical sequences on every
 * platform because it uses only 32-bit integer arithmetic.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from a discrete distribution given as cumulative weights ending at 1. */
export function pickIndex(random: Random, cumulative: readonly number[]): number {
  const draw = random();
  const last = cumulative.length - 1;
  for (let index = 0; index < last; index++) {
    if (draw < (cumulative[index] ?? 1)) return index;
  }
  return last;
}

/** Cumulative form of weights that need not sum to 1. */
export function cumulativeWeights(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let running = 0;
  return weights.map((weight) => {
    running += weight;
    return running / total;
  });
}

/** A standard normal draw (Box–Muller, cosine branch only: one normal per two uniforms). */
export function standardNormal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
