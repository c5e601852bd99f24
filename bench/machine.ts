/**
 * How busy the machine was while the bench measured. On a shared virtual machine the hypervisor
 * gives the virtual CPUs to other guests now and then ("steal" time in /proc/stat); the wall times
 * of a run are then longer than its CPU times, and ratios between modes move by chance. The bench
 * prints the steal share and the busy share of each measurement span beside its figures, so a
 * quiet run can be told from a noisy one. Linux only: elsewhere the shares are not measured.
 */
import { readFileSync } from 'node:fs';

/** The machine's CPU time counters (all CPUs, in clock ticks) at one moment. */
export interface CpuCounters {
  total: number;
  idle: number;
  steal: number;
}

export interface MachineLoad {
  /** Share of the span's CPU time taken by the hypervisor for other guests, 0–1. */
  steal: number;
  /** Share of the span's CPU time spent running anything (ours included), 0–1. */
  busy: number;
}

/** The counters now, or undefined where /proc/stat is not there. */
export function readCpuCounters(stat = '/proc/stat'): CpuCounters | undefined {
  let text: string;
  try {
    text = readFileSync(stat, 'utf8');
  } catch {
    return undefined;
  }
  return parseCpuLine(text.split('\n', 1)[0] ?? '');
}

/**
 * The aggregate "cpu" line: user nice system idle iowait irq softirq steal (guest time is already
 * counted in user and nice, so it is left out of the total).
 */
export function parseCpuLine(line: string): CpuCounters | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu' || fields.length < 9) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.slice(1, 9).map(Number);
  const counters = [user, nice, system, idle, iowait, irq, softirq, steal] as number[];
  if (counters.some((value) => !Number.isFinite(value))) return undefined;
  const total = counters.reduce((sum, value) => sum + value, 0);
  return { total, idle: (idle as number) + (iowait as number), steal: steal as number };
}

/** The shares between two readings; undefined when either is missing or no time passed. */
export function loadBetween(
  before: CpuCounters | undefined,
  after: CpuCounters | undefined,
): MachineLoad | undefined {
  if (!before || !after) return undefined;
  const total = after.total - before.total;
  if (total <= 0) return undefined;
  return {
    steal: (after.steal - before.steal) / total,
    busy: (total - (after.idle - before.idle) - (after.steal - before.steal)) / total,
  };
}

/** "steal 3%, busy 61%", or "not measured". */
export function describeLoad(load: MachineLoad | undefined): string {
  if (!load) return 'machine load not measured';
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  return `hypervisor steal ${percent(load.steal)} of CPU time, busy ${percent(load.busy)}`;
}
