/**
 * Work that can wait for a quiet moment. The panel shares its main thread with the workbench (the
 * editor being typed in), so drawing what is not urgent in idle time, in slices, keeps keystrokes and
 * new results from queueing behind it.
 */
export interface IdleDeadlineLike {
  timeRemaining(): number;
  didTimeout: boolean;
}

/** Calls `cb` when the page is idle, or after `timeoutMs` at the latest; returns a cancel function. */
export function whenIdle(cb: (deadline: IdleDeadlineLike) => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(cb, { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(() => cb({ timeRemaining: () => 8, didTimeout: true }), Math.min(timeoutMs, 50));
  return () => clearTimeout(handle);
}
