// Feature scaling (# @scale): the math, its inverse, what training on x̃ means for the raw features,
// the derivation's step 0, and the advice when a run on raw features fails.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  ADVISE_SCALING_BELOW_BOUND,
  DEFAULT_SETTINGS,
  DERIVATION_NOTES,
  type FeatureMatrix,
  LIMITS,
  type FeatureScaling,
  MESSAGES,
  type TrainingSettings,
  computeScaling,
  createEvaluation,
  derivationAt,
  evaluateInto,
  fromFileUnits,
  hessianLambdaMax,
  latexToText,
  mergeSettings,
  overrideFromStorage,
  overrideToStorage,
  parseDataset,
  parseSettingOverride,
  pointOf,
  sampleFeatures,
  scaleDataset,
  scaleFeatures,
  scaleSamples,
  scalingAdvised,
  toFileUnits,
  trainNeuron,
} from '../../src/engine';
import { type JobResult, JobRunner, runJob } from '../../src/training/job';

const matrix = (rows: number[][], y?: number[]): FeatureMatrix => ({
  n: rows.length,
  d: rows[0]?.length ?? 0,
  x: Float64Array.from(rows.flat()),
  y: Float64Array.from(y ?? rows.map(() => 0)),
});

/** |a − e| within rel·max(|a|, |e|) + abs. */
function near(a: number, e: number, rel = 1e-9, abs = 1e-9): boolean {
  return Math.abs(a - e) <= rel * Math.max(Math.abs(a), Math.abs(e)) + abs;
}

function settings(o: Partial<TrainingSettings> = {}): TrainingSettings {
  return mergeSettings(DEFAULT_SETTINGS, o);
}

