/**
 * Options of every property test (`it(name, PROPERTY_TEST, fn)`). Property tests run a fixed
 * number of cases from a fixed seed, so their work is the same on every machine; the timeout is
 * generous on purpose: a busy 2-core CI machine runs them several times slower than a quiet
 * laptop, and the case count, not the clock, is what bounds them.
 */
export const PROPERTY_TEST = { timeout: 120_000 } as const;
