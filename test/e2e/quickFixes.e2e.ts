/**
 * End to end, as a student with a downloaded file: a real public dataset (Seattle weather, from
 * vega-datasets: a date and a category among the numbers) opened in code-server; each text column
 * warns once on its header cell; Ctrl+. on that cell offers "Leave out column …", which writes the
 * `# @ignore` line in the editor (unsaved, undoable), the warning goes and the panel shows the CLI's
 * falling loss for the edited text.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { formatNumber } from '../../src/engine';
import { clickLine, editorLine, openFile, problemsRows, runCommandFromPalette, waitFor, waitVisible } from '../harness/codeServer';
import { cli, lastPoint, openSession, root, screenshot, screenshotIfFailed, type VsCodeSession } from './support';

const FILE = 'weather.csv';
/** The file as downloaded, with the one settings line it needs at its scale. */
const downloaded = '# @lr 0.001\n' + fs.readFileSync(path.join(root, 'test', 'fixtures', 'data', 'seattle-weather.csv'), 'utf8');
const HEADER = 'date,precipitation,temp_max,temp_min,wind,weather';

describe('Quick Fixes on a downloaded file', function () {
  this.timeout(120_000);
  let session: VsCodeSession;
  let page: Page;
  let panel: FrameLocator;

  const panelShows = (text: string, what: string) =>
    waitFor(
      async () =>
        (
          await panel
            .locator('body')
            .innerText()
            .catch(() => '')
        )
          .replace(/\s+/g, ' ')
          .includes(text)
          ? true
          : undefined,
      30_000,
      what,
    );
  /** The Problems panel's rows that say a column holds text. */
  const textWarnings = async () => (await problemsRows(page, { minRows: 0 })).filter((r) => r.includes('holds text'));
  /**
   * Puts the cursor inside `cell` of the header line, line `lineNumber` (a click on the line, Home, then into the cell) and
   * opens the Quick Fix menu once the light bulb for that place is shown, as a user sees it before
   * pressing Ctrl+. (pressed sooner, VS Code's own automatic request for the cursor's moves cancels the
   * explicit one, and it answers "No code actions available").
   */
  const quickFixMenuAt = async (cell: string, lineNumber: number) => {
    await clickLine(page, HEADER);
    await page.keyboard.press('Home');
    const column = HEADER.indexOf(cell) + 2;
    for (let k = column - 1; k > 0; k--) await page.keyboard.press('ArrowRight');
    const position = page.locator('.statusbar-item').filter({ hasText: `Ln ${lineNumber}, Col ${column}` });
    await waitVisible(position.first(), 10_000, `the status bar to show "Ln ${lineNumber}, Col ${column}"`);
    await waitVisible(
      page.locator('.lightBulbWidget, [class*="codicon-gutter-lightbulb"]').filter({ visible: true }).first(),
      10_000,
      `the light bulb on line ${lineNumber}`,
    );
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget').filter({ visible: true }).first();
    await waitVisible(menu, 10_000, 'the Quick Fix menu');
    return menu;
  };
  /** Chooses `title` in the open Quick Fix menu with the keyboard (a pointer block over the page takes the mouse's clicks). */
  const choose = async (title: string) => {
    const row = page.locator('.action-widget .monaco-list-row').filter({ hasText: title }).first();
    await waitVisible(row, 10_000, `"${title}" in the Quick Fix menu`);
    await waitFor(
      async () => {
        if ((await row.getAttribute('class'))?.split(/\s+/).includes('focused')) return true;
        await page.keyboard.press('ArrowDown');
        return undefined;
      },
      10_000,
      `"${title}" focused in the Quick Fix menu`,
      100,
    );
    await page.keyboard.press('Enter');
  };

  before(async function () {
    this.timeout(300_000);
    session = await openSession({ prefix: 'relu-e2e-fix-', prepare: (folder) => fs.writeFileSync(path.join(folder, FILE), downloaded) });
    ({ page, panel } = session);
  });

  afterEach(async function () {
    await screenshotIfFailed(this, page, 'quick-fixes');
  });

  after(async () => {
    if (session) assert.equal(fs.readFileSync(path.join(session.workspace, FILE), 'utf8'), downloaded, 'nothing was written to disk');
    await session?.close();
  });

  it('trains the file as it is, with one warning per text column (not one per row)', async () => {
    await openFile(page, FILE);
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const warnings = await waitFor(
      async () => {
        const w = await textWarnings();
        return w.length === 2 ? w : undefined;
      },
      30_000,
      'two text-column warnings in Problems',
    );
    assert.ok(
      warnings.some((w) => w.includes('The column "date" holds text') && w.includes('[Ln 2, Col 1]')),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((w) => w.includes('The column "weather" holds text')),
      warnings.join('\n'),
    );
    await panelShows(formatNumber(lastPoint(cli(downloaded)).loss, 4), 'the panel to show the loss');
  });

  it('Ctrl+. on the "date" cell: "Leave out column "date"" adds `# @ignore date` under `# @lr`, its warning goes, the loss falls as the CLI\'s', async () => {
    await quickFixMenuAt('date', 2);
    await choose('Leave out column "date"');
    await waitVisible(editorLine(page, '# @ignore date'), 10_000, 'the line "# @ignore date" in the editor');
    const edited = downloaded.replace('# @lr 0.001\n', '# @lr 0.001\n# @ignore date\n');
    const warnings = await waitFor(
      async () => {
        const w = await textWarnings();
        return w.length === 1 ? w : undefined;
      },
      30_000,
      'one text-column warning left',
    );
    assert.ok(warnings[0].includes('"weather"'), warnings[0]);
    const reference = cli(edited);
    assert.ok(lastPoint(reference).loss < reference.trajectory[0].loss, 'the loss falls');
    await panelShows(formatNumber(lastPoint(reference).loss, 4), "the panel to show the CLI's loss for the edited text");
    await screenshot(page, 'quick-fix-leave-out');
  });

  it('the same fix on "weather" extends the line to `# @ignore date, weather`; no warning is left; Ctrl+Z takes it back', async () => {
    await quickFixMenuAt('weather', 3);
    await choose('Leave out column "weather"');
    await waitVisible(editorLine(page, '# @ignore date, weather'), 10_000, 'the line "# @ignore date, weather"');
    await waitFor(async () => ((await textWarnings()).length === 0 ? true : undefined), 30_000, 'no text-column warning left');
    await clickLine(page, '# @ignore date, weather');
    await page.keyboard.press('Control+Z');
    await waitFor(
      async () => ((await editorLine(page, '# @ignore date, weather').count()) === 0 ? true : undefined),
      10_000,
      'Ctrl+Z to take the edit back',
    );
    await waitVisible(editorLine(page, '# @ignore date'), 10_000, 'the line "# @ignore date" again');
    await waitFor(async () => ((await textWarnings()).length === 1 ? true : undefined), 30_000, 'the "weather" warning back');
  });
});
