/**
 * The course document's math, top to bottom, in plain loops: one ReLU neuron, its loss, its gradient
 * and gradient descent. No blocks, kernels or threads; every fast path (fast/) is tested against this.
 */
import type { ReluGradAtZero } from './settings';

/** N samples of d features: x_ij = x[i·d + j] (row-major), targets y_i = y[i]. */
export interface Data {
  n: number;
  d: number;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** u_i = w·x_i + b, added up b + w_1 x_i1 + … + w_d x_id.      ∂u_i/∂w = x_i,  ∂u_i/∂b = 1 */
export function preActivation(s: Data, i: number, w: ArrayLike<number>, b: number): number {
  const { d, x } = s;
  let u = b;
  for (let j = 0; j < d; j++) u += w[j] * x[i * d + j];
  return u;
}

/** z = max(0, u).                                               ∂z/∂u = a */
export function relu(u: number): number {
  return u > 0 ? u : 0;
}

/** a = [u ≥ 0] with ReLU'(0) = 1 (the document's max rule: f ≤ g takes ∂g), a = [u > 0] with ReLU'(0) = 0. */
export function indicator(u: number, reluGradAtZero: ReluGradAtZero = 1): 0 | 1 {
  return u > 0 || (u === 0 && reluGradAtZero === 1) ? 1 : 0;
}

/** Sample i's terms at (w, b): u_i, z_i, a_i, r_i = z_i − y_i, its part of l, and c_i = (2/N) a_i r_i (its part of ∂l/∂b; times x_i, of ∂l/∂w). */
export function sampleTerms(s: Data, i: number, w: ArrayLike<number>, b: number, reluGradAtZero: ReluGradAtZero = 1) {
  const u = preActivation(s, i, w, b);
  const z = relu(u);
  const a = indicator(u, reluGradAtZero);
  const r = z - s.y[i];
  return { u, z, a, r, lossTerm: (r * r) / s.n, c: (2 / s.n) * a * r };
}

/** l = (1/N) Σ (z_i − y_i)².                                   ∂l/∂z_i = (2/N)(z_i − y_i) */
export function loss(s: Data, w: ArrayLike<number>, b: number): number {
  let sum = 0;
  for (let i = 0; i < s.n; i++) {
    const r = relu(preActivation(s, i, w, b)) - s.y[i];
    sum += r * r;
  }
  return s.n > 0 ? sum / s.n : 0;
}

/** l and its gradient at (w, b), with Σ a_i: what every fast path computes. */
export interface Gradient {
  loss: number;
  gradW: number[];
  gradB: number;
  active: number;
}

/** ∂l/∂w = (2/N) Σ a_i (z_i − y_i) x_i,  ∂l/∂b = (2/N) Σ a_i (z_i − y_i): the chain rule, sample by sample. */
export function gradient(s: Data, w: ArrayLike<number>, b: number, reluGradAtZero: ReluGradAtZero = 1): Gradient {
  const { n, d, x, y } = s;
  const gradW = new Array<number>(d).fill(0);
  let sumSq = 0,
    sumR = 0,
    active = 0; // Σ (z_i − y_i)², Σ a_i (z_i − y_i), Σ a_i
  for (let i = 0; i < n; i++) {
    const u = preActivation(s, i, w, b);
    const r = relu(u) - y[i];
    sumSq += r * r;
    if (indicator(u, reluGradAtZero) === 0) continue; // a_i = 0: sample i passes no gradient
    active++;
    sumR += r;
    for (let j = 0; j < d; j++) gradW[j] += r * x[i * d + j];
  }
  const scale = n > 0 ? 2 / n : 0;
  return { loss: n > 0 ? sumSq / n : 0, gradW: gradW.map((g) => g * scale), gradB: sumR * scale, active };
}

/** One gradient-descent step: w ← w − α ∂l/∂w, b ← b − α ∂l/∂b. */
export function step(w: ArrayLike<number>, b: number, g: Gradient, alpha: number): { w: number[]; b: number } {
  return { w: Array.from(w, (wj, j) => wj - alpha * g.gradW[j]), b: b - alpha * g.gradB };
}

/** Full-batch gradient descent from θ_0 = (w, b): l_t and ∇l_t at θ_0 … θ_{E−1}, and θ_E. */
export function train(s: Data, w: ArrayLike<number>, b: number, alpha: number, epochs: number, reluGradAtZero: ReluGradAtZero = 1) {
  const history: Gradient[] = [];
  let theta = { w: Array.from(w), b };
  for (let t = 0; t < epochs; t++) {
    history.push(gradient(s, theta.w, theta.b, reluGradAtZero));
    theta = step(theta.w, theta.b, history[t], alpha);
  }
  return { history, ...theta };
}
