/**
 * Turns a training result into the messages the explorer view renders: decimated series, the epoch
 * on display (derivation, gradient, fit), pages of the sample table, the loss surface. Pure (no
 * `vscode`), so it is unit-tested in Node.
 */
import {
  type DerivationPoint,
  type FeatureScaling,
  type Samples,
  type Trajectory,
  computationGraph,
  createEvaluation,
  derivationAt,
  evaluateInto,
  finiteDifferences,
  lossAt,
  pointOf,
  reference,
  sampleDetail,
  toFileUnits,
} from '../engine';
import type { JobResult } from '../training/job';
import { fitChangeOf } from '../shared/fitChange';
import {
  type EpochMessage,
  type FitData,
  type GradientCheckMessage,
  type HostToView,
  type LossSurface,
  MAX_FEATURES_LISTED,
  MAX_INACTIVE_LISTED,
  type RowsMessage,
  type SampleRow,
  type SortKey,
  type TrajectorySeries,
} from '../shared/protocol';

/** Most points a series sends: more than any panel is wide. */
export const MAX_SERIES_POINTS = 2000;
/** Most data points the fit plot gets. */
export const MAX_FIT_POINTS = 2000;

/** Indices 0 … length − 1 thinned to at most `max`, always keeping the first and the last. */
export function decimate(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, k) => k);
  const out: number[] = [];
  const stride = (length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(Math.round(k * stride));
  return out;
}

/** The loss, parameter and gradient histories (∂l/∂w_j, ∂l/∂b, |∇l|), decimated. */
export function seriesOf(t: Trajectory, max = MAX_SERIES_POINTS): TrajectorySeries {
  const picks = decimate(t.length, max);
  const d = t.d;
  return {
    epochs: picks,
    loss: picks.map((e) => t.loss[e]),
    w: Array.from({ length: d }, (_, j) => picks.map((e) => t.w[e * d + j])),
    b: picks.map((e) => t.b[e]),
    gradNorm: picks.map((e) => {
      let s = t.gradB[e] * t.gradB[e];
      for (let j = 0; j < d; j++) s += t.gradW[e * d + j] ** 2;
      return Math.sqrt(s);
    }),
    gradW: Array.from({ length: d }, (_, j) => picks.map((e) => t.gradW[e * d + j])),
    gradB: picks.map((e) => t.gradB[e]),
  };
}

/** θ_t, ∇l(θ_t) and friends at one entry of the trajectory. */
export function pointAt(r: JobResult, epoch: number) {
  return pointOf(r.trajectory!, epoch, r.settings);
}

/** The file's X and how x̃ was made of it, when the run trained on x̃ (`# @scale`). */
export interface RawFeatures {
  raw: Samples;
  scaling: FeatureScaling;
}

/**
 * The data for the fit plot at one epoch; `s` is what was trained on. With `scaled` and one feature,
 * the points are at the file's x and the line's parameters are given in the file's units, so the
 * axis stays in the file's units; `selected` is the chosen sample, whose file x the view needs then.
 */
export function fitAt(
  s: Samples,
  w: ArrayLike<number>,
  b: number,
  reluGradAtZero: 0 | 1,
  scaled: RawFeatures | null = null,
  selected: number | null = null,
): FitData {
  const picks = decimate(s.n, MAX_FIT_POINTS);
  const kind = s.d === 1 ? 'line' : 'predicted';
  // The points' x: the file's (raw) x when scaled, else the x trained on.
  const xOf = kind === 'line' && scaled ? scaled.raw.x : s.x;
  const xs: number[] = [];
  const ys: number[] = [];
  const active: Array<0 | 1> = [];
  for (const i of picks) {
    const u = reference.preActivation(s, i, w, b);
    xs.push(kind === 'line' ? xOf[i] : Math.max(0, u));
    ys.push(s.y[i]);
    active.push(reference.indicator(u, reluGradAtZero));
  }
  const fit: FitData = { kind, xs, ys, active, indices: picks };
  if (kind === 'line' && scaled) {
    const file = toFileUnits(scaled.scaling, w, b);
    fit.fileUnits = { w: file.w[0], b: file.b, selectedX: selected !== null && selected < s.n ? xOf[selected] : null };
  }
  return fit;
}

/** The first `max` inactive samples at (w, b), ascending. */
export function firstInactive(s: Samples, w: ArrayLike<number>, b: number, reluGradAtZero: 0 | 1, max = MAX_INACTIVE_LISTED): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.n && out.length < max; i++) {
    if (reference.indicator(reference.preActivation(s, i, w, b), reluGradAtZero) === 0) out.push(i);
  }
  return out;
}

