/**
 * Feature scaling, applied to the samples between parsing and training (`# @scale`):
 *
 *   standard:  x̃_ij = (x_ij − μ_j) / σ_j,  μ_j = (1/N) Σ_i x_ij,  σ_j = √((1/N) Σ_i (x_ij − μ_j)²)
 *   minmax:    x̃_ij = (x_ij − min_j) / (max_j − min_j)            (to [0, 1])
 *
 * over the N samples the trainer gets (after column roles and missing values). σ_j is the population
 * standard deviation (1/N, not 1/(N − 1)). A constant column (every x_ij equal, or a spread so small
 * that 1/σ_j is not a finite double) is left as it is.
 * Both are x̃_j = (x_j − s_j)/f_j with a shift s_j and a factor f_j, so a neuron trained on x̃,
 * u = w̃·x̃ + b̃, is the same function of the raw x with
 *
 *   w_j = w̃_j / f_j,   b = b̃ − Σ_j w̃_j s_j / f_j       (the parameters in the file's units).
 *
 * Every sum runs in row order, so the same data gives the same bits (the PyTorch export repeats it).
 */

import type { Dataset } from './dataset';
import { formatNumber } from './format';
import { MESSAGES } from './messages';
import { type DatasetProblem, datasetProblem } from './problems';
import type { ScaleMethod } from './settings';

/** The part of the samples scaling reads and writes (structurally the engine's `Samples`). */
export interface FeatureMatrix {
  n: number;
  d: number;
  /** X row-major: x_ij at `x[i * d + j]`. */
  x: Float64Array;
  y: Float64Array;
}

/** How the features were scaled: x̃_j = (x_j − shift_j) / factor_j. */
export interface FeatureScaling {
  method: Exclude<ScaleMethod, 'none'>;
  /** μ_j (standard) or min_j (minmax); 0 for a constant column. */
  shift: Float64Array;
  /** σ_j (standard) or max_j − min_j (minmax); 1 for a constant column. */
  factor: Float64Array;
  /** μ_j and σ_j (population: 1/N) of every feature, whatever the method. */
  mean: Float64Array;
  sd: Float64Array;
  /** min_j and max_j of every feature. */
  min: Float64Array;
  max: Float64Array;
  /** The features (0-based) whose values are all equal: left as they are (shift 0, factor 1). */
  constant: number[];
}

