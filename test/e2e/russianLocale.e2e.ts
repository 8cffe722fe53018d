/**
 * The extension in Russian, in a second code-server started with `--locale ru`.
 *
 * What code-server 4.100.3 (VS Code 1.100.3) does, found out here and kept as the first tests:
 * `--locale ru` alone (and likewise `"locale": "ru"` in `<user-data-dir>/User/argv.json`) leaves the
 * workbench in English and `vscode.env.language` = "en", so no extension's `bundle.l10n.ru.json` or
 * `package.nls.ru.json` is used: the server resolves a display language only through an installed
 * language pack listed in `<user-data-dir>/languagepacks.json` (lib/vscode/out/server-main.js,
 * remoteLanguagePacks). That list is written when the *running* server installs a pack; the offline
 * `code-server --install-extension` CLI does not write it. So the suite installs a language pack the
 * way a user does (Extensions: Install from VSIX…), reloads, and then finds every string of the
 * extension in Russian. The pack is a fixture (test/e2e/fixtures/language-pack-ru: Russian declared,
 * VS Code's own strings left in English) because the real one comes from an extension gallery.
 *
 * The expected words are looked up in l10n/bundle.l10n.ru.json and package.nls.ru.json (the
 * translations shipped), the numbers come from the command-line trainer.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { DERIVATION_NOTES, STEP_TITLES } from '../../src/engine/derivationText';
import { formatNumber, formatTemplate, latexFactor, latexNumber } from '../../src/engine/format';
import { SKIPPED_ROW_CAUSES } from '../../src/shared/viewStrings';
import {
  clickLine,
  goToLine,
  hoverText,
  notifications,
  openFile,
  problemsRows,
  runCommandFromPalette,
  typeIntoLine,
  waitFor,
  waitVisible,
} from '../harness/codeServer';
import {
  cli,
  ConsoleWatch,
  dataRows,
  lastPoint,
  lineOf,
  root,
  screenshot,
  screenshotIfFailed,
  startCommandFromPalette,
  openSession,
  type VsCodeSession,
} from './support';

const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.ru.json'), 'utf8')) as Record<string, string>;
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.ru.json'), 'utf8')) as Record<string, string>;
/** The Russian for an English string of the extension, `{0}`… filled in; fails if there is none. */
function ru(english: string, ...args: Array<string | number>): string {
  const text = bundle[english];
  assert.ok(text, `no Russian for "${english}" in l10n/bundle.l10n.ru.json`);
  return formatTemplate(text, args.map(String), 'ru');
}

