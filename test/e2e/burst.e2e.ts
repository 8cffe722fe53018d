/**
 * End to end, as a user typing fast: rows typed without a pause at the end of a 10,000-row dataset
 * while it trains. Whatever runs were superseded, coalesced or skipped on the way, the panel and the
 * status bar must end on the command-line trainer's numbers for the final text (correctness, not time:
 * the time is bench/vscode/editLatency.ts's burst mode).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { formatNumber } from '../../src/engine';
import { openFile, runCommandFromPalette, waitFor } from '../harness/codeServer';
import { cli, lastPoint, openSession, screenshotIfFailed, type VsCodeSession } from './support';

/** A deterministic 10,000 × 2 dataset, 200 epochs. */
function dataset(): string {
  const lines = ['# @epochs 200', '# @lr 0.05', 'x1,x2,y'];
  for (let i = 0; i < 10_000; i++) {
    const x1 = ((i % 97) / 97 - 0.5).toFixed(3);
    const x2 = (((i * 7) % 89) / 89 - 0.5).toFixed(3);
    lines.push(`${x1},${x2},${(Number(x1) - 0.5 * Number(x2) + 0.4 + (i % 13) / 26).toFixed(3)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Rows to type, about `keys` keystrokes; the last target has two digits, so its last key moves the loss. */
function burst(keys: number): string {
  const rows: string[] = [];
  let length = 0;
  for (let r = 0; length < keys; r++) {
    const y = length + 20 >= keys ? '47' : ((r % 11) / 11).toFixed(3);
    rows.push(`${((r % 17) / 17 - 0.5).toFixed(3)},${((r % 5) / 5 - 0.5).toFixed(3)},${y}`);
    length += rows[rows.length - 1].length + 1;
  }
  return `${rows.join('\n')}\n`;
}

describe('typing a burst of rows', function () {
  this.timeout(180_000);
  let session: VsCodeSession;
  let page: Page;
  let panel: FrameLocator;
  let text = dataset();

  const panelText = async () =>
    (
      await panel
        .locator('.stats')
        .innerText()
        .catch(() => '')
    ).replace(/\s+/g, ' ');
  const statusText = async () =>
    (
      await page
        .locator('.statusbar-item')
        .filter({ hasText: 'ReLU: loss' })
        .first()
        .innerText()
        .catch(() => '')
    ).replace(/\s+/g, ' ');

  before(async function () {
    this.timeout(300_000);
    session = await openSession({
      prefix: 'relu-e2e-burst-',
      prepare: (folder) => fs.writeFileSync(path.join(folder, 'burst.csv'), text),
      // Each row ends with Enter: no suggestion may take it.
      settings: {
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        'editor.wordBasedSuggestions': 'off',
        'editor.acceptSuggestionOnEnter': 'off',
      },
    });
    ({ page, panel } = session);
  });

  afterEach(async function () {
    await screenshotIfFailed(this, page, 'burst');
  });

  after(async () => {
    await session?.close();
  });

  it("ends on the CLI's loss for the final text, in the panel and the status bar", async () => {
    await openFile(page, 'burst.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const first = formatNumber(lastPoint(cli(text)).loss, 4);
    await waitFor(async () => ((await panelText()).includes(first) ? true : undefined), 60_000, `the panel to show ${first}`);

    // Into the editor, at the end of the file (it ends with a newline: the cursor is on an empty line).
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    const typed = burst(300);
    await page.keyboard.type(typed);
    text += typed;

    const reference = cli(text);
    const want = formatNumber(lastPoint(reference).loss, 4);
    const beforeLastKey = formatNumber(lastPoint(cli(text.slice(0, -2) + '\n')).loss, 4);
    assert.notEqual(want, beforeLastKey, 'the last keystroke changes the loss on display');
    await waitFor(async () => ((await panelText()).includes(want) ? true : undefined), 30_000, `the panel to show the final ${want}`);
    // The host has the final run too, and the panel did not move off it to an older one.
    const epochs = reference.trajectory.length - 1;
    await waitFor(
      async () => {
        const s = await statusText();
        return s.includes(want) && s.includes(`epoch ${epochs}`) ? true : undefined;
      },
      30_000,
      `the status bar to show ${want} at epoch ${epochs}`,
    );
    assert.ok((await panelText()).includes(want), await panelText());
  });
});
