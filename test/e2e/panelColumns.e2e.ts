/**
 * The panel's column choice and a stopped run's buttons, driven by the keyboard in code-server: the
 * target chosen in the drop-down and a feature unticked with Space retrain as the CLI's `--target` and
 * `--features` do; on a file of years that dies at the defaults, the note's "Standardize the features"
 * button writes `# @scale standard` into the editor (unsaved; Ctrl+Z takes it back) and the loss falls
 * as the CLI's for the edited text.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { formatNumber } from '../../src/engine/format';
import { clickLine, editorLine, openFile, runCommandFromPalette, waitFor, waitVisible } from '../harness/codeServer';
import { type CliRun, lastPoint, openSession, root, screenshotIfFailed, type VsCodeSession } from './support';

const COLUMNS = 'columns.csv';
const COLUMNS_TEXT = '# @epochs 60\nx1,x2,y\n1,2,3\n2,0,2\n0,1,1\n3,1,4\n-1,2,1\n2,2,3\n';
const YEARS = 'years.csv';
const YEARS_TEXT = `year,y\n${Array.from({ length: 12 }, (_, i) => `${1990 + i},${(0.3 * i + 1).toFixed(2)}`).join('\n')}\n`;

/** The CLI's JSON for `text` with `flags` (the same engine: this checks the wiring). */
function cli(text: string, ...flags: string[]): CliRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-e2e-cols-'));
  const file = path.join(dir, 'data.csv');
  fs.writeFileSync(file, text);
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'train', file, '--json', ...flags], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as CliRun;
}

describe("the panel's columns and a stopped run's buttons", function () {
  this.timeout(120_000);
  let session: VsCodeSession;
  let page: Page;
  let panel: FrameLocator;

  const loss = async () => (await panel.locator('.app-header .stats .stat-value').first().innerText()).trim();
  /** Waits until the header's loss is the last loss of `run`. */
  const lossShows = (run: CliRun, what: string) => {
    const want = formatNumber(lastPoint(run).loss);
    return waitFor(async () => ((await loss()) === want ? true : undefined), 30_000, `${what}: the header to show the loss ${want}`).catch(
      async (e: Error) => {
        throw new Error(`${e.message}; it shows ${await loss().catch(() => '?')}`);
      },
    );
  };

  before(async function () {
    this.timeout(300_000);
    session = await openSession({
      prefix: 'relu-e2e-columns-',
      prepare: (ws) => {
        fs.writeFileSync(path.join(ws, COLUMNS), COLUMNS_TEXT);
        fs.writeFileSync(path.join(ws, YEARS), YEARS_TEXT);
      },
    });
    ({ page, panel } = session);
  });

  afterEach(async function () {
    await screenshotIfFailed(this, page, 'columns');
  });

  after(async () => {
    if (session) {
      assert.equal(fs.readFileSync(path.join(session.workspace, COLUMNS), 'utf8'), COLUMNS_TEXT, 'nothing was written to disk');
      assert.equal(fs.readFileSync(path.join(session.workspace, YEARS), 'utf8'), YEARS_TEXT, 'nothing was written to disk');
    }
    await session?.close();
  });

  it("chooses the target with the keyboard, then leaves a feature out with Space: the loss is the CLI's with --target and --features", async () => {
    await openFile(page, COLUMNS);
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    await lossShows(cli(COLUMNS_TEXT), 'the file as it is');
    const target = panel.getByLabel('Target y');
    await waitVisible(target, 10_000, 'the target drop-down');
    assert.equal(await target.inputValue(), 'y');
    // Keyboard only: focus the drop-down, one option up (x2), as a user tabbing to it does.
    await target.focus();
    await page.keyboard.press('ArrowUp');
    await lossShows(cli(COLUMNS_TEXT, '--target', 'x2'), 'x2 as the target');
    assert.equal(await target.inputValue(), 'x2');
    await waitVisible(panel.locator('.columns .field-note').filter({ hasText: 'set in this panel' }).first(), 10_000, 'the mark');
    // The boxes are every column but the target: x1 and y, both ticked. Untick y with Space.
    const y = panel.getByRole('checkbox', { name: 'y', exact: true });
    assert.ok(await y.isChecked());
    await y.focus();
    await page.keyboard.press('Space');
    await lossShows(cli(COLUMNS_TEXT, '--target', 'x2', '--features', 'x1'), 'x1 the only feature');
    // The last feature cannot be left out.
    assert.ok(await panel.getByRole('checkbox', { name: 'x1', exact: true }).isDisabled());
    // "Use the file's settings" forgets the choice.
    const reset = panel.locator('vscode-button').filter({ hasText: "Use the file's settings" });
    await reset.focus();
    await page.keyboard.press('Enter');
    await lossShows(cli(COLUMNS_TEXT), "the file's own columns again");
    assert.equal(await target.inputValue(), 'y');
  });

  it('on a file of years that dies, "Standardize the features" in the panel edits the document (unsaved, one Ctrl+Z back) and the loss falls', async () => {
    // Back in the first editor group (the keyboard was in the panel), so the file opens beside the panel.
    await clickLine(page, 'x1,x2,y');
    await openFile(page, YEARS);
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const stopped = cli(YEARS_TEXT);
    await lossShows(stopped, 'the run that dies');
    const button = panel.locator('.status vscode-button').filter({ hasText: 'Standardize the features' });
    await waitVisible(button, 10_000, 'the "Standardize the features" button');
    await button.focus();
    await page.keyboard.press('Enter');
    await waitVisible(editorLine(page, '# @scale standard'), 10_000, 'the line "# @scale standard" in the editor');
    const fixed = cli(`# @scale standard\n${YEARS_TEXT}`);
    assert.ok(lastPoint(fixed).loss < fixed.trajectory[0].loss, 'the loss falls');
    await lossShows(fixed, 'the standardized run');
    await waitVisible(page.locator('.tabs-container .tab.active.dirty'), 10_000, 'the editor tab marked unsaved');
    await clickLine(page, '# @scale standard');
    await page.keyboard.press('Control+Z');
    await waitFor(
      async () => ((await editorLine(page, '# @scale standard').count()) === 0 ? true : undefined),
      10_000,
      'Ctrl+Z to take the line back',
    );
    await lossShows(stopped, 'the run that dies again');
  });
});
