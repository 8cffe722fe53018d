/**
 * An opt-in timing trace of the edit → panel path on the extension host's side, for
 * `bench/vscode/editLatency.ts`: with the environment variable `RELU_NEURON_TRACE` set to a file
 * path, each call appends one JSON line `{ t, ev, … }` (t in ms since the epoch, sub-millisecond) to
 * that file, written in batches off the hot path. Without it, `trace` returns at once and nothing is
 * written. No `vscode` here.
 */
import * as fs from 'node:fs';

const file = process.env.RELU_NEURON_TRACE || undefined;
const pending: string[] = [];
let timer: NodeJS.Timeout | undefined;

/** Whether tracing is on (callers skip costly measurements, e.g. message sizes, when it is not). */
export const tracing = file !== undefined;

/** Now, in milliseconds since the epoch, comparable across processes on one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Records `ev` with `data` (no-op unless tracing). */
export function trace(ev: string, data: Record<string, unknown> = {}): void {
  if (!file) return;
  pending.push(JSON.stringify({ t: now(), ev, ...data }));
  timer ??= setTimeout(flush, 100);
  timer.unref?.();
}

function flush(): void {
  timer = undefined;
  if (!file || pending.length === 0) return;
  const lines = `${pending.join('\n')}\n`;
  pending.length = 0;
  fs.appendFile(file, lines, () => undefined);
}
