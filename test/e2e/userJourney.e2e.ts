/**
 * End to end, as a user: install the packaged VSIX into a real VS Code (code-server 1.100.3), open a
 * dataset, run "Train ReLU neuron" from the palette, edit, break a row, hover, reload — and compare
 * every number shown with what the command-line trainer prints for the same text (the same engine: a
 * check of the wiring, not of the math). Screenshots of each step go to test-results/e2e/ (git-ignored).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { formatNumber } from '../../src/engine';
import {
  activeEditorTab,
  clickLine,
  editorLine,
  goToLine,
  hoverText,
  openFile,
  problemsRows,
  runCommandFromPalette,
  typeIntoLine,
  waitFor,
  waitVisible,
  webviewFrame,
} from '../harness/codeServer';
import { screenshotIfFailed, openSession, type VsCodeSession } from './support';

const root = path.resolve(__dirname, '../..');
const shots = path.join(root, 'test-results', 'e2e');

interface CliRun {
  samples: number;
  trajectory: { epoch: number; loss: number; w: number[]; b: number; gradW: number[]; gradB: number }[];
}

/** The CLI's JSON for `text`, which every number on screen is compared with (the same engine: a wiring check). */
function cli(text: string, ...flags: string[]): CliRun {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'relu-e2e-cli-')), 'data.csv');
  fs.writeFileSync(file, text);
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'train', file, '--json', ...flags], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as CliRun;
}

/** Where and why the CLI says a run of `text` stops. */
function cliStopped(text: string): { epoch: number; suggestedLearningRate: number } {
  const stopped = (cli(text) as CliRun & { stopped: { epoch: number; suggestedLearningRate: number } | null }).stopped;
  assert.ok(stopped, 'the CLI stops this run too');
  return stopped;
}

const lastLoss = (run: CliRun) => run.trajectory[run.trajectory.length - 1].loss;

