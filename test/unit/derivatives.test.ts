// Issue 14's derivatives: the finite-difference check (its kink case too), the loss's derivatives in
// the data (∂l/∂y_i, ∂l/∂x_ij) and the gradient series. Every expected value is computed here from
// the formulas: u = w·x + b, z = max(0, u), l = (1/N) Σ (z − y)², a = [u ≥ 0] (ReLU'(0) = 1).
import { strict as assert } from 'node:assert';
import {
  DEFAULT_SETTINGS,
  type Samples,
  dataDerivatives,
  finiteDifferences,
  latexNumber,
  mergeSettings,
  seededUniform,
} from '../../src/engine';
import { runJob } from '../../src/training/job';
import {
  epochMessage,
  gradientCheckAt,
  lossSlice,
  probePoint,
  rowsPage,
  sampleColumns,
  seriesOf,
  sortedOrder,
} from '../../src/panel/viewModel';

/** l at (w, b) on rows x (row-major, d per row) and y, written out here. */
function lossOf(x: ArrayLike<number>, y: ArrayLike<number>, d: number, w: ArrayLike<number>, b: number): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    let u = b;
    for (let j = 0; j < d; j++) u += w[j] * x[i * d + j];
    sum += (Math.max(0, u) - y[i]) ** 2;
  }
  return sum / y.length;
}

/** ∇l at (w, b) from the chain rule, sample by sample, with a_i = [u_i ≥ 0] or [u_i > 0]. */
function gradientOf(s: Samples, w: number[], b: number, reluGradAtZero: 0 | 1) {
  const gradW = new Array<number>(s.d).fill(0);
  let gradB = 0;
  for (let i = 0; i < s.n; i++) {
    let u = b;
    for (let j = 0; j < s.d; j++) u += w[j] * s.x[i * s.d + j];
    const a = u > 0 || (u === 0 && reluGradAtZero === 1) ? 1 : 0;
    const c = (2 / s.n) * a * (Math.max(0, u) - s.y[i]);
    for (let j = 0; j < s.d; j++) gradW[j] += c * s.x[i * s.d + j];
    gradB += c;
  }
  return { gradW, gradB };
}

function randomSamples(n: number, d: number, seed: number): Samples {
  const rand = seededUniform(seed);
  const x = Float64Array.from({ length: n * d }, () => 4 * rand() - 2);
  const y = Float64Array.from({ length: n }, () => 3 * rand() - 1);
  return { n, d, x, y };
}

const job = (text: string, overrides: Parameters<typeof mergeSettings>[1] = {}) =>
  runJob({ text, base: mergeSettings(DEFAULT_SETTINGS, overrides), overrides: {} })!;

