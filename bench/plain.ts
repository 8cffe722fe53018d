/**
 * The "plain loop" that the issue calibrates its targets against: src/engine/reference.ts (one
 * row-order pass, a branch on a_i, no blocks or kernels), in a gradient-descent loop that records what
 * TrainingSession records. Measuring it side by side turns the targets into machine-independent ones:
 * engine speed over plain-loop speed.
 */
import { type Samples, reference } from '../src/engine';
import type { RunConfig } from './engine';
import { now } from './timing';

/** One run of E epochs: milliseconds (buffers allocated before the clock starts) and l_0 … l_{E−1}. */
export function trainPlain(s: Samples, config: RunConfig): { ms: number; losses: Float64Array } {
  const { d } = s;
  const epochs = config.epochs;
  let w: number[] = config.theta0.w.slice();
  let b = config.theta0.b;
  const losses = new Float64Array(epochs);
  const ws = new Float64Array(epochs * d);
  const gws = new Float64Array(epochs * d);
  const bs = new Float64Array(epochs);
  const t0 = now();
  for (let t = 0; t < epochs; t++) {
    // ReLU'(0) = 0, as every contender (see RunConfig).
    const g = reference.gradient(s, w, b, 0);
    losses[t] = g.loss;
    ws.set(w, t * d);
    gws.set(g.gradW, t * d);
    bs[t] = b;
    ({ w, b } = reference.step(w, b, g, config.learningRate));
  }
  return { ms: now() - t0, losses };
}