/** Builds the fixture language pack's VSIX (vsce, offline) into `dir`. */
function packLanguagePack(dir: string): string {
  const out = path.join(dir, 'language-pack-ru.vsix');
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--skip-license',
      '--allow-missing-repository',
      '--out',
      out,
    ],
    { cwd: path.join(__dirname, 'fixtures', 'language-pack-ru'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  assert.equal(r.status, 0, `packaging the language pack fixture failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/** Yearly temperatures (vega-datasets) with the line that makes them train: the features standardized. */
const yearsText = `# @scale standard\n${fs.readFileSync(path.join(root, 'test', 'fixtures', 'data', 'global-temp.csv'), 'utf8')}`;

describe('the extension in Russian (code-server --locale ru)', function () {
  this.timeout(60_000);
  let dirs: VsCodeSession['dirs'];
  let workspace: string;
  let languagePack: string;
  let session: VsCodeSession;
  let page: Page;
  let panel: FrameLocator;
  let watch: ConsoleWatch;
  let datasetText: string;

  const trainTitle = `${nls.category}: ${nls['command.train']}`; // «Нейрон ReLU: Обучить нейрон ReLU»
  const displayLanguage = () => page.evaluate(() => (globalThis as { _VSCODE_NLS_LANGUAGE?: string })._VSCODE_NLS_LANGUAGE ?? 'en');
  /**
   * Texts of the palette's rows for `filter`, once one of them contains `expect`. The palette is
   * opened again until then: right after a page load it lists no extension command yet.
   */
  const paletteRows = async (filter: string, expect: string) => {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    let last: string[] = [];
    try {
      return await waitFor(
        async () => {
          await page.keyboard.press('Escape');
          await page.keyboard.press('F1');
          await waitVisible(input, 5_000, 'the command palette');
          await input.fill(`>${filter}`);
          await waitVisible(rows.first(), 5_000, `palette rows for "${filter}"`);
          last = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
          return last.some((t) => t.includes(expect)) ? last : undefined;
        },
        20_000,
        `"${expect}" among the palette's rows for "${filter}"`,
        500,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; rows: ${last.join(' | ')}`);
    } finally {
      await page.keyboard.press('Escape');
    }
  };
  const panelText = async () => (await panel.locator('body').innerText()).replace(/\s+/g, ' ');
  const panelShows = (text: string, what: string) =>
    waitFor(
      async () => ((await panelText().catch(() => '')).includes(text) ? true : undefined),
      20_000,
      `${what}: the panel to show "${text}"`,
    );

  before(async function () {
    this.timeout(300_000);
    session = await openSession({
      prefix: 'relu-e2e-ru-',
      args: ['--locale', 'ru'],
      prepare: (ws, folder) => {
        languagePack = packLanguagePack(folder);
        fs.writeFileSync(path.join(ws, 'global-temp.csv'), yearsText);
      },
    });
    ({ dirs, workspace, page, panel } = session);
    datasetText = fs.readFileSync(path.join(workspace, 'course.csv'), 'utf8');
    watch = new ConsoleWatch(page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this, page, 'ru');
  });

  after(async () => {
    await session?.close();
  });

  it('without a language pack, --locale ru leaves VS Code and the extension in English (code-server 1.100.3)', async () => {
    assert.equal(await displayLanguage(), 'en');
    const rows = await paletteRows('ReLU', 'ReLU Neuron: Train ReLU neuron');
    assert.ok(!rows.some((t) => t.includes(nls['command.train'])), `no Russian title yet:\n${rows.join('\n')}`);
    assert.ok(
      !fs.existsSync(path.join(dirs.userDataDir, 'languagepacks.json')) ||
        !fs.readFileSync(path.join(dirs.userDataDir, 'languagepacks.json'), 'utf8').includes('"ru"'),
    );
  });

  it('after installing a Russian language pack (Extensions: Install from VSIX…) and a reload, the workbench is Russian', async function () {
    this.timeout(120_000);
    const input = await startCommandFromPalette(page, 'Extensions: Install from VSIX');
    // The file dialog opens on a folder of its own choosing (the home folder) and lists it; typing a
    // path lists that path's folder. Type once the dialog has settled, again if it reset the text,
    // until it lists the pack with the path still in the box; then Install.
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await waitVisible(rows.first(), 15_000, 'the file dialog to list a folder');
    await waitFor(
      async () => {
        if ((await input.inputValue()) !== languagePack) await input.fill(languagePack);
        const listed = (await rows.filter({ hasText: path.basename(languagePack) }).count()) > 0;
        return listed && (await input.inputValue()) === languagePack ? true : undefined;
      },
      15_000,
      `the file dialog to list ${languagePack}`,
      300,
    );
    await page
      .locator('.quick-input-widget .monaco-button')
      .filter({ hasText: /^Install$/ })
      .click();
    // The running server lists the pack in languagepacks.json, where the next page load finds it.
    const list = path.join(dirs.userDataDir, 'languagepacks.json');
    await waitFor(
      async () => (fs.existsSync(list) && fs.readFileSync(list, 'utf8').includes('"ru"') ? true : undefined),
      30_000,
      `the language pack in ${list}`,
    );
    await waitFor(
      async () => ((await notifications(page)).some((t) => t.includes('Completed installing')) ? true : undefined),
      15_000,
      'the "Completed installing" notification',
    );
    await page.reload();
    await waitVisible(page.locator('.monaco-workbench .part.statusbar'), 60_000, 'the workbench after the reload');
    await waitVisible(page.locator('.explorer-folders-view .monaco-list-row').first(), 60_000, 'the explorer after the reload');
    assert.equal(await displayLanguage(), 'ru');
  });

  it(`the palette offers «${trainTitle}», which trains course.csv; the panel speaks Russian`, async () => {
    await paletteRows(nls.category, trainTitle);
    await openFile(page, 'course.csv');
    await runCommandFromPalette(page, trainTitle);
    const run = cli(datasetText);
    const last = lastPoint(run);
    // The numbers are the CLI's; the words are the translations'.
    await panelShows(`${ru('Loss l')} ${formatNumber(last.loss)}`, 'after training');
    await panelShows(`${ru('Epoch')} ${last.epoch} / ${last.epoch}`, 'after training');
    for (const english of ['Learning rate α', 'Epochs', 'Derivation', 'Gradients', 'Trajectories', 'Play', 'Reset', 'Step']) {
      assert.ok((await panelText()).includes(ru(english)), `"${ru(english)}" (${english}) in the panel`);
    }
    assert.ok(!(await panelText()).includes('Learning rate'), 'no English label left');
    const status = page.locator('.statusbar-item').filter({ hasText: 'ReLU:' }).first();
    await waitFor(
      async () =>
        (await status.innerText()).includes(ru('ReLU: loss {0} · epoch {1}', formatNumber(last.loss, 4), last.epoch)) ? true : undefined,
      10_000,
      'the Russian status bar item',
    );
    await waitVisible(
      page.locator('.tabs-container .tab').filter({ hasText: ru('ReLU neuron: {0}', 'course.csv') }),
      10_000,
      "the panel's Russian title",
    );
    await screenshot(page, 'ru-1-panel');
  });

  it('at epoch 0 the derivation writes every term of the loss and ∂l/∂z_i, with its notes in Russian', async () => {
    const run = cli(datasetText);
    const first = run.trajectory[0];
    const rows = dataRows(datasetText);
    await panel.locator('input.scrubber').focus();
    await page.keyboard.press('Home');
    await panelShows(`${ru('Epoch')} 0 / ${lastPoint(run).epoch}`, 'after Home on the epoch slider');
    // By the document's formulas at epoch 0: z_i = max(0, w x_i + b), every term (z_i − y_i)², ∂l/∂z_1 = (2/N)(z_1 − y_1).
    const z = rows.map((r) => Math.max(0, first.w[0] * r.x + first.b));
    const n = rows.length;
    const lossLine = `l = \\frac{1}{${n}} \\big(${rows.map((r, i) => `(${latexNumber(z[i])} - ${latexFactor(r.y)})^2`).join(' + ')}\\big) = ${latexNumber(first.loss)}`;
    const dz1 = `\\frac{\\partial l}{\\partial z_{1}} = \\frac{2}{${n}} \\cdot ${latexFactor(z[0] - rows[0].y)} = ${latexNumber((2 / n) * (z[0] - rows[0].y))}`;
    const formulas = async () =>
      (await panel.locator('.derivation annotation').allTextContents()).map((t) => t.replace(/^\\displaystyle\s*/, '').trim());
    await waitFor(
      async () => {
        const f = await formulas();
        return f.includes(lossLine) && f.includes(dz1) ? true : undefined;
      },
      15_000,
      `the derivation to contain ${lossLine} and ${dz1}`,
    );
    for (const note of [DERIVATION_NOTES.squareOrder, DERIVATION_NOTES.reluAtZero1, DERIVATION_NOTES.columns]) {
      assert.ok((await panelText()).includes(ru(note)), `«${ru(note)}» in the panel`);
    }
    await panel.locator('.step-loss').scrollIntoViewIfNeeded();
    await screenshot(page, 'ru-derivation-epoch0');
    await panel.locator('input.scrubber').focus();
    await page.keyboard.press('End');
    await panelShows(`${ru('Epoch')} ${lastPoint(run).epoch} / ${lastPoint(run).epoch}`, 'after End on the epoch slider');
  });

  it('the Graph tab is Russian: an inactive sample stops the gradient at max(0, ·), the backward pass steps', async () => {
    const run = cli(datasetText);
    await panel.locator('#tab-graph').click();
    await waitVisible(panel.locator('.graph-canvas svg'), 15_000, 'the graph');
    // Sample 2 (x = −3) is inactive at the last epoch: its gradient stops at max(0, ·).
    await clickLine(page, '-3,1');
    await panelShows(ru('Sample {0} of {1}.', 2, run.samples), 'after choosing sample 2 in the editor');
    await waitVisible(panel.locator('.graph-stop', { hasText: ru('a = 0: the gradient stops here') }), 10_000, 'the Russian stop sentence');
    await panel.locator('.graph vscode-button[appearance="primary"]').click();
    await panelShows(ru('Backward pass, {0} of {1}:', 1, 10), 'after one step of the backward pass');
    for (const english of ['Graph', 'Next node', 'Step back', 'Start over']) {
      assert.ok((await panelText()).includes(ru(english)), `"${ru(english)}" (${english}) in the panel`);
    }
    const label = (await panel.locator('.gnode[data-node="u"]').getAttribute('aria-label')) ?? '';
    assert.ok(label.includes(ru('The gradient does not reach it (a = 0).')), label);
    await page.setViewportSize({ width: 1400, height: 1300 });
    try {
      const box = await page.locator('iframe.webview.ready').filter({ visible: true }).first().boundingBox();
      assert.ok(box);
      await screenshot(page, 'ru-graph', { docsName: 'graph-ru.png', clip: box });
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
    await panel.locator('#tab-derivation').click();
    await waitVisible(panel.locator('.tab-content.tab-derivation'), 10_000, 'the Derivation tab again');
  });

  it("a broken row: its message in Problems and the panel's note are Russian", async () => {
    await typeIntoLine(page, '3,6', '3,six', { at: 'replace' });
    datasetText = datasetText.replace('\n3,6\n', '\n3,six\n');
    const message = ru('The value of "{0}" is not a number: "{1}".', 'y', 'six');
    const line = lineOf(datasetText, '3,six');
    const rows = await waitFor(
      async () => {
        const r = await problemsRows(page);
        return r.some((t) => t.includes(message)) ? r : undefined;
      },
      20_000,
      `"${message}" in Problems`,
    );
    assert.ok(
      rows.some((t) => t.includes(message) && t.includes(`[Ln ${line}, Col 3]`)),
      rows.join('\n'),
    );
    await panelShows(ru('Skipped: {0} — see Problems', ru(SKIPPED_ROW_CAUSES['not-a-number'], 1)), 'after breaking a row');
    await panelShows(`${ru('Loss l')} ${formatNumber(lastPoint(cli(datasetText)).loss)}`, 'the loss without the broken row');
    await screenshot(page, 'ru-2-problems');
  });

  it("the hover over a row is Russian, with the CLI's numbers", async () => {
    await page.keyboard.press('Escape');
    const run = cli(datasetText);
    const last = lastPoint(run);
    const sample = dataRows(datasetText)[1];
    const u = last.w[0] * sample.x + last.b;
    const z = Math.max(0, u);
    const text = await hoverText(page, sample.text, { expect: ru('Sample {0}', 2) });
    assert.ok(text.includes(`${ru('Sample {0}', 2)} · ${ru('epoch {0}', last.epoch)}`), text);
    assert.ok(text.includes(ru('residual z − y')), text);
    assert.ok(
      text.includes(formatNumber(u, 6)) && text.includes(formatNumber(z - sample.y, 6)),
      `u = ${formatNumber(u, 6)}, z − y = ${formatNumber(z - sample.y, 6)} in:\n${text}`,
    );
    assert.ok(
      text.includes(
        u < 0 ? ru('inactive: u < 0, so ∂z/∂u = 0 and this sample adds nothing to the gradient') : ru('active: u > 0, so ∂z/∂u = 1'),
      ),
      text,
    );
    assert.ok(text.includes(ru('(2/N)·a·(z − y)·x with N = {0}', run.samples)), text);
    await screenshot(page, 'ru-3-hover');
    await page.mouse.move(1, 1);
  });

  it("a file of years with # @scale standard: step 0 «Масштабирование признаков» gives μ, σ and the chosen year's x̃, its notes in Russian", async () => {
    await page.keyboard.press('Escape');
    await openFile(page, 'global-temp.csv');
    await runCommandFromPalette(page, trainTitle);
    const run = cli(yearsText);
    const last = lastPoint(run);
    await panelShows(`${ru('Loss l')} ${formatNumber(last.loss)}`, 'after training the years');
    // μ and σ (1/N) of the years, and x̃ of the year 2000, computed here.
    const rows = dataRows(yearsText);
    const years = rows.map((r) => r.x);
    const mu = years.reduce((a, v) => a + v, 0) / years.length;
    const sigma = Math.sqrt(years.reduce((a, v) => a + (v - mu) ** 2, 0) / years.length);
    const chosen = years.indexOf(2000);
    await goToLine(page, rows[chosen].line);
    await page.keyboard.press('End'); // a move by the keyboard chooses the sample (one by a command does not)
    const k = chosen + 1;
    const wanted = [
      `\\mu = ${latexNumber(mu, 6)},\\quad \\sigma = ${latexNumber(sigma)}`, // μ to two decimals: 2000 − μ checks by hand
      `\\tilde x_{${k}} = ${latexNumber((2000 - mu) / sigma)}`,
    ];
    await waitFor(
      async () => {
        const f = (await panel.locator('.derivation annotation').allTextContents()).map((t) => t.replace(/^\\displaystyle\s*/, '').trim());
        return wanted.every((w) => f.includes(w)) ? true : undefined;
      },
      15_000,
      `step 0 to contain ${wanted.join(' and ')}`,
    );
    const title = panel.locator('.step-scale .step-title');
    assert.ok((await title.innerText()).includes(ru(STEP_TITLES.scale)), await title.innerText());
    for (const note of [DERIVATION_NOTES.standardSd, DERIVATION_NOTES.fileUnits]) {
      assert.ok((await panelText()).includes(ru(note)), `«${ru(note)}» in the panel`);
    }
    await panel.locator('.step-scale').scrollIntoViewIfNeeded();
    const editor = await page.locator('.part.editor').boundingBox();
    assert.ok(editor);
    await screenshot(page, 'ru-4-own-data', { docsName: 'own-data-ru.png', clip: editor });
  });

  it('reported no CSP violation, and the panel logged no error, in the Russian run either', () => {
    assert.deepEqual(watch.violations(), []);
    assert.deepEqual(watch.webviewErrors(), [], 'errors logged by the panel');
    assert.deepEqual(watch.pageErrors, [], 'uncaught exceptions');
  });
});