describe('a student in VS Code', function () {
  this.timeout(120_000);
  let workspace: string;
  let session: VsCodeSession;
  let page: Page;
  let panel: FrameLocator;
  const consoleErrors: string[] = [];
  let datasetText: string;

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });
  const panelText = async () => (await panel.locator('body').innerText()).replace(/\s+/g, ' ');
  /** Waits until the panel shows `text`. */
  const panelShows = (text: string, what: string) =>
    waitFor(async () => ((await panelText().catch(() => '')).includes(text) ? true : undefined), 30_000, what);

  before(async function () {
    this.timeout(300_000);
    fs.mkdirSync(shots, { recursive: true });
    session = await openSession({
      prefix: 'relu-e2e-',
      prepare: (folder) => {
        fs.writeFileSync(
          path.join(folder, 'xss.csv'),
          '"<img src=x onerror=document.title=\'pwned\'>",$\\href{javascript:alert(1)}{y}$\n1,2\n2,4\n',
        );
        fs.writeFileSync(path.join(folder, 'notes.md'), '# Not a dataset\n');
      },
    });
    ({ workspace, page, panel } = session);
    datasetText = fs.readFileSync(path.join(workspace, 'course.csv'), 'utf8');
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) consoleErrors.push(m.text());
    });
  });

  afterEach(async function () {
    await screenshotIfFailed(this, page, 'journey');
  });

  after(async () => {
    await session?.close();
  });

  it("installs the VSIX, trains course.csv from the palette and sees the loss in the panel (wiring: the CLI's loss)", async () => {
    await openFile(page, 'course.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const reference = cli(datasetText);
    await panelShows(formatNumber(lastLoss(reference), 4), `the panel to show the loss ${formatNumber(lastLoss(reference), 4)}`);
    await shot('1-trained');
  });

  it('shows the loss and epoch in the status bar', async () => {
    const reference = cli(datasetText);
    const item = page.locator('.statusbar-item').filter({ hasText: 'ReLU: loss' });
    await item.first().waitFor({ timeout: 10_000 });
    const text = await item.first().innerText();
    assert.ok(text.includes(formatNumber(lastLoss(reference), 4)), text);
    assert.ok(text.includes(`epoch ${reference.trajectory.length - 1}`), text);
  });

  it("re-trains as a row is typed (wiring: the CLI's loss for the edited text)", async () => {
    await typeIntoLine(page, '2,5', '2,6', { at: 'replace' });
    datasetText = datasetText.replace('\n2,5\n', '\n2,6\n');
    const reference = cli(datasetText);
    await panelShows(formatNumber(lastLoss(reference), 4), `the panel to show the edited loss ${formatNumber(lastLoss(reference), 4)}`);
    await shot('2-edited');
  });

  it('lists a broken row in the Problems panel and says a row was skipped', async () => {
    await typeIntoLine(page, '3,6', '3,six', { at: 'replace' });
    datasetText = datasetText.replace('\n3,6\n', '\n3,six\n');
    const line = datasetText.split('\n').indexOf('3,six') + 1;
    const rows = await waitFor(
      async () => {
        const r = await problemsRows(page);
        return r.some((t) => t.includes('"six"')) ? r : undefined;
      },
      20_000,
      'the broken row in Problems',
    );
    assert.ok(
      rows.some((t) => t.includes(`The value of "y" is not a number: "six".`) && t.includes(`[Ln ${line}, Col 3]`)),
      rows.join('\n'),
    );
    const reference = cli(datasetText);
    await panelShows(formatNumber(lastLoss(reference), 4), 'the panel to show the loss without the broken row');
    await panelShows('Skipped: 1 row with a text value', 'the panel to say a row was skipped, and why');
    await shot('3-problems');
  });

  it("hovers a row and reads that sample's numbers (wiring: the CLI's)", async () => {
    await page.keyboard.press('Escape');
    await goToLine(page, datasetText.split('\n').indexOf('-3,1') + 1);
    const reference = cli(datasetText).trajectory;
    const last = reference[reference.length - 1];
    const u = last.w[0] * -3 + last.b;
    const z = Math.max(0, u);
    const text = await hoverText(page, '-3,1', { expect: 'u = w·x + b' });
    assert.ok(text.includes(formatNumber(u, 6)), `u = ${formatNumber(u, 6)} in:\n${text}`);
    assert.ok(text.includes(formatNumber(z - 1, 6)), `residual ${formatNumber(z - 1, 6)} in:\n${text}`);
    assert.match(text, u < 0 ? /inactive: u < 0/ : /active: u > 0/);
    await shot('4-hover');
  });

  it('renders dataset text with markup or LaTeX in it as inert text', async () => {
    await openFile(page, 'xss.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    await panelShows('<img src=x', 'the column name shown literally');
    assert.equal(await panel.locator('img').count(), 0);
    assert.notEqual(await page.title(), 'pwned');
    await shot('5-inert');
  });

  it('stops a run whose learning rate is too large, says why in a notification and the panel, and offers a rate', async () => {
    await openFile(page, 'too-fast.csv');
    const reference = cliStopped(fs.readFileSync(path.join(workspace, 'too-fast.csv'), 'utf8'));
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: `epoch ${reference.epoch}` });
    await toast.first().waitFor({ timeout: 20_000 });
    const text = await toast.first().innerText();
    assert.ok(text.includes(`Try a learning rate of ${reference.suggestedLearningRate}`), text);
    assert.ok(text.includes(`Use learning rate ${reference.suggestedLearningRate}`), 'the notification offers the rate as a button');
    await panelShows(`Use learning rate ${reference.suggestedLearningRate}`, 'the panel to offer the suggested rate');
    await shot('5b-stopped');
    // One click writes that rate into the file's `# @lr` line, as the Quick Fix does (unsaved): the run
    // then completes, at the loss the CLI gives for it.
    await toast
      .first()
      .getByRole('button', { name: `Use learning rate ${reference.suggestedLearningRate}` })
      .click();
    const rateLine = `# @lr ${reference.suggestedLearningRate}`;
    await waitVisible(editorLine(page, rateLine), 10_000, `the line "${rateLine}" in the editor`);
    const fixed = cli(fs.readFileSync(path.join(workspace, 'too-fast.csv'), 'utf8'), '--lr', String(reference.suggestedLearningRate));
    await panelShows(formatNumber(lastLoss(fixed), 4), 'the panel to show the loss at the suggested rate');
    // Ctrl+Z takes the line back (the run stops again); then the same rate typed in the panel's field.
    await clickLine(page, rateLine);
    await page.keyboard.press('Control+Z');
    await waitVisible(editorLine(page, '# @lr 0.3'), 10_000, 'the line "# @lr 0.3" back');
    await panelShows('The neuron died', 'the stopped run again');
    const rate = panel.locator('.settings vscode-text-field input').first();
    await rate.fill(String(reference.suggestedLearningRate));
    await rate.press('Enter');
    await panelShows(formatNumber(lastLoss(fixed), 4), 'the panel to show the loss at the rate typed in the panel');
    // Back to the editor (the field, once left, says where its value comes from).
    await clickLine(page, '# @lr 0.3');
    await panelShows('set in this panel', 'the note that the rate was set in the panel');
  });

  it('explains what it expects when run on a file that is not a dataset', async () => {
    await openFile(page, 'notes.md');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const input = page.locator('.quick-input-widget');
    await input.waitFor({ timeout: 10_000 });
    const title = input.locator('.quick-input-title');
    await waitFor(
      async () => ((await title.innerText()).includes('"notes.md" is not a dataset') ? true : undefined),
      10_000,
      "the explanation in the quick pick's title",
    );
    assert.match(
      (await input.locator('.quick-input-box input').getAttribute('placeholder')) ?? '',
      /a header such as "x,y", then one sample per line/,
    );
    const rows = await input.locator('.monaco-list-row').allInnerTexts();
    assert.ok(
      rows.some((r) => r.includes('Example: the course dataset')),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => r.includes('course.csv')),
      rows.join('\n'),
    );
    await page.keyboard.press('Escape');
  });

  it('comes back after a window reload with the panel restored on the unsaved text', async () => {
    // Back to course.csv through the Explorer, as a student would.
    await page
      .locator('.explorer-folders-view .monaco-list-row')
      .filter({ hasText: /^course\.csv/ })
      .first()
      .click();
    await waitVisible(activeEditorTab(page, 'course.csv'), 20_000, 'the editor tab of course.csv');
    await panelShows('course.csv', 'the panel to follow the editor to course.csv');
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    panel = webviewFrame(page);
    // The panel comes back; course.csv comes back with its unsaved edits, tracked again.
    await waitVisible(page.locator('.webview.ready').first(), 30_000, 'the restored panel');
    await page
      .locator('.explorer-folders-view .monaco-list-row')
      .filter({ hasText: /^course\.csv/ })
      .first()
      .click();
    await panelShows('course.csv', 'the restored panel on course.csv');
    await panelShows(formatNumber(lastLoss(cli(datasetText)), 4), 'the restored panel to show the loss of the unsaved text');
    await shot('6-restored');
  });

  it('keeps the learning rate chosen in the panel across the reload, until "Use the file\'s settings"', async () => {
    await openFile(page, 'too-fast.csv');
    const text = fs.readFileSync(path.join(workspace, 'too-fast.csv'), 'utf8');
    const reference = cliStopped(text);
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    // Still the rate chosen before the reload: the run completes, and the panel says where the rate comes from.
    await panelShows(
      formatNumber(lastLoss(cli(text, '--lr', String(reference.suggestedLearningRate))), 4),
      'the loss at the rate kept from before the reload',
    );
    await panelShows('set in this panel', 'the note that the rate was set in the panel');
    const reset = panel.locator('.settings vscode-button', { hasText: "Use the file's settings" });
    await shot('7-set-in-panel');
    await reset.click();
    // The file's own rate again: the run stops as it did before the fix.
    await panelShows(`Use learning rate ${reference.suggestedLearningRate}`, "the stopped run at the file's rate");
    await waitFor(
      async () => ((await reset.isVisible()) ? undefined : true),
      10_000,
      'the reset button to go once nothing is set in the panel',
    );
  });

  it('shows the README with every one of its pictures in the Extensions view', async () => {
    const pictures = (fs.readFileSync(path.join(root, 'README.md'), 'utf8').match(/!\[/g) ?? []).length;
    assert.ok(pictures > 0, 'the README shows pictures');
    await runCommandFromPalette(page, 'View: Show Extensions');
    const search = page.locator('.extensions-viewlet .suggest-input-container');
    await waitVisible(search, 15_000, "the Extensions view's search box");
    await search.click();
    await page.keyboard.type('@installed ReLU Neuron');
    await page.locator('.extensions-viewlet .monaco-list-row').filter({ hasText: 'ReLU Neuron Explorer' }).first().click();
    // The details are a webview of their own: the frame whose document has the README's title.
    const readme = await waitFor(
      async () => {
        for (const f of page.frames())
          if (
            (await f
              .locator('h1', { hasText: 'ReLU Neuron Explorer' })
              .count()
              .catch(() => 0)) > 0
          )
            return f;
        return undefined;
      },
      20_000,
      "the README in the extension's details",
    );
    const sizes = await waitFor(
      async () => {
        const s = await readme
          .locator('img')
          .evaluateAll((els) => els.map((e) => ((e as HTMLImageElement).complete ? (e as HTMLImageElement).naturalWidth : -1)));
        return s.length === pictures && s.every((w) => w >= 0) ? s : undefined;
      },
      20_000,
      `the README's ${pictures} pictures to load`,
    );
    assert.ok(
      sizes.every((w) => w > 0),
      `every picture drawn (natural widths ${sizes.join(', ')}; 0 is a broken picture)`,
    );
    await shot('8-extension-readme');
    await runCommandFromPalette(page, 'View: Close Editor');
  });

  it('reported no CSP violation or error in the webview', () => {
    const csp = consoleErrors.filter((e) => /Content[- ]Security[- ]Policy|Refused to/i.test(e));
    assert.deepEqual(csp, []);
  });

  it('never wrote to the dataset on disk', () => {
    assert.equal(
      fs.readFileSync(path.join(workspace, 'course.csv'), 'utf8'),
      fs.readFileSync(path.join(root, 'examples', 'course.csv'), 'utf8'),
    );
  });
});
