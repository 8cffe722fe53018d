/**
 * The geometry of the Fit plot: ranges with a margin, the neuron's line max(0, w·x + b) with its
 * kink, and hit-testing a click against the points. Pure: no DOM.
 */

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
