/**
 * One ReLU neuron and its mean squared error: what the rest of the extension calls. The math is
 * reference.ts (each formula beside its derivative); the passes that train fast are in fast/.
 *
 *   u_i = w·x_i + b,  z_i = max(0, u_i),  l = (1/N) Σ (z_i − y_i)²,  a_i = [u_i ≥ 0] (ReLU'(0) = 1)
 *   ∂l/∂w = (2/N) Σ a_i (z_i − y_i) x_i,  ∂l/∂b = (2/N) Σ a_i (z_i − y_i)
 */
import { evaluateSerial } from './fast/serial';
import { indicator, loss, sampleTerms } from './reference';
import type { Evaluation, Samples } from './samples';
import type { FeatureScaling } from './scaling';
import type { ReluGradAtZero } from './settings';

export { type Evaluation, type Samples, createEvaluation } from './samples';

/** a_i: whether sample i passes gradient, ReLU'(0) deciding the u_i = 0 case (reference.ts's `indicator`). */
export function isActive(u: number, reluGradAtZero: ReluGradAtZero): boolean {
  return indicator(u, reluGradAtZero) === 1;
}

/**
 * l(w, b) and ∇l(w, b) in one fused pass over the rows on this thread (JS kernels), into `out`: the
 * same bits as every fast path's fused pass (a training run's is chosen by fast/choose.ts).
 */
export function evaluateInto(s: Samples, w: Float64Array, b: number, reluGradAtZero: ReluGradAtZero, out: Evaluation): Evaluation {
  return evaluateSerial(s, w, b, reluGradAtZero, out);
}

/** l(w, b) alone: used by the finite-difference check and the loss surface. */
export function lossAt(s: Samples, w: ArrayLike<number>, b: number): number {
  return loss(s, w, b);
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
  const { d, x, y } = s;
  const xi = Array.from(x.subarray(i * d, i * d + d));
  const { u, z, a: active, r: residual, lossTerm, c: contribB } = sampleTerms(s, i, w, b, reluGradAtZero);
  const contribW = xi.map((v) => contribB * v);
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
    lossTerm,
    contribW,
    contribB,
    share: norm2 > 0 ? dot / norm2 : 0,
  };
}

/** How l responds to sample i's own numbers at a fixed (w, b). */
export interface DataDerivatives {
  /** ∂l/∂y_i = −(2/N)(z_i − y_i) */
  y: number;
  /**
   * ∂l/∂x_ij = (2/N)(z_i − y_i)·a_i·w_j for the x the neuron reads. With scaling, the file's x_ij
   * through x̃_ij = (x_ij − μ_j)/σ_j at fixed μ_j, σ_j (a convention: they too move with x_ij):
   * ∂l/∂x̃_ij / σ_j.
   */
  x: number[];
}

/**
 * ∂l/∂y_i and ∂l/∂x_ij at (w, b): the chain rule run back into the data instead of the parameters.
 * `s` holds the samples trained on (x̃ with scaling); with `scaling`, ∂l/∂x_ij is in the file's units.
 */
export function dataDerivatives(
  s: Samples,
  i: number,
  w: ArrayLike<number>,
  b: number,
  reluGradAtZero: ReluGradAtZero,
  scaling: FeatureScaling | null = null,
): DataDerivatives {
  const { r, a } = sampleTerms(s, i, w, b, reluGradAtZero);
  const c = (2 / s.n) * r;
  return { y: -c, x: Array.from({ length: s.d }, (_, j) => (a === 1 ? (c * w[j]) / (scaling ? scaling.factor[j] : 1) : 0)) };
}
