// Every example in examples/ does what its own comment lines promise a student.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  type Dataset,
  type SettingsOverride,
  type TrainingRun,
  gradWAt,
  hessianLambdaMax,
  isActive,
  mergeSettings,
  parseDataset,
  trainNeuron,
  weightsAt,
} from '../../src/engine';

const dir = join(__dirname, '../../examples');
const text = (name: string) => readFileSync(join(dir, name), 'utf8');

/** Parses an example and trains it with its own settings (and `override` on top), as the CLI does. */
function example(name: string, override: SettingsOverride = {}): { data: Dataset; run: TrainingRun } {
  const data = parseDataset(text(name));
  return { data, run: trainNeuron(data, mergeSettings(DEFAULT_SETTINGS, data.settings, override)) };
}

/** Whether sample i is active (a_i = 1) at entry `epoch` of the run. */
function activeAt(data: Dataset, run: TrainingRun, epoch: number, i: number): boolean {
  const w = weightsAt(run.trajectory, epoch);
  let u = run.trajectory.b[epoch];
  for (let j = 0; j < data.d; j++) u += w[j] * data.x[i * data.d + j];
  return isActive(u, run.settings.reluGradAtZero);
}

const last = (run: TrainingRun) => run.trajectory.length - 1;
const finalW = (run: TrainingRun) => Array.from(weightsAt(run.trajectory, last(run)));
const finalB = (run: TrainingRun) => run.trajectory.b[last(run)];
const finalLoss = (run: TrainingRun) => run.trajectory.loss[last(run)];
const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

