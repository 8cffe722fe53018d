/**
 * The Graph tab in a real VS Code (code-server): course.csv's computation graph for a chosen sample
 * shows the numbers the derivation and the hover show; choosing a node highlights its derivation step
 * and a step's button highlights its nodes; all of it again with the keyboard only, the backward pass
 * stepped to u with the chain rule written out, and no animation when motion is reduced. The expected
 * numbers come from the command-line trainer (`cli()`), formatted with the digits each place uses
 * (graph and derivation 4, hover 6).
 *
 * Screenshot: test-results/e2e/graph-*.png; with UPDATE_DOCS_IMAGES=1 also docs/images/graph.png.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { formatNumber, latexNumber } from '../../src/engine/format';
import { clickLine, hoverText, openFile, runCommandFromPalette, waitFor, waitVisible } from '../harness/codeServer';
import { cli, ConsoleWatch, lastPoint, openSession, screenshot, screenshotIfFailed, type VsCodeSession } from './support';

describe('the Graph tab', function () {
  this.timeout(60_000);
  let session: VsCodeSession;
  let page: Page;
  let panel: FrameLocator;
  let watch: ConsoleWatch;
  let datasetText: string;

  const four = (v: number) => formatNumber(v, 4);
  /** The lines of a node's box. */
  const nodeLines = async (id: string) =>
    (await panel.locator(`.gnode[data-node="${id}"] tspan`).allTextContents()).filter((s) => s !== '');
  /** Waits until node `id` shows `want` (its lines). */
  const nodeShows = (id: string, want: string[], what: string) =>
    waitFor(
      async () => {
        const got = await nodeLines(id);
        return JSON.stringify(got) === JSON.stringify(want) ? got : undefined;
      },
      15_000,
      `${what}: node ${id} to show ${JSON.stringify(want)}`,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; it shows ${JSON.stringify(await nodeLines(id).catch(() => null))}`);
    });
  const inStep = async () =>
    (await panel.locator('.gnode.in-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-node') ?? ''))).sort();
  const activeTab = async () => (await panel.locator('vscode-panel-tab[aria-selected="true"]').getAttribute('id'))?.replace(/^tab-/, '');
  const focusedNode = () => panel.locator('.gnode:focus').getAttribute('data-node', { timeout: 2_000 });
  /** Presses Tab until the element matching `selector` has the focus (as a keyboard user reaches it). */
  const tabTo = async (selector: string, what: string, key: 'Tab' | 'Shift+Tab' = 'Tab') => {
    for (let k = 0; k < 40; k++) {
      if (await panel.locator(`${selector}:focus`).count()) return;
      await page.keyboard.press(key);
    }
    throw new Error(`Tab never reached ${what}`);
  };

  before(async function () {
    this.timeout(300_000);
    session = await openSession({
      prefix: 'relu-e2e-graph-',
      settings: { 'workbench.colorTheme': 'Default Light Modern', 'editor.hover.above': false },
    });
    ({ page, panel } = session);
    datasetText = fs.readFileSync(path.join(session.workspace, 'course.csv'), 'utf8');
    watch = new ConsoleWatch(page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this, page, 'graph');
  });

  after(async () => {
    await session?.close();
  });

  it("shows, for a chosen sample, the derivation's and the hover's numbers (wiring: the CLI's)", async () => {
    await openFile(page, 'course.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const run = cli(datasetText);
    const p = lastPoint(run);
    const n = run.samples;
    // Sample 3 (x = 2, y = 5), chosen in the editor; its numbers by the formulas from the CLI's w, b.
    const [x, y] = [2, 5];
    const u = p.w[0] * x + p.b;
    const a = u >= 0 ? 1 : 0;
    const z = Math.max(0, u);
    const r = z - y;
    // Chosen once the panel shows the run (a choice before that, the view's saved place replaces).
    await waitVisible(panel.locator('.derivation .step-update'), 15_000, 'the derivation');
    // The editor shows the run too: its CodeLens above the header moves the rows down when it comes.
    await waitVisible(
      page.locator('.editor-instance .codelens-decoration').filter({ hasText: 'at epoch' }).first(),
      15_000,
      "the CodeLens with the run's loss",
    );
    await clickLine(page, '2,5');
    await waitVisible(
      panel.locator('.derivation .sample-note', { hasText: `Sample 3 of ${n}.` }),
      15_000,
      'the derivation to substitute sample 3',
    );
    // The derivation's own lines for sample 3.
    const formulas = async () =>
      (await panel.locator('.derivation annotation').allTextContents()).map((t) => t.replace(/^\\displaystyle\s*/, '').trim());
    const derivationU = await waitFor(
      async () => (await formulas()).find((f) => f.startsWith('u_{3} = ')),
      15_000,
      'the line u_3 = … in the derivation',
    );
    assert.ok(derivationU.endsWith(`= ${latexNumber(u)}`), derivationU);
    // Steps further down are typeset when they come near: scrolled to, as a reader does.
    await panel.locator('.step-loss').scrollIntoViewIfNeeded();
    const dz = await waitFor(
      async () => (await formulas()).find((f) => f.startsWith('\\frac{\\partial l}{\\partial z_{3}} = \\frac{2}{4} (z_{3} - y_{3})')),
      15_000,
      'the line ∂l/∂z_3 = … in the derivation',
    );
    assert.ok(dz.endsWith(`= ${latexNumber((2 / n) * r)}`), dz);

    await panel.locator('#tab-graph').click();
    await waitVisible(panel.locator('.graph-canvas svg'), 15_000, 'the graph');
    await waitVisible(panel.locator('.graph-caption', { hasText: `Sample 3 of ${n}.` }), 15_000, 'the graph of sample 3');
    await nodeShows('u', ['u₃ = w·x₃ + b', `= ${four(u)}`, `∂l/∂u₃ = ${four((2 / n) * a * r)}`], 'sample 3');
    await nodeShows('z', ['z₃ = max(0, u₃)', `= ${four(z)}`, `∂l/∂z₃ = ${four((2 / n) * r)}`], 'sample 3');
    await nodeShows(
      'w:0',
      ['w', `= ${four(p.w[0])}`, `∂l/∂w = ${four(p.gradW[0])}`, `this sample: ${four((2 / n) * a * r * x)}`],
      'sample 3',
    );
    await nodeShows('b', ['b', `= ${four(p.b)}`, `∂l/∂b = ${four(p.gradB)}`, `this sample: ${four((2 / n) * a * r)}`], 'sample 3');
    await nodeShows('l', ['l = (1/N) Σ (z − y)²', `= ${four(p.loss)}`, '∂l/∂l = 1'], 'sample 3');
    // The same numbers as the derivation writes (both with 4 digits) …
    assert.ok((await nodeLines('u'))[1] === `= ${derivationU.slice(derivationU.lastIndexOf('= ') + 2)}`);
    // … and as the hover (6 digits), rounded to 4.
    const hover = await hoverText(page, '2,5', { expect: 'u = w·x + b' });
    /** The last number on the hover's line that contains `label`. */
    const lastNumber = (label: string) =>
      Number(/(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/.exec(hover.split('\n').find((l) => l.includes(label)) ?? '')?.[1]);
    const hoverU = lastNumber('u = w·x + b');
    assert.equal(`= ${four(hoverU)}`, (await nodeLines('u'))[1], `the hover's u in: ${hover}`);
    const hoverB = lastNumber('contribution to ∂l/∂b');
    assert.equal(`this sample: ${four(hoverB)}`, (await nodeLines('b'))[3], `the hover's part of ∂l/∂b in: ${hover}`);
    await page.mouse.move(1, 1);
  });

  it('choosing a node highlights its derivation step, and a step highlights its nodes', async () => {
    await panel.locator('.gnode[data-node="z"]').click();
    await waitFor(async () => ((await inStep()).join() === 'z' ? true : undefined), 10_000, 'the max step (z only) highlighted');
    await waitVisible(
      panel.locator('.graph-step', { hasText: 'Step of the derivation: Derivative of max(0, ·)' }),
      5_000,
      'the step named',
    );
    await panel.locator('.graph-details vscode-button').click();
    await waitFor(async () => ((await activeTab()) === 'derivation' ? true : undefined), 10_000, 'the Derivation tab');
    await waitVisible(panel.locator('.step-max.focused'), 10_000, 'the max step highlighted in the derivation');
    assert.equal(await panel.locator('.step.focused').count(), 1);
    await panel.locator('.step-loss .to-graph').click();
    await waitFor(async () => ((await activeTab()) === 'graph' ? true : undefined), 10_000, 'the Graph tab');
    await waitFor(async () => ((await inStep()).join() === 'l,r,sq,y' ? true : undefined), 10_000, "the loss step's nodes highlighted");
  });

  it('works with the keyboard only: a node by arrow keys and Enter, the backward pass stepped to u, no animation with reduced motion', async () => {
    const run = cli(datasetText);
    const p = lastPoint(run);
    const n = run.samples;
    const u = p.w[0] * 2 + p.b;
    const r = Math.max(0, u) - 5;
    // From the Derivation tab's label: ArrowRight opens the Graph tab, Tab reaches the graph.
    await panel.locator('#tab-derivation').click();
    await waitFor(async () => ((await activeTab()) === 'derivation' ? true : undefined), 10_000, 'the Derivation tab');
    await panel.locator('#tab-derivation').focus();
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => ((await activeTab()) === 'graph' ? true : undefined), 10_000, 'ArrowRight to the Graph tab');
    await tabTo('.gnode', 'a node of the graph');
    for (const key of ['Home', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown']) await page.keyboard.press(key);
    assert.equal(await focusedNode(), 'u', 'l → sq → z − y → z → u');
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await inStep()).join() === 'u' ? true : undefined), 10_000, 'the sum step (u) highlighted');
    assert.match(
      (await panel.locator('.gnode[data-node="u"]').getAttribute('aria-label')) ?? '',
      /^u₃ = w·x₃ \+ b; = .*Step: Derivative of a sum/,
    );

    await page.emulateMedia({ reducedMotion: 'reduce' });
    await tabTo('.graph vscode-button[appearance="primary"]', 'the backward pass button', 'Shift+Tab');
    // l, (z − y)², z − y, z, y, u: six nodes.
    for (let k = 0; k < 6; k++) await page.keyboard.press('Enter');
    const want = `∂l/∂u₃ = 1/N · 2(z₃ − y₃) · 1 · a₃ = ${four(1 / n)} · ${r < 0 ? `(${four(2 * r)})` : four(2 * r)} · 1 · 1 = ${four((2 / n) * r)}`;
    await waitVisible(panel.locator('.graph-chain', { hasText: want }), 10_000, `the chain rule "${want}"`);
    assert.ok((await panel.locator('.graph-chain').innerText()).includes(`6 of ${8 + 2}`));
    await waitVisible(panel.locator('.gnode.current[data-node="u"]'), 5_000, 'u as the current node');
    const animation = await panel
      .locator('.gedge.flowing path')
      .first()
      .evaluate((e) => getComputedStyle(e).animationName);
    assert.equal(animation, 'none', 'no animation with reduced motion');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    // The README's picture: the panel alone, in a window tall enough for the whole graph.
    await page.setViewportSize({ width: 1400, height: 1300 });
    try {
      const box = await page.locator('iframe.webview.ready').filter({ visible: true }).first().boundingBox();
      assert.ok(box);
      await waitFor(
        async () => ((await panel.locator('.gnode[data-node="x:0"]').boundingBox())!.height > 0 ? true : undefined),
        5_000,
        'the graph laid out',
      );
      await screenshot(page, 'graph-backward-pass', { docsName: 'graph.png', clip: box });
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });

  it('shows an inactive sample stopping the gradient at max(0, ·), and follows the chosen sample', async () => {
    await clickLine(page, '-3,1');
    await waitVisible(panel.locator('.graph-caption', { hasText: 'Sample 2 of 4.' }), 15_000, 'the graph of sample 2');
    await waitVisible(panel.locator('.graph-stop', { hasText: 'a = 0: the gradient stops here' }), 10_000, 'the stop sentence');
    const blocked = await panel.locator('.gnode.blocked').evaluateAll((els) => els.map((e) => e.getAttribute('data-node') ?? ''));
    assert.deepEqual(blocked.sort(), ['b', 'dot', 'u', 'w:0', 'x:0'], 'the nodes upstream of max(0, ·) dimmed');
    assert.equal(await panel.locator('.gedge.blocked').count(), 5, 'and the edges into them and out of u');
  });

  it('logged no CSP violation or webview error', () => {
    assert.deepEqual(watch.violations(), []);
    assert.deepEqual(watch.webviewErrors(), []);
  });
});
