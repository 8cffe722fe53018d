import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyStopFix } from '../../src/stopNotifications';
import type { TrackedDataset } from '../../src/datasetTracker';
import { EXTENSION_ID, api, waitFor } from './helpers';

/** Windows-1251 bytes of text made of ASCII and Cyrillic А…я (U+0410…U+044F → 0xC0…0xFF). */
function cp1251(text: string): Buffer {
  return Buffer.from([...text].map((c) => (c.charCodeAt(0) < 128 ? c.charCodeAt(0) : c.charCodeAt(0) - 0x410 + 0xc0)));
}

/** Runs "Train ReLU neuron" on `uri` (as the Explorer menu does) and waits for its run to settle. */
async function trainFromDisk(uri: vscode.Uri, what: string): Promise<TrackedDataset> {
  const { tracker } = await api();
  await vscode.commands.executeCommand('reluNeuron.train', uri);
  return waitFor(() => {
    const tracked = tracker.get(uri);
    return tracked?.result && !tracked.training ? tracked : undefined;
  }, what);
}

/**
 * A file VS Code does not hand to extensions is over 50 MB; RELU_NEURON_FROM_DISK_BYTES (read by the
 * command, in this same extension-host process) lowers that threshold, so a small file takes the
 * same path: the worker reads it from disk.
 */
describe('A file read from disk (over the size VS Code hands to extensions)', function () {
  this.timeout(60_000);
  let dir: string;
  let file: vscode.Uri;
  const rows = 400;

  before(async () => {
    // No text editor: the panel this suite opens is all there is.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-it-disk-'));
    const lines = ['# @epochs 30', 'рост;вес'];
    for (let i = 0; i < rows; i++)
      lines.push(`${((i % 37) / 20).toFixed(2).replace('.', ',')};${((i % 11) / 5).toFixed(1).replace('.', ',')}`);
    lines.splice(5, 0, 'нет;1'); // one row that is not a number
    fs.writeFileSync(path.join(dir, 'большой.csv'), cp1251(`${lines.join('\r\n')}\r\n`));
    file = vscode.Uri.file(path.join(dir, 'большой.csv'));
    process.env.RELU_NEURON_FROM_DISK_BYTES = '1000';
  });

  after(async () => {
    delete process.env.RELU_NEURON_FROM_DISK_BYTES;
    (await api()).tracker.untrack(file);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('"Train ReLU neuron" on it (Explorer menu) trains without a document, as the CLI does, and says it was read as Windows-1251', async () => {
    const t = await trainFromDisk(file, 'the run on the file read from disk');
    assert.equal(t.document, undefined);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === file.toString()), 'no document was opened');
    assert.deepEqual(t.fromDisk, { encoding: 'windows-1251', throughWorkspaceFs: false });
    assert.deepEqual(t.result!.dataset.features, ['рост']);
    assert.equal(t.result!.dataset.n, rows);

    // The CLI, reading the same bytes (decimal commas, semicolons, Windows-1251), gives the same run.
    const cli = spawnSync(
      process.execPath,
      [path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js'), 'train', file.fsPath, '--json'],
      { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
    );
    assert.equal(cli.status, 0, cli.stderr);
    const reference = JSON.parse(cli.stdout) as { trajectory: { loss: number }[] };
    const loss = t.result!.trajectory!.loss;
    assert.equal(loss.length, 31);
    assert.deepEqual(
      Array.from(loss),
      reference.trajectory.map((e) => e.loss),
    );

    // Problems: the bad row (line 6), and one Information diagnostic for the encoding.
    const diagnostics = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(file);
      return d.length >= 2 ? d : undefined;
    }, 'the diagnostics of the file read from disk');
    const info = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Information);
    assert.deepEqual(
      info.map((d) => d.code),
      ['read-as-windows-1251'],
    );
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      errors.map((d) => [d.range.start.line, d.code]),
      [[5, 'not-a-number']],
    );
  });

  it("trains it again as the panel's dataset when the command runs from the palette with no editor", async () => {
    const { tracker } = await api();
    const t = tracker.get(file)!;
    const runId = t.runId;
    assert.equal(vscode.window.activeTextEditor, undefined);
    await vscode.commands.executeCommand('reluNeuron.train');
    await waitFor(() => (t.runId > runId && !t.training ? true : undefined), 'a second run from disk');
    assert.equal(tracker.get(file), t);
  });

  it("a stopped run's fix, with no document to edit, becomes the panel's setting; the file stays as it was", async () => {
    const { tracker } = await api();
    const stopping = vscode.Uri.file(path.join(dir, 'stops.csv'));
    // Over the lowered threshold (1000 bytes), so read from disk as well; x in 1…10, y = 2x + 1.
    const lines = Array.from({ length: 400 }, (_, i) => `${(i % 10) + 1},${2 * ((i % 10) + 1) + 1}`);
    const bytes = Buffer.from(`# @lr 5\nx,y\n${lines.join('\n')}\n`);
    fs.writeFileSync(stopping.fsPath, bytes);
    try {
      const t = await trainFromDisk(stopping, 'the run on the second file read from disk');
      assert.equal(t.document, undefined);
      const stopped = t.result!.stopped;
      assert.ok(stopped && stopped.suggestedLearningRate > 0, `α = 5 stops the run: ${JSON.stringify(stopped)}`);
      const run = t.runId;
      assert.ok(await applyStopFix(tracker, t, 'learning-rate'));
      assert.deepEqual(t.overrides, { learningRate: stopped.suggestedLearningRate });
      await waitFor(() => (t.runId > run && t.result && !t.training ? true : undefined), "the run with the panel's α");
      assert.equal(t.result!.settings.learningRate, stopped.suggestedLearningRate);
      assert.equal(t.result!.stopped, null);
      assert.deepEqual(fs.readFileSync(stopping.fsPath), bytes, 'the file on disk is untouched');
    } finally {
      tracker.untrack(stopping);
    }
  });
});