describe('the examples', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort();

  it('are the six files the README describes', () => {
    assert.deepEqual(files, ['course.csv', 'dead-neuron.csv', 'noisy.csv', 'russian-locale.csv', 'too-fast.csv', 'two-features.csv']);
  });

  for (const name of files) {
    it(`${name} parses with no problem and opens with comment lines saying what to look at`, () => {
      const data = parseDataset(text(name));
      assert.deepEqual(
        data.problems.map((p) => `${p.line}:${p.column} ${p.message}`),
        [],
      );
      assert.equal(data.skippedRows, 0);
      assert.ok(data.n > 0);
      const lines = text(name).split('\n');
      assert.match(lines[0], /^# \S/, 'the first line is a comment');
      const comments = lines.filter((l) => l.startsWith('#') && !/^#\s*@/.test(l)).join('\n');
      assert.match(comments, name === 'russian-locale.csv' ? /На что посмотреть/ : /What to look at/);
    });
  }

  describe('course.csv', () => {
    it('starts with every sample active at u = 0, and x = −3 turns inactive after the first step', () => {
      const { data, run } = example('course.csv');
      assert.deepEqual(Array.from(data.x), [1, -3, 2, 3]);
      assert.equal(run.stopped, null);
      assert.equal(run.trajectory.active[0], 4);
      assert.equal(activeAt(data, run, 0, 1), true);
      for (let e = 1; e <= last(run); e++) assert.equal(activeAt(data, run, e, 1), false, `epoch ${e}`);
      assert.equal(run.trajectory.active[1], 3);
    });

    it('never moves with "# @relu-grad-at-zero 0", as its comment suggests trying', () => {
      const { run } = example('course.csv', { reluGradAtZero: 0 });
      assert.deepEqual([finalW(run)[0], finalB(run), run.trajectory.active[last(run)]], [0, 0, 0]);
    });
  });

  describe('two-features.csv', () => {
    it('learns y = max(0, 2·x1 − x2 + 1), and its four samples with y = 0 end inactive', () => {
      const { data, run } = example('two-features.csv');
      assert.deepEqual(data.features, ['x1', 'x2']);
      assert.equal(run.stopped, null);
      near(finalW(run)[0], 2, 0.02, 'w1');
      near(finalW(run)[1], -1, 0.02, 'w2');
      near(finalB(run), 1, 0.05, 'b');
      assert.ok(finalLoss(run) < 1e-3, `loss ${finalLoss(run)}`);
      for (let i = 0; i < data.n; i++) assert.equal(activeAt(data, run, last(run), i), data.y[i] > 0, `sample ${i + 1}`);
    });
  });

  describe('noisy.csv', () => {
    const { data, run } = example('noisy.csv');

    it('has 40 samples of y = max(0, x − 2) with noise of at most ±0.3, some of them below 0', () => {
      assert.equal(data.n, 40);
      for (let i = 0; i < data.n; i++) assert.ok(Math.abs(data.y[i] - Math.max(0, data.x[i] - 2)) <= 0.3 + 1e-12, `sample ${i + 1}`);
      assert.ok(Array.from(data.y).some((y) => y < 0));
    });

    it('levels off near 0.03 rather than 0, near w = 1, b = −2, with the samples left of x = 2 inactive', () => {
      assert.equal(run.stopped, null);
      near(finalLoss(run), 0.03, 0.005, 'final loss');
      const t = run.trajectory;
      near(t.loss[last(run) - 100], finalLoss(run), 0.005, 'the loss 100 epochs earlier');
      near(finalW(run)[0], 1, 0.05, 'w');
      near(finalB(run), -2, 0.1, 'b');
      for (let i = 0; i < data.n; i++) if (data.x[i] < 2) assert.equal(activeAt(data, run, last(run), i), false, `sample ${i + 1}`);
    });
  });

  describe('dead-neuron.csv', () => {
    it('has no active sample at its @init, a zero gradient, and parameters that never move', () => {
      const { data, run } = example('dead-neuron.csv');
      assert.deepEqual(data.settings.initialization, { kind: 'values', w: [-1], b: -0.5 });
      assert.equal(run.stopped, null);
      const t = run.trajectory;
      assert.equal(t.length, run.settings.epochs + 1);
      for (let e = 0; e < t.length; e++) {
        assert.equal(t.active[e], 0, `epoch ${e}`);
        assert.deepEqual([...gradWAt(t, e), t.gradB[e]], [0, 0], `epoch ${e}`);
        assert.deepEqual([...weightsAt(t, e), t.b[e]], [-1, -0.5], `epoch ${e}`);
        assert.equal(t.loss[e], t.loss[0]);
      }
    });

    it('learns y ≈ 2x once the init line says zeros, as its comment suggests trying', () => {
      const { run } = example('dead-neuron.csv', { initialization: { kind: 'zeros' } });
      near(finalW(run)[0], 2, 0.1, 'w');
    });
  });

  describe('too-fast.csv', () => {
    it('is course.csv with α above the stability bound 2/λ_max ≈ 0.17', () => {
      const { data, run } = example('too-fast.csv');
      const course = parseDataset(text('course.csv'));
      assert.deepEqual([Array.from(data.x), Array.from(data.y)], [Array.from(course.x), Array.from(course.y)]);
      assert.equal(run.settings.learningRate, 0.3);
      near(2 / hessianLambdaMax(data), 0.17, 0.005, '2/λ_max');
    });

    it('overshoots to w = 4.05, dies at epoch 3, and is stopped with the suggestion α = 0.1 (the largest round rate below 0.17)', () => {
      const { run } = example('too-fast.csv');
      assert.notEqual(run.stopped, null);
      assert.equal(run.stopped!.reason, 'died');
      assert.equal(run.stopped!.epoch, 3);
      assert.equal(run.stopped!.suggestedLearningRate, 0.1);
      assert.match(run.stopped!.message, /Try a learning rate of 0\.1,/);
      near(run.trajectory.w[1], 4.05, 1e-12, 'w after step 1');
      assert.equal(run.trajectory.active[3], 0);
    });

    it('diverges instead with α = 1, as its comment suggests trying', () => {
      const { run } = example('too-fast.csv', { learningRate: 1 });
      assert.equal(run.stopped?.reason, 'diverged');
    });
  });

  describe('russian-locale.csv', () => {
    const { data, run } = example('russian-locale.csv');

    it('is read with ";" between fields and decimal commas, Russian column names, no problem', () => {
      assert.equal(data.schema?.delimiter, ';');
      assert.equal(data.schema?.decimalComma, true);
      assert.deepEqual([data.features, data.target], [['часы'], 'баллы']);
      assert.deepEqual(Array.from(data.x), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
      assert.equal(data.y[2], 0.5);
      assert.deepEqual(data.problems, []);
    });

    it('has its comments in Russian', () => {
      const comments = text('russian-locale.csv')
        .split('\n')
        .filter((l) => l.startsWith('#') && !/^#\s*@/.test(l));
      for (const c of comments) assert.match(c, /[а-яё]/i, c);
    });

    it('ends with the samples of 0 and 0.5 hours inactive, as its comment says', () => {
      assert.equal(run.stopped, null);
      for (let i = 0; i < data.n; i++) assert.equal(activeAt(data, run, last(run), i), data.x[i] >= 1, `sample ${i + 1}`);
    });
  });
});
