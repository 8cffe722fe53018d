import { strict as assert } from 'node:assert';
import {
  DEFAULT_SETTINGS,
  type Samples,
  type TrainingSettings,
  TrainingSession,
  derivationAt,
  gradWAt,
  hessianLambdaMax,
  initialParameters,
  latexToText,
  mergeSettings,
  formatRate,
  niceBelow,
  trialEpochs,
  parseDataset,
  seededUniform,
  trainNeuron,
  weightsAt,
} from '../../src/engine';

function line(n: number, slope: number, intercept: number): Samples {
  const x = Float64Array.from({ length: n }, (_, i) => i / n);
  return { n, d: 1, x, y: x.map((v) => slope * v + intercept) };
}

const settings = (o: Partial<TrainingSettings>): TrainingSettings => mergeSettings(DEFAULT_SETTINGS, o);

describe('trainNeuron: full-batch gradient descent', () => {
  it('takes the step θ₁ = θ₀ − α∇l(θ₀) computed by hand', () => {
    // x = 1, 2; y = 2, 4; θ₀ = 0 with ReLU'(0) = 1: r = −2, −4
    // ∂l/∂w = (2/2)(−2·1 − 4·2) = −10, ∂l/∂b = (2/2)(−2 − 4) = −6; α = 0.1 → w₁ = 1, b₁ = 0.6
    const run = trainNeuron({ n: 2, d: 1, x: Float64Array.of(1, 2), y: Float64Array.of(2, 4) }, settings({ learningRate: 0.1, epochs: 1 }));
    const t = run.trajectory;
    assert.equal(t.length, 2);
    assert.deepEqual([t.w[0], t.b[0], t.loss[0], t.gradW[0], t.gradB[0], t.active[0]], [0, 0, 10, -10, -6, 2]);
    assert.deepEqual([t.w[1], t.b[1]], [1, 0.6000000000000001]);
  });

  it("never moves from zero initialisation under ReLU'(0) = 0, and does under the document's rule", () => {
    const data = line(10, 2, 1);
    const pytorch = trainNeuron(data, settings({ reluGradAtZero: 0, epochs: 20 }));
    assert.equal(pytorch.trajectory.w[20], 0);
    assert.equal(pytorch.trajectory.b[20], 0);
    const doc = trainNeuron(data, settings({ reluGradAtZero: 1, epochs: 20 }));
    assert.ok(doc.trajectory.w[20] > 0);
  });

  it('decreases the loss monotonically on a learnable dataset with a small rate and fits it', () => {
    const run = trainNeuron(line(50, 2, 1), settings({ learningRate: 0.2, epochs: 3000 }));
    const l = run.trajectory.loss;
    for (let t = 1; t < l.length; t++) assert.ok(l[t] <= l[t - 1] + 1e-15, `loss rose at epoch ${t}`);
    assert.ok(l[l.length - 1] < 1e-6);
    assert.ok(Math.abs(run.trajectory.w[3000] - 2) < 1e-2);
    assert.equal(run.stopped, null);
  });

  describe('a learning rate that is too large', () => {
    // x = 1…4, y = 2x + 1; H = (2/4) Σ [x;1][x;1]ᵀ = [[15, 5], [5, 2]], λ_max = (17 + √269)/2 ≈ 16.7
    const data = { n: 4, d: 1, x: Float64Array.of(1, 2, 3, 4), y: Float64Array.of(3, 5, 7, 9) };
    const bound = 2 / ((17 + Math.sqrt(269)) / 2);

    it('computes the stability bound 2/λ_max', () => {
      assert.ok(Math.abs(2 / hessianLambdaMax(data) - bound) < 1e-9);
    });

    it('stops when the loss stops being finite, names the epoch and suggests a stable rate', () => {
      const run = trainNeuron(data, settings({ learningRate: 1e200, epochs: 100 }));
      assert.ok(run.stopped);
      assert.equal(run.stopped.reason, 'diverged');
      assert.equal(run.stopped.epoch, 1);
      assert.equal(run.trajectory.length, 1);
      assert.ok(run.stopped.suggestedLearningRate < bound);
      assert.match(run.stopped.message, /epoch 1.*not? .*finite|epoch 1/);
      // The bound is 2/λ_max ≈ 0.120; the largest of 1, 2, 5 × 10^k below it is 0.1, and it trains.
      assert.match(run.stopped.message, /Try a learning rate of 0\.1,/);
      assert.equal(run.stopped.suggestedLearningRate, 0.1);
      assert.equal(trainNeuron(data, settings({ learningRate: 0.1, epochs: 100 })).stopped, null);
    });

    it('stops when an overshooting step kills the neuron, and the suggested rate then fits', () => {
      const run = trainNeuron(data, settings({ learningRate: 1.5 * bound, epochs: 1000 }));
      assert.ok(run.stopped);
      assert.equal(run.stopped.reason, 'died');
      assert.equal(run.trajectory.active[run.stopped.epoch], 0);
      assert.equal(run.trajectory.length, run.stopped.epoch + 1);
      const fixed = trainNeuron(data, settings({ learningRate: run.stopped.suggestedLearningRate, epochs: 1000 }));
      assert.equal(fixed.stopped, null);
      assert.ok(fixed.trajectory.loss[1000] < 1e-6);
    });

    it('does not call a neuron that dies while the loss falls an overshoot (targets all negative)', () => {
      const negative = { n: 3, d: 1, x: Float64Array.of(1, 2, 3), y: Float64Array.of(-1, -2, -3) };
      const run = trainNeuron(negative, settings({ learningRate: 0.05, epochs: 100, initialization: { kind: 'values', w: [1], b: 0 } }));
      assert.equal(run.stopped, null);
      assert.equal(run.trajectory.active[100], 0);
    });
  });

  it('finds λ_max of a Hessian known in closed form', () => {
    // One sample x = 1: H = (2/1)[[1,1],[1,1]], eigenvalues 4 and 0.
    assert.ok(Math.abs(hessianLambdaMax({ n: 1, d: 1, x: Float64Array.of(1), y: Float64Array.of(0) }) - 4) < 1e-9);
    assert.deepEqual([niceBelow(0.37), niceBelow(0.019), niceBelow(7)], [0.2, 0.01, 5]);
  });

  it('checks a suggested rate over the whole run on classroom data, and over its first epochs only on large data', () => {
    assert.equal(trialEpochs(4, 1, 200), 200);
    assert.equal(trialEpochs(10_000, 8, 200), 200);
    assert.equal(trialEpochs(500_000, 8, 200), 16, 'a trial of 500,000 × 8 reads at most about 2·10⁷ values a few times over');
    assert.equal(trialEpochs(100_000, 8, 200), Math.floor(20_000_000 / 900_000));
    assert.equal(trialEpochs(500_000, 8, 5), 5, 'never more epochs than the run');
  });

  it('rounds down to rates a student types, exactly, at every magnitude', () => {
    for (let e = -12; e <= 3; e++) {
      for (const [k, next] of [
        [1, 5],
        [2, 1],
        [5, 2],
      ] as const) {
        const rate = Number(`${k}e${e}`);
        assert.equal(niceBelow(rate * 1.3), rate, `${rate * 1.3}`);
        assert.equal(niceBelow(rate), rate, `${rate} is its own round rate`);
        assert.equal(niceBelow(rate * (1 - 1e-9)), Number(`${next}e${k === 1 ? e - 1 : e}`), `below ${rate}`);
        const text = formatRate(rate);
        assert.equal(Number(text), rate, text);
        assert.ok(text.length <= 7, `${text} is short`);
        assert.match(text, e >= -4 && e < 6 ? /^\d+(\.\d+)?$/ : /^\de-?\d+$/, text);
      }
    }
    assert.deepEqual(
      [formatRate(5e-6), formatRate(0.05), formatRate(2e-10), formatRate(0.0001), formatRate(20)],
      ['5e-6', '0.05', '2e-10', '0.0001', '20'],
    );
  });

  it('is deterministic to the bit', () => {
    const rand = seededUniform(3);
    const n = 500;
    const d = 4;
    const data = { n, d, x: Float64Array.from({ length: n * d }, rand), y: Float64Array.from({ length: n }, rand) };
    const a = trainNeuron(data, settings({ initialization: { kind: 'random', seed: 9 } }));
    const b = trainNeuron(data, settings({ initialization: { kind: 'random', seed: 9 } }));
    assert.deepEqual(Buffer.from(a.trajectory.loss.buffer), Buffer.from(b.trajectory.loss.buffer));
    assert.deepEqual(Buffer.from(a.trajectory.w.buffer), Buffer.from(b.trajectory.w.buffer));
  });

  it('initialises from zeros, values, or a seed', () => {
    assert.deepEqual(initialParameters({ kind: 'values', w: [1, 2], b: 3 }, 2), { w: Float64Array.of(1, 2), b: 3 });
    const r1 = initialParameters({ kind: 'random', seed: 1 }, 3);
    const r2 = initialParameters({ kind: 'random', seed: 2 }, 3);
    assert.notDeepEqual(r1, r2);
    for (const v of [...r1.w, r1.b]) assert.ok(Math.abs(v) <= 1 / Math.sqrt(3));
  });

  it('records the same trajectory when stepped in chunks as in one go', () => {
    const data = line(30, -1, 2);
    const s = settings({ epochs: 100, learningRate: 0.3 });
    const whole = trainNeuron(data, s);
    const session = new TrainingSession(data, s);
    while (!session.done) session.step(7);
    assert.deepEqual(session.trajectory.loss, whole.trajectory.loss);
  });
});

