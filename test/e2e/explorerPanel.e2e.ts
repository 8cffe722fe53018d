/**
 * The explorer panel as a student uses it, in a real VS Code (code-server 1.100.3): the Derivation,
 * Gradients and Trajectories tabs at an epoch, the epoch scrubber driven by the keyboard, a table row
 * that shows its line in the editor, an edit that keeps the tab, playback, a light and a dark theme;
 * on a 1000-row file, the table scrolling to a sample chosen elsewhere and the Fit plot's keys.
 * Every number is compared with the command-line trainer's JSON for the same text (`cli()`), formatted
 * with the digits the view uses (header 4, Gradients 6, table 5, trajectory table 8, derivation 4). The
 * CLI runs the same engine, so these are wiring checks; the math is checked in the unit tests.
 *
 * Screenshots go to test-results/e2e/panel-*.png; with UPDATE_DOCS_IMAGES=1 the four README pictures
 * (docs/images/panel-light.png, panel-dark.png, hover.png, problems.png) are written too.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { formatNumber, latexFactor, latexNumber } from '../../src/engine/format';
import {
  clickLine,
  editorLine,
  hoverText,
  openFile,
  problemsRows,
  runCommandFromPalette,
  typeIntoLine,
  waitFor,
  waitVisible,
} from '../harness/codeServer';
import {
  chooseColorTheme,
  cli,
  ConsoleWatch,
  dataRows,
  lastPoint,
  lineOf,
  screenshot,
  screenshotIfFailed,
  type CliPoint,
  type CliRun,
  openSession,
  type VsCodeSession,
} from './support';

type Tab = 'derivation' | 'gradients' | 'trajectories' | 'fit';

/** A URL no webview may load: the deliberate CSP probe's violation names it, and only it is excused. */
const CSP_PROBE = 'https://relu-e2e-csp-probe.invalid/probe.png';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A 1000-row one-feature dataset (thousand.csv, added to the workspace): x = 0.000 … 0.999 ascending,
 * so the order of x is the order of the samples, and sample i (0-based) is on line i + 2.
 */
const THOUSAND = `x,y\n${Array.from({ length: 1000 }, (_, i) => `${(i / 1000).toFixed(3)},${(Math.max(0, (2 * i) / 1000 - 0.5) + 0.05 * Math.sin(i)).toFixed(4)}`).join('\n')}\n`;

