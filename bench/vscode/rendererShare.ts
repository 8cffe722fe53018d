/**
 * Whose work kept the page's main thread busy: a Chromium trace (editLatency.ts writes one with
 * RELU_BENCH_CHROME_TRACE or RELU_BENCH_CHROME_TRACE_BURSTS) split into the workbench's share, this
 * extension's panel's (its webview frame and the frame inside it), other webviews' and the rest, each
 * as script, style and layout, and paint. In code-server the webviews run on the workbench's thread,
 * so every millisecond one of them takes is one the editor being typed in waits.
 *
 *   tsx bench/vscode/rendererShare.ts FILE.json [--after-bursts PREFIX]
 *
 * With --after-bursts and the files RELU_BENCH_BURST_TRACE=PREFIX wrote in the same run, it also
 * lists, for each burst, the thread's tasks of 4 ms or more from the last key until the final loss
 * was on screen, each split the same way, beside the host's posts of runs and the view's receipts:
 * what the burst's last run waited behind.
 */
import * as fs from 'node:fs';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown>; beginData?: Record<string, unknown>; name?: string };
}

interface FrameInfo {
  frame: string;
  url: string;
  parent?: string;
  isOutermostMainFrame?: boolean;
}

const PANEL_EXTENSION = 'extensionId=relu-explorer.relu-neuron-explorer';
const SCRIPT = new Set([
  'FunctionCall',
  'EvaluateScript',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'EventDispatch',
  'v8.compile',
]);
const STYLE_LAYOUT = new Set(['Layout', 'UpdateLayoutTree']);
const PAINT = new Set(['Paint', 'PrePaint']);

const afterBursts = process.argv.indexOf('--after-bursts') > 0 ? process.argv[process.argv.indexOf('--after-bursts') + 1] : undefined;
const raw = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;

// The frames and who they belong to.
const frames = new Map<string, FrameInfo>();
for (const e of events) {
  if (e.name === 'TracingStartedInBrowser') for (const f of (e.args?.data?.frames as FrameInfo[]) ?? []) frames.set(f.frame, f);
  if (e.name === 'FrameCommittedInBrowser' && e.args?.data) {
    const f = e.args.data as unknown as FrameInfo;
    frames.set(f.frame, { ...frames.get(f.frame), ...f });
  }
}
const groupOf = (frame: unknown): string => {
  for (let f = typeof frame === 'string' ? frames.get(frame) : undefined; f; f = f.parent ? frames.get(f.parent) : undefined) {
    if (f.isOutermostMainFrame) return 'workbench';
    if (f.url.includes('/webview/browser/pre/index.html')) return f.url.includes(PANEL_EXTENSION) ? 'this panel' : 'other webviews';
  }
  return 'not attributed';
};
const main = [...frames.values()].find((f) => f.isOutermostMainFrame);

// The page's main thread: CrRendererMain of the renderer that holds the workbench.
const threadNames = new Map<string, string>();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
const pagePid = events.find((e) => e.name === 'TracingStartedInBrowser')?.args?.data?.frames
  ? ((events.find((e) => e.name === 'TracingStartedInBrowser')!.args!.data!.frames as { processId?: number; frame: string }[]).find(
      (f) => f.frame === main?.frame,
    )?.processId ?? -1)
  : -1;
