import { describe, expect, it } from 'vitest';
import { describeRoundRatios, roundRatios } from '../../../bench/rounds.ts';

const round = (seconds: Record<string, number>) => new Map(Object.entries(seconds));

describe('speed ratios round by round', () => {
  it("takes each round's own ratio, so a drift that slows both modes alike leaves it alone", () => {
    // The machine twice as slow in the last two rounds: the medians' ratio would pair a fast
    // reference with a slow ingestion.
    const rounds = [
      round({ udsv: 0.2, ingest: 0.3 }),
      round({ udsv: 0.2, ingest: 0.32 }),
      round({ udsv: 0.21, ingest: 0.3 }),
      round({ udsv: 0.4, ingest: 0.6 }),
      round({ udsv: 0.42, ingest: 0.64 }),
    ];
    const ratios = roundRatios(rounds, 'ingest', 'udsv');
    expect(ratios?.rounds).toBe(5);
    expect(ratios?.median).toBeCloseTo(0.2 / 0.3, 6);
    expect(ratios?.lowest).toBeCloseTo(0.2 / 0.32, 6);
    expect(ratios?.highest).toBeCloseTo(0.21 / 0.3, 6);
    expect(describeRoundRatios(ratios)).toBe('0.67 (0.63–0.70 over 5 rounds)');
  });

  it('takes the lower middle ratio of an even count, and skips rounds missing a mode', () => {
    const rounds = [
      round({ udsv: 1, ingest: 2 }),
      round({ udsv: 1, ingest: 4 }),
      round({ udsv: 1 }),
      round({ udsv: 1, ingest: 1 }),
      round({ udsv: 1, ingest: 5 }),
    ];
    expect(roundRatios(rounds, 'ingest', 'udsv')).toEqual({
      median: 0.25,
      lowest: 0.2,
      highest: 1,
      rounds: 4,
    });
    expect(roundRatios([round({ udsv: 1 })], 'ingest', 'udsv')).toBeUndefined();
    expect(describeRoundRatios(undefined)).toBe('not measured');
  });
});
