/**
 * Calls `run` at most once per `intervalMs`: at once when the last call is that long ago, else once at
 * the end of the interval, so the newest state always shows, at most `intervalMs` late. For the
 * workbench's own views of a run (CodeLens, status bar, Problems): under a burst of typing each refresh costs
 * the editor a re-render on the thread the typing runs on. No `vscode` here.
 */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly run: () => void,
    private readonly intervalMs: number,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /** Runs now, or once when the interval is over (a call while one is due adds nothing). */
  call(): void {
    if (this.timer !== undefined) return;
    const wait = this.last + this.intervalMs - this.clock.now();
    if (wait <= 0) this.fire();
    else
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.fire();
      }, wait);
  }

  /** Drops a call that is due. */
  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.last = this.clock.now();
    this.run();
  }
}

/** Time and timers (a test gives its own). */
export interface Clock {
  now(): number;
  setTimeout(cb: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimeout(handle: ReturnType<typeof setTimeout>): void;
}

const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

/** The workbench's views of a run (CodeLens, status bar, Problems) refresh at most this often while typing (ms). */
export const REFRESH_MS = 250;
