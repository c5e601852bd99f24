import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeLoad,
  loadBetween,
  parseCpuLine,
  readCpuCounters,
} from '../../../bench/machine.ts';

describe('machine load between two /proc/stat readings', () => {
  it('reads the aggregate cpu line, guest time left out of the total', () => {
    expect(parseCpuLine('cpu  100 5 50 800 20 3 2 20 7 0')).toEqual({
      total: 1000,
      idle: 820,
      steal: 20,
    });
    expect(parseCpuLine('cpu0 1 2 3 4 5 6 7 8')).toBeUndefined();
    expect(parseCpuLine('cpu 1 2 3')).toBeUndefined();
    expect(parseCpuLine('cpu 1 2 x 4 5 6 7 8')).toBeUndefined();
  });

  it('gives the shares of the span: steal, and busy without steal or idle', () => {
    const before = parseCpuLine('cpu 1000 0 200 5000 100 0 0 50 0 0');
    const after = parseCpuLine('cpu 1500 0 300 5200 100 0 0 250 0 0');
    const load = loadBetween(before, after);
    // 1000 ticks passed: 600 busy, 200 idle, 200 stolen.
    expect(load?.steal).toBeCloseTo(0.2);
    expect(load?.busy).toBeCloseTo(0.6);
    expect(describeLoad(load)).toBe('hypervisor steal 20% of CPU time, busy 60%');
    expect(loadBetween(after, after)).toBeUndefined();
    expect(loadBetween(undefined, after)).toBeUndefined();
    expect(describeLoad(undefined)).toBe('machine load not measured');
  });

  it('reads a stat file, and nothing where there is none', () => {
    const directory = mkdtempSync(join(tmpdir(), 'stat-'));
    const stat = join(directory, 'stat');
    writeFileSync(stat, 'cpu  10 0 10 70 0 0 0 10 0 0\ncpu0 5 0 5 35 0 0 0 5 0 0\nintr 1\n');
    expect(readCpuCounters(stat)).toEqual({ total: 100, idle: 70, steal: 10 });
    expect(readCpuCounters(join(directory, 'missing'))).toBeUndefined();
  });
});
