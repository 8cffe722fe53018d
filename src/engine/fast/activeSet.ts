/**
 * l and ∇l for small data in about half the arithmetic of the fused pass, from sums over the active set.
 *
 * An active row (a_i = 1) has z_i = u_i, so its residual r_i = w·x_i + b − y_i is linear in θ:
 *
 *   Σ a_i r_i x_i = G w + b s − c      G = Σ_A x_i x_iᵀ,  s = Σ_A x_i,  c = Σ_A y_i x_i
 *   Σ a_i r_i     = s·w + n_A b − Y    n_A = |A|,  Y = Σ_A y_i
 *
 * with A = {i : a_i = 1}. These sums depend on A alone, and once descent settles A changes by a few
 * rows an epoch. So an epoch is one forward pass — u_i, a_i and Σ r_i² exactly as the fused pass
 * computes them, which also lists the rows that joined or left A — then O(d²) for ∇l; a row that joins
 * or leaves adds or subtracts its x_i x_iᵀ, y_i x_i, x_i and y_i.
 *
 * l and the active count are the fused pass's bits; ∇l is the same sum grouped differently, so it can
 * differ in the last bits (both are float64 sums of the same terms; tests bound the difference). The
 * sums are rebuilt from A in row order once the rows added or removed since the last build exceed
 * N, so rounding from ± updates never accumulates beyond that. A pass whose l or ∇l is not finite is
 * redone by `evaluateSerial`, whose semantics (and stopping) it then has exactly.
 *
 * Per sample nothing changes: the hover, the table and the derivation compute each sample's terms
 * from θ as before (reference.ts, through neuron.ts's `sampleDetail`). Chosen for small data by choose.ts.
 */
import type { Evaluation, Samples } from '../samples';
import type { ReluGradAtZero } from '../settings';
import { activationLimit, blockRows } from './blocks';
import { type Evaluator, evaluateSerial } from './serial';
import type { WasmKernel } from './wasm';

/** The forward pass in JavaScript (where the WebAssembly kernel is unavailable): `WasmKernel.forward`'s contract. */
export function forwardRows(
  s: Samples,
  w: Float64Array,
  b: number,
  lim: number,
  mask: Uint8Array,
  flips: Int32Array,
  sums: Float64Array,
): number {
  const { n, d, x, y } = s;
  const rows = blockRows(n);
  let total = 0;
  let active = 0;
  let count = 0;
  // Σ r² as evaluateSerial adds it: in row order within each block, then the blocks in order.
  for (let start = 0; start < n; start += rows) {
    const end = Math.min(n, start + rows);
    let sumSq = 0;
    for (let i = start, p = start * d; i < end; i++, p += d) {
      // u_i = b + w_1 x_i1 + … + w_d x_id, left to right, as reference.ts and every kernel.
      let u = b;
      for (let j = 0; j < d; j++) u += w[j] * x[p + j];
      const a = ((u > lim) as unknown as number) | 0;
      const r = a * u - y[i];
      sumSq += r * r;
      active += a;
      if (a !== mask[i]) {
        mask[i] = a;
        flips[count++] = i;
      }
    }
    total += sumSq;
  }
  sums[0] = total;
  sums[1] = active;
  return count;
}

/** The active-set sums of one run, and the evaluation they give. One per `TrainingSession`. */
export class ActiveSetGradient implements Evaluator {
  readonly path = 'active set';
  /** a_i of the last pass, one byte a row (all 0 before the first: A starts empty). */
  private readonly mask: Uint8Array;
  private readonly flips: Int32Array;
  private readonly sums = new Float64Array(2);
  private readonly lim: number;
  /** G (d × d, row-major; updates write the upper triangle, `mirror` copies it down), s, c, n_A, Y. */
  private readonly gram: Float64Array;
  private readonly sumX: Float64Array;
  private readonly sumYX: Float64Array;
  private countA = 0;
  private sumY = 0;
  private lowerStale = false;
  /** Rows added or removed since the sums were last built from A. */
  private updates = 0;
  private readonly rebuildAfter: number;