const onMain = events
  .filter((e) => e.ph === 'X' && e.pid === pagePid && threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain')
  .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
if (onMain.length === 0) throw new Error('no main-thread events of the page in this trace');

// Busy: the thread's outermost tasks. Script: outermost script events only (a call inside a timer is the timer's).
let busy = 0;
let taskEnd = -Infinity;
let scriptEnd = -Infinity;
const share = new Map<string, { script: number; styleLayout: number; paint: number }>();
const add = (group: string, kind: 'script' | 'styleLayout' | 'paint', us: number) => {
  const s = share.get(group) ?? { script: 0, styleLayout: 0, paint: 0 };
  s[kind] += us / 1000;
  share.set(group, s);
};
for (const e of onMain) {
  const end = e.ts + (e.dur ?? 0);
  if (e.name === 'ThreadControllerImpl::RunTask' && e.ts >= taskEnd) {
    busy += e.dur ?? 0;
    taskEnd = end;
  }
  const frame = e.args?.data?.frame ?? e.args?.beginData?.frame;
  if (SCRIPT.has(e.name) && e.ts >= scriptEnd) {
    add(groupOf(frame), 'script', e.dur ?? 0);
    scriptEnd = end;
  } else if (STYLE_LAYOUT.has(e.name)) add(groupOf(frame), 'styleLayout', e.dur ?? 0);
  else if (PAINT.has(e.name)) add(groupOf(frame), 'paint', e.dur ?? 0);
}
const windowMs = (onMain[onMain.length - 1].ts + (onMain[onMain.length - 1].dur ?? 0) - onMain[0].ts) / 1000;
console.log(
  `the page's main thread: ${windowMs.toFixed(0)} ms traced, busy ${(busy / 1000).toFixed(0)} ms (${(busy / 10 / windowMs) | 0} %)`,
);
console.log(`${'whose'.padEnd(16)} ${'script'.padStart(9)} ${'style+layout'.padStart(13)} ${'paint'.padStart(8)}   (ms)`);
for (const [group, s] of [...share].sort((a, b) => b[1].script + b[1].styleLayout - (a[1].script + a[1].styleLayout)))
  console.log(
    `${group.padEnd(16)} ${s.script.toFixed(0).padStart(9)} ${s.styleLayout.toFixed(0).padStart(13)} ${s.paint.toFixed(0).padStart(8)}`,
  );

if (afterBursts) {
  // The trace's clock (µs) against the bench's (epoch ms): each burst's last keydown is its last key.
  const keydowns = onMain.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown').map((e) => e.ts);
  const runsOfKeys: number[][] = [];
  for (const ts of keydowns) {
    const run = runsOfKeys[runsOfKeys.length - 1];
    if (run && ts - run[run.length - 1] < 400_000) run.push(ts);
    else runsOfKeys.push([ts]);
  }
  const bursts = runsOfKeys.filter((r) => r.length >= 100);
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  bursts.forEach((keys, b) => {
    const file = `${afterBursts}-${b + 1}.json`;
    if (!fs.existsSync(file)) return;
    const burst = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      keyTimes: number[];
      shown: number;
      host: { t: number; ev: string; type?: string; runId?: number }[];
      view: { t: number; ev: string; type?: string; runId?: number }[];
    };
    const lastKey = burst.keyTimes[burst.keyTimes.length - 1];
    const at = (t: number) => Math.round(t - lastKey);
    const runs = [
      ...burst.host
        .filter((e) => (e.ev === 'post' || e.ev === 'posted') && e.type === 'trained')
        .map((e) => `host ${e.ev} ${e.runId} @${at(e.t)}`),
      ...burst.view.filter((e) => e.ev === 'msg' && e.type === 'trained').map((e) => `view got ${e.runId} @${at(e.t)}`),
    ].filter((line) => Number(line.split('@')[1]) > -500);
    console.log(`\nburst ${b + 1}: final loss on screen ${at(burst.shown)} ms after the last key; runs: ${runs.join(', ')}`);
    const from = keys[keys.length - 1];
    const to = from + (burst.shown - lastKey + 30) * 1000;
    for (const task of tasks) {
      if (task.ts < from || task.ts > to || (task.dur ?? 0) < 4000) continue;
      const end = task.ts + (task.dur ?? 0);
      const parts = new Map<string, number>();
      const counted = new Map<string, number>(); // per kind, the end of the last event counted: nested ones are in it
      for (const e of onMain) {
        if (e.ts < task.ts || e.ts + (e.dur ?? 0) > end || e === task) continue;
        const frame = e.args?.data?.frame ?? e.args?.beginData?.frame;
        const kind = SCRIPT.has(e.name)
          ? 'script'
          : STYLE_LAYOUT.has(e.name)
            ? 'style+layout'
            : PAINT.has(e.name)
              ? 'paint'
              : /GC/.test(e.name)
                ? 'GC'
                : null;
        if (!kind || e.ts < (counted.get(kind) ?? -Infinity)) continue;
        counted.set(kind, e.ts + (e.dur ?? 0));
        const key = kind === 'GC' ? 'GC' : `${groupOf(frame)} ${kind}`;
        parts.set(key, (parts.get(key) ?? 0) + (e.dur ?? 0) / 1000);
      }
      const top = [...parts].sort((x, y) => y[1] - x[1]).slice(0, 3);
      console.log(
        `  @${((task.ts - from) / 1000).toFixed(0).padStart(4)} ms  ${((task.dur ?? 0) / 1000).toFixed(1).padStart(5)} ms  ${top.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ') || '(none of these traced)'}`,
      );
    }
  });
}
