/**
 * Prints the frames with the most self time in a V8 CPU profile (`node --cpu-prof`), heaviest
 * first, with their share of the sampled time. Usage: tsx bench/top-frames.ts <file.cpuprofile> [N]
 * [lastSeconds]: with lastSeconds, only the samples of the profile's last that many seconds count
 * (pass the `seconds` of ingest-worker's JSON line: its timed span, without module loading).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
  startTime: number;
}

const [path, limit = '15', lastSeconds] = process.argv.slice(2);
if (!path) throw new Error('usage: tsx bench/top-frames.ts <file.cpuprofile> [N]');
const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
const frameOf = new Map<number, string>();
for (const { id, callFrame } of profile.nodes) {
  const where = callFrame.url
    ? `${relative(process.cwd(), new URL(callFrame.url).pathname)}:${callFrame.lineNumber + 1}`
    : '';
  frameOf.set(id, `${callFrame.functionName || '(anonymous)'} ${where}`.trim());
}
const selfMicros = new Map<string, number>();
let total = 0;
const from =
  lastSeconds === undefined
    ? Number.NEGATIVE_INFINITY
    : profile.endTime - Number(lastSeconds) * 1e6;
let sampledAt = profile.startTime;
profile.samples.forEach((id, index) => {
  const micros = profile.timeDeltas[index] ?? 0;
  sampledAt += micros;
  if (sampledAt < from) return;
  const frame = frameOf.get(id) ?? '?';
  selfMicros.set(frame, (selfMicros.get(frame) ?? 0) + micros);
  total += micros;
});
const top = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(limit));
console.log(`| self ms | share | frame |\n|---:|---:|---|`);
for (const [frame, micros] of top) {
  console.log(
    `| ${(micros / 1000).toFixed(0)} | ${((100 * micros) / total).toFixed(1)}% | \`${frame}\` |`,
  );
}
console.log(`\ntotal sampled: ${(total / 1000).toFixed(0)} ms`);
