/**
 * Shaping the trajectory series for the charts and their text alternative. Pure: no DOM.
 */
import type { TrajectorySeries } from '../src/shared/protocol';

/** The loss for a log axis: values that are not positive and finite have no place there (gaps). */
export function lossForScale(loss: readonly number[], log: boolean): Array<number | null> {
  return loss.map((v) => (Number.isFinite(v) && (!log || v > 0) ? v : null));
}

/** Whether a log axis can show the loss at all (some value positive). */
export function logScaleUsable(loss: readonly number[]): boolean {
  return loss.some((v) => Number.isFinite(v) && v > 0);
}

/** Index of the point whose epoch is nearest `epoch` (epochs ascending), or -1 for no points. */
export function nearestPoint(epochs: readonly number[], epoch: number): number {
  if (epochs.length === 0) return -1;
  let lo = 0;
  let hi = epochs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (epochs[mid] < epoch) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(epochs[lo - 1] - epoch) <= Math.abs(epochs[lo] - epoch)) return lo - 1;
  return lo;
}

/** Up to `count` point indices spread evenly over the series, always with the first and the last. */
export function spreadIndices(length: number, count: number): number[] {
  if (length <= 0 || count <= 0) return [];
  if (length <= count) return Array.from({ length }, (_, k) => k);
  if (count === 1) return [length - 1];
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.round((k * (length - 1)) / (count - 1));
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/** One row of the charts' text alternative. */
export interface SeriesRow {
  epoch: number;
  loss: number;
  w: number[];
  b: number;
  /** ∂l/∂w_j, ∂l/∂b and |∇l| at that epoch. */
  gradW: number[];
  gradB: number;
  gradNorm: number;
}

/** The rows of the text alternative: a few points spread over the run, plus the one on display. */
export function seriesTable(series: TrajectorySeries, count: number, shownEpoch: number | null): SeriesRow[] {
  const picks = new Set(spreadIndices(series.epochs.length, count));
  if (shownEpoch !== null) {
    const k = nearestPoint(series.epochs, shownEpoch);
    if (k >= 0) picks.add(k);
  }
  return [...picks]
    .sort((a, b) => a - b)
    .map((k) => ({
      epoch: series.epochs[k],
      loss: series.loss[k],
      w: series.w.map((wj) => wj[k]),
      b: series.b[k],
      gradW: series.gradW.map((gj) => gj[k]),
      gradB: series.gradB[k],
      gradNorm: series.gradNorm[k],
    }));
}

/** Subscript digits for parameter names: w₁, w₂, … */
export function subscript(n: number): string {
  return String(n).replace(/\d/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[Number(c)]);
}

/** The name of weight j (0-based) among d: `w` alone, else `w₁` … */
export function weightName(j: number, d: number): string {
  return d === 1 ? 'w' : `w${subscript(j + 1)}`;
}

/** Whether v is a power of ten (within rounding). */
function isDecade(v: number): boolean {
  if (!(v > 0)) return false;
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9;
}

/**
 * Splits of a log axis thinned to the powers of ten when at least two are present (uPlot proposes
 * every 1…9 × 10ᵏ, too dense to read); others become null (no line, no label).
 */
export function decadeSplits(splits: ReadonlyArray<number | null>): Array<number | null> {
  const decades = splits.filter((v): v is number => v !== null && isDecade(v)).length;
  return decades >= 2 ? splits.map((v) => (v !== null && isDecade(v) ? v : null)) : [...splits];
}
