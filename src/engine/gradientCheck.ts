/** Central finite differences against the analytic gradient: ∂l/∂θ_k ≈ (l(θ + h e_k) − l(θ − h e_k)) / 2h. */
import { type Samples, createEvaluation, evaluateInto, lossAt } from './neuron';
import type { ReluGradAtZero } from './settings';

/** The analytic and numerical gradients (w_1 … w_d, then b) and their largest relative error. */
export interface GradientCheck {
  analytic: number[];
  numeric: number[];
  /** max_k |g_k − ĝ_k| / max(1, |g_k|, |ĝ_k|) */
  maxRelativeError: number;
}

/**
 * Compares ∇l at (w, b) with central differences of step h. Near a kink (some u_i within h of 0) the
 * two may differ legitimately: the loss is not differentiable there.
 */
export function checkGradient(s: Samples, w: ArrayLike<number>, b: number, reluGradAtZero: ReluGradAtZero, h = 1e-6): GradientCheck {
  const ev = evaluateInto(s, Float64Array.from(w), b, reluGradAtZero, createEvaluation(s.d));
  const analytic = [...ev.gradW, ev.gradB];
  const theta = [...Array.from(w), b];
  const loss = (t: number[]) => lossAt(s, t.slice(0, s.d), t[s.d]);
  const numeric = theta.map((_, k) => {
    const plus = theta.slice();
    const minus = theta.slice();
    plus[k] += h;
    minus[k] -= h;
    return (loss(plus) - loss(minus)) / (2 * h);
  });
  let maxRelativeError = 0;
  analytic.forEach((g, k) => {
    const e = Math.abs(g - numeric[k]) / Math.max(1, Math.abs(g), Math.abs(numeric[k]));
    if (e > maxRelativeError) maxRelativeError = e;
  });
  return { analytic, numeric, maxRelativeError };
}
