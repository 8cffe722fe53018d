/**
 * Who kept the extension host busy: the longest stretches of an extension-host CPU profile with no
 * idle sample (the event loop could not turn meanwhile), each split into the time inside this
 * extension's code (any frame of its bundle on the stack) and the rest (VS Code, other extensions,
 * garbage collection). For the profiles editLatency.ts writes (RELU_BENCH_PROFILE, RELU_BENCH_PROFILE_BIG).
 *
 *   tsx bench/vscode/hostStretches.ts FILE.cpuprofile [--top 8] [--frames 12]
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '8' }, frames: { type: 'string', default: '12' } },
  allowPositionals: true,
});
const profile = JSON.parse(fs.readFileSync(positionals[0], 'utf8')) as Profile;
const node = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stack = (id: number): ProfileNode[] => {
  const out: ProfileNode[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) out.push(node.get(at)!);
  return out;
};
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const idle = (id: number) => ['(idle)', '(program)'].includes(node.get(id)!.callFrame.functionName);
const ours = (n: ProfileNode) => n.callFrame.url.includes('relu-neuron');

// Sample i starts at times[i] and lasts until times[i + 1] (µs).
const times: number[] = [];
let t = profile.startTime;
for (const d of profile.timeDeltas) times.push((t += d));

interface Stretch {
  from: number;
  to: number;
  ms: number;
  oursMs: number;
}
const stretches: Stretch[] = [];
let from = -1;
for (let i = 0; i <= profile.samples.length; i++) {
  const busy = i < profile.samples.length && !idle(profile.samples[i]);
  if (busy && from < 0) from = i;
  if (!busy && from >= 0) {
    let oursMs = 0;
    for (let k = from; k < i; k++) if (stack(profile.samples[k]).some(ours)) oursMs += (times[k + 1] - times[k]) / 1000;
    stretches.push({ from, to: i, ms: (times[i] - times[from]) / 1000, oursMs });
    from = -1;
  }
}
stretches.sort((a, b) => b.ms - a.ms);
for (const s of stretches.slice(0, Number(values.top))) {
  const at = (times[s.from] - profile.startTime) / 1000;
  console.log(`+${at.toFixed(0)} ms: busy ${s.ms.toFixed(1)} ms, in this extension's code ${s.oursMs.toFixed(1)} ms`);
}
const oursLongest = stretches.find((s) => s.oursMs > 0);
if (oursLongest)
  console.log(
    `the longest stretch with this extension's code in it: busy ${oursLongest.ms.toFixed(1)} ms, ${oursLongest.oursMs.toFixed(1)} ms of it ours`,
  );
const longest = stretches[0];
if (longest) {
  const inclusive = new Map<string, number>();
  for (let k = longest.from; k < longest.to; k++) {
    const dt = (times[k + 1] - times[k]) / 1000;
    for (const name of new Set(stack(profile.samples[k]).map(label))) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
  }
  console.log(`\nthe longest stretch, time by frame (inclusive, ms):`);
  for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(1, 1 + Number(values.frames)))
    console.log(`${ms.toFixed(1).padStart(8)}  ${name}`);
}
