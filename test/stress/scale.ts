/**
 * The stress suites run twice as long as they need to prove a point: `npm test` runs the short,
 * deterministic version (fixed seeds, a few files); `npm run test:stress` sets STRESS=long for
 * more files, larger files and more seeds. Both assert the same exact totals.
 */
export const LONG = process.env.STRESS === 'long';

export function scaled<T>(short: T, long: T): T {
  return LONG ? long : short;
}

/** Seeds a suite runs with: one in the short version, several in the long one. */
export function seeds(first: number, longCount = 5): number[] {
  return LONG ? Array.from({ length: longCount }, (_, index) => first + index) : [first];
}

/** Prints a figure a stress run measured (never asserted on: speed depends on the machine). */
export function printFigure(label: string, value: string): void {
  process.stdout.write(`[stress] ${label}: ${value}\n`);
}
