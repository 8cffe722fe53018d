/**
 * The bench's event-loop probe, an extension that editLatency.ts bundles and installs beside ours.
 * Both run in the same extension host, so the probe's `monitorEventLoopDelay` sees every block of
 * that event loop, ours included.
 *
 * Every 5 ms it notes the gap since its last tick; every 50 ms it looks for the bench's control files
 * beside its report (`.reset`: start again, `.profile`: start a CPU profile, `.stop`: write it to
 * `.cpuprofile`); every 200 ms it writes its report (`ProbeReport`). Its file work is asynchronous: a
 * synchronous write can wait tens of milliseconds for the disk, blocking the loop it measures.
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

/** What the probe writes: event-loop delay since the last reset, gaps over 40 ms, the longest gap split by schedstat. */
export interface ProbeReport {
  maxMs: number;
  p99Ms: number;
  gaps: { at: number; ms: number }[];
  /** The longest gap: when it ended (epoch ms), and how much of it was on a core, waiting for one, in garbage collection. */
  longest: { ms: number; at?: number; runMs?: number; waitMs?: number; gcMs?: number };
  /** Since the last reset (Linux): the host thread's time on a core and waiting for one. */
  total?: { runMs: number; waitMs: number };
  /** The longest the probe itself worked in one tick since the reset (ms). */
  selfMaxMs: number;
  changes: number[];
  rssMb: number;
}

/** What the bench writes into the probe's package.json: where the report goes. */
interface ProbeManifest {
  probeOutput: string;
}

/** Linux: this thread's time on a core and waiting for one (ns), to tell work from a wait for a core. */
function sched(): { run: number; wait: number } | undefined {
  try {
    const [run, wait] = fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run, wait };
  } catch {
    return undefined;
  }
}

/** Starts the probe; it runs until the extension host exits (its timer does not keep it alive). */
export function activate(context: vscode.ExtensionContext): void {
  const out = (context.extension.packageJSON as ProbeManifest).probeOutput;
  const changes: number[] = [];
  context.subscriptions.push(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) changes.push(Date.now());
    }),
  );
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let last = Date.now();
  const gaps: ProbeReport['gaps'] = [];
  let session: Session | undefined;
  let lastSched = sched();
  let since = lastSched;
  let longest: ProbeReport['longest'] = { ms: 0 };
  // Garbage-collection pauses of this thread (start, end in epoch ms), to see whether a gap was one.
  const gcs: { start: number; end: number }[] = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({ start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.startTime + e.duration });
    if (gcs.length > 500) gcs.splice(0, gcs.length - 500);
  }).observe({ entryTypes: ['gc'] });
  let tick = 0;
  let lastWrite = 0;
  let writing = false;
  // The probe's own work in one tick, the longest since the reset (ms).
  let selfMax = 0;
  const reset = () => {
    h.reset();
    gaps.length = 0;
    changes.length = 0;
    longest = { ms: 0 };
    since = sched();
    selfMax = 0;
  };
  const timer = setInterval(() => {
    const now = Date.now();
    const s = sched();
    const gap = now - last;
    if (gap > 40) gaps.push({ at: now, ms: gap });
    if (gap > longest.ms) {
      const gcMs = gcs.reduce((sum, g) => sum + Math.max(0, Math.min(g.end, now) - Math.max(g.start, last)), 0);
      longest = { ms: gap, at: now, gcMs };
      if (s && lastSched) Object.assign(longest, { runMs: (s.run - lastSched.run) / 1e6, waitMs: (s.wait - lastSched.wait) / 1e6 });
    }
    last = now;
    lastSched = s;
    const t0 = performance.now();
    if (++tick % 10 === 0) {
      fs.rm(`${out}.reset`, (err) => {
        if (!err) reset();
      });
      if (!session) {
        fs.rm(`${out}.profile`, (err) => {
          if (err || session) return;
          const started = new Session();
          session = started;
          started.connect();
          started.post('Profiler.enable', () => started.post('Profiler.start'));
        });
      } else {
        fs.rm(`${out}.stop`, (err) => {
          if (err || !session) return;
          const done = session;
          session = undefined;
          done.post('Profiler.stop', (_e, r) => {
            fs.writeFile(`${out}.cpuprofile`, JSON.stringify(r.profile), () => done.disconnect());
          });
        });
      }
    }
    if (now - lastWrite >= 200 && !writing) {
      lastWrite = now;
      writing = true;
      const report: ProbeReport = {
        maxMs: h.max / 1e6,
        p99Ms: h.percentile(99) / 1e6,
        gaps,
        longest,
        total: s && since ? { runMs: (s.run - since.run) / 1e6, waitMs: (s.wait - since.wait) / 1e6 } : undefined,
        selfMaxMs: selfMax,
        changes,
        rssMb: process.memoryUsage().rss / 1048576,
      };
      fs.writeFile(out, JSON.stringify(report), () => {
        writing = false;
      });
    }
    selfMax = Math.max(selfMax, performance.now() - t0);
  }, 5);
  timer.unref();
}
