/**
 * Timing on a noisy machine: ratios, not absolute times. Contenders are measured side by side, in
 * rounds that run each once in a rotating order, so drifts in the machine's load hit all of them; each
 * keeps its best (least disturbed) round. A warm-up round first lets the JITs and the tfjs kernels settle.
 */

/** Milliseconds, high resolution. */
export function now(): number {
  return performance.now();
}

/** One trial of a contender: does its own set-up, and returns the milliseconds of the timed part. */
export type Trial = () => number | Promise<number>;

export interface Contender {
  name: string;
  trial: Trial;
}

/** Best trial time (ms) per contender over `rounds` rounds, after `warmup` untimed rounds. */
export async function sideBySide(contenders: Contender[], rounds: number, warmup = 1): Promise<Map<string, number>> {
  const best = new Map<string, number>(contenders.map((c) => [c.name, Number.POSITIVE_INFINITY]));
  for (let round = -warmup; round < rounds; round++) {
    const offset = ((round % contenders.length) + contenders.length) % contenders.length;
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(k + offset) % contenders.length];
      const ms = await c.trial();
      if (round >= 0) best.set(c.name, Math.min(best.get(c.name)!, ms));
    }
  }
  return best;
}

/** Best of `k` timed calls of `f` (ms), after one untimed call. */
export function bestOf(k: number, f: () => void): number {
  f();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const t0 = now();
    f();
    best = Math.min(best, now() - t0);
  }
  return best;
}

/** The slope p of log t = p log x + c, by least squares: the fitted exponent of t ∝ x^p. */
export function fitExponent(xs: readonly number[], ts: readonly number[]): number {
  const lx = xs.map(Math.log);
  const lt = ts.map(Math.log);
  const mx = lx.reduce((a, v) => a + v, 0) / lx.length;
  const mt = lt.reduce((a, v) => a + v, 0) / lt.length;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < lx.length; k++) {
    sxy += (lx[k] - mx) * (lt[k] - mt);
    sxx += (lx[k] - mx) ** 2;
  }
  return sxy / sxx;
}

/** How many repetitions make a trial last about `targetMs`, given one repetition took `onceMs`. */
export function repetitionsFor(onceMs: number, targetMs: number): number {
  return Math.max(1, Math.ceil(targetMs / Math.max(onceMs, 1e-3)));
}
