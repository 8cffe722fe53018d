import { strict as assert } from 'node:assert';
import { type Samples, checkGradient, createEvaluation, evaluateInto, sampleDetail, seededUniform } from '../../src/engine';

function samples(rows: number[][]): Samples {
  const d = rows[0].length - 1;
  return {
    n: rows.length,
    d,
    x: Float64Array.from(rows.flatMap((r) => r.slice(0, d))),
    y: Float64Array.from(rows.map((r) => r[d])),
  };
}

function evaluate(s: Samples, w: number[], b: number, g0: 0 | 1 = 1) {
  return evaluateInto(s, Float64Array.from(w), b, g0, createEvaluation(s.d));
}

describe('the neuron z = max(0, w·x + b) and its loss', () => {
  it('matches a 1-D example worked on paper', () => {
    // x = 1, 2, 3; y = 2, 3, 5; w = 1, b = 0.5 → u = 1.5, 2.5, 3.5, all active
    // r = z − y = −0.5, −0.5, −1.5; l = (0.25 + 0.25 + 2.25)/3 = 11/12
    // ∂l/∂w = (2/3)(−0.5·1 − 0.5·2 − 1.5·3) = (2/3)(−6) = −4
    // ∂l/∂b = (2/3)(−0.5 − 0.5 − 1.5) = −5/3
    const ev = evaluate(
      samples([
        [1, 2],
        [2, 3],
        [3, 5],
      ]),
      [1],
      0.5,
    );
    assert.equal(ev.active, 3);
    assert.ok(Math.abs(ev.loss - 11 / 12) < 1e-15);
    assert.ok(Math.abs(ev.gradW[0] - -4) < 1e-15);
    assert.ok(Math.abs(ev.gradB - -5 / 3) < 1e-15);
  });

  it('leaves inactive samples out of the gradient but not out of the loss', () => {
    // x = −2 gives u = 1·(−2) + 0.5 = −1.5 < 0: z = 0, r = 0 − 1 = −1, counts in l, not in ∇l.
    // x = 1 gives u = 1.5, r = 1.5 − 1 = 0.5.
    // l = (1 + 0.25)/2 = 0.625; ∂l/∂w = (2/2)(0.5·1) = 0.5; ∂l/∂b = 0.5
    const ev = evaluate(
      samples([
        [-2, 1],
        [1, 1],
      ]),
      [1],
      0.5,
    );
    assert.equal(ev.active, 1);
    assert.equal(ev.loss, 0.625);
    assert.equal(ev.gradW[0], 0.5);
    assert.equal(ev.gradB, 0.5);
  });

  it("counts a sample at exactly u = 0 as active under ReLU'(0) = 1 and inactive under 0", () => {
    // w = 0, b = 0: u = 0 for every sample, z = 0, r = −y.
    // ReLU'(0) = 1: ∂l/∂w = (2/2)(−1·2 + −3·1) = −5, ∂l/∂b = −4. ReLU'(0) = 0: zero gradient.
    const s = samples([
      [2, 1],
      [1, 3],
    ]);
    const one = evaluate(s, [0], 0, 1);
    assert.equal(one.active, 2);
    assert.equal(one.gradW[0], -5);
    assert.equal(one.gradB, -4);
    const zero = evaluate(s, [0], 0, 0);
    assert.equal(zero.active, 0);
    assert.equal(zero.gradW[0], 0);
    assert.equal(zero.gradB, 0);
    assert.equal(zero.loss, one.loss);
  });

  it('has a zero gradient when every sample is inactive (a dead neuron)', () => {
    const ev = evaluate(
      samples([
        [1, 2, 1],
        [2, 1, 4],
        [3, 3, 0],
      ]),
      [-1, -1],
      -1,
    );
    assert.equal(ev.active, 0);
    assert.deepEqual(Array.from(ev.gradW), [0, 0]);
    assert.equal(ev.gradB, 0);
    assert.ok(ev.loss > 0);
  });

  it('gives per-sample contributions that add up to the gradient, and shares that add up to 1', () => {
    const rand = seededUniform(7);
    const rows = Array.from({ length: 40 }, () => [rand() * 4 - 2, rand() * 4 - 2, rand() * 3]);
    const s = samples(rows);
    const w = [0.7, -0.4];
    const b = 0.3;
    const ev = evaluate(s, w, b);
    const sum = [0, 0, 0];
    let shares = 0;
    for (let i = 0; i < s.n; i++) {
      const sd = sampleDetail(s, i, w, b, 1, ev.gradW, ev.gradB);
      sum[0] += sd.contribW[0];
      sum[1] += sd.contribW[1];
      sum[2] += sd.contribB;
      shares += sd.share;
      if (!sd.active) assert.deepEqual([sd.contribW[0], sd.contribB].map(Math.abs), [0, 0]);
    }
    assert.ok(Math.abs(sum[0] - ev.gradW[0]) < 1e-12);
    assert.ok(Math.abs(sum[1] - ev.gradW[1]) < 1e-12);
    assert.ok(Math.abs(sum[2] - ev.gradB) < 1e-12);
    assert.ok(Math.abs(shares - 1) < 1e-12);
  });

  it('agrees with central finite differences away from the kinks (relative error < 1e-6)', () => {
    const rand = seededUniform(11);
    let checked = 0;
    for (let trial = 0; trial < 200; trial++) {
      const d = 1 + Math.floor(rand() * 5);
      const n = 1 + Math.floor(rand() * 30);
      const rows = Array.from({ length: n }, () => Array.from({ length: d + 1 }, () => rand() * 6 - 3));
      const s = samples(rows);
      const w = Array.from({ length: d }, () => rand() * 2 - 1);
      const b = rand() * 2 - 1;
      // Skip points within 1e-3 of a kink, where the loss is not differentiable.
      let nearKink = false;
      for (let i = 0; i < n; i++) {
        let u = b;
        for (let j = 0; j < d; j++) u += w[j] * rows[i][j];
        if (Math.abs(u) < 1e-3) nearKink = true;
      }
      if (nearKink) continue;
      const check = checkGradient(s, w, b, 1);
      assert.ok(check.maxRelativeError < 1e-6, `trial ${trial}: relative error ${check.maxRelativeError}`);
      checked++;
    }
    assert.ok(checked > 150, `only ${checked} trials were away from kinks`);
  });

  it('detects a wrong gradient: finite differences disagree at a kink where one-sided slopes differ', () => {
    // At w = 0, b = 0 every u_i = 0: the analytic gradient (a one-sided choice) differs from the
    // symmetric difference quotient, which averages both sides.
    const check = checkGradient(
      samples([
        [1, 1],
        [2, 2],
      ]),
      [0],
      0,
      1,
    );
    assert.ok(check.maxRelativeError > 0.1);
  });
});