/** A probe: a point θ = (w, b) placed anywhere on the loss, off the trajectory. */
export interface Probe {
  w: ArrayLike<number>;
  b: number;
}

/** l and ∇l at a probe, as a derivation point (the epoch is the trajectory's epoch on display). */
export function probePoint(r: JobResult, epoch: number, probe: Probe): DerivationPoint & { w: Float64Array; gradW: Float64Array } {
  const w = Float64Array.from(probe.w);
  const ev = evaluateInto(r.samples, w, probe.b, r.settings.reluGradAtZero, createEvaluation(r.samples.d));
  return {
    epoch,
    w,
    b: probe.b,
    loss: ev.loss,
    gradW: ev.gradW,
    gradB: ev.gradB,
    active: ev.active,
    learningRate: r.settings.learningRate,
    reluGradAtZero: r.settings.reluGradAtZero,
  };
}

/** The finite-difference check of ∇l at `epoch` (θ_t and the ∇l on display), or at a probe. */
export function gradientCheckAt(r: JobResult, runId: number, epoch: number, probe: Probe | null = null): GradientCheckMessage {
  const p = probe ? probePoint(r, epoch, probe) : pointAt(r, epoch);
  const check = finiteDifferences(r.samples, p.w, p.b, p);
  return { type: 'gradientCheck', runId, epoch, ...check, reluGradAtZero: p.reluGradAtZero };
}

/** What `epochMessage` shows: which run and epoch, the chosen sample, and what the view asked for. */
export interface EpochMessageOptions {
  result: JobResult;
  runId: number;
  epoch: number;
  selectedSample: number | null;
  playing: boolean;
  /** Whether to send the fit plot's data (only the Fit tab draws it). Default true. */
  withFit?: boolean;
  /** Whether to send the computation graph (only the Graph tab draws it). Default false. */
  withGraph?: boolean;
  /** The view's last `selectSample` applied (see `EpochMessage.selectionSeq`). Default 0. */
  selectionSeq?: number;
  /** A probe to show instead of the trajectory's point (its fit, like the epoch's, only with `withFit`). */
  probe?: Probe | null;
  /** Whether the view holds this run's full fit: with `withFit`, send only what changes (`fitChange`). Default false. */
  fitHeld?: boolean;
}

/** Everything the view shows for the epoch on display. */
export function epochMessage(options: EpochMessageOptions): EpochMessage {
  const {
    result: r,
    runId,
    epoch,
    selectedSample,
    playing,
    withFit = true,
    withGraph = false,
    selectionSeq = 0,
    probe = null,
    fitHeld = false,
  } = options;
  const p = probe ? probePoint(r, epoch, probe) : pointAt(r, epoch);
  const selected = selectedSample !== null && selectedSample < r.dataset.n ? selectedSample : null;
  const scaled = r.scaling && { scaling: r.scaling, raw: r.dataset };
  const sample = selected === null ? null : sampleDetail(r.samples, selected, p.w, p.b, p.reluGradAtZero, p.gradW, p.gradB);
  // The graph of the chosen sample, or of the first when none is chosen (O(d)).
  const fit = withFit ? fitAt(r.samples, p.w, p.b, p.reluGradAtZero, scaled, selected) : null;
  const graphSample =
    !withGraph || r.dataset.n === 0 ? null : (sample ?? sampleDetail(r.samples, 0, p.w, p.b, p.reluGradAtZero, p.gradW, p.gradB));
  return {
    type: 'epoch',
    runId,
    epoch,
    w: Array.from(p.w),
    b: p.b,
    loss: p.loss,
    gradW: Array.from(p.gradW),
    gradB: p.gradB,
    gradNorm: Math.hypot(...p.gradW, p.gradB),
    active: p.active,
    dead: p.active === 0,
    derivation: derivationAt(r.samples, p, selected, scaled),
    selectedSample: selected,
    selectionSeq,
    sample,
    playing,
    inactive: p.active === r.dataset.n ? [] : firstInactive(r.samples, p.w, p.b, p.reluGradAtZero),
    fit: fit && !fitHeld ? fit : null,
    ...(fit && fitHeld ? { fitChange: fitChangeOf(fit) } : {}),
    graph: graphSample && computationGraph(p, r.dataset.n, graphSample, sample !== null, r.scaling !== null),
    ...(probe ? { probe: true } : {}),
  };
}

/** Per-sample quantities at one epoch, for sorting and paging the table. */
export interface SampleColumns {
  u: Float64Array;
  z: Float64Array;
  residual: Float64Array;
  active: Uint8Array;
  contribB: Float64Array;
  share: Float64Array;
}

