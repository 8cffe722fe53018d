/**
 * One ReLU neuron and its mean squared error, each formula beside its derivative.
 *
 *   u_i = w·x_i + b                      ∂u_i/∂w = x_i,  ∂u_i/∂b = 1
 *   z_i = max(0, u_i)                    ∂z_i/∂u_i = a_i
 *   l   = (1/N) Σ (z_i − y_i)²           ∂l/∂z_i = (2/N)(z_i − y_i)
 *
 *   ∂l/∂w = (2/N) Σ a_i (z_i − y_i) x_i
 *   ∂l/∂b = (2/N) Σ a_i (z_i − y_i)
 *
 * with the per-sample indicator a_i = [u_i ≥ 0] (ReLU'(0) = 1, the document's max rule)
 * or a_i = [u_i > 0] (ReLU'(0) = 0, PyTorch's convention).
 */
import type { ReluGradAtZero } from './settings';

/** The samples the neuron sees: X row-major (N × d) and y (N). */
export interface Samples {
  n: number;
  d: number;
  x: Float64Array;
  y: Float64Array;
}

/** a_i: whether sample i passes gradient, ReLU'(0) deciding the u_i = 0 case. */
export function isActive(u: number, reluGradAtZero: ReluGradAtZero): boolean {
  return u > 0 || (u === 0 && reluGradAtZero === 1);
}

/** The loss and gradient at one point (w, b); `gradW` is a caller-owned buffer of length d. */
export interface Evaluation {
  loss: number;
  gradW: Float64Array;
  gradB: number;
  /** Number of active samples (a_i = 1). */
  active: number;
}

/** Allocates the buffers `evaluateInto` writes to, once per run. */
export function createEvaluation(d: number): Evaluation {
  return { loss: 0, gradW: new Float64Array(d), gradB: 0, active: 0 };
}

/**
 * l(w, b) and ∇l(w, b) in one fused pass over the rows, writing into `out` (no allocation).
 * Sums run in row order, so the same input gives the same bits.
 */
export function evaluateInto(s: Samples, w: Float64Array, b: number, reluGradAtZero: ReluGradAtZero, out: Evaluation): Evaluation {
  const { n, d, x, y } = s;
  const gw = out.gradW;
  gw.fill(0);
  let sumSq = 0;
  let sumR = 0;
  let active = 0;
  if (d === 1) {
    // The common classroom case, without the inner loop.
    const w0 = w[0];
    let g0 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const u = w0 * xi + b;
      const z = u > 0 ? u : 0;
      const r = z - y[i];
      sumSq += r * r;
      if (u > 0 || (u === 0 && reluGradAtZero === 1)) {
        active++;
        sumR += r;
        g0 += r * xi;
      }
    }
    gw[0] = g0;
  } else {
    for (let i = 0, row = 0; i < n; i++, row += d) {
      let u = b;
      for (let j = 0; j < d; j++) u += w[j] * x[row + j];
      const z = u > 0 ? u : 0;
      const r = z - y[i];
      sumSq += r * r;
      if (u > 0 || (u === 0 && reluGradAtZero === 1)) {
        active++;
        sumR += r;
        for (let j = 0; j < d; j++) gw[j] += r * x[row + j];
      }
    }
  }
  const scale = n > 0 ? 2 / n : 0;
  for (let j = 0; j < d; j++) gw[j] *= scale;
  out.loss = n > 0 ? sumSq / n : 0;
  out.gradB = sumR * scale;
  out.active = active;
  return out;
}

/** l(w, b) alone: used by the finite-difference check and the loss surface. */
export function lossAt(s: Samples, w: ArrayLike<number>, b: number): number {
  const { n, d, x, y } = s;
  let sumSq = 0;
  for (let i = 0, row = 0; i < n; i++, row += d) {
    let u = b;
    for (let j = 0; j < d; j++) u += w[j] * x[row + j];
    const r = (u > 0 ? u : 0) - y[i];
    sumSq += r * r;
  }
  return n > 0 ? sumSq / n : 0;
}

/** Everything about one sample at one point (w, b): what the hover and the table show. */
export interface SampleDetail {
  index: number;
  x: number[];
  y: number;
  /** u_i = w·x_i + b */
  u: number;
  /** z_i = max(0, u_i) */
  z: number;
  /** a_i ∈ {0, 1} */
  active: 0 | 1;
  /** Whether u_i is exactly 0, where ReLU'(0) decides a_i. */
  atKink: boolean;
  /** z_i − y_i */
  residual: number;
  /** (z_i − y_i)² / N: this sample's part of l. */
  lossTerm: number;
  /** (2/N) a_i (z_i − y_i) x_i: this sample's part of ∂l/∂w. */
  contribW: number[];
  /** (2/N) a_i (z_i − y_i): this sample's part of ∂l/∂b. */
  contribB: number;
  /**
   * c_i·g / |g|², with c_i = (contribW, contribB) and g = ∇l: the fraction of the gradient this
   * sample supplies. Shares add up to 1 over the samples; a negative share pulls against the rest.
   * 0 when g = 0.
   */
  share: number;
}

/** Details of sample i at (w, b), given the full gradient there (for the share). */
export function sampleDetail(
  s: Samples,
  i: number,
  w: ArrayLike<number>,
  b: number,
  reluGradAtZero: ReluGradAtZero,
  gradW: ArrayLike<number>,
  gradB: number,
): SampleDetail {
  const { n, d, x, y } = s;
  const xi = Array.from(x.subarray(i * d, i * d + d));
  let u = b;
  for (let j = 0; j < d; j++) u += w[j] * xi[j];
  const z = u > 0 ? u : 0;
  const residual = z - y[i];
  const active = isActive(u, reluGradAtZero) ? 1 : 0;
  const scale = (2 / n) * active * residual;
  const contribW = xi.map((v) => scale * v);
  const contribB = scale;
  let dot = contribB * gradB;
  let norm2 = gradB * gradB;
  for (let j = 0; j < d; j++) {
    dot += contribW[j] * gradW[j];
    norm2 += gradW[j] * gradW[j];
  }
  return {
    index: i,
    x: xi,
    y: y[i],
    u,
    z,
    active,
    atKink: u === 0,
    residual,
    lossTerm: (residual * residual) / n,
    contribW,
    contribB,
    share: norm2 > 0 ? dot / norm2 : 0,
  };
}