describe('the gradient checked with finite differences', () => {
  it('at arbitrary points (no u_i at 0), the central difference agrees with ∇l from the formulas', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const s = randomSamples(30, 3, seed);
      const rand = seededUniform(1000 + seed);
      const w = [rand() * 4 - 2, rand() * 4 - 2, rand() * 4 - 2];
      const b = rand() * 2 - 1;
      const g = gradientOf(s, w, b, 1);
      const check = finiteDifferences(s, w, b, g);
      assert.equal(check.kinkSamples, 0);
      assert.equal(check.parameters.length, 4);
      check.parameters.forEach((p, k) => {
        const want = k < 3 ? g.gradW[k] : g.gradB;
        assert.equal(p.analytic, want);
        // l is piecewise quadratic in θ: the central difference is exact up to rounding, unless a step crosses a kink.
        assert.ok(Math.abs(p.central - want) <= 1e-7 * Math.max(1, Math.abs(want)), `seed ${seed}, θ${k}: ${p.central} vs ${want}`);
        assert.equal(p.relative, Math.abs(p.analytic - p.central) / Math.max(Math.abs(p.analytic), Math.abs(p.central)));
        assert.equal(p.h, 1e-5 * Math.max(1, Math.abs(k < 3 ? w[k] : b)));
      });
    }
  });

  it('a sample exactly at u = 0: forward and backward differences are the slopes on each side; ReLU′(0) picks one', () => {
    // Sample 2 (x = 1, y = 2) at w = 1, b = −1: u = 0. The others stay away from 0.
    const s: Samples = { n: 3, d: 1, x: Float64Array.from([1, 3, -2]), y: Float64Array.from([2, 1, 0.5]) };
    const w = [1];
    const b = -1;
    const active = gradientOf(s, w, b, 1); // the slope where u > 0 (sample 0 counted)
    const inactive = gradientOf(s, w, b, 0); // the slope where u < 0
    assert.notEqual(active.gradB, inactive.gradB);
    for (const reluGradAtZero of [1, 0] as const) {
      const g = reluGradAtZero === 1 ? active : inactive;
      const check = finiteDifferences(s, w, b, g);
      assert.equal(check.kinkSamples, 1);
      assert.equal(check.firstKink, 0);
      const [pw, pb] = check.parameters;
      assert.equal(pw.analytic, g.gradW[0]);
      assert.equal(pb.analytic, g.gradB);
      // x_0 = 1 > 0: raising w or b raises u_0, so forward is the u > 0 side for both.
      const close = (a: number, want: number) => Math.abs(a - want) <= 1e-4;
      assert.ok(close(pw.forward, active.gradW[0]), `forward ∂w ${pw.forward} vs ${active.gradW[0]}`);
      assert.ok(close(pw.backward, inactive.gradW[0]), `backward ∂w ${pw.backward} vs ${inactive.gradW[0]}`);
      assert.ok(close(pb.forward, active.gradB), `forward ∂b ${pb.forward} vs ${active.gradB}`);
      assert.ok(close(pb.backward, inactive.gradB), `backward ∂b ${pb.backward} vs ${inactive.gradB}`);
      assert.ok(close(pb.central, (active.gradB + inactive.gradB) / 2), 'the central difference is their average');
      assert.ok(pb.relative > 0.1, 'the analytic gradient and the central difference disagree at the kink');
    }
  });

  it("the panel's check at an epoch uses θ_t and the ∇l on display; zeros put every sample at the kink", () => {
    const r = job('x,y\n1,2\n2,3\n-1,0.5\n', { epochs: 5 });
    const t = r.trajectory!;
    const m0 = gradientCheckAt(r, 7, 0);
    assert.equal(m0.type, 'gradientCheck');
    assert.equal(m0.runId, 7);
    assert.equal(m0.epoch, 0);
    assert.equal(m0.kinkSamples, 3, 'w = 0, b = 0: every u_i is 0');
    assert.equal(m0.firstKink, 0);
    assert.equal(m0.reluGradAtZero, r.settings.reluGradAtZero);
    assert.equal(m0.parameters[0].analytic, t.gradW[0]);
    assert.equal(m0.parameters[1].analytic, t.gradB[0]);
    const m5 = gradientCheckAt(r, 7, 5);
    const g = gradientOf(r.samples, [t.w[5]], t.b[5], r.settings.reluGradAtZero);
    assert.equal(m5.kinkSamples, 0);
    assert.ok(Math.abs(m5.parameters[0].central - g.gradW[0]) <= 1e-7);
    assert.ok(Math.abs(m5.parameters[1].central - g.gradB) <= 1e-7);
  });
});