describe("derivationAt: the document's steps with the numbers substituted", () => {
  const data = parseDataset('x,y\n1,2\n-3,1\n2,5\n');
  const run = trainNeuron(data, settings({ initialization: { kind: 'values', w: [1], b: 0.5 }, epochs: 1, learningRate: 0.1 }));
  const t = run.trajectory;
  const point = {
    epoch: 0,
    w: weightsAt(t, 0),
    b: t.b[0],
    loss: t.loss[0],
    gradW: gradWAt(t, 0),
    gradB: t.gradB[0],
    active: t.active[0],
    learningRate: 0.1,
    reluGradAtZero: 1 as const,
  };

  it("lists the steps in the document's order", () => {
    assert.deepEqual(
      derivationAt(data, point, null).map((s) => s.id),
      ['sum', 'dot', 'max', 'loss', 'chain', 'update'],
    );
  });

  it('substitutes a chosen inactive sample and marks the inactive branch', () => {
    // Sample 2: u = 1·(−3) + 0.5 = −2.5 < 0 → a = 0, z = 0, r = −1.
    const steps = derivationAt(data, point, 1);
    const text = (id: string) => steps.find((s) => s.id === id)!;
    assert.match(latexToText(text('sum').sample[0]), /u_2 = 1 · \(-3\) \+ 0\.5 = -2\.5/);
    const max = text('max');
    assert.deepEqual(
      max.cases!.map((c) => c.taken),
      [true, false],
    );
    assert.match(latexToText(max.sample[0]), /^a_2 = \[u_2 ≥ 0\] = \[-2\.5 ≥ 0\] = 0$/);
    assert.match(latexToText(text('loss').sample[0]), /= -1$/);
    assert.match(latexToText(text('chain').sample[0]), /= 0$/);
  });

  it("writes the gradient and the update with the trajectory's numbers", () => {
    const steps = derivationAt(data, point, null);
    const chain = steps.find((s) => s.id === 'chain')!;
    // u = 1.5, −2.5, 2.5; z = 1.5, 0, 2.5; r = −0.5, −1, −2.5; a = 1, 0, 1
    // ∂l/∂w = (2/3)(−0.5·1 + 0 + −2.5·2) = −11/3; ∂l/∂b = (2/3)(−3) = −2
    assert.match(latexToText(chain.dataset[0]), /= -3\.667$/);
    assert.match(latexToText(chain.dataset[1]), /= -2$/);
    const update = steps.find((s) => s.id === 'update')!;
    assert.match(latexToText(update.dataset[0]), /w ← 1 - 0\.1 · \(-3\.667\) = 1\.367$/);
    assert.equal(t.w[1].toFixed(6), (1 + (0.1 * 11) / 3).toFixed(6));
  });

  it("shows the ReLU'(0) convention in force", () => {
    const steps = derivationAt(data, { ...point, reluGradAtZero: 0 }, null);
    const max = steps.find((s) => s.id === 'max')!;
    assert.match(max.applied, /u_i > 0/);
    assert.ok(max.notes.some((n) => n.id === 'reluAtZero0' && n.tone === 'convention'));
  });
});
