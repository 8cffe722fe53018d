import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, mergeSettings, reference, sampleDetail } from '../../src/engine';
import { runJob } from '../../src/training/job';
import {
  decimate,
  epochMessage,
  firstInactive,
  fitAt,
  lossSurface,
  pointAt,
  rankOf,
  rowsPage,
  sampleColumns,
  seriesOf,
  sortedOrder,
} from '../../src/panel/viewModel';

const job = (text: string, epochs = 50) => runJob({ text, base: mergeSettings(DEFAULT_SETTINGS, { epochs }), overrides: {} })!;

describe('what the host sends the view', () => {
  it('decimates keeping the first and last entries, never more than asked', () => {
    assert.deepEqual(decimate(5, 10), [0, 1, 2, 3, 4]);
    const d = decimate(100_001, 2000);
    assert.equal(d.length, 2000);
    assert.equal(d[0], 0);
    assert.equal(d[1999], 100_000);
    for (let k = 1; k < d.length; k++) assert.ok(d[k] > d[k - 1]);
  });

  it("sends series whose points are the trajectory's own values", () => {
    const r = job('x,y\n1,2\n2,4\n3,5\n', 5000);
    const s = seriesOf(r.trajectory!);
    assert.equal(s.epochs.length, 2000);
    const k = 777;
    assert.equal(s.loss[k], r.trajectory!.loss[s.epochs[k]]);
    assert.equal(s.w[0][k], r.trajectory!.w[s.epochs[k]]);
    const norm = Math.hypot(r.trajectory!.gradW[s.epochs[k]], r.trajectory!.gradB[s.epochs[k]]);
    assert.ok(Math.abs(s.gradNorm[k] - norm) <= 1e-15 * norm);
  });

  it('sends the epoch on display with the chosen sample substituted', () => {
    const r = job('x,y\n1,2\n-3,1\n2,5\n');
    const m = epochMessage({ result: r, runId: 1, epoch: 10, selectedSample: 1, playing: false });
    assert.equal(m.epoch, 10);
    assert.equal(m.loss, r.trajectory!.loss[10]);
    assert.equal(m.selectedSample, 1);
    assert.equal(m.sample!.index, 1);
    assert.equal(m.derivation.length, 6);
    assert.equal(m.fit!.kind, 'line');
    assert.deepEqual(m.fit!.xs, [1, -3, 2]);
    assert.equal(
      epochMessage({ result: r, runId: 1, epoch: 10, selectedSample: 1, playing: false, withFit: false }).fit,
      null,
      'no fit data unless the Fit tab asks',
    );
    assert.equal(
      epochMessage({ result: r, runId: 1, epoch: 10, selectedSample: 99, playing: false }).selectedSample,
      null,
      'an index past the end selects nothing',
    );
  });

  it("shows each sample's u_i, z_i, a_i, z_i − y_i and (2/N) a_i r_i as the engine's reference computes them, to the bit, in table, fit, inactive list and hover (every example)", () => {
    const dir = join(__dirname, '../../examples');
    const bits = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
    let checked = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
      for (const g0 of [0, 1] as const) {
        const r = runJob({ text: readFileSync(join(dir, name), 'utf8'), base: DEFAULT_SETTINGS, overrides: { reluGradAtZero: g0 } })!;
        const s = r.dataset;
        for (const epoch of [0, r.trajectory!.length - 1]) {
          const p = pointAt(r, epoch);
          const cols = sampleColumns(s, p.w, p.b, p.gradW, p.gradB, g0);
          const fit = fitAt(s, p.w, p.b, g0);
          const inactive: number[] = [];
          for (let i = 0; i < s.n; i++) {
            const t = reference.sampleTerms(s, i, p.w, p.b, g0);
            const what = `${name}, ReLU'(0) = ${g0}, epoch ${epoch}, sample ${i + 1}`;
            const want = [t.u, t.z, t.a, t.r, t.c].map(bits);
            assert.deepEqual([cols.u[i], cols.z[i], cols.active[i], cols.residual[i], cols.contribB[i]].map(bits), want, `${what}: table`);
            const sd = sampleDetail(s, i, p.w, p.b, g0, p.gradW, p.gradB);
            assert.deepEqual([sd.u, sd.z, sd.active, sd.residual, sd.contribB].map(bits), want, `${what}: hover`);
            const k = fit.indices.indexOf(i);
            if (k >= 0)
              assert.deepEqual(
                [fit.active[k], s.d === 1 ? s.x[i] : Math.max(0, t.u)].map(bits),
                [t.a, fit.xs[k]].map(bits),
                `${what}: fit`,
              );
            if (t.a === 0 && inactive.length < 50) inactive.push(i);
            checked++;
          }
          assert.deepEqual(firstInactive(s, p.w, p.b, g0, 50), inactive, `${name}: inactive samples`);
        }
      }
    }
    assert.ok(checked > 100, `${checked} samples checked`);
  });

  it('lists the first inactive samples, in order, for the derivation', () => {
    // w = 1, b = 0: u = x, so the samples with x < 0 are inactive.
    const s = { n: 6, d: 1, x: Float64Array.of(1, -1, 2, -2, 0, -3), y: new Float64Array(6) };
    assert.deepEqual(firstInactive(s, [1], 0, 1), [1, 3, 5]);
    assert.deepEqual(firstInactive(s, [1], 0, 0), [1, 3, 4, 5]);
    assert.deepEqual(firstInactive(s, [1], 0, 0, 2), [1, 3]);
  });

  it("pages and sorts the table with numbers equal to sampleDetail's", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${(i % 37) / 10 - 1},${(i % 11) / 3}`).join('\n');
    const r = job(`x,y\n${rows}\n`);
    const p = pointAt(r, 20);
    const cols = sampleColumns(r.dataset, p.w, p.b, p.gradW, p.gradB, 1);
    const order = sortedOrder(r.dataset, cols, 'share', true);
    const page = rowsPage({ result: r, runId: 1, epoch: 20, cols, order, offset: 100, count: 50, sort: 'share', descending: true });
    assert.equal(page.rows.length, 50);
    assert.equal(page.total, 1000);
    for (let k = 1; k < page.rows.length; k++) assert.ok(page.rows[k - 1].share >= page.rows[k].share);
    for (const row of page.rows) {
      const sd = sampleDetail(r.dataset, row.index, p.w, p.b, 1, p.gradW, p.gradB);
      assert.ok(Math.abs(row.share - sd.share) < 1e-12);
      assert.ok(Math.abs(row.contribW[0] - sd.contribW[0]) < 1e-15);
      assert.equal(row.u, sd.u);
      assert.equal(row.line, r.dataset.sampleLines[row.index] + 1);
    }
    assert.equal(
      rowsPage({ result: r, runId: 1, epoch: 20, cols, order, offset: 990, count: 50, sort: 'share', descending: true }).rows.length,
      10,
    );
  });

  it("says where the chosen sample is in the table's order, in every page", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${(i % 37) / 10 - 1},${(i % 11) / 3}`).join('\n');
    const r = job(`x,y\n${rows}\n`);
    const p = pointAt(r, 20);
    const cols = sampleColumns(r.dataset, p.w, p.b, p.gradW, p.gradB, 1);
    for (const [sort, descending] of [
      ['index', false],
      ['index', true],
      ['share', true],
      ['u', false],
      ['y', true],
    ] as const) {
      const order = sortedOrder(r.dataset, cols, sort, descending);
      // Any page, not only the one holding the row: the view scrolls to it from wherever it is.
      const first = rowsPage({ result: r, runId: 1, epoch: 20, cols, order, offset: 0, count: 100, sort, descending, selected: 899 });
      assert.equal(first.selectedSample, 899, `${sort} ${descending}`);
      const rank = first.selectedRank!;
      const page = rowsPage({
        result: r,
        runId: 1,
        epoch: 20,
        cols,
        order,
        offset: Math.floor(rank / 100) * 100,
        count: 100,
        sort,
        descending,
        selected: 899,
      });
      assert.equal(page.selectedRank, rank);
      assert.equal(page.rows[rank - page.offset].index, 899, `the row at rank ${rank} in ${sort} ${descending} is sample 900`);
    }
    const byIndex = sortedOrder(r.dataset, cols, 'index', true);
    assert.equal(
      rowsPage({
        result: r,
        runId: 1,
        epoch: 20,
        cols,
        order: byIndex,
        offset: 0,
        count: 10,
        sort: 'index',
        descending: true,
        selected: 899,
      }).selectedRank,
      100,
      'index descending: 1000 − 1 − 899',
    );
    const none = rowsPage({
      result: r,
      runId: 1,
      epoch: 20,
      cols,
      order: byIndex,
      offset: 0,
      count: 10,
      sort: 'index',
      descending: true,
      selected: null,
    });
    assert.deepEqual([none.selectedSample, none.selectedRank], [null, null]);
    const past = rowsPage({
      result: r,
      runId: 1,
      epoch: 20,
      cols,
      order: byIndex,
      offset: 0,
      count: 10,
      sort: 'index',
      descending: true,
      selected: 1000,
    });
    assert.deepEqual([past.selectedSample, past.selectedRank], [null, null], 'a sample past the end is not in the table');
    assert.equal(rankOf(Int32Array.of(4, 2, 0, 1, 3), 0), 2);
    assert.equal(rankOf(Int32Array.of(4, 2, 0, 1, 3), 5), null);
    assert.equal(rankOf(Int32Array.of(4, 2, 0, 1, 3), null), null);
    assert.equal(rankOf(Int32Array.of(4, 2, 0, 1, 3), -1), null);
  });

  it("with # @scale, gives the table the file's x beside x̃ and the fit plot the file's x and the line in its units", () => {
    // Years and a value: standardized, x̃ = (x − μ)/σ with μ, σ (1/N) computed here.
    const years = [1950, 1962, 1971, 1985, 1990, 2003, 2011, 2020];
    const temps = [-0.02, 0.03, 0.01, 0.12, 0.45, 0.6, 0.61, 1.01];
    const r = job(`# @scale standard\nyear,temp\n${years.map((x, i) => `${x},${temps[i]}`).join('\n')}\n`, 200);
    const n = years.length;
    const mu = years.reduce((a, v) => a + v, 0) / n;
    const sigma = Math.sqrt(years.reduce((a, v) => a + (v - mu) ** 2, 0) / n);
    const close = (a: number, b: number, what: string) =>
      assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
    const epoch = 150;
    const p = pointAt(r, epoch);
    const cols = sampleColumns(r.samples, p.w, p.b, p.gradW, p.gradB, p.reluGradAtZero);
    const order = sortedOrder(r.dataset, cols, 'index', false);
    const page = rowsPage({ result: r, runId: 1, epoch, cols, order, offset: 0, count: n, sort: 'index', descending: false });
    for (const row of page.rows) {
      const i = row.index;
      assert.deepEqual(row.x, [years[i]], "the file's x");
      close(row.xScaled![0], (years[i] - mu) / sigma, `x̃ of sample ${i + 1}`);
      // u = w·x̃ + b, and the part of ∂l/∂w multiplies x̃.
      close(row.u, p.w[0] * row.xScaled![0] + p.b, `u of sample ${i + 1}`);
      close(row.contribW[0], row.contribB * row.xScaled![0], `part of ∂l/∂w of sample ${i + 1}`);
    }
    const m = epochMessage({ result: r, runId: 1, epoch, selectedSample: 5, playing: false });
    const fit = m.fit!;
    assert.deepEqual(fit.xs, years, "points at the file's x");
    const wFile = p.w[0] / sigma;
    const bFile = p.b - (p.w[0] * mu) / sigma;
    close(fit.fileUnits!.w, wFile, "w in the file's units");
    close(fit.fileUnits!.b, bFile, "b in the file's units");
    assert.equal(fit.fileUnits!.selectedX, years[5]);
    // The line against the file's x is the neuron on x̃: max(0, w_file·x + b_file) = max(0, w·x̃ + b).
    for (const x of years) close(Math.max(0, wFile * x + bFile), Math.max(0, p.w[0] * ((x - mu) / sigma) + p.b), `z at x = ${x}`);
    // The neuron learnt: at the file's x the line is near the data (loss far below var(y)).
    const yMean = temps.reduce((a, v) => a + v, 0) / n;
    const variance = temps.reduce((a, v) => a + (v - yMean) ** 2, 0) / n;
    assert.ok(m.loss < variance / 2, `loss ${m.loss} against var(y) ${variance}`);

    const plain = job(`year,temp\n${years.map((x, i) => `${x},${temps[i]}`).join('\n')}\n`, 1);
    const q = pointAt(plain, 0);
    const plainCols = sampleColumns(plain.samples, q.w, q.b, q.gradW, q.gradB, q.reluGradAtZero);
    const plainRow = rowsPage({
      result: plain,
      runId: 1,
      epoch: 0,
      cols: plainCols,
      order: sortedOrder(plain.dataset, plainCols, 'index', false),
      offset: 0,
      count: 1,
      sort: 'index',
      descending: false,
    }).rows[0];
    assert.deepEqual([plainRow.x, plainRow.xScaled], [undefined, undefined], 'no x columns without scaling');
    assert.equal(epochMessage({ result: plain, runId: 1, epoch: 0, selectedSample: null, playing: false }).fit!.fileUnits, undefined);
  });

  it('computes a loss surface around the descent path, for one feature only', () => {
    const r = job('x,y\n1,2\n2,4\n3,5\n');
    const s = lossSurface(r, 11)!;
    assert.equal(s.loss.length, 11);
    assert.equal(s.loss[0].length, 11);
    assert.ok(Math.min(...s.pathW) >= s.w[0] && Math.max(...s.pathW) <= s.w[10]);
    assert.equal(lossSurface(job('a,b,y\n1,2,3\n')), null);
  });

  it('reports a file without usable rows instead of a trajectory', () => {
    const r = job('x,y\nfoo,bar\n');
    assert.equal(r.trajectory, null);
    assert.equal(r.dataset.problems.length, 1);
  });

  it('stops a job as soon as it is superseded', () => {
    let calls = 0;
    const rows = Array.from({ length: 1000 }, (_, i) => `${i / 1000},${i / 500}`).join('\n');
    const r = runJob(
      { text: `x,y\n${rows}\n`, base: mergeSettings(DEFAULT_SETTINGS, { epochs: 100_000 }), overrides: {} },
      () => ++calls > 2,
    );
    assert.equal(r, null);
    assert.equal(calls, 3, 'it stopped at the first check after being superseded, not at the end');
  });
});
