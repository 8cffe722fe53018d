import { strict as assert } from 'node:assert';
import {
  ActiveSetGradient,
  DEFAULT_SETTINGS,
  type Evaluation,
  FAST_PATHS,
  type ReluGradAtZero,
  type Samples,
  TrainingSession,
  WasmKernel,
  activationLimit,
  activeSetSuits,
  blockRows,
  createEvaluation,
  evaluateSerial,
  forwardRows,
  mergeSettings,
  recordLength,
  rowsExact,
  seededUniform,
} from '../../src/engine';
import { type Case, bitsOf, randomCase, sameRecord } from './cases';

const EPS = 2 ** -52;
const { ACTIVE_SET_MAX_D, ACTIVE_SET_MAX_VALUES, ACTIVE_SET_MIN_EPOCHS } = FAST_PATHS;

/** The active set as choose.ts makes it: with the WebAssembly kernel's forward pass (`wasm` false: the JS one). */
function activeSet(s: Samples, g0: ReluGradAtZero, wasm = true): ActiveSetGradient {
  return new ActiveSetGradient(s, g0, wasm ? WasmKernel.create(s.x, s.y, s.d, { forward: true }) : null);
}

function samplesOf(c: Case, n: number, d: number): Samples {
  return { n, d, x: c.x, y: c.y };
}

/**
 * How far the active-set gradient may be from the fused pass's: both are float64 sums of the same
 * terms a_i (u_i − y_i) x_ij, grouped differently, so each is within a few (n + d) ulps of
 * scale_j = (2/N) Σ_i |x_ij| (|b| + Σ_k |w_k x_ik| + |y_i|), the sum of the terms' magnitudes.
 * (8 (n + d) ε · scale: a bound on the rounding, far below any one row's term on this data.)
 */
function gradientTolerance(s: Samples, w: Float64Array, b: number): { w: Float64Array; b: number } {
  const { n, d, x, y } = s;
  const tw = new Float64Array(d);
  let tb = 0;
  for (let i = 0; i < n; i++) {
    let mag = Math.abs(b) + Math.abs(y[i]);
    for (let k = 0; k < d; k++) mag += Math.abs(w[k] * x[i * d + k]);
    tb += mag;
    for (let j = 0; j < d; j++) tw[j] += Math.abs(x[i * d + j]) * mag;
  }
  const f = (8 * (n + d) * EPS * 2) / n;
  return { w: tw.map((v) => v * f), b: tb * f };
}

/** l and the active count to the bit; ∇l within `gradientTolerance`. */
function assertAgrees(got: Evaluation, want: Evaluation, s: Samples, w: Float64Array, b: number, what: string): void {
  assert.ok(Object.is(got.loss, want.loss), `${what}: l = ${got.loss}, the fused pass ${want.loss}`);
  assert.equal(got.active, want.active, `${what}: active`);
  const tol = gradientTolerance(s, w, b);
  assert.ok(Math.abs(got.gradB - want.gradB) <= tol.b, `${what}: ∂l/∂b = ${got.gradB}, the fused pass ${want.gradB} (±${tol.b})`);
  for (let j = 0; j < s.d; j++) {
    const diff = Math.abs(got.gradW[j] - want.gradW[j]);
    assert.ok(diff <= tol.w[j], `${what}: ∂l/∂w_${j + 1} = ${got.gradW[j]}, the fused pass ${want.gradW[j]} (±${tol.w[j]})`);
  }
}

/**
 * θ_0, θ_1, … a walk that makes rows join and leave A: small steps (a few flips), jumps (many), a
 * return to θ_0 every few steps (rows flip back), and b = ±0.
 */
function walk(c: Case, steps: number, seed: number): { w: Float64Array; b: number }[] {
  const rand = seededUniform(seed);
  const points = [{ w: c.w.slice(), b: c.b }];
  let w = c.w.slice();
  let b = c.b;
  for (let t = 1; t < steps; t++) {
    const r = rand();
    if (r < 0.15) {
      w = c.w.slice();
      b = c.b;
    } else if (r < 0.3) {
      w = w.map(() => rand() * 4 - 2);
      b = rand() < 0.2 ? -0 : rand() - 0.5;
    } else {
      w = w.map((v) => v + (rand() - 0.5) * 0.05);
      b += (rand() - 0.5) * 0.05;
    }
    points.push({ w: w.slice(), b });
  }
  return points;
}