describe('the explorer panel, tab by tab', function () {
  this.timeout(60_000);
  let workspace: string;
  let session: VsCodeSession;
  let page: Page;
  let panel: FrameLocator;
  let watch: ConsoleWatch;
  /** The text in the editor (edits included), which the CLI is run on. */
  let datasetText: string;
  let originalText: string;

  const reference = (): CliRun => cli(datasetText);
  const norm = (p: CliPoint) => Math.hypot(...p.gradW, p.gradB);

  // ── Reading the panel as a user sees it ─────────────────────────────────────────────────────────
  const header = async () => {
    const values = (await panel.locator('.app-header .stats .stat-value').allInnerTexts()).map((t) => t.trim());
    return { loss: values[0], epoch: values[1], active: values[2] };
  };
  const headerFor = (run: CliRun, p: CliPoint) => ({
    loss: formatNumber(p.loss),
    epoch: `${p.epoch} / ${run.trajectory.length - 1}`,
    active: `${p.active} / ${run.samples}`,
  });
  /** Waits until the header shows `want` (loss, epoch, active). */
  const headerShows = (want: { loss: string; epoch: string; active: string }, what: string) =>
    waitFor(
      async () => {
        const got = await header();
        return got.loss === want.loss && got.epoch === want.epoch && got.active === want.active ? got : undefined;
      },
      20_000,
      `${what}: the header to show ${JSON.stringify(want)}`,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; it shows ${JSON.stringify(await header().catch(() => null))}`);
    });
  /** The Gradients tab's summary, label → value. */
  const gradients = async (): Promise<Record<string, string>> => {
    const items = panel.locator('.grad-summary .grad-item');
    const out: Record<string, string> = {};
    for (let k = 0; k < (await items.count()); k++) {
      out[(await items.nth(k).locator('dt').innerText()).trim()] = (await items.nth(k).locator('dd').innerText()).trim();
    }
    return out;
  };
  const gradientsFor = (run: CliRun, p: CliPoint): Record<string, string> => ({
    '∂l/∂w': formatNumber(p.gradW[0], 6),
    '∂l/∂b': formatNumber(p.gradB, 6),
    '|∇l|': formatNumber(norm(p), 6),
    'Active samples': `${p.active} / ${run.samples}`,
  });
  const gradientsShow = (want: Record<string, string>, what: string) =>
    waitFor(
      async () => {
        const got = await gradients();
        return JSON.stringify(got) === JSON.stringify(want) ? got : undefined;
      },
      20_000,
      `${what}: the Gradients tab to show ${JSON.stringify(want)}`,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; it shows ${JSON.stringify(await gradients().catch(() => null))}`);
    });
  /** Switches tab by clicking it, and waits until its content is on screen. */
  const selectTab = async (tab: Tab) => {
    await panel.locator(`#tab-${tab}`).click();
    await waitVisible(panel.locator(`.tab-content.tab-${tab}`), 10_000, `the ${tab} tab's content`);
  };
  const activeTab = async () => (await panel.locator('vscode-panel-tab[aria-selected="true"]').getAttribute('id'))?.replace(/^tab-/, '');
  /** The line number the status bar shows for the editor's cursor ("Ln 9, Col 5"). */
  const cursorLine = async () => {
    const text = await page
      .locator('.statusbar-item')
      .filter({ hasText: /^Ln \d+, Col \d+/ })
      .first()
      .innerText({ timeout: 2_000 });
    return Number(/^Ln (\d+)/.exec(text.trim())?.[1]);
  };
  const cursorOn = (line: number, what: string) =>
    waitFor(async () => ((await cursorLine()) === line ? line : undefined), 15_000, `${what}: the status bar to show "Ln ${line}"`).catch(
      async (e: Error) => {
        throw new Error(`${e.message}; it shows Ln ${await cursorLine().catch(() => '?')}`);
      },
    );
  /** Undoes the edits in the active editor (Ctrl+Z in `lineText`'s line) until its tab is no longer dirty. */
  const undoEdits = async (lineText: string, what: string) => {
    await editorLine(page, lineText).click();
    const dirty = page.locator('.tabs-container .tab.active.dirty');
    await waitFor(
      async () => {
        if (!(await dirty.isVisible())) return true;
        await page.keyboard.press('Control+Z');
        return undefined;
      },
      10_000,
      `${what}: Ctrl+Z back to the text as saved`,
      300,
    );
    datasetText = originalText;
  };
  /** Scrolls the dataset's editor to its first line with the mouse wheel (for the pictures). */
  const scrollEditorToTop = async () => {
    const box = await page.locator('.editor-instance .monaco-editor .view-lines').first().boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(200, box.height / 2));
    await page.mouse.wheel(0, -5000);
    await page.mouse.move(1, 1);
    await waitFor(
      async () =>
        (await page.locator('.editor-instance .margin .line-numbers').allInnerTexts()).map((t) => t.trim()).includes('1')
          ? true
          : undefined,
      5_000,
      'the editor scrolled to line 1',
    );
  };
  /** The KaTeX source of every formula in the Derivation tab (KaTeX keeps it in a MathML annotation). */
  const formulas = async () =>
    (await panel.locator('.derivation annotation').allTextContents()).map((t) => t.replace(/^\\displaystyle\s*/, '').trim());

  before(async function () {
    this.timeout(300_000);
    // Hovers below the line: the README's hover picture then covers no text.
    session = await openSession({
      prefix: 'relu-e2e-panel-',
      settings: { 'workbench.colorTheme': 'Default Light Modern', 'editor.hover.above': false },
      prepare: (ws) => fs.writeFileSync(path.join(ws, 'thousand.csv'), THOUSAND),
    });
    ({ workspace, page, panel } = session);
    originalText = datasetText = fs.readFileSync(path.join(workspace, 'course.csv'), 'utf8');
    watch = new ConsoleWatch(page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this, page, 'panel');
  });

  after(async () => {
    await session?.close();
  });

  it("trains course.csv and shows the last epoch in the header and the Derivation tab (wiring: the CLI's numbers)", async () => {
    await openFile(page, 'course.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const run = reference();
    const last = lastPoint(run);
    await headerShows(headerFor(run, last), 'after training');
    assert.equal(await activeTab(), 'derivation', 'the panel opens on the Derivation tab');
    const n = run.samples;
    const want = [
      `\\nabla l = (${latexNumber(last.gradW[0])},\\ ${latexNumber(last.gradB)})^T,\\quad |\\nabla l| = ${latexNumber(norm(last))}`,
      `t = ${last.epoch},\\quad \\alpha = ${latexNumber(run.settings.learningRate)}`,
    ];
    const got = await waitFor(
      async () => {
        const f = await formulas();
        return want.every((w) => f.includes(w)) ? f : undefined;
      },
      15_000,
      `the derivation to contain ${want.join(' and ')}`,
    );
    // The loss step's sum over every sample: (1/N)(…) = the CLI's loss.
    assert.ok(
      got.some((f) => f.startsWith(`l = \\frac{1}{${n}} \\big(`) && f.endsWith(`\\big) = ${latexNumber(last.loss)}`)),
      `l = … = ${latexNumber(last.loss)} in:\n${got.join('\n')}`,
    );
    // The chain rule's result for each parameter: (2/N)(…) = the CLI's gradient.
    const gradW = got.find((f) => f.startsWith(`\\frac{\\partial l}{\\partial w} = \\frac{2}{${n}}`));
    const gradB = got.find((f) => f.startsWith(`\\frac{\\partial l}{\\partial b} = \\frac{2}{${n}}`));
    assert.ok(gradW?.endsWith(`= ${latexNumber(last.gradW[0])}`), `∂l/∂w = ${latexNumber(last.gradW[0])} in: ${gradW}`);
    assert.ok(gradB?.endsWith(`= ${latexNumber(last.gradB)}`), `∂l/∂b = ${latexNumber(last.gradB)} in: ${gradB}`);
    // The update step: w − α ∂l/∂w with the CLI's numbers.
    const nextW = last.w[0] - run.settings.learningRate * last.gradW[0];
    assert.ok(
      got.some((f) => f.startsWith(`w \\leftarrow ${latexNumber(last.w[0])} -`) && f.endsWith(`= ${latexNumber(nextW)}`)),
      `w ← … = ${latexNumber(nextW)} in:\n${got.join('\n')}`,
    );
    await screenshot(page, 'panel-1-derivation');
  });

  it("hears the webview's own console: a deliberate CSP violation inside the panel is reported", async () => {
    // An image from a host the panel's CSP (img-src: the webview's resource origin and data: only)
    // forbids. Chromium reports the refusal on the console of the panel's #active-frame.
    await panel.locator('body').evaluate((body, url) => {
      const img = body.ownerDocument.createElement('img');
      img.src = url;
      body.appendChild(img);
      img.remove();
    }, CSP_PROBE);
    await waitFor(
      async () => (watch.csp.some((t) => t.includes(CSP_PROBE)) ? true : undefined),
      10_000,
      "the CSP report of the probe image on the page's console",
    );
    assert.equal(watch.errors.filter((e) => e.text.includes(CSP_PROBE)).length, 1);
    assert.equal(watch.webviewErrors().filter((t) => t.includes(CSP_PROBE)).length, 1, 'the report is attributed to a webview frame');
  });

  it("Gradients tab: ∂l/∂w, ∂l/∂b and every sample's row at the epoch on display (wiring: the CLI's numbers)", async () => {
    await selectTab('gradients');
    const run = reference();
    const last = lastPoint(run);
    await gradientsShow(gradientsFor(run, last), 'at the last epoch');
    // The table: one row per sample with its line, u = w·x + b, z, y, z − y and a, from the CLI's w and b.
    const rows = dataRows(datasetText);
    assert.equal(rows.length, run.samples);
    for (const [i, r] of rows.entries()) {
      const u = last.w[0] * r.x + last.b;
      const z = Math.max(0, u);
      const a = u > 0 || (u === 0 && run.settings.reluGradAtZero === 1) ? 1 : 0;
      const want = [
        String(i + 1),
        String(r.line),
        formatNumber(u, 5),
        formatNumber(z, 5),
        formatNumber(r.y, 5),
        formatNumber(z - r.y, 5),
        String(a),
      ];
      const row = panel.locator(`.grid-row[data-sample="${i}"]`);
      await waitVisible(row, 10_000, `the table row of sample ${i + 1}`);
      const cells = (await row.locator('.grid-cell').allInnerTexts()).map((t) => t.trim());
      assert.deepEqual(cells.slice(0, want.length), want, `row of sample ${i + 1} (line ${r.line}: ${r.text})`);
    }
    await screenshot(page, 'panel-2-gradients');
  });

  it("Trajectories tab: draws the loss, parameter and gradient charts and lists l, w, b, ∂l/∂w, ∂l/∂b and |∇l| in its table (wiring: the CLI's trajectory)", async () => {
    await selectTab('trajectories');
    const run = reference();
    // uPlot draws on canvases: wait until both charts have painted something.
    const canvases = panel.locator('.trajectories .chart canvas');
    const painted = await waitFor(
      async () => {
        const counts = await canvases.evaluateAll((els) =>
          els.map((el) => {
            const c = el as unknown as {
              width: number;
              height: number;
              getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
            };
            if (c.width === 0 || c.height === 0) return 0;
            const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            if (data) for (let k = 3; k < data.length; k += 4) if (data[k] > 0) n++;
            return n;
          }),
        );
        return counts.length >= 3 && counts.every((n) => n > 500) ? counts : undefined;
      },
      15_000,
      'the loss, parameter and gradient charts to be drawn',
    );
    assert.equal(painted.length, 3, 'one canvas per chart');
    // The text alternative: a table of plotted values, the epoch on display marked.
    await panel.locator('.alt-table summary').click();
    const table = panel.locator('.alt-table table');
    await waitVisible(table, 10_000, 'the table of plotted values');
    assert.deepEqual(
      (await table.locator('thead th').allInnerTexts()).map((t) => t.trim()),
      ['Epoch', 'l', 'w', 'b', '∂l/∂w', '∂l/∂b', '|∇l|'],
    );
    const trs = table.locator('tbody tr');
    assert.ok((await trs.count()) >= 10, `at least 10 rows, got ${await trs.count()}`);
    for (let k = 0; k < (await trs.count()); k++) {
      const cells = (await trs.nth(k).locator('th, td').allInnerTexts()).map((t) => t.trim());
      const p = run.trajectory[Number(cells[0])];
      assert.ok(p, `epoch ${cells[0]} is in the CLI's trajectory`);
      assert.deepEqual(
        cells,
        [String(p.epoch), ...[p.loss, p.w[0], p.b, p.gradW[0], p.gradB, norm(p)].map((v) => formatNumber(v, 8))],
        `row of epoch ${p.epoch}`,
      );
    }
    assert.equal(
      (await table.locator('tr[aria-current="true"] th').innerText()).trim(),
      String(lastPoint(run).epoch),
      'the epoch on display is marked',
    );
    await screenshot(page, 'panel-3-trajectories');
  });

  it("choosing a sample in the Gradients table (click, or Enter) puts the editor's cursor on its line", async () => {
    await selectTab('gradients');
    const line2 = lineOf(datasetText, dataRows(datasetText)[1].text);
    await panel.locator('.grid-row[data-sample="1"]').click();
    await cursorOn(line2, 'after clicking the row of sample 2');
    await waitVisible(
      page.locator('.editor-instance .margin .active-line-number').filter({ hasText: new RegExp(`^${line2}$`) }),
      5_000,
      `line ${line2} as the editor's current line`,
    );
    await waitVisible(
      panel.locator('.grid-row[data-sample="1"].selected[aria-selected="true"]'),
      5_000,
      'the row of sample 2 marked as chosen',
    );

    // Keyboard only: focus the table, go to its first row, two down (sample 3), Enter.
    const line3 = lineOf(datasetText, dataRows(datasetText)[2].text);
    // Choosing sample 2 put the focus in the editor: bring it back to the table first.
    await waitFor(
      async () => {
        await panel.locator('.file-name').click();
        await panel.locator('.grid').focus();
        return (await panel.locator('.grid:focus').count()) > 0 ? true : undefined;
      },
      10_000,
      'the focus on the table',
    );
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await cursorOn(line3, 'after Enter on the row of sample 3');
    await waitVisible(panel.locator('.grid-row[data-sample="2"].selected'), 5_000, 'the row of sample 3 marked as chosen');
  });

  it('an edit re-trains and the panel stays on the Gradients tab with the new gradient', async () => {
    assert.equal(await activeTab(), 'gradients');
    await typeIntoLine(page, '3,6', '3,7', { at: 'replace' });
    datasetText = datasetText.replace('\n3,6\n', '\n3,7\n');
    let run = reference();
    await gradientsShow(gradientsFor(run, lastPoint(run)), 'after editing 3,6 into 3,7');
    assert.equal(await activeTab(), 'gradients', 'the tab after the edit');
    await waitVisible(panel.locator('.grad-summary'), 5_000, 'the Gradients tab still on screen');
    await screenshot(page, 'panel-4-edited');

    // Undone: the text as on disk again, and the numbers the CLI gives for the file.
    await undoEdits('3,7', 'undoing the edit');
    run = reference();
    await gradientsShow(gradientsFor(run, lastPoint(run)), 'after undoing the edit');
    assert.equal(await activeTab(), 'gradients', 'the tab after the undo');
  });

  it("scrubbing to epoch 0 with the keyboard (Home on the epoch slider) shows epoch 0 in the panel and the hover (wiring: the CLI's epoch 0)", async () => {
    const run = reference();
    const first = run.trajectory[0];
    await panel.locator('input.scrubber').focus();
    await page.keyboard.press('Home');
    await headerShows(headerFor(run, first), 'after Home on the epoch slider');
    assert.equal(await panel.locator('input.scrubber').inputValue(), '0');
    await gradientsShow(gradientsFor(run, first), 'at epoch 0');
    const status = page.locator('.statusbar-item').filter({ hasText: 'ReLU: loss' }).first();
    await waitFor(
      async () => ((await status.innerText()).includes(`ReLU: loss ${formatNumber(first.loss, 4)} · epoch 0`) ? true : undefined),
      10_000,
      'the status bar to show epoch 0',
    );
    await screenshot(page, 'panel-5-epoch0');

    // The hover follows the epoch on display: sample 2 at w = 0, b = 0 (the CLI's epoch 0).
    const sample = dataRows(datasetText)[1];
    const u = first.w[0] * sample.x + first.b;
    const z = Math.max(0, u);
    const text = await hoverText(page, sample.text, { expect: 'epoch 0' });
    assert.ok(text.includes('Sample 2 · epoch 0'), text);
    // The hover writes u = w·x + b with its factors, negative ones in parentheses, 6 digits.
    const signed = (v: number) => (v < 0 ? `(${formatNumber(v, 6)})` : formatNumber(v, 6));
    const uLine = `${signed(first.w[0])}·${signed(sample.x)} + ${signed(first.b)} = ${formatNumber(u, 6)}`;
    assert.ok(text.includes(uLine), `${uLine} in:\n${text}`);
    assert.match(
      text,
      new RegExp(`residual z − y\\s+${escapeRegExp(formatNumber(z - sample.y, 6))}\\s`),
      `residual ${formatNumber(z - sample.y, 6)}`,
    );
    assert.equal(u, 0, 'at w = 0, b = 0 every u is 0');
    assert.match(
      text,
      run.settings.reluGradAtZero === 1
        ? /active: u is exactly 0, where ReLU has no derivative; the convention ReLU'\(0\) = 1/
        : /inactive: u is exactly 0/,
    );
    await page.mouse.move(1, 1);
  });

  it('at epoch 0 the Derivation tab writes every term of the course example, as a student checks it by hand', async () => {
    const run = reference();
    const first = run.trajectory[0];
    const rows = dataRows(datasetText);
    await selectTab('derivation');
    // By the document's formulas at epoch 0: z_i = max(0, w x_i + b), every term (z_i − y_i)², ∂l/∂z_i = (2/N)(z_i − y_i).
    const n = rows.length;
    const z = rows.map((r) => Math.max(0, first.w[0] * r.x + first.b));
    const lossLine = `l = \\frac{1}{${n}} \\big(${rows.map((r, i) => `(${latexNumber(z[i])} - ${latexFactor(r.y)})^2`).join(' + ')}\\big) = ${latexNumber(first.loss)}`;
    const dz = rows.map(
      (r, i) =>
        `\\frac{\\partial l}{\\partial z_{${i + 1}}} = \\frac{2}{${n}} \\cdot ${latexFactor(z[i] - r.y)} = ${latexNumber((2 / n) * (z[i] - r.y))}`,
    );
    const got = await waitFor(
      async () => {
        const f = await formulas();
        return f.includes(lossLine) ? f : undefined;
      },
      15_000,
      `the derivation to contain ${lossLine}`,
    );
    for (const line of dz) assert.ok(got.includes(line), `${line} in:\n${got.join('\n')}`);
    await panel.locator('.step-loss').scrollIntoViewIfNeeded();
    await screenshot(page, 'derivation-epoch0');
    await selectTab('gradients');
  });

  it('Play runs through the epochs and stops at the last one', async () => {
    const run = reference();
    const lastEpoch = lastPoint(run).epoch;
    // Record every text the header's epoch takes and every label of the play button, in the page.
    await panel.locator('.app-header').evaluate((el) => {
      const w = el.ownerDocument.defaultView as unknown as {
        __epochs: string[];
        __labels: string[];
        MutationObserver: typeof MutationObserver;
      };
      const epoch = el.querySelectorAll('.stats .stat-value')[1];
      const play = el.querySelector('.playback vscode-button[appearance="primary"]');
      w.__epochs = [epoch.textContent ?? ''];
      w.__labels = [play?.textContent ?? ''];
      new w.MutationObserver(() => w.__epochs.push(epoch.textContent ?? '')).observe(epoch, {
        childList: true,
        characterData: true,
        subtree: true,
      });
      if (play)
        new w.MutationObserver(() => w.__labels.push(play.textContent ?? '')).observe(play, {
          childList: true,
          characterData: true,
          subtree: true,
        });
    });
    const before = (await header()).epoch;
    assert.equal(before, `0 / ${lastEpoch}`);
    await panel.locator('.playback vscode-button', { hasText: 'Play' }).click();
    await headerShows(headerFor(run, lastPoint(run)), 'after playing to the end');
    await waitVisible(
      panel.locator('.playback vscode-button[aria-pressed="false"]', { hasText: 'Play' }),
      10_000,
      'the Play button back (not Pause) at the end',
    );
    const seen = await panel.locator('.app-header').evaluate((el) => {
      const w = el.ownerDocument.defaultView as unknown as { __epochs: string[]; __labels: string[] };
      return { epochs: w.__epochs, labels: w.__labels };
    });
    const epochs = seen.epochs.map((t) => Number(t.split('/')[0]));
    assert.ok(
      epochs.every((e, k) => k === 0 || e >= epochs[k - 1]),
      `the epoch only moves forward: ${epochs.join(', ')}`,
    );
    const between = new Set(epochs.filter((e) => e > 0 && e < lastEpoch));
    assert.ok(between.size >= 5, `the header showed epochs on the way (saw ${[...between].join(', ')})`);
    assert.equal(epochs[epochs.length - 1], lastEpoch);
    assert.ok(
      seen.labels.some((l) => l.includes('Pause')),
      `the button read "Pause" while playing: ${seen.labels.join(' | ')}`,
    );
    await screenshot(page, 'panel-6-played');
  });

  it("looks right in a light and a dark theme (screenshots; the README's with UPDATE_DOCS_IMAGES=1)", async function () {
    this.timeout(120_000);
    const run = reference();
    const rows = dataRows(datasetText);
    const chosen = rows[2]; // sample 3: active at the end, so its hover and derivation have numbers
    await runCommandFromPalette(page, 'View: Close Primary Side Bar');

    // Light: the derivation with sample 3 substituted, course.csv beside it.
    await waitFor(
      async () => ((await panel.locator('body').getAttribute('class'))?.includes('vscode-light') ? true : undefined),
      10_000,
      'the panel in the light theme',
    );
    await selectTab('gradients');
    await panel.locator('.grid-row[data-sample="2"]').click();
    await cursorOn(chosen.line, 'choosing sample 3');
    await selectTab('derivation');
    await waitFor(
      async () => ((await panel.locator('.derivation').innerText()).includes(`Sample 3 of ${run.samples}.`) ? true : undefined),
      10_000,
      'the derivation to substitute sample 3',
    );
    const panelBox = await page.locator('iframe.webview.ready').filter({ visible: true }).first().boundingBox();
    assert.ok(panelBox);
    await page.mouse.move(panelBox.x + panelBox.width / 2, panelBox.y + panelBox.height / 2);
    await page.mouse.wheel(0, -5000); // the derivation from its first step
    await scrollEditorToTop();
    await screenshot(page, 'panel-light', { docsName: 'panel-light.png' });

    // The hover over sample 3, in a window tall enough for the whole hover (Monaco caps it at a
    // quarter of the editor's height), cropped to the editor.
    await page.setViewportSize({ width: 1400, height: 1400 });
    try {
      const text = await hoverText(page, chosen.text, { expect: 'u = w·x + b' });
      assert.ok(text.includes(`Sample 3 · epoch ${lastPoint(run).epoch}`), text);
      const hover = await page.locator('.monaco-editor .monaco-hover').filter({ visible: true }).first().boundingBox();
      const group = await page.locator('.editor-group-container').first().boundingBox(); // course.csv's group, tabs included
      assert.ok(hover && group);
      const bottom = Math.min(1400, hover.y + hover.height + 16);
      // Up to the editor's vertical scrollbar (left out), or further if the hover is wider.
      const width = Math.max(group.width - 16, hover.x + hover.width + 16 - group.x);
      await screenshot(page, 'panel-hover', { docsName: 'hover.png', clip: { x: group.x, y: group.y, width, height: bottom - group.y } });
    } finally {
      await page.mouse.move(1, 1);
      await page.setViewportSize({ width: 1400, height: 900 });
    }

    // A broken row: the Problems panel names it, the panel says a row was skipped.
    await typeIntoLine(page, '3,6', '3,six', { at: 'replace' });
    datasetText = datasetText.replace('\n3,6\n', '\n3,six\n');
    await waitFor(
      async () => ((await problemsRows(page)).some((t) => t.includes('"six"')) ? true : undefined),
      20_000,
      'the broken row in Problems',
    );
    await waitFor(
      async () => ((await panel.locator('body').innerText()).includes('Skipped: 1 row with a text value') ? true : undefined),
      20_000,
      'the panel to say a row was skipped, and why',
    );
    // The CodeLens over the header says so too, with the loss of the rows left (the CLI's). VS Code
    // refreshes CodeLenses only in a focused editor: back to the broken line, as the user would go.
    await clickLine(page, '3,six');
    const lens = `loss ${formatNumber(lastPoint(reference()).loss, 4)} at epoch`;
    await waitFor(
      async () => {
        const lenses = (await page.locator('.editor-instance .codelens-decoration').allInnerTexts()).join(' ');
        return lenses.includes('1 row skipped') && lenses.includes(lens) ? true : undefined;
      },
      15_000,
      `the CodeLens to say "1 row skipped" and "${lens}"`,
    );
    await page.mouse.move(1, 1);
    await screenshot(page, 'panel-problems', { docsName: 'problems.png' });
    await undoEdits('3,six', 'undoing the broken row');
    await waitFor(
      async () => ((await panel.locator('body').innerText()).includes('Skipped:') ? undefined : true),
      20_000,
      'the panel to stop saying a row was skipped',
    );
    await runCommandFromPalette(page, 'View: Hide Panel');

    // Dark: the Gradients tab with sample 3 chosen, then the charts.
    await chooseColorTheme(page, 'Dark Modern', 'vs-dark');
    await waitFor(
      async () => ((await panel.locator('body').getAttribute('class'))?.includes('vscode-dark') ? true : undefined),
      10_000,
      'the panel in the dark theme',
    );
    await selectTab('gradients');
    await panel.locator('.grid-row[data-sample="2"]').click();
    await cursorOn(chosen.line, 'choosing sample 3 again');
    await waitVisible(panel.locator('.grid-row[data-sample="2"].selected'), 5_000, 'the row of sample 3 marked as chosen');
    await gradientsShow(gradientsFor(run, lastPoint(run)), 'in the dark theme');
    await scrollEditorToTop();
    await screenshot(page, 'panel-dark', { docsName: 'panel-dark.png' });
    await selectTab('trajectories');
    await screenshot(page, 'panel-dark-trajectories');
  });

  // ── A 1000-row file (thousand.csv) ───────────────────────────────────────────────────────────────
  const thousandRows = dataRows(THOUSAND);
  /** The table row of a sample, if it is wholly inside the table's scrolled viewport (below its header). */
  const rowInView = async (sample: number) => {
    const row = panel.locator(`.grid-row[data-sample="${sample}"]`);
    if ((await row.count()) === 0) return undefined;
    const [box, grid, head] = await Promise.all([
      row.boundingBox(),
      panel.locator('.grid').boundingBox(),
      panel.locator('.grid-head').boundingBox(),
    ]);
    if (!box || !grid || !head) return undefined;
    return box.y >= head.y + head.height - 1 && box.y + box.height <= grid.y + grid.height + 1 ? row : undefined;
  };
  const showsInTable = async (sample: number, what: string) => {
    const row = await waitFor(() => rowInView(sample), 15_000, `${what}: the row of sample ${sample + 1} in view in the table`).catch(
      async (e: Error) => {
        const shown = await panel
          .locator('.grid-row[data-sample]')
          .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.sample));
        throw new Error(`${e.message}; rows in the DOM: samples ${shown.slice(0, 3).join(', ')} … ${shown.slice(-3).join(', ')}`);
      },
    );
    await waitVisible(
      panel.locator(`.grid-row[data-sample="${sample}"].selected[aria-selected="true"]`),
      5_000,
      `${what}: the row of sample ${sample + 1} marked as chosen`,
    );
    assert.equal((await row.locator('.grid-cell').first().innerText()).trim(), String(sample + 1));
    assert.equal(await panel.locator('.grid:focus').count(), 0, `${what}: the table did not take the focus`);
  };
  const noteSays = (text: string, what: string) =>
    waitFor(
      async () => ((await panel.locator('.derivation .sample-note').innerText()).trim() === text ? true : undefined),
      15_000,
      `${what}: the derivation to say "${text}"`,
    );

  it('1000 rows: trains thousand.csv', async () => {
    // Opened beside course.csv, not behind the panel (the focus was in the panel's group).
    await runCommandFromPalette(page, 'View: Focus First Editor Group');
    await openFile(page, 'thousand.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const run = cli(THOUSAND);
    assert.equal(run.samples, 1000);
    await headerShows(headerFor(run, lastPoint(run)), 'after training thousand.csv');
  });

  it('1000 rows: the Gradients table shows sample 900 when it was chosen in the derivation before the tab was opened', async () => {
    await selectTab('derivation');
    const field = panel.locator('.derivation vscode-text-field input');
    await field.fill('900');
    await field.press('Enter');
    await noteSays('Sample 900 of 1000.', 'after typing 900 in the sample field');
    await selectTab('gradients');
    await showsInTable(899, 'after opening the Gradients tab');
    await screenshot(page, 'panel-7-table-reveals-900');
  });

  it('1000 rows: the Gradients table on screen follows a sample chosen in the editor (a click on its line)', async () => {
    const sample = 3;
    // The table scrolled away from it first (the wheel, as a user would; the focus stays put).
    const grid = await panel.locator('.grid').boundingBox();
    assert.ok(grid);
    await page.mouse.move(grid.x + grid.width / 2, grid.y + grid.height / 2);
    await page.mouse.wheel(0, 30_000);
    await waitFor(async () => ((await rowInView(sample)) ? undefined : true), 10_000, `the table scrolled away from sample ${sample + 1}`);
    await page.mouse.move(1, 1);
    await editorLine(page, thousandRows[sample].text).click();
    await cursorOn(thousandRows[sample].line, `clicking the line of sample ${sample + 1}`);
    await showsInTable(sample, 'after clicking its line in the editor');
  });

  it('1000 rows: the Fit plot takes the focus; Right, Left, Home, End choose samples along x, Escape none', async () => {
    await selectTab('fit');
    const plot = panel.locator('.fit-chart[tabindex="0"][role="application"]');
    await waitFor(
      async () =>
        (await panel.locator('.fit p.visually-hidden').first().textContent())?.startsWith('1000 points drawn') ? true : undefined,
      15_000,
      'the Fit plot of 1000 points',
    );
    assert.ok(await plot.getAttribute('aria-label'), 'the plot has a label');
    const readout = panel.locator('.fit .readout');
    const live = panel.locator('.fit [aria-live="polite"]');
    const chooses = async (key: string, sample: number | null) => {
      await page.keyboard.press(key);
      const want =
        sample === null
          ? 'No sample chosen.'
          : `Sample ${sample + 1}: x = ${formatNumber(thousandRows[sample].x, 6)}, y = ${formatNumber(thousandRows[sample].y, 6)} (`;
      await waitFor(
        async () => ((await live.textContent())?.startsWith(want) ? true : undefined),
        10_000,
        `after ${key}: the plot to announce "${want}"`,
      );
      if (sample !== null) assert.ok((await readout.innerText()).startsWith(want), `the readout after ${key}`);
    };
    await plot.focus();
    assert.equal(await panel.locator('.fit-chart:focus').count(), 1, 'the plot has the focus');
    // Sample 4 was chosen in the editor; x grows with the sample number.
    await chooses('ArrowRight', 4);
    await selectTab('derivation');
    await noteSays('Sample 5 of 1000.', 'after ArrowRight on the Fit plot');
    await selectTab('fit');
    await plot.focus();
    await chooses('ArrowLeft', 3);
    await chooses('End', 999);
    await page.keyboard.press('ArrowRight'); // at the last sample it stays there (no wrapping round)
    await chooses('ArrowLeft', 998);
    // Keys faster than the host: its answer to an earlier key arrives after a later key was pressed.
    // The view holds the host's epoch messages back here, so the order is certain, not a race.
    const view = await waitFor(
      async () => {
        for (const f of page.frames())
          if (
            (await f
              .locator('.fit-chart')
              .count()
              .catch(() => 0)) > 0
          )
            return f;
        return undefined;
      },
      10_000,
      "the panel's frame",
    );
    type Gate = { held: unknown[]; releasing: boolean; release: (count: number) => void; listener: (e: MessageEvent) => void };
    await view.evaluate(() => {
      const gate: Gate = {
        held: [],
        releasing: false,
        release(count) {
          for (const data of gate.held.splice(0, count)) {
            gate.releasing = true;
            window.dispatchEvent(new MessageEvent('message', { data }));
            gate.releasing = false;
          }
        },
        listener(e) {
          if (gate.releasing || (e.data as { type?: string })?.type !== 'epoch') return;
          e.stopImmediatePropagation();
          gate.held.push(e.data);
        },
      };
      window.addEventListener('message', gate.listener, { capture: true });
      (window as unknown as { gate: Gate }).gate = gate;
    });
    const held = (n: number) =>
      waitFor(
        async () => ((await view.evaluate(() => (window as unknown as { gate: Gate }).gate.held.length)) >= n ? true : undefined),
        10_000,
        `${n} epoch messages from the host`,
      );
    await chooses('End', 999);
    await held(1);
    await chooses('ArrowLeft', 998);
    await held(2);
    await view.evaluate(() => (window as unknown as { gate: Gate }).gate.release(1)); // the answer to End, late
    await chooses('ArrowLeft', 997); // from the view's own choice (sample 999), not the host's older one (1000)
    await view.evaluate(() => {
      const { gate } = window as unknown as { gate: Gate };
      window.removeEventListener('message', gate.listener, { capture: true });
      gate.release(gate.held.length);
    });
    await selectTab('derivation');
    await noteSays('Sample 998 of 1000.', 'after the host caught up with the keys');
    await selectTab('fit');
    await plot.focus();
    await chooses('Home', 0);
    await selectTab('derivation');
    await noteSays('Sample 1 of 1000.', 'after Home on the Fit plot');
    await selectTab('fit');
    await plot.focus();
    await chooses('Escape', null);
    await selectTab('derivation');
    await noteSays(
      'Choose a sample (here, in the Gradients table or on the Fit plot) to see its own numbers in every step.',
      'after Escape on the Fit plot',
    );
  });

  it("reported no CSP violation anywhere, the panel's frames included, and the panel logged no error (the deliberate probe aside)", () => {
    assert.ok(
      watch.csp.some((t) => t.includes(CSP_PROBE)),
      'the probe was heard',
    );
    assert.deepEqual(watch.violations(CSP_PROBE), []);
    assert.deepEqual(watch.webviewErrors(CSP_PROBE), [], 'errors logged by the panel');
    assert.deepEqual(watch.pageErrors, [], 'uncaught exceptions');
  });

  it('never wrote to the dataset on disk', () => {
    assert.equal(fs.readFileSync(path.join(workspace, 'course.csv'), 'utf8'), originalText);
    assert.equal(fs.readFileSync(path.join(workspace, 'thousand.csv'), 'utf8'), THOUSAND);
  });
});
