/**
 * The "plain loop" that the issue calibrates its targets against: the engine's fused pass as it was
 * before the blocked, branch-free kernels (one row-order pass, a branch on a_i, the gradient sums in
 * a Float64Array), in a gradient-descent loop that records what TrainingSession records. Measuring
 * it side by side turns the targets into machine-independent ones: engine speed over plain-loop speed.
 */
import type { Samples } from '../src/engine';
import type { RunConfig } from './engine';
import { now } from './timing';

/** l and ∇l at (w, b) with ReLU'(0) = 0, the old way; returns l, writes ∂l/∂w into gw and ∂l/∂b into gb[0]. */
function plainEvaluate(s: Samples, w: Float64Array, b: number, gw: Float64Array, gb: Float64Array): number {
  const { n, d, x, y } = s;
  gw.fill(0);
  let sumSq = 0;
  let sumR = 0;
  for (let i = 0, row = 0; i < n; i++, row += d) {
    let u = b;
    for (let j = 0; j < d; j++) u += w[j] * x[row + j];
    const z = u > 0 ? u : 0;
    const r = z - y[i];
    sumSq += r * r;
    if (u > 0) {
      sumR += r;
      for (let j = 0; j < d; j++) gw[j] += r * x[row + j];
    }
  }
  const scale = 2 / n;
  for (let j = 0; j < d; j++) gw[j] *= scale;
  gb[0] = sumR * scale;
  return sumSq / n;
}

/** One run of E epochs: milliseconds (buffers allocated before the clock starts) and l_0 … l_{E−1}. */
export function trainPlain(s: Samples, config: RunConfig): { ms: number; losses: Float64Array } {
  const { d } = s;
  const epochs = config.epochs;
  const w = Float64Array.from(config.theta0.w);
  let b = config.theta0.b;
  const gw = new Float64Array(d);
  const gb = new Float64Array(1);
  const losses = new Float64Array(epochs);
  const ws = new Float64Array(epochs * d);
  const gws = new Float64Array(epochs * d);
  const bs = new Float64Array(epochs);
  const t0 = now();
  for (let t = 0; t < epochs; t++) {
    losses[t] = plainEvaluate(s, w, b, gw, gb);
    ws.set(w, t * d);
    gws.set(gw, t * d);
    bs[t] = b;
    for (let j = 0; j < d; j++) w[j] -= config.learningRate * gw[j];
    b -= config.learningRate * gb[0];
  }
  return { ms: now() - t0, losses };
}
