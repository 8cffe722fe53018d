/**
 * The geometry of the Fit plot: ranges with a margin, the neuron's line max(0, w·x + b) with its
 * kink, and hit-testing a click against the points. Pure: no DOM.
 */
import type { FitData } from '../src/shared/protocol';

/**
 * The line's slope and intercept against the plot's x axis: w₁ and b as trained, or with `# @scale`
 * the same neuron in the file's units (the axis shows the file's x, not x̃).
 */
export function lineParameters(fit: Pick<FitData, 'fileUnits'>, w: readonly number[], b: number): { w: number; b: number } {
  return fit.fileUnits ? { w: fit.fileUnits.w, b: fit.fileUnits.b } : { w: w[0] ?? 0, b };
}

/** [min, max] of the finite values, widened by `pad` of the span (or ±1 around a single value). */
export function paddedRange(values: readonly number[], pad = 0.05): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return [0, 1];
  if (min === max) return [min - 1, max + 1];
  const m = (max - min) * pad;
  return [min - m, max + m];
}

/**
 * Points of z = max(0, w·x + b) over [x0, x1], ascending in x, with the kink x = −b/w included when
 * it lies inside (so the corner is drawn where it is, not between samples).
 */
export function reluLine(w: number, b: number, x0: number, x1: number): { x: number[]; y: number[] } {
  const xs = [x0];
  if (w !== 0) {
    const kink = -b / w;
    if (kink > x0 && kink < x1) xs.push(kink);
  }
  xs.push(x1);
  return { x: xs, y: xs.map((x) => Math.max(0, w * x + b)) };
}

/** The index of the point nearest (px, py) within `radius` pixels, or -1. */
export function hitTest(px: ArrayLike<number>, py: ArrayLike<number>, x: number, y: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  for (let k = 0; k < px.length; k++) {
    const dx = px[k] - x;
    const dy = py[k] - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/** A plotted sample: its x on the plot and its index (ties in x go by index). */
export interface PlotPoint {
  x: number;
  index: number;
}

const before = (a: PlotPoint, b: PlotPoint) => a.x < b.x || (a.x === b.x && a.index < b.index);

/**
 * The sample a key chooses on the plot, moving in order of x (then of index among equal x):
 * ArrowRight/ArrowLeft the next/previous point after/before `from` (the first/last when nothing is
 * chosen; `from` itself at either end), Home/End the first/last point, Escape none (null). Returns
 * undefined when the key does nothing here (another key, no points, Escape with nothing chosen), so
 * the event is left alone. `from` need not be a plotted point (a sample left out of a large plot).
 * Points whose x is not finite cannot be ordered and are skipped.
 */
export function keySelection(
  xs: ArrayLike<number>,
  indices: ArrayLike<number>,
  from: PlotPoint | null,
  key: string,
): number | null | undefined {
  if (key === 'Escape') return from === null ? undefined : null;
  if (key !== 'ArrowRight' && key !== 'ArrowLeft' && key !== 'Home' && key !== 'End') return undefined;
  const forward = key === 'ArrowRight' || key === 'Home';
  const bound = key === 'Home' || key === 'End' || (from !== null && !Number.isFinite(from.x)) ? null : from;
  let best: PlotPoint | null = null;
  for (let k = 0; k < xs.length; k++) {
    const p = { x: xs[k], index: indices[k] };
    if (!Number.isFinite(p.x)) continue;
    if (forward) {
      // The least point after the bound.
      if ((bound === null || before(bound, p)) && (best === null || before(p, best))) best = p;
    } else if ((bound === null || before(p, bound)) && (best === null || before(best, p))) {
      best = p;
    }
  }
  if (best) return best.index;
  return bound ? bound.index : undefined;
}
