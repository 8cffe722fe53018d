// reference.ts is the math of the course document; every fast path must give its numbers.
import { strict as assert } from 'node:assert';
import {
  ActiveSetGradient,
  DEFAULT_SETTINGS,
  type Evaluator,
  type ReluGradAtZero,
  type Samples,
  SerialEvaluator,
  TrainingSession,
  WasmKernel,
  createEvaluation,
  mergeSettings,
  reference,
  seededUniform,
} from '../../src/engine';
import { RowThreads } from '../../src/engine/fast/threads';

/** Random samples; with `kinks`, small integers, so that many u_i are exactly 0. */
function randomSamples(seed: number, n: number, d: number, kinks: boolean): { s: Samples; w: Float64Array; b: number } {
  const rand = seededUniform(seed);
  const draw = kinks ? () => Math.floor(rand() * 5) - 2 : () => rand() * 4 - 2;
  const s = { n, d, x: Float64Array.from({ length: n * d }, draw), y: Float64Array.from({ length: n }, () => rand() * 3 - 1) };
  return { s, w: Float64Array.from({ length: d }, draw), b: kinks ? draw() : rand() - 0.5 };
}

/**
 * Σ_i of each term's size: |r_i|² / N for l, (2/N) |r_i| for ∂l/∂b, (2/N) |r_i x_ij| for ∂l/∂w_j. Two
 * float64 sums of the same N terms, in any order, differ by less than about N·ε times this; the
 * tolerance below, 1e-12 of it, is that for N up to 4500 and far below one sample's term.
 */
function sizes(s: Samples, w: ArrayLike<number>, b: number): { loss: number; gradB: number; gradW: number[] } {
  const out = { loss: 0, gradB: 0, gradW: new Array<number>(s.d).fill(0) };
  for (let i = 0; i < s.n; i++) {
    const r = Math.abs(reference.relu(reference.preActivation(s, i, w, b)) - s.y[i]);
    out.loss += (r * r) / s.n;
    out.gradB += (2 * r) / s.n;
    for (let j = 0; j < s.d; j++) out.gradW[j] += (2 * Math.abs(r * s.x[i * s.d + j])) / s.n;
  }
  return out;
}

const TOLERANCE = 1e-12;

describe("the reference (reference.ts): the course document's math in plain loops", () => {
  it("computes the document's numbers on a worked example", () => {
    // x = (1, 2), y = (2, 4), w = 1, b = 0: u = z = (1, 2), r = (−1, −2).
    const s = { n: 2, d: 1, x: [1, 2], y: [2, 4] };
    assert.equal(reference.loss(s, [1], 0), 2.5); // (1 + 4) / 2
    const g = reference.gradient(s, [1], 0);
    assert.deepEqual(g, { loss: 2.5, gradW: [-5], gradB: -3, active: 2 }); // (2/2)(−1·1 − 2·2), (2/2)(−1 − 2)
    assert.deepEqual(reference.step([1], 0, g, 0.1), { w: [1.5], b: 0.30000000000000004 });
  });

  it('puts the indicator inside the sum: an inactive sample passes no gradient, the others do', () => {
    // w = 1, b = −1.5: u = (−0.5, 0.5); only sample 2 is active, r = (0 − 2, 0.5 − 4).
    const g = reference.gradient({ n: 2, d: 1, x: [1, 2], y: [2, 4] }, [1], -1.5);
    assert.equal(g.active, 1);
    assert.deepEqual(g.gradW, [-7]); // (2/2)(−3.5 · 2)
    assert.equal(g.gradB, -3.5);
  });

  it("takes ReLU'(0) = 1 by default (the document's max rule) and 0 on request: at w = 0, b = 0 only the first moves", () => {
    const s = { n: 3, d: 1, x: [1, 2, 3], y: [1, 2, 3] };
    const one = reference.gradient(s, [0], 0);
    const zero = reference.gradient(s, [0], 0, 0);
    assert.equal(one.active, 3);
    assert.ok(one.gradW[0] < 0 && one.gradB < 0);
    assert.deepEqual([zero.active, zero.gradW[0], zero.gradB], [0, 0, 0]);
    assert.deepEqual(
      [reference.indicator(0), reference.indicator(0, 0), reference.indicator(-0), reference.indicator(-1e-300)],
      [1, 0, 1, 0],
    );
  });

  it('agrees with central finite differences of its own loss away from kinks', () => {
    for (const d of [1, 3, 6]) {
      const { s, w, b } = randomSamples(10 + d, 40, d, false);
      const g = reference.gradient(s, w, b);
      const h = 1e-6;
      const at = (dw: number[], db: number) =>
        reference.loss(
          s,
          Array.from(w, (v, j) => v + dw[j]),
          b + db,
        );
      const e = (j: number, t: number) => Array.from({ length: d }, (_, k) => (k === j ? t : 0));
      const zero = new Array<number>(d).fill(0);
      for (let j = 0; j < d; j++)
        assert.ok(Math.abs((at(e(j, h), 0) - at(e(j, -h), 0)) / (2 * h) - g.gradW[j]) < 1e-6, `d = ${d}: ∂l/∂w_${j + 1}`);
      assert.ok(Math.abs((at(zero, h) - at(zero, -h)) / (2 * h) - g.gradB) < 1e-6, `d = ${d}: ∂l/∂b`);
    }
  });

  it('trains by the update rule: θ_{t+1} = θ_t − α ∇l(θ_t), the loss going down at a small α', () => {
    const { s } = randomSamples(3, 200, 2, false);
    const run = reference.train(s, [0.5, -0.5], 0.1, 0.05, 50);
    assert.equal(run.history.length, 50);
    for (let t = 1; t < 50; t++) assert.ok(run.history[t].loss <= run.history[t - 1].loss, `epoch ${t}`);
    const again = reference.step([0.5, -0.5], 0.1, run.history[0], 0.05);
    assert.deepEqual(reference.train(s, [0.5, -0.5], 0.1, 0.05, 1), { history: [run.history[0]], ...again });
  });
});

