/**
 * The arithmetic behind the loss-surface picture: a log scale for the loss, contour lines by
 * marching squares, colour mixing for a theme-derived ramp. Pure: no DOM.
 */

/** An sRGB colour with alpha in [0, 1]. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Reads `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)` and `rgba(…)`; null for anything else. */
export function parseColor(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(s);
  if (m) {
    let h = m[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    if (h.length !== 6 && h.length !== 8) return null;
    const n = (k: number) => parseInt(h.slice(k, k + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(s);
  if (m) {
    const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return { r: +m[1], g: +m[2], b: +m[3], a: Math.max(0, Math.min(1, alpha)) };
  }
  return null;
}

/** a + (b − a)·t per channel, t clamped to [0, 1]. */
export function mix(a: Rgba, b: Rgba, t: number): Rgba {
  const u = Math.max(0, Math.min(1, t));
  return { r: a.r + (b.r - a.r) * u, g: a.g + (b.g - a.g) * u, b: a.b + (b.b - a.b) * u, a: a.a + (b.a - a.a) * u };
}

/** A colour for canvas: `rgba(r, g, b, a)`, optionally with its alpha scaled. */
export function css(c: Rgba, alphaScale = 1): string {
  return `rgba(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)}, ${+(c.a * alphaScale).toFixed(3)})`;
}

/** The colour at t ∈ [0, 1] of a ramp through evenly spaced stops. */
export function ramp(stops: readonly Rgba[], t: number): Rgba {
  if (stops.length === 1) return stops[0];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x));
  return mix(stops[k], stops[k + 1], x - k);
}

/**
 * The loss grid on a log scale mapped to [0, 1] (0 = lowest loss on the grid), NaN where the loss
 * is not finite. Loss 0 is lifted to a tiny fraction of the smallest positive value.
 */
export function logNormalize(loss: readonly (readonly number[])[]): { t: number[][]; min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  let minPositive = Infinity;
  for (const row of loss)
    for (const v of row) {
      if (!Number.isFinite(v)) continue;
      if (v > 0 && v < minPositive) minPositive = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  if (!Number.isFinite(minPositive)) minPositive = 1;
  const floor = minPositive * 1e-3;
  const lg = (v: number) => Math.log10(Math.max(v, floor));
  const lo = Number.isFinite(min) ? lg(min) : 0;
  const hi = Number.isFinite(max) ? lg(max) : 1;
  const span = hi - lo || 1;
  const t = loss.map((row) => row.map((v) => (Number.isFinite(v) ? (lg(v) - lo) / span : NaN)));
  return { t, min: Number.isFinite(min) ? min : NaN, max: Number.isFinite(max) ? max : NaN };
}

/** `count` levels strictly inside (0, 1), evenly spaced (on the normalised log scale). */
export function contourLevels(count: number): number[] {
  return Array.from({ length: count }, (_, k) => (k + 1) / (count + 1));
}

/** A segment in grid coordinates: x along columns (ix), y along rows (iy). */
export type Segment = [number, number, number, number];

/**
 * The contour of `grid` at `level` by marching squares: segments in grid coordinates, linear
 * interpolation along cell edges. Cells with a NaN corner are skipped.
 */
export function contour(grid: readonly (readonly number[])[], level: number): Segment[] {
  const segments: Segment[] = [];
  const rows = grid.length;
  const cols = rows > 0 ? grid[0].length : 0;
  const at = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
  for (let y = 0; y + 1 < rows; y++) {
    for (let x = 0; x + 1 < cols; x++) {
      const v0 = grid[y][x]; // top-left (x, y)
      const v1 = grid[y][x + 1]; // (x+1, y)
      const v2 = grid[y + 1][x + 1]; // (x+1, y+1)
      const v3 = grid[y + 1][x]; // (x, y+1)
      if (Number.isNaN(v0) || Number.isNaN(v1) || Number.isNaN(v2) || Number.isNaN(v3)) continue;
      const code = (v0 >= level ? 1 : 0) | (v1 >= level ? 2 : 0) | (v2 >= level ? 4 : 0) | (v3 >= level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      // Crossing points on the four edges.
      const top: [number, number] = [x + at(v0, v1), y];
      const right: [number, number] = [x + 1, y + at(v1, v2)];
      const bottom: [number, number] = [x + at(v3, v2), y + 1];
      const left: [number, number] = [x, y + at(v0, v3)];
      const seg = (p: [number, number], q: [number, number]) => segments.push([p[0], p[1], q[0], q[1]]);
      switch (code) {
        case 1:
        case 14:
          seg(left, top);
          break;
        case 2:
        case 13:
          seg(top, right);
          break;
        case 3:
        case 12:
          seg(left, right);
          break;
        case 4:
        case 11:
          seg(right, bottom);
          break;
        case 6:
        case 9:
          seg(top, bottom);
          break;
        case 7:
        case 8:
          seg(left, bottom);
          break;
        case 5: {
          // Saddle: decide by the centre value.
          const centre = (v0 + v1 + v2 + v3) / 4;
          if (centre >= level) {
            seg(left, bottom);
            seg(top, right);
          } else {
            seg(left, top);
            seg(right, bottom);
          }
          break;
        }
        case 10: {
          const centre = (v0 + v1 + v2 + v3) / 4;
          if (centre >= level) {
            seg(left, top);
            seg(right, bottom);
          } else {
            seg(left, bottom);
            seg(top, right);
          }
          break;
        }
      }
    }
  }
  return segments;
}

/** A linear map from [d0, d1] to [r0, r1] (used for axis ↔ pixel). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** The fractional grid position of a value along ascending axis values (for uneven grids too). */
export function gridPosition(axis: readonly number[], v: number): number {
  const n = axis.length;
  if (n === 0) return NaN;
  if (n === 1 || v <= axis[0]) return n === 1 ? 0 : (v - axis[0]) / (axis[1] - axis[0]);
  if (v >= axis[n - 1]) return n - 1 + (v - axis[n - 1]) / (axis[n - 1] - axis[n - 2]);
  let k = 0;
  while (k + 1 < n && axis[k + 1] < v) k++;
  return k + (v - axis[k]) / (axis[k + 1] - axis[k]);
}

/** About `count` round tick values covering [min, max] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return Number.isFinite(min) ? [min] : [];
  const raw = (max - min) / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return out;
}
