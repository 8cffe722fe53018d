/** The samples the neuron sees, and what one pass over them yields (l, ∇l and Σ a_i). */

/** X row-major (N × d: x_ij at x[i·d + j]) and y (N). Data only: how a pass runs is chosen elsewhere (fast/choose.ts). */
export interface Samples {
  n: number;
  d: number;
  x: Float64Array;
  y: Float64Array;
}

/** The loss and gradient at one point (w, b); `gradW` is a caller-owned buffer of length d. */
export interface Evaluation {
  loss: number;
  gradW: Float64Array;
  gradB: number;
  /** Number of active samples (a_i = 1). */
  active: number;
}

/** Allocates the buffers an evaluation writes to, once per run. */
export function createEvaluation(d: number): Evaluation {
  return { loss: 0, gradW: new Float64Array(d), gradB: 0, active: 0 };
}