  /** `kernel`: the samples' WebAssembly kernel made with `forward` (or null: the JS forward pass). */
  constructor(
    private readonly samples: Samples,
    private readonly reluGradAtZero: ReluGradAtZero,
    private readonly kernel: WasmKernel | null = null,
  ) {
    const { n, d } = samples;
    this.mask = new Uint8Array(n);
    this.flips = new Int32Array(n);
    this.lim = activationLimit(reluGradAtZero);
    this.gram = new Float64Array(d * d);
    this.sumX = new Float64Array(d);
    this.sumYX = new Float64Array(d);
    this.rebuildAfter = Math.max(16, n);
  }

  /** l, ∇l and the active count at (w, b) into `out`, as reference.ts's `gradient` defines them. */
  evaluateInto(w: Float64Array, b: number, out: Evaluation): Evaluation {
    const { samples: s, mask, flips, sums } = this;
    const n = s.n;
    let count = this.kernel !== null ? this.kernel.forward(mask, w, b, this.lim, flips, sums) : -1;
    if (count < 0) count = forwardRows(s, w, b, this.lim, mask, flips, sums);
    if (count > 0) {
      if (this.updates + count > this.rebuildAfter) this.rebuild();
      else this.apply(flips, count);
    }
    if (!Number.isFinite(sums[0])) return evaluateSerial(s, w, b, this.reluGradAtZero, out);
    out.loss = n > 0 ? sums[0] / n : 0;
    out.active = sums[1];
    if (!this.gradientInto(w, b, out)) return evaluateSerial(s, w, b, this.reluGradAtZero, out);
    return out;
  }

  /** ∂l/∂w = (2/N)(G w + b s − c), ∂l/∂b = (2/N)(s·w + n_A b − Y) into `out`; whether all are finite. */
  private gradientInto(w: Float64Array, b: number, out: Evaluation): boolean {
    const { gram: g, sumX, sumYX } = this;
    const d = this.samples.d;
    const n = this.samples.n;
    if (this.lowerStale) this.mirror();
    const scale = 2 / n;
    const gw = out.gradW;
    let sw = 0;
    let check = 0;
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let k = 0, o = j * d; k < d; k++) v += g[o + k] * w[k];
      gw[j] = (v + b * sumX[j] - sumYX[j]) * scale;
      sw += sumX[j] * w[j];
      check += 0 * gw[j];
    }
    out.gradB = (sw + this.countA * b - this.sumY) * scale;
    // 0·v is 0 for finite v and NaN for ±∞ or NaN.
    return check + 0 * out.gradB === 0;
  }

  /**
   * Adds the rows `rows[0 … count)` that joined A and removes those that left (as `mask` now says):
   * G ± x_i x_iᵀ (upper triangle), s ± x_i, c ± y_i x_i, n_A ± 1, Y ± y_i.
   */
  private apply(rows: Int32Array, count: number): void {
    const { gram: g, sumX, sumYX, mask } = this;
    const { d, x, y } = this.samples;
    let countA = this.countA;
    let sumY = this.sumY;
    for (let q = 0; q < count; q++) {
      const i = rows[q];
      const sign = mask[i] === 1 ? 1 : -1;
      const p = i * d;
      const yi = sign * y[i];
      for (let j = 0; j < d; j++) {
        const xj = x[p + j];
        const v = sign * xj;
        sumX[j] += v;
        sumYX[j] += yi * xj;
        for (let k = j, o = j * d + j, pk = p + j; k < d; k++, o++, pk++) g[o] += v * x[pk];
      }
      countA += sign;
      sumY += yi;
    }
    this.countA = countA;
    this.sumY = sumY;
    this.updates += count;
    this.lowerStale = true;
  }

  /** The sums from A afresh, rows in order. */
  private rebuild(): void {
    this.gram.fill(0);
    this.sumX.fill(0);
    this.sumYX.fill(0);
    this.countA = 0;
    this.sumY = 0;
    const { mask, flips: active } = this;
    let count = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] === 1) active[count++] = i;
    this.apply(active, count);
    this.updates = 0;
  }

  /** Copies G's upper triangle onto its lower one. */
  private mirror(): void {
    const g = this.gram;
    const d = this.samples.d;
    for (let j = 1; j < d; j++) for (let k = 0; k < j; k++) g[j * d + k] = g[k * d + j];
    this.lowerStale = false;
  }
}