describe("the loss's derivatives in the data", () => {
  /** Central difference of l in one number of the data (x or y), every other number fixed. */
  const dataDifference = (s: Samples, w: number[], b: number, which: 'x' | 'y', k: number, h = 1e-6) => {
    const x = Float64Array.from(s.x);
    const y = Float64Array.from(s.y);
    const v = which === 'x' ? x : y;
    const v0 = v[k];
    v[k] = v0 + h;
    const up = lossOf(x, y, s.d, w, b);
    v[k] = v0 - h;
    const down = lossOf(x, y, s.d, w, b);
    return (up - down) / (2 * h);
  };

  it('∂l/∂y_i = −(2/N)(z_i − y_i) and ∂l/∂x_ij = (2/N)(z_i − y_i)·a_i·w_j agree with differences of l in the data', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const s = randomSamples(12, 2, seed);
      const rand = seededUniform(500 + seed);
      const w = [rand() * 4 - 2, rand() * 4 - 2];
      const b = rand() - 0.5;
      for (let i = 0; i < s.n; i++) {
        const got = dataDerivatives(s, i, w, b, 1);
        const wantY = dataDifference(s, w, b, 'y', i);
        assert.ok(Math.abs(got.y - wantY) <= 1e-7, `seed ${seed}, ∂l/∂y_${i}: ${got.y} vs ${wantY}`);
        for (let j = 0; j < s.d; j++) {
          const wantX = dataDifference(s, w, b, 'x', i * s.d + j);
          assert.ok(Math.abs(got.x[j] - wantX) <= 1e-7, `seed ${seed}, ∂l/∂x_${i}${j}: ${got.x[j]} vs ${wantX}`);
        }
      }
    }
  });

  it('an inactive sample (u < 0): its x does not move l, its y still does', () => {
    const s: Samples = { n: 2, d: 1, x: Float64Array.from([-3, 2]), y: Float64Array.from([1, 1]) };
    const got = dataDerivatives(s, 0, [1], 0, 1);
    assert.equal(got.x[0], 0);
    assert.equal(got.y, -(2 / 2) * (0 - 1));
  });

  it("with # @scale standard: ∂l/∂x_ij in the file's units through x̃ = (x − μ)/σ at fixed μ, σ", () => {
    const r = job('# @scale standard\nx1,x2,y\n1,10,2\n2,30,3\n4,20,5\n3,50,1\n', { epochs: 3 });
    const t = r.trajectory!;
    const e = 3;
    const w = [t.w[e * 2], t.w[e * 2 + 1]];
    const b = t.b[e];
    const raw = r.dataset;
    // μ_j, σ_j (1/N) of the file's columns, computed here.
    const mu = [0, 1].map((j) => [0, 1, 2, 3].reduce((a, i) => a + raw.x[i * 2 + j], 0) / 4);
    const sd = [0, 1].map((j) => Math.sqrt([0, 1, 2, 3].reduce((a, i) => a + (raw.x[i * 2 + j] - mu[j]) ** 2, 0) / 4));
    const lossInFile = (x: Float64Array) =>
      lossOf(
        x.map((v, k) => (v - mu[k % 2]) / sd[k % 2]),
        raw.y,
        2,
        w,
        b,
      );
    for (let i = 0; i < 4; i++) {
      const got = dataDerivatives(r.samples, i, w, b, r.settings.reluGradAtZero, r.scaling);
      for (let j = 0; j < 2; j++) {
        const h = 1e-6;
        const x = Float64Array.from(raw.x);
        x[i * 2 + j] += h;
        const up = lossInFile(x);
        x[i * 2 + j] -= 2 * h;
        const down = lossInFile(x);
        const want = (up - down) / (2 * h);
        assert.ok(Math.abs(got.x[j] - want) <= 1e-7, `∂l/∂x_${i}${j}: ${got.x[j]} vs ${want}`);
      }
    }
  });
});

describe('the gradient series over the epochs', () => {
  it("∂l/∂w_j and ∂l/∂b at each point are the trajectory's gradients, decimated like the rest", () => {
    const r = job('x1,x2,y\n1,2,2\n2,-1,4\n3,0.5,5\n-1,1,0\n', { epochs: 4000 });
    const t = r.trajectory!;
    const s = seriesOf(t);
    assert.equal(s.gradW.length, 2);
    assert.equal(s.gradB.length, s.epochs.length);
    for (let k = 0; k < s.epochs.length; k++) {
      const e = s.epochs[k];
      assert.equal(s.gradW[0][k], t.gradW[e * 2]);
      assert.equal(s.gradW[1][k], t.gradW[e * 2 + 1]);
      assert.equal(s.gradB[k], t.gradB[e]);
      // And the trajectory's gradient is ∇l from the formulas at θ_e.
      if (k % 97 === 0) {
        const g = gradientOf(r.samples, [t.w[e * 2], t.w[e * 2 + 1]], t.b[e], r.settings.reluGradAtZero);
        assert.ok(Math.abs(s.gradB[k] - g.gradB) <= 1e-12 * Math.max(1, Math.abs(g.gradB)));
        assert.ok(Math.abs(s.gradW[1][k] - g.gradW[1]) <= 1e-12 * Math.max(1, Math.abs(g.gradW[1])));
      }
    }
  });
});