describe('feature scaling: the math', () => {
  it('standard: μ_j and the population σ_j (1/N, not 1/(N − 1)), computed by hand', () => {
    // x = 1, 2, 3, 4: μ = 2.5, Σ (x − μ)² = 5, σ = √(5/4) (the sample σ would be √(5/3)).
    const s = computeScaling(
      matrix([
        [1, 10],
        [2, 10],
        [3, 30],
        [4, 30],
      ]),
      'standard',
    )!;
    assert.deepEqual(Array.from(s.mean), [2.5, 20]);
    assert.deepEqual(Array.from(s.sd), [Math.sqrt(5 / 4), 10]);
    assert.deepEqual(
      [Array.from(s.shift), Array.from(s.factor)],
      [
        [2.5, 20],
        [Math.sqrt(5 / 4), 10],
      ],
    );
    const x = scaleSamples(
      matrix([
        [1, 10],
        [2, 10],
        [3, 30],
        [4, 30],
      ]),
      s,
    ).x;
    assert.deepEqual(
      Array.from(x).filter((_, k) => k % 2 === 1),
      [-1, -1, 1, 1],
    );
    // Each scaled feature has mean 0 and population standard deviation 1.
    const again = computeScaling(
      scaleSamples(
        matrix([
          [1, 10],
          [2, 10],
          [3, 30],
          [4, 30],
        ]),
        s,
      ),
      'none',
    );
    assert.equal(again, null);
    const col0 = Array.from(x).filter((_, k) => k % 2 === 0);
    assert.ok(
      near(
        col0.reduce((a, b) => a + b, 0),
        0,
        0,
        1e-15,
      ),
    );
    assert.ok(near(col0.reduce((a, b) => a + b * b, 0) / 4, 1, 1e-15));
  });

  it('minmax maps each feature onto [0, 1], its smallest value to 0 and its largest to 1', () => {
    const m = matrix([
      [5, -1],
      [7, 3],
      [6, 1],
    ]);
    const s = computeScaling(m, 'minmax')!;
    assert.deepEqual(
      [Array.from(s.shift), Array.from(s.factor)],
      [
        [5, -1],
        [2, 4],
      ],
    );
    assert.deepEqual(Array.from(scaleSamples(m, s).x), [0, 0, 1, 1, 0.5, 0.5]);
  });

  it('leaves a feature whose spread rounds to 0 as it is too (no division by 0)', () => {
    const s = computeScaling(matrix([[0], [-5e-324]]), 'standard')!;
    assert.deepEqual([s.constant, s.shift[0], s.factor[0]], [[0], 0, 1]);
  });

  it('leaves a constant feature as it is (shift 0, factor 1), even where its mean rounds away from its value', () => {
    // 0.1 added ten times is not 1 in floating point; min = max still says the column is constant.
    const rows = Array.from({ length: 10 }, (_, i) => [0.1, i]);
    for (const method of ['standard', 'minmax'] as const) {
      const s = computeScaling(matrix(rows), method)!;
      assert.deepEqual(s.constant, [0], method);
      assert.deepEqual([s.shift[0], s.factor[0]], [0, 1]);
      assert.ok(Array.from(scaleSamples(matrix(rows), s).x).every((v, k) => k % 2 === 1 || v === 0.1));
    }
  });

  it('none changes nothing: the very same samples go to the trainer', () => {
    const m = matrix([[1], [2]]);
    assert.deepEqual(scaleFeatures(m, 'none'), { samples: m, scaling: null });
  });

  it('toFileUnits and fromFileUnits are inverse to each other, and give the same z on raw x as the scaled model on x̃', () => {
    // Data as a file holds it: decimals with a few digits (the double range's far ends are tested above).
    const finite = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((v) => v / 1000);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((d) =>
            fc.tuple(
              fc.array(fc.array(finite, { minLength: d, maxLength: d }), { minLength: 2, maxLength: 12 }),
              fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: d, maxLength: d }),
              fc.double({ min: -10, max: 10, noNaN: true }),
              fc.constantFrom('standard' as const, 'minmax' as const),
            ),
          ),
        ([rows, w, b, method]) => {
          const raw = matrix(rows);
          const s = computeScaling(raw, method)!;
          const file = toFileUnits(s, w, b);
          const back = fromFileUnits(s, file.w, file.b);
          const size = Math.max(1, Math.abs(b), ...w.map((v, j) => Math.abs((v * s.shift[j]) / s.factor[j])));
          back.w.forEach((v, j) => assert.ok(near(v, w[j], 1e-12, 1e-12 * size), `w${j}: ${v} vs ${w[j]}`));
          assert.ok(near(back.b, b, 1e-12, 1e-12 * size), `b: ${back.b} vs ${b}`);
          for (let i = 0; i < raw.n; i++) {
            const { x, scaled } = sampleFeatures(raw, s, i);
            let uScaled = b;
            let uRaw = file.b;
            let scale = Math.abs(b);
            for (let j = 0; j < raw.d; j++) {
              uScaled += w[j] * scaled[j];
              uRaw += file.w[j] * x[j];
              scale += Math.abs(w[j] * scaled[j]) + Math.abs((w[j] * s.shift[j]) / s.factor[j]);
            }
            assert.ok(near(Math.max(0, uRaw), Math.max(0, uScaled), 0, 1e-12 * Math.max(1, scale)), `z: ${uRaw} vs ${uScaled}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * What training on x̃ is, seen on the raw features. With x̃ = D⁻¹(x − s), θ = (w, b) = A θ̃ for the
 * linear map A (w = D⁻¹w̃, b = b̃ − sᵀD⁻¹w̃), and ∇_θ̃ l = Aᵀ ∇_θ l, so gradient descent on θ̃ at rate α
 * maps to θ_{t+1} = θ_t − α A Aᵀ ∇_θ l(θ_t) on the raw features: preconditioned descent. A Aᵀ is
 * diagonal only when every shift s_j is 0; then it is plain descent at the rate α/f_j² for w_j and α
 * for b. With a shift (standard, minmax) no single rate per parameter matches, so that is what is tested:
 * the exact preconditioned step in general, and per-parameter rates for a pure rescaling.
 */
describe("feature scaling: training on x̃, mapped back to the file's units", () => {
  /** ∇l on the raw features at (w, b), from the engine's own kernel. */
  function rawGradient(raw: FeatureMatrix, w: number[], b: number): { gradW: number[]; gradB: number } {
    const ev = evaluateInto(raw, Float64Array.from(w), b, 1, createEvaluation(raw.d));
    return { gradW: Array.from(ev.gradW), gradB: ev.gradB };
  }

  /** A Aᵀ g for g = (g_w, g_b): A Aᵀ = [[D⁻², −D⁻²s], [−sᵀD⁻², 1 + sᵀD⁻²s]]. */
  function precondition(s: Pick<FeatureScaling, 'shift' | 'factor'>, gW: number[], gB: number): { w: number[]; b: number } {
    // Aᵀ g: w̃-part D⁻¹ g_w − D⁻¹ s g_b, b̃-part g_b; then A of that.
    const tw = gW.map((g, j) => (g - s.shift[j] * gB) / s.factor[j]);
    const w = tw.map((v, j) => v / s.factor[j]);
    let b = gB;
    tw.forEach((v, j) => (b -= (v * s.shift[j]) / s.factor[j]));
    return { w, b };
  }

  const dataArb = fc.integer({ min: 1, max: 3 }).chain((d) =>
    fc.tuple(
      fc.array(
        fc.tuple(
          fc.array(
            fc.integer({ min: -50_000, max: 50_000 }).map((v) => v / 1000),
            { minLength: d, maxLength: d },
          ),
          fc.integer({ min: -20_000, max: 20_000 }).map((v) => v / 1000),
        ),
        {
          minLength: 3,
          maxLength: 10,
        },
      ),
      fc.integer({ min: 0, max: 1000 }),
    ),
  );

  it('is gradient descent on the raw features preconditioned by A Aᵀ, step by step (standard and minmax)', () => {
    fc.assert(
      fc.property(dataArb, fc.constantFrom('standard' as const, 'minmax' as const), ([rows, seed], method) => {
        const raw = matrix(
          rows.map((r) => r[0]),
          rows.map((r) => r[1]),
        );
        const { samples, scaling } = scaleFeatures(raw, method);
        const alpha = 0.01;
        const run = trainNeuron(
          samples,
          settings({ learningRate: alpha, epochs: 5, initialization: { kind: 'random', seed }, scale: method }),
        );
        const t = run.trajectory;
        for (let e = 0; e + 1 < t.length; e++) {
          const now = toFileUnits(scaling!, pointOf(t, e, run.settings).w, t.b[e]);
          const next = toFileUnits(scaling!, pointOf(t, e + 1, run.settings).w, t.b[e + 1]);
          const g = rawGradient(raw, now.w, now.b);
          const step = precondition(scaling!, g.gradW, g.gradB);
          const size = Math.max(1, Math.abs(now.b), ...scaling!.shift.map((v, j) => Math.abs(v / scaling!.factor[j])));
          now.w.forEach((wj, j) => assert.ok(near(next.w[j], wj - alpha * step.w[j], 1e-7, 1e-9 * size), `epoch ${e} w${j}`));
          assert.ok(near(next.b, now.b - alpha * step.b, 1e-7, 1e-9 * size), `epoch ${e} b: ${next.b} vs ${now.b - alpha * step.b}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('with no shift (x̃_j = x_j / f_j) it is plain descent on the raw features at the rates α/f_j² for w_j and α for b', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 }),
        ([rows, seed], factors) => {
          const raw = matrix(
            rows.map((r) => r[0]),
            rows.map((r) => r[1]),
          );
          const d = raw.d;
          const scaling: FeatureScaling = {
            ...computeScaling(raw, 'standard')!,
            shift: new Float64Array(d),
            factor: Float64Array.from(factors.slice(0, d)),
            constant: [],
          };
          const alpha = 0.01;
          const run = trainNeuron(
            scaleSamples(raw, scaling),
            settings({ learningRate: alpha, epochs: 5, initialization: { kind: 'random', seed } }),
          );
          // The same run by hand on the raw features, one rate per parameter.
          let { w, b } = toFileUnits(scaling, pointOf(run.trajectory, 0, run.settings).w, run.trajectory.b[0]);
          for (let e = 1; e < run.trajectory.length; e++) {
            const g = rawGradient(raw, w, b);
            w = w.map((wj, j) => wj - (alpha / scaling.factor[j] ** 2) * g.gradW[j]);
            b -= alpha * g.gradB;
            const mapped = toFileUnits(scaling, pointOf(run.trajectory, e, run.settings).w, run.trajectory.b[e]);
            mapped.w.forEach((v, j) => assert.ok(near(v, w[j], 1e-8, 1e-10), `epoch ${e} w${j}: ${v} vs ${w[j]}`));
            assert.ok(near(mapped.b, b, 1e-8, 1e-10), `epoch ${e} b: ${mapped.b} vs ${b}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the @scale setting', () => {
  it('is read from the file, in any case, and a bad value is an error on its value', () => {
    assert.equal(parseDataset('# @scale Standard\nx,y\n1,2\n').settings.scale, 'standard');
    assert.equal(parseDataset('# @scale minmax\nx,y\n1,2\n').settings.scale, 'minmax');
    const bad = parseDataset('# @scale zscore\nx,y\n1,2\n');
    assert.equal(bad.settings.scale, undefined);
    assert.deepEqual(
      bad.problems.map((p) => [p.code, p.line, p.column, p.args]),
      [['setting-out-of-range', 1, 10, ['zscore']]],
    );
    assert.equal(bad.problems[0].message, '@scale must be none, standard or minmax; got "zscore".');
  });

  it("defaults to none, and the panel's value wins over the file's and is kept between sessions", () => {
    assert.equal(DEFAULT_SETTINGS.scale, 'none');
    const data = parseDataset('# @scale standard\nx,y\n1,2\n');
    const panel = parseSettingOverride('scale', 'minmax', 1);
    assert.ok(panel.ok);
    assert.equal(mergeSettings(DEFAULT_SETTINGS, data.settings, panel.value).scale, 'minmax');
    assert.deepEqual(overrideFromStorage(overrideToStorage({ scale: 'standard' })), { scale: 'standard' });
    assert.deepEqual(overrideFromStorage({ scale: 'z' }), {});
  });

  it('scales the samples the trainer gets, and warns once on the header cell of a constant feature', () => {
    const r = runJob({ text: '# @scale standard\na,k,y\n1,5,2\n3,5,4\n', base: DEFAULT_SETTINGS, overrides: {} })!;
    assert.deepEqual(Array.from(r.dataset.x), [1, 5, 3, 5], "the dataset keeps the file's numbers");
    assert.deepEqual(Array.from(r.samples.x), [-1, 5, 1, 5]);
    assert.equal(r.samples.y, r.dataset.y);
    assert.deepEqual(r.scaling?.constant, [1]);
    const warn = r.dataset.problems.filter((p) => p.code === 'constant-feature');
    assert.deepEqual(
      warn.map((p) => [p.severity, p.line, p.column, p.length, p.args]),
      [['warning', 2, 3, 1, ['k', '5']]],
    );
    const plain = runJob({ text: 'a,k,y\n1,5,2\n3,5,4\n', base: DEFAULT_SETTINGS, overrides: {} })!;
    assert.equal(plain.samples, plain.dataset);
    assert.equal(plain.scaling, null);
    assert.equal(scaleDataset(plain.dataset, 'none').problems.length, 0);
  });
});

describe("the Quick Fix's line, typed into an open file", () => {
  it('"# @scale standard" inserted at the top re-trains the edited document on x̃, and removing it goes back', () => {
    const runner = new JobRunner();
    const base = { base: DEFAULT_SETTINGS, overrides: {}, edits: [] };
    const years = 'year,y\n1900,1\n1950,2\n2000,3\n';
    const raw = runner.run({ ...base, text: years, lineCount: 5, version: 1 }) as JobResult;
    assert.equal(raw.scaling, null);
    assert.equal(raw.stopped?.scalingAdvised, true);
    const line = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: '# @scale standard\n' };
    const fixed = runner.run({ ...base, edits: [line], lineCount: 6, version: 2 }) as JobResult;
    assert.equal(fixed.settings.scale, 'standard');
    assert.equal(fixed.stopped, null);
    assert.deepEqual(Array.from(fixed.samples.x), Array.from(scaleSamples(fixed.dataset, fixed.scaling!).x));
    const undo = { startLine: 0, startCharacter: 0, endLine: 1, endCharacter: 0, text: '' };
    const back = runner.run({ ...base, edits: [undo], lineCount: 5, version: 3 }) as JobResult;
    assert.deepEqual([back.settings.scale, back.scaling, back.samples === back.dataset], ['none', null, true]);
  });
});

describe('the derivation with scaling on', () => {
  const text = '# @scale standard\n# @epochs 3\nx1,x2,y\n1,10,2\n2,10,3\n3,10,5\n';
  const data = parseDataset(text);
  const s = settings(data.settings);
  const { samples, scaling } = scaleFeatures(data, s.scale);
  const run = trainNeuron(samples, s);
  const point = pointOf(run.trajectory, 1, s);

  it('opens with step 0, and every later step says it is about x̃', () => {
    const steps = derivationAt(samples, point, 2, { scaling: scaling!, raw: data });
    assert.deepEqual(
      steps.map((st) => st.id),
      ['scale', 'sum', 'dot', 'max', 'loss', 'chain', 'update'],
    );
    for (const st of steps.slice(1)) assert.equal(st.notes[0].id, 'onScaled', st.id);
    assert.deepEqual(
      steps[0].notes.map((n) => [n.id, n.args]),
      [
        ['standardSd', []],
        ['constantColumns', [1]],
        ['fileUnits', []],
      ],
    );
    assert.ok(DERIVATION_NOTES.standardSd.includes('1/N'));
    // Without scaling, the document's six steps exactly, with no note about x̃.
    const plain = derivationAt(data, point, 2);
    assert.deepEqual(
      plain.map((st) => st.id),
      ['sum', 'dot', 'max', 'loss', 'chain', 'update'],
    );
    assert.ok(plain.every((st) => st.notes.every((n) => n.id !== 'onScaled')));
  });

  it("gives μ_j, σ_j, the chosen sample's x and x̃ with numbers, and the parameters in the file's units", () => {
    const [step] = derivationAt(samples, point, 2, { scaling: scaling!, raw: data });
    // x1 = 1, 2, 3: μ = 2, σ = √(2/3) ≈ 0.8165; x2 = 10 everywhere: constant, left as it is.
    const lines = step.dataset.map(latexToText);
    assert.deepEqual(lines.slice(0, 2), ['μ_1 = 2, σ_1 = 0.8165', 'μ_2 = 10, σ_2 = 0 ⇒ x̃_(i,2) = x_(i,2)']);
    const file = toFileUnits(scaling!, point.w, point.b);
    assert.ok(step.dataset[2].includes(String(Number(file.b.toPrecision(4))).replace('-', '-')), step.dataset[2]);
    assert.deepEqual(step.sample.map(latexToText), [
      'x_3 = (3, 10)ᵀ',
      'x̃_(3,1) = (x_(3,1) - μ_1)/σ_1 = (3 - 2)/0.8165 = 1.225',
      'x̃_(3,2) = x_(3,2) = 10',
    ]);
    assert.match(latexToText(step.value), /1\.225/); // (3 − 2)/0.8165
    // The later steps substitute x̃: sample 3's ∂u/∂w is (1.225, 10).
    const dot = derivationAt(samples, point, 2, { scaling: scaling!, raw: data })[2];
    assert.match(latexToText(dot.sample[0]), /1\.225/);
  });

  it('writes years and their μ, min and max with the decimals that make (x − μ)/σ check by hand', () => {
    // Years 1880.25, 1881.25, …: μ = 1951.75 (standard), min = 1880.25 (minmax); 4 significant digits would print 1952 and 1880.
    const years = 'year,temp\n' + Array.from({ length: 144 }, (_, i) => `${1880.25 + i},${(i / 100).toFixed(2)}`).join('\n') + '\n';
    for (const method of ['standard', 'minmax'] as const) {
      const data = parseDataset(`# @scale ${method}\n${years}`);
      const s = settings(data.settings);
      const scaled = scaleFeatures(data, s.scale);
      const p = pointOf(trainNeuron(scaled.samples, s).trajectory, 1, s);
      for (const chosen of [0, 120, 143]) {
        const [step] = derivationAt(scaled.samples, p, chosen, { scaling: scaled.scaling!, raw: data });
        const m = /= \(([\d.]+) - ([\d.]+)\)\/([\d.]+) = ([\d.-]+)$/.exec(latexToText(step.sample[1]));
        assert.ok(m, latexToText(step.sample[1]));
        const [x, shift, factor, shown] = m.slice(1).map(Number);
        assert.equal(x, 1880.25 + chosen, `${method}: x as in the file`);
        assert.equal(shift, method === 'standard' ? 1880.25 + 143 / 2 : 1880.25, `${method}: the shift in full`);
        assert.equal(
          Number(((x - shift) / factor).toPrecision(4)),
          shown,
          `${method}, sample ${chosen + 1}: the written numbers give the result`,
        );
      }
    }
  });
});

describe('advice when a run on raw features fails', () => {
  const years = 'year,temp\n' + Array.from({ length: 40 }, (_, i) => `${1950 + i},${(i * 0.02 - 0.3).toFixed(2)}`).join('\n') + '\n';

  it('advises standardizing first when the bound is tiny, with the flag set for the panel and Quick Fix', () => {
    const data = parseDataset(years);
    const run = trainNeuron(data, settings());
    assert.ok(run.stopped, 'raw years stop at the default rate');
    assert.equal(run.stopped.scalingAdvised, true);
    assert.ok(run.stopped.stabilityBound < ADVISE_SCALING_BELOW_BOUND);
    assert.ok(
      [MESSAGES.diedScale, MESSAGES.divergedExplodedScale, MESSAGES.divergedNonFiniteScale].includes(run.stopped.template as never),
    );
    assert.match(
      run.stopped.message,
      /Standardize the features first: add the line "# @scale standard".*Or keep the raw numbers and try a learning rate of \d(e-\d+|\.\d+)?\.$/,
    );
    // The line it names works: standardized, the same file trains at the default rate.
    const scaled = parseDataset(`# @scale standard\n${years}`);
    const s = settings(scaled.settings);
    const fixed = trainNeuron(scaleFeatures(scaled, s.scale).samples, s);
    assert.equal(fixed.stopped, null);
    assert.ok(fixed.trajectory.loss[s.epochs] < fixed.trajectory.loss[0] / 2);
  });

  it('advises standardizing alone when every rate that would train is below the smallest a setting accepts', () => {
    const data = parseDataset('x,y\n1000000,1\n2000000,2\n3000000,3\n');
    const run = trainNeuron(data, settings());
    assert.ok(run.stopped);
    assert.ok(run.stopped.stabilityBound < LIMITS.learningRate.min);
    assert.deepEqual([run.stopped.suggestedLearningRate, run.stopped.scalingAdvised], [0, true]);
    assert.equal(run.stopped.template, MESSAGES.divergedExplodedScaleOnly);
    assert.match(run.stopped.message, /Standardize the features: add the line "# @scale standard"/);
    assert.doesNotMatch(run.stopped.message, /try a learning rate/);
    // Near the floor a rate is still offered, and it is one the settings accept.
    const years = parseDataset('year,y\n1900,1\n1950,2\n2000,3\n');
    const r2 = trainNeuron(years, settings());
    assert.ok(r2.stopped && r2.stopped.suggestedLearningRate >= LIMITS.learningRate.min, String(r2.stopped?.suggestedLearningRate));
  });

  it('advises only a learning rate when the features are alike, or scaling is already on', () => {
    const tooFast = parseDataset('# @lr 2\nx,y\n1,2\n2,4\n3,6\n');
    const run = trainNeuron(tooFast, settings(tooFast.settings));
    assert.ok(run.stopped);
    assert.equal(run.stopped.scalingAdvised, false);
    assert.doesNotMatch(run.stopped.message, /@scale/);
    const scaled = parseDataset('# @lr 50\n# @scale standard\nx,y\n1,2\n2,4\n3,6\n');
    const s = settings(scaled.settings);
    const r2 = trainNeuron(scaleFeatures(scaled, s.scale).samples, s);
    assert.ok(r2.stopped);
    assert.equal(r2.stopped.scalingAdvised, false);
  });

  it('calls scales "very different" above a ratio of 100 between the largest and smallest σ_j', () => {
    const rows = (k: number) => matrix(Array.from({ length: 8 }, (_, i) => [i % 2, (i % 2) * k]));
    const bound = (m: FeatureMatrix) => 2 / hessianLambdaMax({ ...m });
    // σ ratio 50: not advised (and the bound is not tiny); 200: advised, bound or not.
    assert.equal(scalingAdvised(rows(50), Math.max(bound(rows(50)), ADVISE_SCALING_BELOW_BOUND)), false);
    assert.equal(scalingAdvised(rows(200), 1), true);
    // A constant feature does not count as the smallest spread.
    assert.equal(
      scalingAdvised(
        matrix([
          [1, 7],
          [2, 7],
          [3, 7],
        ]),
        1,
      ),
      false,
    );
  });
});
