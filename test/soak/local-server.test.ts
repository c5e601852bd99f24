import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { megabytes, runSoak } from './soak-driver.ts';

/** `npm test` runs a short soak; `npm run test:soak` sets SOAK_SECONDS for the long one. */
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 25);
const SOAK_SEED = Number(process.env.SOAK_SEED ?? 9);

describe('salary-report start, under a steady mix of use', () => {
  it(
    `answers every request as expected for ${SOAK_SECONDS} s without growing without bound`,
    async () => {
      const workDirectory = mkdtempSync(join(tmpdir(), 'salary-report-soak-'));
      try {
        const figures = await runSoak({
          durationMs: SOAK_SECONDS * 1000,
          seed: SOAK_SEED,
          workDirectory,
          log: (line) => console.log(line),
        });
        console.log(
          `soak: ${Math.round(figures.durationMs / 1000)} s in all, ${figures.requests} requests ` +
            `(${Object.entries(figures.byKind)
              .map(([kind, count]) => `${kind} ${count}`)
              .join(', ')}), ${figures.errors.length} errors, RSS start ` +
            `${megabytes(figures.rssStartBytes)} MB, end ${megabytes(figures.rssEndBytes)} MB, ` +
            `max ${megabytes(figures.rssMaxBytes)} MB`,
        );

        expect(figures.errors).toEqual([]);
        expect(figures.byKind.upload ?? 0).toBeGreaterThan(0);
        expect(figures.byKind.command ?? 0).toBeGreaterThan(0);
        expect(figures.exitCode).toBe(0);
        expect(figures.stderr).toBe('');
        // Generous: a leak grows with traffic; warm caches and a grown heap do not double it.
        expect(figures.rssEndBytes).toBeLessThan(2 * figures.rssStartBytes + 128 * 1024 * 1024);
      } finally {
        rmSync(workDirectory, { recursive: true, force: true });
      }
    },
    (SOAK_SECONDS + 300) * 1000,
  );
});
