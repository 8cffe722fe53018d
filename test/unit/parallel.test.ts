import { strict as assert } from 'node:assert';
import {
  DEFAULT_SETTINGS,
  type Evaluation,
  type Evaluator,
  type ReluGradAtZero,
  type Samples,
  TrainingSession,
  WasmKernel,
  createEvaluation,
  evaluateSerial,
  mergeSettings,
  seededUniform,
} from '../../src/engine';
import { RowThreads } from '../../src/engine/fast/threads';

function randomSamples(seed: number, n: number, d: number): Samples {
  const rand = seededUniform(seed);
  return {
    n,
    d,
    x: Float64Array.from({ length: n * d }, () => rand() * 2 - 1),
    y: Float64Array.from({ length: n }, () => rand()),
  };
}

function bitsOf(e: Evaluation): number[] {
  return [e.loss, e.gradB, e.active, ...e.gradW];
}

function relativeError(a: number[], b: number[]): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.max(Math.abs(b[k]), Number.MIN_VALUE));
  return worst;
}

/** The samples' rows split across `threads`, the coordinator on the WebAssembly kernel (as choose.ts makes it). */
function split(threads: RowThreads, s: Samples, g0: ReluGradAtZero): Evaluator {
  const ev = threads.evaluator(threads.share(s), g0, WasmKernel.create(s.x, s.y, s.d));
  assert.ok(ev !== null && ev.path === 'threads', `n = ${s.n}, d = ${s.d} should be split`);
  return ev;
}

/** Runs epochs until the helpers have computed a block (they start asynchronously, and may back off on a busy machine). */
function untilHelpersWork(threads: RowThreads, ev: Evaluator, d: number, w: Float64Array, limitMs = 15_000): void {
  const out = createEvaluation(d);
  const t0 = performance.now();
  while (threads.stats.helperBlocks === 0 && performance.now() - t0 < limitMs) ev.evaluateInto(w, 0.1, out);
}

async function helpersStarted(threads: RowThreads): Promise<void> {
  const t0 = performance.now();
  while (threads.readyHelpers < threads.helpers && performance.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 5));
}

