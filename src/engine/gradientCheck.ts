/** Central finite differences against the analytic gradient: ∂l/∂θ_k ≈ (l(θ + h e_k) − l(θ − h e_k)) / 2h. */
import { type Samples, createEvaluation, evaluateInto, lossAt } from './neuron';
import { preActivation } from './reference';
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

/** One parameter θ_k: the analytic ∂l/∂θ_k beside its difference quotients with step h. */
export interface ParameterDifferences {
  analytic: number;
  /** (l(θ + h e_k) − l(θ − h e_k)) / 2h */
  central: number;
  /** (l(θ + h e_k) − l(θ)) / h */
  forward: number;
  /** (l(θ) − l(θ − h e_k)) / h */
  backward: number;
  /** |analytic − central| / max(|analytic|, |central|); 0 when both are 0. */
  relative: number;
  h: number;
}

/** The finite-difference check of ∇l at one point (w, b), for the Gradients tab. */
export interface FiniteDifferenceCheck {
  /** w_1 … w_d, then b. */
  parameters: ParameterDifferences[];
  /** How many samples have u_i exactly 0 (a kink of ReLU, where l has a slope on each side). */
  kinkSamples: number;
  /** The first such sample (0-based), or null. */
  firstKink: number | null;
}

/** The step for parameter value θ: 10⁻⁵ relative to |θ|, at least 10⁻⁵ (l is piecewise quadratic in θ). */
export function differenceStep(theta: number): number {
  return 1e-5 * Math.max(1, Math.abs(theta));
}

/**
 * Each parameter's analytic derivative (given: the one on display) beside the central, forward and
 * backward differences of l at (w, b), and the samples at u_i = 0 where the one-sided ones disagree.
 */
export function finiteDifferences(
  s: Samples,
  w: ArrayLike<number>,
  b: number,
  analytic: { gradW: ArrayLike<number>; gradB: number },
): FiniteDifferenceCheck {
  const d = s.d;
  const theta = [...Array.from(w), b];
  const lossOf = (t: number[]) => lossAt(s, t.slice(0, d), t[d]);
  const l0 = lossOf(theta);
  const parameters = theta.map((value, k) => {
    const h = differenceStep(value);
    const plus = theta.slice();
    const minus = theta.slice();
    plus[k] = value + h;
    minus[k] = value - h;
    // The steps actually taken (θ ± h rounded to a double).
    const up = plus[k] - value;
    const down = value - minus[k];
    const lPlus = lossOf(plus);
    const lMinus = lossOf(minus);
    const g = k < d ? analytic.gradW[k] : analytic.gradB;
    const central = (lPlus - lMinus) / (up + down);
    const scale = Math.max(Math.abs(g), Math.abs(central));
    return {
      analytic: g,
      central,
      forward: (lPlus - l0) / up,
      backward: (l0 - lMinus) / down,
      relative: scale > 0 ? Math.abs(g - central) / scale : 0,
      h,
    };
  });
  let kinkSamples = 0;
  let firstKink: number | null = null;
  for (let i = 0; i < s.n; i++) {
    if (preActivation(s, i, w, b) === 0) {
      kinkSamples++;
      firstKink ??= i;
    }
  }
  return { parameters, kinkSamples, firstKink };
}