/** u_i, z_i, r_i, a_i, (2/N) a_i r_i and the share of every sample at (w, b). */
export function sampleColumns(
  s: Samples,
  w: ArrayLike<number>,
  b: number,
  gradW: ArrayLike<number>,
  gradB: number,
  reluGradAtZero: 0 | 1,
): SampleColumns {
  const { n, d, x } = s;
  const cols: SampleColumns = {
    u: new Float64Array(n),
    z: new Float64Array(n),
    residual: new Float64Array(n),
    active: new Uint8Array(n),
    contribB: new Float64Array(n),
    share: new Float64Array(n),
  };
  let norm2 = gradB * gradB;
  for (let j = 0; j < d; j++) norm2 += gradW[j] * gradW[j];
  for (let i = 0; i < n; i++) {
    const { u, z, a, r, c } = reference.sampleTerms(s, i, w, b, reluGradAtZero);
    let xg = 0;
    for (let j = 0; j < d; j++) xg += x[i * d + j] * gradW[j];
    cols.u[i] = u;
    cols.z[i] = z;
    cols.residual[i] = r;
    cols.active[i] = a;
    cols.contribB[i] = c;
    // share = c_i·g / |g|² with c_i = c [x_i; 1]
    cols.share[i] = norm2 > 0 ? (c * (xg + gradB)) / norm2 : 0;
  }
  return cols;
}

/** Sample indices ordered by `key` (ties by index, so the order is stable). */
export function sortedOrder(s: Samples, cols: SampleColumns, key: SortKey, descending: boolean): Int32Array {
  const order = Int32Array.from({ length: s.n }, (_, i) => i);
  if (key === 'index') return descending ? order.reverse() : order;
  const values = key === 'y' ? s.y : cols[key];
  const sign = descending ? -1 : 1;
  return order.sort((a, b) => sign * (values[a] - values[b]) || a - b);
}

/**
 * The position of sample `index` in `order` (its row in the table, 0-based), or null when no sample
 * is chosen or it is not in the table.
 */
export function rankOf(order: Int32Array, index: number | null): number | null {
  if (index === null || !Number.isInteger(index) || index < 0) return null;
  const k = order.indexOf(index);
  return k < 0 ? null : k;
}

/** Which page of the table `rowsPage` cuts: rows [offset, offset + count) of `order`. */
export interface RowsPageOptions {
  result: JobResult;
  runId: number;
  epoch: number;
  cols: SampleColumns;
  /** Sample indices in table order (`sortedOrder`), and the key and direction that made it. */
  order: Int32Array;
  sort: SortKey;
  descending: boolean;
  offset: number;
  count: number;
  /** The chosen sample, whose row the view keeps in sight. Default null. */
  selected?: number | null;
  /** θ = (w_1 … w_d, b) of the probe `cols` were computed at, or null on the trajectory. Default null. */
  probe?: number[] | null;
}

/** One page of the table, with where the chosen sample `selected` is in its order. */
export function rowsPage(options: RowsPageOptions): RowsMessage {
  const { result: r, runId, epoch, cols, order, offset, count, sort, descending, selected = null, probe = null } = options;
  const s = r.dataset;
  const rows: SampleRow[] = [];
  const end = Math.min(s.n, offset + count);
  const listed = Math.min(s.d, MAX_FEATURES_LISTED);
  for (let k = offset; k < end; k++) {
    const i = order[k];
    const c = cols.contribB[i];
    const row: SampleRow = {
      index: i,
      line: s.sampleLines[i] + 1,
      u: cols.u[i],
      z: cols.z[i],
      y: s.y[i],
      residual: cols.residual[i],
      active: cols.active[i] as 0 | 1,
      contribW: Array.from({ length: s.d }, (_, j) => c * r.samples.x[i * s.d + j]),
      contribB: c,
      share: cols.share[i],
    };
    if (r.scaling) {
      // x_i as in the file beside x̃_i as trained on.
      row.x = Array.from(s.x.subarray(i * s.d, i * s.d + listed));
      row.xScaled = Array.from(r.samples.x.subarray(i * s.d, i * s.d + listed));
    }
    rows.push(row);
  }
  const selectedRank = rankOf(order, selected);
  return {
    type: 'rows',
    runId,
    epoch,
    offset,
    total: s.n,
    sort,
    descending,
    rows,
    selectedSample: selectedRank === null ? null : selected,
    selectedRank,
    ...(probe ? { probe } : {}),
  };
}

/** Rows used for the loss surface: all of them up to this many, else an even subsample. */
const SURFACE_ROWS = 20_000;

/**
 * l(w, b) on a grid × grid lattice covering the descent path (one feature only), padded by a third of
 * its extent on each side.
 */