/** μ_j, σ_j (1/N), min_j and max_j of every feature, in row order. */
export function featureStatistics(s: FeatureMatrix): { mean: Float64Array; sd: Float64Array; min: Float64Array; max: Float64Array } {
  const { n, d, x } = s;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  const min = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0, row = 0; i < n; i++, row += d) {
    for (let j = 0; j < d; j++) {
      const v = x[row + j];
      mean[j] += v;
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  for (let j = 0; j < d; j++) mean[j] = n > 0 ? mean[j] / n : 0;
  for (let i = 0, row = 0; i < n; i++, row += d) {
    for (let j = 0; j < d; j++) {
      const c = x[row + j] - mean[j];
      sd[j] += c * c;
    }
  }
  for (let j = 0; j < d; j++) sd[j] = n > 0 ? Math.sqrt(sd[j] / n) : 0;
  if (n === 0) {
    min.fill(0);
    max.fill(0);
  }
  return { mean, sd, min, max };
}

/** The scaling `method` makes of these samples; null for `none`. */
export function computeScaling(s: FeatureMatrix, method: ScaleMethod): FeatureScaling | null {
  if (method === 'none') return null;
  const stats = featureStatistics(s);
  const shift = new Float64Array(s.d);
  const factor = new Float64Array(s.d);
  const constant: number[] = [];
  for (let j = 0; j < s.d; j++) {
    // Constant means every value equal (min = max), not σ_j = 0 after rounding: the mean of equal
    // values can differ from them in the last bit, which would make σ_j tiny instead of 0.
    if (!(stats.max[j] > stats.min[j])) {
      constant.push(j);
      shift[j] = 0;
      factor[j] = 1;
    } else if (method === 'standard') {
      shift[j] = stats.mean[j];
      factor[j] = stats.sd[j];
      // Spreads at the bottom of the double range (σ_j rounds to 0, or 1/σ_j overflows) are rounding noise.
      if (!(factor[j] > 0 && Number.isFinite(1 / factor[j]))) {
        constant.push(j);
        shift[j] = 0;
        factor[j] = 1;
      }
    } else {
      shift[j] = stats.min[j];
      factor[j] = stats.max[j] - stats.min[j];
      if (!Number.isFinite(1 / factor[j])) {
        constant.push(j);
        shift[j] = 0;
        factor[j] = 1;
      }
    }
  }
  return { method, shift, factor, constant, ...stats };
}

/** The samples with x̃_ij = (x_ij − shift_j) / factor_j; y is shared, not copied. */
export function scaleSamples(s: FeatureMatrix, scaling: FeatureScaling): FeatureMatrix {
  const { n, d, x } = s;
  const out = new Float64Array(n * d);
  for (let i = 0, row = 0; i < n; i++, row += d) {
    for (let j = 0; j < d; j++) out[row + j] = (x[row + j] - scaling.shift[j]) / scaling.factor[j];
  }
  return { n, d, x: out, y: s.y };
}

/** What the trainer gets: the samples as they are (`none`), or scaled, with the scaling used. */
export function scaleFeatures<S extends FeatureMatrix>(
  s: S,
  method: ScaleMethod,
): { samples: S | FeatureMatrix; scaling: FeatureScaling | null } {
  const scaling = computeScaling(s, method);
  return scaling === null ? { samples: s, scaling } : { samples: scaleSamples(s, scaling), scaling };
}

/**
 * Scales a parsed dataset for training: the samples the trainer gets, the scaling, and a warning on
 * the header cell of each constant feature (left as it is).
 */
export function scaleDataset(
  data: Dataset,
  method: ScaleMethod,
): { samples: FeatureMatrix; scaling: FeatureScaling | null; problems: DatasetProblem[] } {
  const { samples, scaling } = scaleFeatures(data, method);
  const problems: DatasetProblem[] = [];
  const schema = data.schema;
  for (const j of scaling?.constant ?? []) {
    const column = schema?.featureColumns[j];
    const at = column === undefined ? 0 : schema!.headerCellColumns[column] - 1;
    const length = column === undefined || schema!.headerless ? 1 : schema!.columns[column].length;
    const line = schema?.headerLine ?? 0;
    problems.push(
      datasetProblem(
        line,
        at,
        Math.max(1, length),
        'constant-feature',
        MESSAGES.constantFeature,
        [data.features[j], formatNumber(scaling!.min[j], 8)],
        'warning',
      ),
    );
  }
  return { samples, scaling, problems };
}

/** Parameters of the scaled model in the file's units: w_j = w̃_j / f_j, b = b̃ − Σ_j w̃_j s_j / f_j. */
export function toFileUnits(scaling: FeatureScaling, w: ArrayLike<number>, b: number): { w: number[]; b: number } {
  const out: number[] = [];
  let bias = b;
  for (let j = 0; j < scaling.factor.length; j++) {
    out.push(w[j] / scaling.factor[j]);
    bias -= (w[j] * scaling.shift[j]) / scaling.factor[j];
  }
  return { w: out, b: bias };
}

/** The inverse of `toFileUnits`: w̃_j = w_j f_j, b̃ = b + Σ_j w_j s_j. */
export function fromFileUnits(scaling: FeatureScaling, w: ArrayLike<number>, b: number): { w: number[]; b: number } {
  const out: number[] = [];
  let bias = b;
  for (let j = 0; j < scaling.factor.length; j++) {
    out.push(w[j] * scaling.factor[j]);
    bias += w[j] * scaling.shift[j];
  }
  return { w: out, b: bias };
}

/** Sample i's features as in the file (x_i) and as trained on (x̃_i): for the hover and the table. */
export function sampleFeatures(raw: FeatureMatrix, scaling: FeatureScaling | null, i: number): { x: number[]; scaled: number[] } {
  const x = Array.from(raw.x.subarray(i * raw.d, i * raw.d + raw.d));
  return { x, scaled: scaling === null ? x : x.map((v, j) => (v - scaling.shift[j]) / scaling.factor[j]) };
}

/**
 * Standardizing is advised when 2/λ_max < this. Reason: the bias's own curvature ∂²l/∂b² is
 * 2·(active share) ≤ 2, so at α below 10⁻⁴ its error shrinks by a factor of at least 1 − 2α > 0.9998
 * per epoch: thousands of epochs per e-fold, against 200 by default. Raw years (≈ 2000) give ≈ 10⁻⁷.
 */
export const ADVISE_SCALING_BELOW_BOUND = 1e-4;

/**
 * Standardizing is advised when max_j σ_j / min_j σ_j (non-constant features) is above this. Reason:
 * the curvature along feature j grows as σ_j², so the steepest and the flattest feature differ at
 * least about (σ_max/σ_min)² > 10⁴ times in curvature, and any rate stable for the steepest moves the
 * flattest ten thousand times more slowly.
 */
export const ADVISE_SCALING_SD_RATIO = 100;

/** Whether a run on these raw samples, with stability bound 2/λ_max = `bound`, should be standardized first. */
export function scalingAdvised(s: FeatureMatrix, bound: number): boolean {
  if (bound < ADVISE_SCALING_BELOW_BOUND) return true;
  const { sd, min, max } = featureStatistics(s);
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (let j = 0; j < s.d; j++) {
    if (!(max[j] > min[j]) || !(sd[j] > 0)) continue;
    lo = Math.min(lo, sd[j]);
    hi = Math.max(hi, sd[j]);
  }
  return hi > ADVISE_SCALING_SD_RATIO * lo;
}
