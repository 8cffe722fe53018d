/**
 * Issue 14's derivatives in a real VS Code (code-server), driven by the keyboard only: the Gradients
 * tab's finite-difference check at the last epoch (the CLI's gradient beside a central difference)
 * and at epoch 0, where every sample of course.csv sits at u = 0 (the kink: forward and backward
 * differences, computed here from the data); the hover over a target value (∂l/∂y_i, opened with
 * Ctrl+K Ctrl+I at the cursor); the Trajectories tab's gradient chart.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { formatNumber, latexNumber } from '../../src/engine/format';
import { focusedEditor, goToLine, openFile, runCommandFromPalette, waitFor, waitVisible } from '../harness/codeServer';
import {
  cli,
  dataRows,
  lastPoint,
  screenshot,
  screenshotIfFailed,
  type CliPoint,
  type CliRun,
  openSession,
  type VsCodeSession,
} from './support';

type Tab = 'derivation' | 'graph' | 'gradients' | 'trajectories' | 'fit';

describe('the derivatives, checked and explored (keyboard only)', function () {
  this.timeout(60_000);
  let session: VsCodeSession;
  let page: Page;
  let panel: FrameLocator;
  let text: string;
  let run: CliRun;

  /** The check's table, parameter name → its cells (analytic, central, relative, h[, forward, backward]). */
  const checkTable = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    const rows = panel.locator('.fd-table tbody tr');
    for (let k = 0; k < (await rows.count()); k++) {
      const name = (await rows.nth(k).locator('th').innerText()).trim();
      out[name] = (await rows.nth(k).locator('td').allInnerTexts()).map((t) => t.trim());
    }
    return out;
  };
  /** Moves to `tab` with the arrow keys from the tab that is selected (FAST tabs select on focus). */
  const tabByKeyboard = async (tab: Tab) => {
    const selected = panel.locator('vscode-panel-tab[aria-selected="true"]');
    const from = ((await selected.getAttribute('id')) ?? '').replace(/^tab-/, '') as Tab;
    await selected.focus();
    // The tabs in the order the panel shows them.
    const order = (await panel.locator('vscode-panel-tab').evaluateAll((els) => els.map((e) => e.id))).map((id) => id.replace(/^tab-/, ''));
    const steps = order.indexOf(tab) - order.indexOf(from);
    for (let k = 0; k < Math.abs(steps); k++) await page.keyboard.press(steps > 0 ? 'ArrowRight' : 'ArrowLeft');
    await waitVisible(panel.locator(`.tab-content.tab-${tab}`), 10_000, `the ${tab} tab's content`);
  };
  /** Focuses the check's button and presses Enter; waits for the table of the epoch `epoch`. */
  const checkAt = async (epoch: number) => {
    await panel.locator('.fd-check-button').focus();
    await page.keyboard.press('Enter');
    await waitFor(
      async () => ((await panel.locator('.fd-summary').allInnerTexts()).some((t) => t.includes(`At epoch ${epoch},`)) ? true : undefined),
      15_000,
      `the finite-difference check of epoch ${epoch}`,
    );
    return checkTable();
  };
  const headerEpoch = (p: CliPoint) =>
    waitFor(
      async () => {
        const values = (await panel.locator('.app-header .stats .stat-value').allInnerTexts()).map((t) => t.trim());
        return values[1] === `${p.epoch} / ${run.trajectory.length - 1}` ? true : undefined;
      },
      20_000,
      `the header to show epoch ${p.epoch}`,
    );

  before(async function () {
    this.timeout(300_000);
    session = await openSession({ prefix: 'relu-e2e-derivatives-' });
    ({ page, panel } = session);
    text = fs.readFileSync(path.join(session.workspace, 'course.csv'), 'utf8');
    run = cli(text);
    await openFile(page, 'course.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    await headerEpoch(lastPoint(run));
  });

  afterEach(async function () {
    await screenshotIfFailed(this, page, 'derivatives');
  });

  after(async () => {
    await session?.close();
  });

  it("Gradients tab, last epoch: the check shows the CLI's ∂l/∂w, ∂l/∂b beside central differences that agree", async () => {
    await tabByKeyboard('gradients');
    const last = lastPoint(run);
    const got = await checkAt(last.epoch);
    assert.deepEqual(Object.keys(got), ['∂l/∂w', '∂l/∂b']);
    for (const [name, g, theta] of [
      ['∂l/∂w', last.gradW[0], last.w[0]],
      ['∂l/∂b', last.gradB, last.b],
    ] as const) {
      const [analytic, central, relative, h] = got[name];
      assert.equal(analytic, formatNumber(g, 8), `${name}: the analytic value is the CLI's`);
      assert.ok(Math.abs(Number(central) - g) <= 1e-6 * Math.max(1e-3, Math.abs(g)), `${name}: central ${central} vs ${g}`);
      assert.ok(Number(relative) < 1e-4, `${name}: relative difference ${relative}`);
      assert.equal(h, formatNumber(1e-5 * Math.max(1, Math.abs(theta)), 2));
      assert.equal(got[name].length, 4, 'no one-sided columns away from a kink');
    }
    assert.equal(await panel.locator('.fd-kink').count(), 0);
  });

  it('epoch 0 (w = 0, b = 0): every sample at the kink; forward and backward differences are the slopes on each side', async () => {
    await panel.locator('input.scrubber').focus();
    await page.keyboard.press('Home');
    const first = run.trajectory[0];
    await headerEpoch(first);
    // The check of the last epoch is taken down when the epoch changes.
    await waitFor(async () => ((await panel.locator('.fd-table').count()) === 0 ? true : undefined), 10_000, 'the old check taken down');
    const got = await checkAt(0);
    const rows = dataRows(text);
    const n = rows.length;
    // One-sided slopes of l at θ = 0 from the data: raising w_k from 0 switches on the samples with x > 0
    // (lowering it, those with x < 0); z − y = −y there, so each adds (2/N)(−y)x.
    const side = (keep: (x: number) => boolean, dz: (r: (typeof rows)[0]) => number) =>
      rows.reduce((s, r) => s + (keep(r.x) ? (2 / n) * -r.y * dz(r) : 0), 0);
    const want = {
      '∂l/∂w': {
        forward: side(
          (x) => x > 0,
          (r) => r.x,
        ),
        backward: side(
          (x) => x < 0,
          (r) => r.x,
        ),
      },
      '∂l/∂b': {
        forward: side(
          () => true,
          () => 1,
        ),
        backward: 0,
      },
    };
    for (const [name, w] of Object.entries(want)) {
      const cells = got[name];
      assert.equal(cells.length, 6, `${name}: forward and backward columns at the kink`);
      assert.equal(cells[0], formatNumber(name === '∂l/∂w' ? first.gradW[0] : first.gradB, 8), `${name}: the CLI's epoch-0 gradient`);
      assert.ok(Math.abs(Number(cells[4]) - w.forward) <= 1e-3, `${name} forward ${cells[4]} vs ${w.forward}`);
      assert.ok(Math.abs(Number(cells[5]) - w.backward) <= 1e-3, `${name} backward ${cells[5]} vs ${w.backward}`);
      assert.ok(Math.abs(Number(cells[1]) - (w.forward + w.backward) / 2) <= 1e-3, `${name}: central is their average`);
    }
    const kink = (await panel.locator('.fd-kink').innerText()).trim();
    assert.ok(kink.startsWith(`${n} samples sit exactly at u = 0 (the first: sample 1)`), kink);
    assert.match(kink, run.settings.reluGradAtZero === 1 ? /ReLU'\(0\) = 1 .*counts as active/ : /ReLU'\(0\) = 0 .*counts as inactive/);
    // Back to the last epoch for what follows.
    await panel.locator('input.scrubber').focus();
    await page.keyboard.press('End');
    await headerEpoch(lastPoint(run));
  });

  it('the hover over a target value (Ctrl+K Ctrl+I at the cursor) gives ∂l/∂y_i = −(2/N)(z_i − y_i) and what a raise of 0.1 does', async () => {
    const last = lastPoint(run);
    const rows = dataRows(text);
    const k = 2;
    const row = rows[k];
    const z = Math.max(0, last.w[0] * row.x + last.b);
    const g = -(2 / rows.length) * (z - row.y);
    await page.keyboard.press('Control+1'); // the editor group of course.csv
    await waitVisible(focusedEditor(page), 10_000, 'the editor of course.csv to have the focus');
    await goToLine(page, row.line);
    await page.keyboard.press('End'); // in the target's cell, the row's last
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-editor .monaco-hover').filter({ visible: true }).first();
    const got = await waitFor(
      async () => {
        if (!(await hover.isVisible())) return undefined;
        const t = (await hover.innerText()).trim();
        return t.includes('∂l/∂y') ? t : undefined;
      },
      15_000,
      'the hover with ∂l/∂y',
    );
    assert.ok(got.includes(`∂l/∂y${k + 1} = −(2/N)(z − y) = −(2/${rows.length})·`), got);
    assert.ok(got.includes(`= ${formatNumber(g, 6)}`), `∂l/∂y = ${formatNumber(g, 6)} in:\n${got}`);
    assert.ok(got.includes(`Raising this value by 0.1 would change the loss by about ${formatNumber(0.1 * g, 6)}.`), got);
    await page.keyboard.press('Escape');
  });

  it('a probe on the loss surface (arrow key on the Fit tab): the derivation moves to that point, marked, with its gradient; Escape returns', async () => {
    await tabByKeyboard('fit');
    const canvas = panel.locator('.surface-canvas');
    await waitVisible(canvas, 15_000, 'the loss surface');
    await canvas.focus();
    await page.keyboard.press('ArrowUp');
    const bar = panel.locator('.probe-bar');
    await waitVisible(bar, 10_000, 'the probe bar');
    assert.ok((await bar.innerText()).includes('Probe, not on the trajectory'));
    const said = (await bar.locator('.probe-text').innerText()).trim();
    const m = /^At w = (\S+), b = (\S+): l = (\S+), ∇l = \((\S+), (\S+)\)/.exec(said);
    assert.ok(m, said);
    const [w, b] = [Number(m[1]), Number(m[2])];
    const last = lastPoint(run);
    assert.ok(Math.abs(w - last.w[0]) < 0.2 && b > last.b, `one step up from (${last.w[0]}, ${last.b}): (${w}, ${b})`);
    // l and ∇l at (w, b) from the data and the formulas.
    const rows = dataRows(text);
    const n = rows.length;
    let l = 0;
    let gw = 0;
    let gb = 0;
    for (const r of rows) {
      const u = w * r.x + b;
      const a = u > 0 || (u === 0 && run.settings.reluGradAtZero === 1) ? 1 : 0;
      const res = Math.max(0, u) - r.y;
      l += (res * res) / n;
      gw += (2 / n) * a * res * r.x;
      gb += (2 / n) * a * res;
    }
    assert.deepEqual(
      [m[3], m[4], m[5]],
      [l, gw, gb].map((v) => formatNumber(v, 6)),
    );
    await screenshot(page, 'derivatives-probe');
    // The README's picture, only when it is rewritten (UPDATE_DOCS_IMAGES=1): the panel alone, in a
    // window tall enough for the probe bar, the Fit plot and the surface.
    if (process.env.UPDATE_DOCS_IMAGES === '1') {
      await page.setViewportSize({ width: 1400, height: 1300 });
      try {
        const box = await page.locator('iframe.webview.ready').filter({ visible: true }).first().boundingBox();
        assert.ok(box);
        await waitFor(
          async () => {
            const c = await canvas.boundingBox();
            return c && c.height > 0 && c.y + c.height <= box.y + box.height ? true : undefined;
          },
          5_000,
          'the loss surface inside the panel',
        );
        await screenshot(page, 'derivatives-probe-docs', { docsName: 'probe.png', clip: box });
      } finally {
        await page.setViewportSize({ width: 1400, height: 900 });
      }
    }
    // The Derivation tab is written at the probe.
    await tabByKeyboard('derivation');
    const want = `\\nabla l = (${latexNumber(gw)},\\ ${latexNumber(gb)})^T`;
    await waitFor(
      async () =>
        (await panel.locator('.derivation annotation').allTextContents()).some((f) => f.replace(/^\\displaystyle\s*/, '').startsWith(want))
          ? true
          : undefined,
      15_000,
      `the derivation to contain ${want}`,
    );
    // The Graph tab follows the probe: its u node is w·x_k + b at the probe's θ for its sample k.
    await tabByKeyboard('graph');
    const subscript = (s: string) => Number([...s].map((c) => '₀₁₂₃₄₅₆₇₈₉'.indexOf(c)).join(''));
    const graphU = await waitFor(
      async () => {
        const lines = (await panel.locator('.gnode[data-node="u"] tspan').allTextContents()).filter((s) => s !== '');
        const k = /^u([₀-₉]+) = /.exec(lines[0] ?? '');
        if (!k || !lines[1]) return undefined;
        const x = rows[subscript(k[1]) - 1].x;
        const want = w * x + b;
        const got = Number(lines[1].replace(/^= /, ''));
        return Math.abs(got - want) <= 1e-3 * Math.max(1, Math.abs(want)) ? { got, x } : undefined;
      },
      15_000,
      "the graph's u node at the probe",
    );
    assert.ok(
      Math.abs(graphU.got - (last.w[0] * graphU.x + last.b)) > 1e-3,
      `the probe's u (${graphU.got}) is not the last epoch's (${last.w[0] * graphU.x + last.b})`,
    );
    // The Gradients table follows it too: each row's u_i = w·x_i + b, z_i and a_i at the probe.
    await tabByKeyboard('gradients');
    /** Waits until the table's rows show u_i, z_i, a_i at (w, b). */
    const tableAt = (tw: number, tb: number, what: string) =>
      waitFor(
        async () => {
          for (const [i, r] of rows.entries()) {
            const cells = (await panel.locator(`.grid-row[data-sample="${i}"] .grid-cell`).allInnerTexts()).map((t) => t.trim());
            const u = tw * r.x + tb;
            const a = u > 0 || (u === 0 && run.settings.reluGradAtZero === 1) ? 1 : 0;
            const close = (cell: string | undefined, v: number) => Math.abs(Number(cell) - v) <= 1e-4 * Math.max(1, Math.abs(v));
            if (!close(cells[2], u) || !close(cells[3], Math.max(0, u)) || cells[6] !== String(a)) return undefined;
          }
          return true;
        },
        15_000,
        `the table's rows ${what}`,
      );
    await tableAt(w, b, 'at the probe');
    // Escape: back to the trajectory's last epoch.
    await page.keyboard.press('Escape');
    await waitFor(async () => ((await bar.isHidden()) ? true : undefined), 10_000, 'the probe bar to go');
    await waitFor(
      async () =>
        (await panel.locator('.app-header .stats .stat-value').first().innerText()).trim() === formatNumber(last.loss) ? true : undefined,
      10_000,
      "the header back at the last epoch's loss",
    );
    await tableAt(last.w[0], last.b, 'back at the last epoch');
  });

  it("Trajectories tab: the gradient chart is drawn and its table lists the CLI's ∂l/∂w, ∂l/∂b and |∇l|", async () => {
    await tabByKeyboard('trajectories');
    const charts = panel.locator('.trajectories .chart canvas');
    await waitFor(async () => ((await charts.count()) >= 3 ? true : undefined), 15_000, 'three charts');
    await panel.locator('.alt-table summary').focus();
    await page.keyboard.press('Enter');
    const table = panel.locator('.alt-table table');
    await waitVisible(table, 10_000, 'the table of plotted values');
    const heads = (await table.locator('thead th').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(heads.slice(4), ['∂l/∂w', '∂l/∂b', '|∇l|']);
    const cells = (await table.locator('tr[aria-current="true"]').locator('th, td').allInnerTexts()).map((t) => t.trim());
    const last = lastPoint(run);
    assert.equal(cells[0], String(last.epoch));
    assert.deepEqual(
      cells.slice(4),
      [last.gradW[0], last.gradB, Math.hypot(last.gradW[0], last.gradB)].map((v) => formatNumber(v, 8)),
    );
  });
  it('Train from here: the panel trains from the probe, as the CLI does from that point as # @init', async () => {
    await tabByKeyboard('fit');
    const canvas = panel.locator('.surface-canvas');
    await waitVisible(canvas, 15_000, 'the loss surface');
    await canvas.focus();
    await page.keyboard.press('ArrowDown');
    const bar = panel.locator('.probe-bar');
    await waitVisible(bar, 10_000, 'the probe bar');
    const m = /^At w = (\S+), b = (\S+):/.exec((await bar.locator('.probe-text').innerText()).trim());
    assert.ok(m);
    await panel.locator('.probe-train').focus();
    await page.keyboard.press('Enter');
    const from = cli(`# @init ${m[1]} ${m[2]}\n${text}`);
    assert.equal(from.trajectory[0].w[0], Number(m[1]));
    assert.equal(from.trajectory[0].b, Number(m[2]));
    const end = lastPoint(from);
    await waitFor(
      async () => {
        const values = (await panel.locator('.app-header .stats .stat-value').allInnerTexts()).map((t) => t.trim());
        return values[0] === formatNumber(end.loss) && values[1] === `${end.epoch} / ${from.trajectory.length - 1}` ? true : undefined;
      },
      20_000,
      `the header to show the run from (${m[1]}, ${m[2]}): loss ${formatNumber(end.loss)}`,
    );
    assert.ok(await bar.isHidden(), 'the probe is left once training starts from it');
    // Epoch 0 of the new run is the probe (the old run started at w = 0, b = 0).
    await panel.locator('input.scrubber').focus();
    await page.keyboard.press('Home');
    await waitFor(
      async () => {
        const values = (await panel.locator('.app-header .stats .stat-value').allInnerTexts()).map((t) => t.trim());
        return values[0] === formatNumber(from.trajectory[0].loss) && values[1].startsWith('0 /') ? true : undefined;
      },
      10_000,
      `epoch 0 at the probe: loss ${formatNumber(from.trajectory[0].loss)}`,
    );
    assert.notEqual(formatNumber(from.trajectory[0].loss), formatNumber(run.trajectory[0].loss));
  });
  it('two features: the Fit tab slices the loss through the point on display; an arrow key probes it and the Gradients tab shows ∇l there', async () => {
    // Off the Fit tab, so that its slice is asked for once the last epoch is on display.
    await tabByKeyboard('gradients');
    // The key goes through the panel's frame to the workbench: Quick Open waits for the focus to arrive
    // (opened sooner, the late focus move closed it).
    await page.keyboard.press('Control+1');
    await waitVisible(focusedEditor(page), 10_000, 'the editor of course.csv to have the focus');
    await openFile(page, 'two-features.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const two = fs.readFileSync(path.join(session.workspace, 'two-features.csv'), 'utf8');
    const twoRun = cli(two);
    const end = lastPoint(twoRun);
    await waitFor(
      async () => ((await panel.locator('.app-header .file-name').innerText()).includes('two-features.csv') ? true : undefined),
      20_000,
      'the panel on two-features.csv',
    );
    await panel.locator('input.scrubber').focus();
    await page.keyboard.press('End');
    await waitFor(
      async () =>
        (await panel.locator('.app-header .stats .stat-value').nth(1).innerText()).trim() ===
          `${end.epoch} / ${twoRun.trajectory.length - 1}` &&
        (await panel.locator('.app-header .file-name').innerText()).includes('two-features.csv')
          ? true
          : undefined,
      20_000,
      'the panel on two-features.csv',
    );
    await tabByKeyboard('fit');
    const canvas = panel.locator('.surface-canvas');
    await waitVisible(canvas, 15_000, 'the slice of the loss');
    await waitFor(
      async () =>
        (await panel.locator('.surface .hint').first().innerText()).includes('A slice through the point on display along w1 and w2')
          ? true
          : undefined,
      10_000,
      'the slice described',
    );
    await canvas.focus();
    await page.keyboard.press('ArrowUp');
    const bar = panel.locator('.probe-bar');
    await waitVisible(bar, 10_000, 'the probe bar');
    const said = (await bar.locator('.probe-text').innerText()).trim();
    const m = /^At w1 = (\S+), w2 = (\S+), b = (\S+): l = (\S+), ∇l = \((\S+), (\S+), (\S+)\)/.exec(said);
    assert.ok(m, said);
    const [w1, w2] = [Number(m[1]), Number(m[2])];
    assert.ok(w2 > end.w[1] && Math.abs(w1 - end.w[0]) < 0.2, `one step up in w2 from (${end.w.join(', ')}): (${w1}, ${w2})`);
    assert.equal(m[3], formatNumber(end.b, 6), 'b stays where the slice is');
    const rows = two
      .split('\n')
      .filter((l) => /^-?\d/.test(l.trim()))
      .map((l) => l.split(',').map(Number));
    const n = rows.length;
    let l = 0;
    const g = [0, 0, 0];
    for (const [x1, x2, y] of rows) {
      const u = w1 * x1 + w2 * x2 + end.b;
      const a = u > 0 || (u === 0 && twoRun.settings.reluGradAtZero === 1) ? 1 : 0;
      const res = Math.max(0, u) - y;
      l += (res * res) / n;
      g[0] += (2 / n) * a * res * x1;
      g[1] += (2 / n) * a * res * x2;
      g[2] += (2 / n) * a * res;
    }
    assert.deepEqual(
      [m[4], m[5], m[6], m[7]],
      [l, ...g].map((v) => formatNumber(v, 6)),
    );
    await tabByKeyboard('gradients');
    await waitFor(
      async () => {
        const dd = (await panel.locator('.grad-summary .grad-item dd').allInnerTexts()).map((t) => t.trim());
        return dd.slice(0, 3).join() === g.map((v) => formatNumber(v, 6)).join() ? true : undefined;
      },
      10_000,
      `the Gradients tab at the probe: ${g.map((v) => formatNumber(v, 6)).join(', ')}`,
    );
    await page.keyboard.press('Escape');
    await waitFor(async () => ((await bar.isHidden()) ? true : undefined), 10_000, 'the probe bar to go');
  });
});