describe("RowThreads: an epoch's rows split across threads", () => {
  let threads: RowThreads;

  before(async () => {
    threads = new RowThreads({ helpers: 2 });
    await helpersStarted(threads);
  });

  after(async () => {
    await threads.close();
  });

  it("gives the same bits as the one-thread pass (so within 1e-12 relative), for every kernel and both ReLU'(0)", () => {
    let seed = 1;
    for (const d of [1, 3, 8, 13]) {
      for (const n of [300, 1000, 4099, 60_000]) {
        const s = randomSamples(seed++, n, d);
        const w = Float64Array.from({ length: d }, (_, j) => 0.3 - 0.1 * j);
        for (const g0 of [0, 1] as const) {
          const ev = split(threads, s, g0);
          const serial = bitsOf(evaluateSerial(s, w, 0.05, g0, createEvaluation(d)));
          for (let run = 0; run < 20; run++) {
            const parallel = bitsOf(ev.evaluateInto(w, 0.05, createEvaluation(d)));
            assert.deepEqual(parallel, serial, `n = ${n}, d = ${d}, ReLU'(0) = ${g0}, run ${run}`);
            assert.ok(relativeError(parallel, serial) <= 1e-12);
          }
        }
      }
    }
  });

  it('has the helpers do part of the work, and still the same bits', function () {
    this.timeout(30_000);
    const s = randomSamples(42, 200_000, 8);
    const ev = split(threads, s, 1);
    const w = new Float64Array(8).fill(0.2);
    untilHelpersWork(threads, ev, 8, w);
    assert.ok(threads.stats.helperBlocks > 0, `helpers did no block: ${JSON.stringify(threads.stats)}`);
    assert.deepEqual(bitsOf(ev.evaluateInto(w, 0.1, createEvaluation(8))), bitsOf(evaluateSerial(s, w, 0.1, 1, createEvaluation(8))));
  });

  it('trains to the same trajectory, bit for bit, as the one-thread engine, run after run', () => {
    const s = randomSamples(7, 20_000, 5);
    const settings = mergeSettings(DEFAULT_SETTINGS, {
      epochs: 150,
      learningRate: 0.2,
      initialization: { kind: 'random', seed: 3 },
      reluGradAtZero: 0,
    });
    const one = new TrainingSession(s, settings);
    one.step(Number.POSITIVE_INFINITY);
    for (let run = 0; run < 3; run++) {
      const many = new TrainingSession(s, settings, { threads, minThreadedWork: 0 });
      assert.equal(many.evaluator.path, 'threads');
      many.step(Number.POSITIVE_INFINITY);
      for (const key of ['w', 'b', 'loss', 'gradW', 'gradB', 'active'] as const) {
        assert.deepEqual(Array.from(many.trajectory[key]), Array.from(one.trajectory[key]), `run ${run}: ${key}`);
      }
    }
  });

  it('still evaluates samples shared before another data set, on one thread, to the same bits', () => {
    const a = randomSamples(8, 10_000, 4);
    const b = randomSamples(9, 12_000, 6);
    const evA = split(threads, a, 1);
    const evB = split(threads, b, 1);
    const serialEpochs = threads.stats.serialEpochs;
    const wa = new Float64Array(4).fill(0.1);
    const wb = new Float64Array(6).fill(-0.1);
    assert.deepEqual(bitsOf(evA.evaluateInto(wa, 0.3, createEvaluation(4))), bitsOf(evaluateSerial(a, wa, 0.3, 1, createEvaluation(4))));
    assert.equal(threads.stats.serialEpochs, serialEpochs + 1);
    assert.deepEqual(bitsOf(evB.evaluateInto(wb, 0.3, createEvaluation(6))), bitsOf(evaluateSerial(b, wb, 0.3, 1, createEvaluation(6))));
  });

  it('keeps small data and short runs on one thread, and data already in shared memory uncopied', () => {
    const small = new RowThreads({ helpers: 1 });
    try {
      const tiny = randomSamples(10, 100, 2);
      assert.equal(small.evaluator(small.share(tiny), 1), null, 'one block');
      assert.equal(small.evaluator(tiny, 1), null, 'not on shared memory');
      const settings = mergeSettings(DEFAULT_SETTINGS, { epochs: 200 });
      assert.equal(new TrainingSession(randomSamples(10, 5000, 8), settings, { threads: small }).evaluator.path, 'wasm', 'a short run');
      const s = randomSamples(11, 50_000, 3);
      assert.equal(new TrainingSession(s, { ...settings, epochs: 1000 }, { threads: small }).evaluator.path, 'threads', 'a long run');
      const x = new Float64Array(new SharedArrayBuffer(s.x.byteLength));
      x.set(s.x);
      const shared = small.share({ ...s, x });
      assert.notEqual(small.evaluator(shared, 1), null);
      assert.equal(shared.x, x);
      assert.notEqual(shared.y, s.y);
      assert.deepEqual(Array.from(shared.y), Array.from(s.y));
    } finally {
      void small.close();
    }
  });

  it('without helpers, or once closed, evaluates on the calling thread to the same bits', async () => {
    const none = new RowThreads({ helpers: 0 });
    const s = randomSamples(12, 30_000, 8);
    assert.equal(none.evaluator(none.share(s), 1), null);
    const pool = new RowThreads({ helpers: 1 });
    const ev = split(pool, s, 1);
    await pool.close();
    assert.equal(pool.running, false);
    const w = new Float64Array(8).fill(0.3);
    assert.deepEqual(bitsOf(ev.evaluateInto(w, 0, createEvaluation(8))), bitsOf(evaluateSerial(s, w, 0, 1, createEvaluation(8))));
    assert.equal(pool.evaluator(pool.share(s), 1), null);
  });
});
