/**
 * Speed ratios taken round by round. The modes of one file take turns (a round runs each mode
 * once), so the two runs a round compares are seconds apart, while the medians of a mode can come
 * from rounds minutes apart: on a shared machine whose speed drifts (the same 100k ingestion
 * took 0.21 s and 0.45 s within an hour on 3 December 2026, with no hypervisor steal either time),
 * the ratio of the medians moves with that drift. The median of the rounds' own ratios, with their
 * lowest and highest, shows how far a ratio can be trusted.
 */

/** One round: each mode's seconds. */
export type Round = ReadonlyMap<string, number>;

export interface RoundRatios {
  /** The median of the rounds' ratios (the lower middle one for an even count). */
  median: number;
  lowest: number;
  highest: number;
  /** Rounds where both modes ran. */
  rounds: number;
}

/**
 * How many times faster `mode` ran than `reference` in each round (the reference's seconds over
 * the mode's), summarized; undefined when no round has both.
 */
export function roundRatios(
  rounds: readonly Round[],
  mode: string,
  reference: string,
): RoundRatios | undefined {
  const ratios: number[] = [];
  for (const round of rounds) {
    const seconds = round.get(mode);
    const referenceSeconds = round.get(reference);
    if (seconds === undefined || referenceSeconds === undefined || !(seconds > 0)) continue;
    ratios.push(referenceSeconds / seconds);
  }
  if (ratios.length === 0) return undefined;
  ratios.sort((a, b) => a - b);
  return {
    median: ratios[Math.floor((ratios.length - 1) / 2)] as number,
    lowest: ratios[0] as number,
    highest: ratios[ratios.length - 1] as number,
    rounds: ratios.length,
  };
}

/** `0.58 (0.51–0.66 over 5 rounds)`. */
export function describeRoundRatios(ratios: RoundRatios | undefined): string {
  if (!ratios) return 'not measured';
  const digits = (value: number) => value.toFixed(2);
  return `${digits(ratios.median)} (${digits(ratios.lowest)}–${digits(ratios.highest)} over ${ratios.rounds} rounds)`;
}