describe('every fast path against the reference', () => {
  let threads: RowThreads;
  before(() => {
    threads = new RowThreads({ helpers: 1 });
  });
  after(async () => {
    await threads.close();
  });

  /** Each fast path for `s`, as choose.ts would make it (the threads for any size, here). */
  const paths = (s: Samples, g0: ReluGradAtZero): Evaluator[] => {
    const list: Evaluator[] = [
      new SerialEvaluator(s, g0, null),
      new SerialEvaluator(s, g0, WasmKernel.create(s.x, s.y, s.d)),
      new ActiveSetGradient(s, g0, WasmKernel.create(s.x, s.y, s.d, { forward: true })),
      new ActiveSetGradient(s, g0, null),
    ];
    const split = threads.evaluator(threads.share(s), g0, WasmKernel.create(s.x, s.y, s.d));
    if (split !== null) list.push(split);
    return list;
  };

  it("gives l, ∇l and Σ a_i within 1e-12 of the sum of the terms' sizes (Σ a_i exactly), kinks and both ReLU'(0) included", () => {
    let seed = 1;
    const seen = new Set<string>();
    for (const d of [1, 2, 5, 8, 13]) {
      for (const n of [1, 7, 256, 257, 1000, 4500]) {
        for (const kinks of [false, true]) {
          const { s, w, b } = randomSamples(seed++, n, d, kinks);
          for (const g0 of [0, 1] as const) {
            const want = reference.gradient(s, w, b, g0);
            const size = sizes(s, w, b);
            for (const ev of paths(s, g0)) {
              seen.add(ev.path);
              // Twice: the active set's second pass updates its sums instead of building them.
              for (const pass of [1, 2]) {
                const got = ev.evaluateInto(w, b, createEvaluation(d));
                const what = `${ev.path}, d = ${d}, n = ${n}, kinks ${kinks}, ReLU'(0) = ${g0}, pass ${pass}`;
                assert.equal(got.active, want.active, `${what}: Σ a_i`);
                assert.ok(Math.abs(got.loss - want.loss) <= TOLERANCE * size.loss, `${what}: l ${got.loss} vs ${want.loss}`);
                assert.ok(Math.abs(got.gradB - want.gradB) <= TOLERANCE * size.gradB, `${what}: ∂l/∂b ${got.gradB} vs ${want.gradB}`);
                for (let j = 0; j < d; j++) {
                  assert.ok(
                    Math.abs(got.gradW[j] - want.gradW[j]) <= TOLERANCE * size.gradW[j],
                    `${what}: ∂l/∂w_${j + 1} ${got.gradW[j]} vs ${want.gradW[j]}`,
                  );
                }
                // One block (N ≤ 256): the fused passes add in the reference's order, so to the bit.
                if (n <= 256 && ev.path !== 'active set') {
                  assert.deepEqual([got.loss, got.gradB, ...got.gradW], [want.loss, want.gradB, ...want.gradW], `${what}: bits`);
                }
              }
            }
          }
        }
      }
    }
    assert.deepEqual([...seen].sort(), ['active set', 'js', 'threads', 'wasm']);
  });

  it("trains along the reference's trajectory: the chosen path, for small and large data", () => {
    for (const [n, d, epochs] of [
      [300, 3, 100],
      [300, 3, 10],
      [6000, 8, 30],
    ] as const) {
      const { s } = randomSamples(n + d, n, d, false);
      for (let i = 0; i < n; i++) s.y[i] = Math.max(0, 0.6 * s.x[i * d] - 0.3 * s.x[i * d + 1] + 0.2);
      const settings = mergeSettings(DEFAULT_SETTINGS, { epochs, learningRate: 0.05, initialization: { kind: 'random', seed: 4 } });
      const session = new TrainingSession(s, settings, { threads, minThreadedWork: 0 });
      session.step(Number.POSITIVE_INFINITY);
      const t = session.trajectory;
      const run = reference.train(s, t.w.subarray(0, d), t.b[0], settings.learningRate, epochs, settings.reluGradAtZero);
      for (let e = 0; e < epochs; e++) {
        const what = `${session.evaluator.path}, N = ${n}, epoch ${e}`;
        assert.equal(t.active[e], run.history[e].active, `${what}: Σ a_i`);
        assert.ok(
          Math.abs(t.loss[e] - run.history[e].loss) <= 1e-12 * run.history[e].loss,
          `${what}: l ${t.loss[e]} vs ${run.history[e].loss}`,
        );
      }
      for (let j = 0; j < d; j++)
        assert.ok(Math.abs(t.w[epochs * d + j] - run.w[j]) <= 1e-12, `${session.evaluator.path}, N = ${n}: w_${j + 1}`);
      assert.ok(Math.abs(t.b[epochs] - run.b) <= 1e-12, `${session.evaluator.path}, N = ${n}: b`);
    }
  });
});