export function lossSurface(r: JobResult, grid = 41): LossSurface | null {
  const t = r.trajectory;
  const s = r.samples;
  if (!t || s.d !== 1 || t.length === 0) return null;
  const path = decimate(t.length, 400);
  const pathW = path.map((e) => t.w[e]);
  const pathB = path.map((e) => t.b[e]);
  const span = (v: number[]) => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    const pad = Math.max((hi - lo) / 3, 0.5, Math.abs(hi) * 0.2);
    return [lo - pad, hi + pad];
  };
  const [w0, w1] = span(pathW);
  const [b0, b1] = span(pathB);
  const ws = Array.from({ length: grid }, (_, k) => w0 + ((w1 - w0) * k) / (grid - 1));
  const bs = Array.from({ length: grid }, (_, k) => b0 + ((b1 - b0) * k) / (grid - 1));
  const rows = decimate(s.n, SURFACE_ROWS);
  const sub: Samples =
    rows.length === s.n
      ? s
      : { n: rows.length, d: 1, x: Float64Array.from(rows, (i) => s.x[i]), y: Float64Array.from(rows, (i) => s.y[i]) };
  const wBuf = new Float64Array(1);
  const loss = bs.map((b) =>
    ws.map((w) => {
      wBuf[0] = w;
      return lossAt(sub, wBuf, b);
    }),
  );
  return { w: ws, b: bs, loss, pathW, pathB };
}

/**
 * With more than one feature: l on a grid × grid slice through θ (the point on display) along
 * parameters `axes` (0 … d − 1 the weights, d the bias), each spanning the trajectory's range of that
 * parameter and θ's value, padded as the one-feature surface is. Null for one feature or bad axes.
 */
export function lossSlice(r: JobResult, theta: ArrayLike<number>, axes: [number, number], grid = 41): LossSurface | null {
  const t = r.trajectory;
  const s = r.samples;
  const d = s.d;
  if (!t || d < 2 || t.length === 0 || theta.length !== d + 1 || axes.some((k) => k > d) || axes[0] === axes[1]) return null;
  const path = decimate(t.length, 400);
  const valueAt = (e: number, k: number) => (k < d ? t.w[e * d + k] : t.b[e]);
  const span = (k: number) => {
    const v = [...path.map((e) => valueAt(e, k)), theta[k]];
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    const pad = Math.max((hi - lo) / 3, 0.5, Math.abs(hi) * 0.2);
    return [lo - pad, hi + pad];
  };
  const lattice = (k: number) => {
    const [v0, v1] = span(k);
    return Array.from({ length: grid }, (_, i) => v0 + ((v1 - v0) * i) / (grid - 1));
  };
  const xs = lattice(axes[0]);
  const ys = lattice(axes[1]);
  const rows = decimate(s.n, SURFACE_ROWS);
  const sub: Samples =
    rows.length === s.n
      ? s
      : {
          n: rows.length,
          d,
          x: Float64Array.from({ length: rows.length * d }, (_, k) => s.x[rows[Math.floor(k / d)] * d + (k % d)]),
          y: Float64Array.from(rows, (i) => s.y[i]),
        };
  const point = Float64Array.from(theta);
  const loss = ys.map((vy) =>
    xs.map((vx) => {
      point[axes[0]] = vx;
      point[axes[1]] = vy;
      return lossAt(sub, point.subarray(0, d), point[d]);
    }),
  );
  return { w: xs, b: ys, loss, pathW: [], pathB: [], axes, through: Array.from(theta) };
}

/**
 * A host message's size in bytes as it crosses to the view: its JSON length, with each typed array
 * counted by its bytes (VS Code transfers their buffers beside the JSON).
 */
export function messageBytes(message: unknown): number {
  let buffers = 0;
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (!ArrayBuffer.isView(value)) return value;
    buffers += value.byteLength;
    return 0;
  });
  return json.length + buffers;
}

/**
 * What the host knows of the full fit the view holds: the run of the last full fit posted since it
 * was last forgotten. Forgotten whenever the view may have lost it or may need it drawn afresh (a
 * `ready`, the panel hidden, another dataset, a run sent, a tab change, `requestFit`): the next fit
 * then goes in full.
 */
export class FitLedger {
  private run = -1;

  /** Whether an epoch of `runId` may send only its `fitChange`. */
  holds(runId: number): boolean {
    return this.run === runId;
  }

  /** A message went to the view: a full fit in it (or in its epoch) is held from now on. */
  posted(message: HostToView): void {
    const epoch = message.type === 'trained' ? message.epoch : message.type === 'epoch' ? message : null;
    if (epoch?.fit) this.run = epoch.runId;
  }

  /** The view may not hold it (any more). */
  forget(): void {
    this.run = -1;
  }
}