/** What one fresh ActiveSetGradient gives at each point in turn, as bits. */
function bitsAlong(s: Samples, g0: ReluGradAtZero, points: { w: Float64Array; b: number }[], wasm = true): Float64Array[] {
  const g = activeSet(s, g0, wasm);
  return points.map(({ w, b }) => bitsOf(g.evaluateInto(w, b, createEvaluation(s.d))));
}

/** `bitsAlong` with the WebAssembly kernel, then with it switched off: the same bits. */
function sameBitsWithoutKernel(s: Samples, g0: ReluGradAtZero, points: { w: Float64Array; b: number }[], what: string): void {
  const fast = bitsAlong(s, g0, points);
  const js = bitsAlong(s, g0, points, false);
  fast.forEach((bits, t) => sameRecord(bits, js[t], `${what}, point ${t}`));
}

describe('the active-set gradient (fast/activeSet.ts)', () => {
  it('forward pass: Σ r² and Σ a to the bit of the fused pass, and the rows that flipped, in order — JS and WebAssembly alike', () => {
    let seed = 11;
    let flipped = 0;
    for (let d = 1; d <= ACTIVE_SET_MAX_D; d++) {
      for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 13, 64, 203, 777]) {
        for (const kind of ['smooth', 'grid'] as const) {
          const c = randomCase(seed++, n, d, kind);
          const s = samplesOf(c, n, d);
          const placed = WasmKernel.create(c.x, c.y, d, { forward: true });
          assert.ok(placed !== null, 'the kernel with its row-pair copy');
          const rand = seededUniform(seed * 31);
          const start = Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
          for (const lim of [activationLimit(0), activationLimit(1)]) {
            const what = `d = ${d}, n = ${n}, ${kind}, lim = ${lim}`;
            // evaluateSerial's sums: rowsExact's record of each block, added in block order.
            const record = new Float64Array(recordLength(d));
            let sumSq = 0;
            let active = 0;
            for (let start = 0; start < n; start += blockRows(n)) {
              rowsExact(c.x, c.y, d, c.w, c.b, lim, start, Math.min(n, start + blockRows(n)), record, 0);
              sumSq += record[0];
              active += record[2];
            }
            const wantMask = new Uint8Array(n);
            const wantFlips: number[] = [];
            for (let i = 0; i < n; i++) {
              let u = c.b;
              for (let j = 0; j < d; j++) u += c.w[j] * c.x[i * d + j];
              wantMask[i] = u > lim ? 1 : 0;
              if (wantMask[i] !== start[i]) wantFlips.push(i);
            }
            flipped += wantFlips.length;
            const runs: [string, (mask: Uint8Array, flips: Int32Array, sums: Float64Array) => number][] = [
              ['JS', (mask, flips, sums) => forwardRows(s, c.w, c.b, lim, mask, flips, sums)],
              [
                'WebAssembly',
                (mask, flips, sums) => {
                  placed.loadMask(mask);
                  return placed.forward(mask, c.w, c.b, lim, flips, sums);
                },
              ],
            ];
            for (const [how, run] of runs) {
              const mask = start.slice();
              const flips = new Int32Array(n).fill(-7);
              const sums = new Float64Array(2);
              const count = run(mask, flips, sums);
              assert.ok(Object.is(sums[0], sumSq), `${what}, ${how}: Σ r² ${sums[0]} vs ${sumSq}`);
              assert.equal(sums[1], active, `${what}, ${how}: Σ a`);
              assert.deepEqual(Array.from(flips.subarray(0, count)), wantFlips, `${what}, ${how}: flipped rows`);
              assert.deepEqual(Array.from(mask), Array.from(wantMask), `${what}, ${how}: mask`);
            }
          }
        }
      }
    }
    assert.ok(flipped > 10_000, `${flipped} flips`);
  });

  it('gives l and the active count to the bit, and ∇l within rounding, along walks that flip and rebuild', () => {
    let seed = 3;
    for (const d of [1, 2, 3, 5, 8, 11, 16]) {
      for (const n of [1, 3, 10, 77, 400]) {
        for (const kind of ['smooth', 'grid'] as const) {
          for (const g0 of [0, 1] as ReluGradAtZero[]) {
            const c = randomCase(seed++, n, d, kind);
            const s = samplesOf(c, n, d);
            const fast = activeSet(s, g0);
            const got = createEvaluation(d);
            const want = createEvaluation(d);
            // 3n + 40 points: enough ± updates to pass the rebuild threshold (n) several times over.
            walk(c, 3 * n + 40, seed).forEach(({ w, b }, t) => {
              fast.evaluateInto(w, b, got);
              evaluateSerial(s, w, b, g0, want);
              assertAgrees(got, want, s, w, b, `d = ${d}, n = ${n}, ${kind}, ReLU'(0) = ${g0}, point ${t}`);
            });
          }
        }
      }
    }
  });

  it("catches a wrong gradient: the tolerance is far below one row's share", () => {
    const d = 8;
    const n = 400;
    const c = randomCase(5, n, d, 'smooth');
    const s = samplesOf(c, n, d);
    const want = evaluateSerial(s, c.w, c.b, 0, createEvaluation(d));
    // The fused pass without its last row: one row's share missing.
    const short = evaluateSerial({ ...s, n: n - 1 }, c.w, c.b, 0, createEvaluation(d));
    const tol = gradientTolerance(s, c.w, c.b);
    const missing = (short.gradB * (n - 1)) / n - want.gradB;
    assert.ok(Math.abs(missing) > 1e6 * tol.b, `one row moves ∂l/∂b by ${missing}; tolerance ${tol.b}`);
  });

  it('is the same bits with the WebAssembly kernel and without it', () => {
    for (const d of [1, 4, 7, 8, 16]) {
      const n = 301;
      const c = randomCase(60 + d, n, d, d % 2 ? 'grid' : 'smooth');
      const s = samplesOf(c, n, d);
      sameBitsWithoutKernel(s, 1, walk(c, 700, d), `d = ${d}`);
    }
  });

  it('runs the JS forward pass, to the same bits, with a kernel made without the row-pair copy', () => {
    const d = 8;
    const n = 900;
    const c = randomCase(71, n, d, 'smooth');
    const s = samplesOf(c, n, d);
    const plain = WasmKernel.create(c.x, c.y, d);
    assert.ok(plain !== null);
    assert.equal(plain.forward(new Uint8Array(n), c.w, c.b, 0, new Int32Array(n), new Float64Array(2)), -1);
    const g = new ActiveSetGradient(s, 0, plain);
    const want = bitsAlong(s, 0, walk(c, 30, 9), false);
    walk(c, 30, 9).forEach(({ w, b }, t) => sameRecord(bitsOf(g.evaluateInto(w, b, createEvaluation(d))), want[t], `point ${t}`));
  });

  it("keeps each run's mask apart: two runs on the same data, and other data placed in between", () => {
    const d = 6;
    const n = 250;
    const a = randomCase(8, n, d, 'smooth');
    const other = randomCase(9, n + 30, d, 'smooth');
    const s = samplesOf(a, n, d);
    const points = walk(a, 120, 4);
    const others = walk(a, 120, 5);
    const want0 = bitsAlong(s, 0, points);
    const want1 = bitsAlong(s, 1, others);
    const g0 = activeSet(s, 0);
    const g1 = activeSet(s, 1);
    for (let t = 0; t < points.length; t++) {
      sameRecord(bitsOf(g0.evaluateInto(points[t].w, points[t].b, createEvaluation(d))), want0[t], `first run, point ${t}`);
      if (t % 7 === 0) evaluateSerial(samplesOf(other, n + 30, d), other.w, other.b, 0, createEvaluation(d));
      sameRecord(bitsOf(g1.evaluateInto(others[t].w, others[t].b, createEvaluation(d))), want1[t], `second run, point ${t}`);
    }
  });

  it('hands a pass whose l or ∇l is not finite to the fused pass, whose result it then is exactly', () => {
    let cases = 0;
    for (const d of [1, 3, 8]) {
      const n = 41;
      for (const poison of ['overflow', 'huge', 'nan'] as const) {
        const c = randomCase(200 + d, n, d, 'smooth');
        const w = c.w.slice();
        const b = 0.3;
        if (poison === 'huge') {
          // w_1 = 0 and x_i1 = 1e200 in an active row: u_i and r_i x_i stay finite, x_i x_iᵀ in G does not.
          w[0] = 0;
          let i = 0;
          for (; i < n; i++) {
            let u = b;
            for (let j = 0; j < d; j++) u += w[j] * c.x[i * d + j];
            if (u > 0) break;
          }
          assert.ok(i < n, 'an active row');
          c.x[i * d] = 1e200;
        }
        const s = samplesOf(c, n, d);
        const g = activeSet(s, 0);
        g.evaluateInto(c.w, c.b, createEvaluation(d)); // a first pass elsewhere: the sums hold its A
        if (poison === 'overflow') w[0] = 1e308; // u_i = ±∞ for most rows
        if (poison === 'nan') w[d - 1] = NaN;
        const got = g.evaluateInto(w, b, createEvaluation(d));
        const want = evaluateSerial(s, w, b, 0, createEvaluation(d));
        sameRecord(bitsOf(got), bitsOf(want), `d = ${d}, ${poison}`);
        if (poison === 'huge') assert.ok(Number.isFinite(want.loss) && want.gradW.every(Number.isFinite), 'the fused pass is finite there');
        cases++;
      }
    }
    assert.equal(cases, 9);
  });

  it('is chosen by TrainingSession by size alone: small d, N·(d + 1) ≤ ACTIVE_SET_MAX_VALUES, runs of ACTIVE_SET_MIN_EPOCHS epochs and more', () => {
    assert.equal(activeSetSuits(1000, 8, 400), true);
    assert.equal(activeSetSuits(1000, ACTIVE_SET_MAX_D, 400), true);
    assert.equal(activeSetSuits(100, ACTIVE_SET_MAX_D + 1, 400), false);
    assert.equal(activeSetSuits(Math.floor(ACTIVE_SET_MAX_VALUES / 9), 8, 400), true);
    assert.equal(activeSetSuits(Math.floor(ACTIVE_SET_MAX_VALUES / 9) + 1, 8, 400), false);
    assert.equal(activeSetSuits(1000, 8, ACTIVE_SET_MIN_EPOCHS - 1), false);
    assert.equal(activeSetSuits(1000, 0, 400), false);
    assert.equal(activeSetSuits(0, 8, 400), false);
    const settings = mergeSettings(DEFAULT_SETTINGS, { epochs: 400 });
    const c = randomCase(12, 1000, 8, 'smooth');
    assert.equal(new TrainingSession(samplesOf(c, 1000, 8), settings).evaluator.path, 'active set');
    assert.equal(new TrainingSession(samplesOf(c, 1000, 8), { ...settings, epochs: ACTIVE_SET_MIN_EPOCHS - 1 }).evaluator.path, 'wasm');
  });

  it("trains along the fused pass's trajectory: the same descent, to rounding", () => {
    for (const d of [1, 2, 8, 13]) {
      for (const g0 of [0, 1] as ReluGradAtZero[]) {
        const n = 500;
        const c = randomCase(300 + d, n, d, 'smooth');
        for (let i = 0; i < n; i++) {
          let u = 0.2;
          for (let j = 0; j < d; j++) u += (j % 2 ? -0.4 : 0.6) * c.x[i * d + j];
          c.y[i] = Math.max(0, u) + 0.05 * Math.sin(i);
        }
        const s = samplesOf(c, n, d);
        const epochs = 300;
        const settings = mergeSettings(DEFAULT_SETTINGS, {
          epochs,
          learningRate: 0.05,
          reluGradAtZero: g0,
          initialization: { kind: 'random', seed: 2 },
        });
        assert.equal(activeSetSuits(n, d, epochs), true);
        const session = new TrainingSession(s, settings);
        session.step(Number.POSITIVE_INFINITY);
        const tr = session.trajectory;
        assert.equal(tr.length, epochs + 1);
        // The reference: θ_{t+1} = θ_t − α ∇l(θ_t) with the fused pass.
        const w = tr.w.slice(0, d);
        let b = tr.b[0];
        const ev = createEvaluation(d);
        for (let t = 0; t <= epochs; t++) {
          evaluateSerial(s, w, b, g0, ev);
          const what = `d = ${d}, ReLU'(0) = ${g0}, epoch ${t}`;
          assert.ok(Math.abs(tr.loss[t] - ev.loss) <= 1e-12 * ev.loss, `${what}: l ${tr.loss[t]} vs ${ev.loss}`);
          assert.equal(tr.active[t], ev.active, `${what}: active`);
          for (let j = 0; j < d; j++) assert.ok(Math.abs(tr.w[t * d + j] - w[j]) <= 1e-12, `${what}: w_${j + 1}`);
          for (let j = 0; j < d; j++) w[j] -= settings.learningRate * ev.gradW[j];
          b -= settings.learningRate * ev.gradB;
        }
        assert.ok(tr.loss[epochs] < 0.2 * tr.loss[0], `d = ${d}: it learned (${tr.loss[0]} → ${tr.loss[epochs]})`);
      }
    }
  });
});
