/**
 * An opt-in timing trace inside the view, for `bench/vscode/editLatency.ts`: when something (the
 * bench, through the page) has set `window.__reluTrace` to an array, each call pushes
 * `{ t, ev, … }` onto it (t in ms since the epoch, comparable with the host's trace). Otherwise a
 * call costs one property read.
 */
interface TraceWindow {
  __reluTrace?: Array<Record<string, unknown>>;
}

/** Records `ev` with `data` when the trace is on. */
export function vtrace(ev: string, data: Record<string, unknown> = {}): void {
  const log = (window as unknown as TraceWindow).__reluTrace;
  if (log) log.push({ t: performance.timeOrigin + performance.now(), ev, ...data });
}

/** Whether the trace is on. */
export function vtracing(): boolean {
  return Array.isArray((window as unknown as TraceWindow).__reluTrace);
}