describe('a probe anywhere on the loss', () => {
  it('the epoch message at a probe carries l and ∇l there: central differences of l agree; marked, no fit unless asked', () => {
    const r = job('x1,x2,y\n1,2,2\n2,-1,4\n3,0.5,5\n-1,1,0\n0.5,0.5,1\n', { epochs: 20 });
    const rand = seededUniform(77);
    for (let k = 0; k < 25; k++) {
      const w = [rand() * 6 - 3, rand() * 6 - 3];
      const b = rand() * 4 - 2;
      const m = epochMessage({ result: r, runId: 3, epoch: 20, selectedSample: 1, playing: false, withFit: false, probe: { w, b } });
      assert.equal(m.probe, true);
      assert.equal(m.fit, null, 'no fit data unless the Fit tab is on screen (small messages while dragging)');
      assert.equal(m.epoch, 20, "the scrubber's epoch stays");
      assert.deepEqual(m.w, w);
      assert.equal(m.b, b);
      const s = r.samples;
      assert.ok(Math.abs(m.loss - lossOf(s.x, s.y, 2, w, b)) <= 1e-12);
      const h = 1e-6;
      const theta = [...w, b];
      theta.forEach((v, j) => {
        const up = theta.slice();
        const down = theta.slice();
        up[j] = v + h;
        down[j] = v - h;
        const fd = (lossOf(s.x, s.y, 2, up.slice(0, 2), up[2]) - lossOf(s.x, s.y, 2, down.slice(0, 2), down[2])) / (2 * h);
        const got = j < 2 ? m.gradW[j] : m.gradB;
        assert.ok(Math.abs(got - fd) <= 1e-6 * Math.max(1, Math.abs(fd)), `probe ${k}, θ${j}: ${got} vs ${fd}`);
      });
      assert.equal(m.gradNorm, Math.hypot(...m.gradW, m.gradB));
      // The derivation is written at the probe: its ∇l step ends with the probe's gradient.
      assert.ok(JSON.stringify(m.derivation).includes(`= ${latexNumber(m.gradB)}`), 'the derivation ends ∂l/∂b at the probe');
    }
    const onTrajectory = epochMessage({ result: r, runId: 3, epoch: 20, selectedSample: null, playing: false });
    assert.equal(onTrajectory.probe, undefined);
  });

  it("the fit plot at a probe: the line z = max(0, w·x + b) at the probe's θ, a_i there", () => {
    // One feature: the points at x_i, the line drawn from the message's w and b, a_i = [w·x_i + b ≥ 0].
    const r = job('x,y\n1,2\n2,3\n-1,0.5\n0.5,1\n3,4\n', { epochs: 10 });
    const w = [-0.8];
    const b = 0.6;
    const m = epochMessage({ result: r, runId: 2, epoch: 10, selectedSample: null, playing: false, withFit: true, probe: { w, b } });
    const x = [1, 2, -1, 0.5, 3];
    assert.equal(m.probe, true);
    assert.deepEqual([m.w, m.b], [w, b], "the line's parameters are the probe's");
    assert.equal(m.fit?.kind, 'line');
    assert.deepEqual(m.fit?.xs, x);
    assert.deepEqual(m.fit?.ys, [2, 3, 0.5, 1, 4]);
    assert.deepEqual(
      m.fit?.active,
      x.map((v) => (w[0] * v + b >= 0 ? 1 : 0)),
    );
    const onTrajectory = epochMessage({ result: r, runId: 2, epoch: 10, selectedSample: null, playing: false, withFit: true });
    assert.notDeepEqual(onTrajectory.fit?.active, m.fit?.active, 'the trajectory has other active samples here');
    // Two features: each point at (ŷ_i = max(0, w·x_i + b), y_i) with the probe's θ.
    const r2 = job('x1,x2,y\n1,2,2\n2,-1,4\n3,0.5,5\n-1,1,0\n', { epochs: 10 });
    const w2 = [0.4, -1.5];
    const b2 = 0.25;
    const m2 = epochMessage({
      result: r2,
      runId: 2,
      epoch: 10,
      selectedSample: null,
      playing: false,
      withFit: true,
      probe: { w: w2, b: b2 },
    });
    const rows = [
      [1, 2],
      [2, -1],
      [3, 0.5],
      [-1, 1],
    ];
    const u = rows.map(([x1, x2]) => w2[0] * x1 + w2[1] * x2 + b2);
    assert.equal(m2.fit?.kind, 'predicted');
    m2.fit!.xs.forEach((v, i) => assert.ok(Math.abs(v - Math.max(0, u[i])) <= 1e-15, `ŷ_${i}: ${v} vs ${Math.max(0, u[i])}`));
    assert.deepEqual(
      m2.fit?.active,
      u.map((v) => (v >= 0 ? 1 : 0)),
    );
  });

  it("the sample table at a probe: u_i, z_i, r_i, a_i, contributions and shares at the probe's θ", () => {
    const text = 'x1,x2,y\n1,2,2\n2,-1,4\n3,0.5,5\n-1,1,0\n0.5,0.5,1\n';
    const r = job(text, { epochs: 20 });
    const s = r.samples;
    const w = [1.3, -0.7];
    const b = -0.4;
    const p = probePoint(r, 20, { w, b });
    const cols = sampleColumns(s, p.w, p.b, p.gradW, p.gradB, p.reluGradAtZero);
    const order = sortedOrder(r.dataset, cols, 'index', false);
    const page = rowsPage({
      result: r,
      runId: 4,
      epoch: 20,
      cols,
      order,
      sort: 'index',
      descending: false,
      offset: 0,
      count: 50,
      probe: [...w, b],
    });
    assert.deepEqual(page.probe, [...w, b], 'the page says which probe it is at');
    assert.equal(page.rows.length, 5);
    // ∇l at the probe, from the formulas, for the shares c_i [x_i; 1]·∇l / |∇l|².
    const g = gradientOf(s, w, b, r.settings.reluGradAtZero);
    const norm2 = g.gradW[0] ** 2 + g.gradW[1] ** 2 + g.gradB ** 2;
    let shares = 0;
    page.rows.forEach((row, i) => {
      const x = [s.x[2 * i], s.x[2 * i + 1]];
      const u = w[0] * x[0] + w[1] * x[1] + b;
      const z = Math.max(0, u);
      const a = u >= 0 ? 1 : 0;
      const c = (2 / s.n) * a * (z - s.y[i]);
      const close = (got: number, want: number, what: string) =>
        assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${what}_${i}: ${got} vs ${want}`);
      assert.equal(row.index, i);
      close(row.u, u, 'u');
      close(row.z, z, 'z');
      close(row.residual, z - s.y[i], 'r');
      assert.equal(row.active, a);
      close(row.contribB, c, 'c');
      close(row.contribW[0], c * x[0], 'c·x1');
      close(row.contribW[1], c * x[1], 'c·x2');
      close(row.share, (c * (x[0] * g.gradW[0] + x[1] * g.gradW[1]) + c * g.gradB) / norm2, 'share');
      shares += row.share;
    });
    assert.ok(Math.abs(shares - 1) <= 1e-12, `the shares add up to 1: ${shares}`);
    // On the trajectory the page carries no probe.
    const q = probePoint(r, 20, { w: Array.from(r.trajectory!.w.subarray(40, 42)), b: r.trajectory!.b[20] });
    const onTrajectory = rowsPage({
      result: r,
      runId: 4,
      epoch: 20,
      cols: sampleColumns(s, q.w, q.b, q.gradW, q.gradB, 1),
      order,
      sort: 'index',
      descending: false,
      offset: 0,
      count: 50,
    });
    assert.equal(onTrajectory.probe, undefined);
  });

  it("the check at a probe uses the probe's own ∇l", () => {
    const r = job('x,y\n1,2\n2,3\n-1,0.5\n', { epochs: 5 });
    const m = gradientCheckAt(r, 1, 5, { w: [0.7], b: -0.2 });
    const g = gradientOf(r.samples, [0.7], -0.2, r.settings.reluGradAtZero);
    assert.ok(Math.abs(m.parameters[0].analytic - g.gradW[0]) <= 1e-15);
    assert.ok(Math.abs(m.parameters[1].analytic - g.gradB) <= 1e-15);
    assert.ok(Math.abs(m.parameters[0].central - g.gradW[0]) <= 1e-7);
  });
});

describe('a slice of the loss through a point (more than one feature)', () => {
  it('holds l at θ with two parameters moved along the grid, every other parameter fixed', () => {
    const r = job('x1,x2,x3,y\n1,2,0,2\n2,-1,1,4\n3,0.5,-1,5\n-1,1,2,0\n', { epochs: 30 });
    const theta = [0.3, -0.2, 0.5, 0.1];
    const s = lossSlice(r, theta, [1, 3], 9)!;
    assert.deepEqual(s.axes, [1, 3]);
    assert.deepEqual(s.through, theta);
    assert.equal(s.w.length, 9);
    assert.equal(s.b.length, 9);
    assert.ok(s.w[0] < theta[1] && theta[1] < s.w[8], 'the grid covers θ');
    for (const [ix, iy] of [
      [0, 0],
      [4, 7],
      [8, 3],
    ]) {
      const w = [theta[0], s.w[ix], theta[2]];
      assert.ok(Math.abs(s.loss[iy][ix] - lossOf(r.samples.x, r.samples.y, 3, w, s.b[iy])) <= 1e-12);
    }
    assert.equal(lossSlice(job('x,y\n1,2\n2,3\n'), [0, 0], [0, 1]), null, 'one feature: the (w, b) surface instead');
    assert.equal(lossSlice(r, theta, [1, 1]), null);
  });
});
