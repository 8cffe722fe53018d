/**
 * Where the machine's CPU goes during a stretch of the benchmark (Linux /proc): CPU time per process,
 * grouped by what the process is (Chromium's renderers, GPU and browser processes, the code-server
 * server, the extension host — its own event-loop thread apart from its other threads, which hold
 * our training worker — and the benchmark itself).
 *
 *   const before = cpuSnapshot();  …  printCpuShare(before, cpuSnapshot(), wallMs, cores)
 */
import * as fs from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcessCpu {
  label: string;
  ms: number;
  /** For the extension host: its main (event-loop) thread's part of `ms`. */
  mainMs?: number;
}

export type CpuSnapshot = Map<number, ProcessCpu>;

function cpuMs(statPath: string): number | undefined {
  try {
    const stat = fs.readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15; `fields` starts at field 3.
    return ((Number(fields[14 - 3]) + Number(fields[15 - 3])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function labelOf(cmdline: string): string {
  if (cmdline.includes('--type=extensionHost') || cmdline.includes('extensionHostProcess')) return 'extension host';
  if (/chrom/i.test(cmdline)) {
    const type = /--type=([\w-]+)/.exec(cmdline)?.[1];
    return type ? `Chromium ${type}` : 'Chromium browser';
  }
  if (cmdline.includes('code-server')) return /ptyHost|fileWatcher|watcherMain/.test(cmdline) ? 'code-server helpers' : 'code-server';
  if (/editLatency|playwright|tsx/.test(cmdline)) return 'benchmark + Playwright';
  return 'other';
}

/** CPU time of every process now. */
export function cpuSnapshot(): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  if (process.platform !== 'linux') return out;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const ms = cpuMs(`/proc/${pid}/stat`);
    if (ms === undefined) continue;
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    const label = labelOf(cmdline);
    out.set(pid, { label, ms, ...(label === 'extension host' ? { mainMs: cpuMs(`/proc/${pid}/task/${pid}/stat`) } : {}) });
  }
  return out;
}

/** CPU milliseconds per group between two snapshots, largest first (the extension host split in two). */
export function cpuShare(before: CpuSnapshot, after: CpuSnapshot): [string, number][] {
  const groups = new Map<string, number>();
  const add = (label: string, ms: number) => groups.set(label, (groups.get(label) ?? 0) + ms);
  for (const [pid, now] of after) {
    const then = before.get(pid);
    const used = now.ms - (then?.label === now.label ? then.ms : 0);
    if (now.mainMs !== undefined) {
      const main = now.mainMs - (then?.mainMs ?? 0);
      add('extension host: event-loop thread', main);
      add('extension host: other threads (training worker, GC)', used - main);
    } else {
      add(now.label, used);
    }
  }
  return [...groups].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
}

/** Prints the share table: CPU ms and percent of what `cores` cores offer over `wallMs`. */
export function printCpuShare(title: string, share: [string, number][], wallMs: number, cores: number): void {
  const total = share.reduce((s, [, ms]) => s + ms, 0);
  console.log(
    `\n${title}: CPU time over ${Math.round(wallMs)} ms of wall time, ${cores} cores (${Math.round((100 * total) / (wallMs * cores))} % busy)`,
  );
  for (const [label, ms] of share)
    console.log(
      `  ${label.padEnd(52)} ${String(Math.round(ms)).padStart(6)} ms  ${((100 * ms) / (wallMs * cores)).toFixed(1).padStart(5)} %`,
    );
}
