import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { formatNumber } from '../../src/engine';
import { api, cliJson, open, replaceLine, revert, settled, waitFor, workspaceFile } from './helpers';

const close = (x: number, y: number, tol = 1e-12) => Math.abs(x - y) <= tol * Math.max(1, Math.abs(y));

describe('ReLU Neuron Explorer in VS Code', function () {
  this.timeout(60_000);
  const diskText = fs.readFileSync(workspaceFile('course.csv').fsPath, 'utf8');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The extension never writes to the dataset.
    assert.equal(fs.readFileSync(workspaceFile('course.csv').fsPath, 'utf8'), diskText);
  });

  it('runs vscode 1.100 and contributes its commands with a category', async () => {
    const { tracker } = await api();
    assert.ok(tracker);
    const commands = await vscode.commands.getCommands(true);
    for (const c of [
      'reluNeuron.train',
      'reluNeuron.showPanel',
      'reluNeuron.togglePlayback',
      'reluNeuron.stepEpoch',
      'reluNeuron.reset',
      'reluNeuron.exportRun',
    ]) {
      assert.ok(commands.includes(c), c);
    }
  });

  it('"Train ReLU neuron" trains the active dataset and opens the panel (wiring: the CLI\'s numbers, from the same engine)', async () => {
    const editor = await open('course.csv');
    await vscode.commands.executeCommand('reluNeuron.train');
    const { tracker } = await api();
    const t = await settled(tracker.get(editor.document.uri)!);
    const reference = cliJson(editor.document.getText());
    const tr = t.result!.trajectory!;
    assert.equal(tr.length, reference.trajectory.length);
    const last = reference.trajectory.length - 1;
    assert.ok(close(tr.loss[last], reference.trajectory[last].loss), `${tr.loss[last]} vs ${reference.trajectory[last].loss}`);
    assert.ok(close(tr.w[last], reference.trajectory[last].w[0]));
    const isPanel = (tab: vscode.Tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('reluNeuron.explorer');
    await waitFor(() => (vscode.window.tabGroups.all.some((g) => g.tabs.some(isPanel)) ? true : undefined), 'the explorer panel to open');
  });

  it("re-trains on an unsaved edit (wiring: the CLI's loss for the edited text)", async () => {
    const editor = await open('course.csv');
    const { tracker } = await api();
    const t = await settled(tracker.get(editor.document.uri)!);
    const before = t.result!.trajectory!.loss[t.entries - 1];
    const runId = t.runId;
    const line = t.result!.dataset.sampleLines[2];
    await replaceLine(editor.document, line, '2,7');
    assert.ok(editor.document.isDirty);
    await settled(t, runId);
    const after = t.result!.trajectory!.loss[t.entries - 1];
    assert.notEqual(after, before);
    const reference = cliJson(editor.document.getText());
    assert.ok(close(after, reference.trajectory[reference.trajectory.length - 1].loss));
    await revert(editor);
    await settled(t, t.runId);
    assert.equal(t.result!.trajectory!.loss[t.entries - 1], before);
  });

  it("ends a burst of keystrokes on the CLI's loss for the final text (edits of a turn go as one job)", async () => {
    const editor = await open('course.csv');
    const { tracker } = await api();
    const t = await settled(tracker.get(editor.document.uri)!);
    const runId = t.runId;
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    // Two new rows, typed one character per edit with no pause, the last key changing y.
    const typed = `${end.character > 0 ? '\n' : ''}3.5,6.25\n4.25,8.5`;
    let at = end;
    for (const ch of typed) {
      const pos = at;
      assert.ok(await editor.edit((b) => b.insert(pos, ch)));
      at = ch === '\n' ? new vscode.Position(pos.line + 1, 0) : pos.translate(0, 1);
    }
    await settled(t, runId);
    const reference = cliJson(editor.document.getText());
    const last = reference.trajectory.length - 1;
    assert.equal(t.result!.dataset.n, reference.samples);
    assert.ok(close(t.result!.trajectory!.loss[last], reference.trajectory[last].loss), `${t.result!.trajectory!.loss[last]}`);
    assert.ok(close(t.result!.trajectory!.w[last], reference.trajectory[last].w[0]));
    await revert(editor);
    await settled(t, t.runId);
  });

  it('follows multi-cursor edits, inserted and deleted lines, sending the worker only the edits', async () => {
    const editor = await open('course.csv');
    const { tracker } = await api();
    const t = await settled(tracker.get(editor.document.uri)!);
    const [first, , third] = Array.from(t.result!.dataset.sampleLines);
    const edit = new vscode.WorkspaceEdit();
    // One change event with three changes: two rows edited, a row inserted above them.
    edit.replace(editor.document.uri, editor.document.lineAt(first).range, '1.5,2.5');
    edit.replace(editor.document.uri, editor.document.lineAt(third).range, '2,4.5');
    edit.insert(editor.document.uri, new vscode.Position(first, 0), '0.5,1\n4,7\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    let runId = t.runId;
    await settled(t, runId - 1);
    runId = t.runId;
    const del = new vscode.WorkspaceEdit();
    del.delete(editor.document.uri, new vscode.Range(first + 1, 0, first + 2, 0)); // the inserted "4,7"
    assert.ok(await vscode.workspace.applyEdit(del));
    await settled(t, runId);
    const reference = cliJson(editor.document.getText());
    const last = reference.trajectory.length - 1;
    assert.equal(t.result!.dataset.n, reference.samples);
    assert.ok(close(t.result!.trajectory!.loss[last], reference.trajectory[last].loss));
    assert.deepEqual(
      Array.from(t.result!.dataset.y),
      editor.document
        .getText()
        .split('\n')
        .filter((l) => /^-?[\d.]+,/.test(l))
        .map((l) => Number(l.split(',')[1])),
    );
    await revert(editor);
  });

  it('shows a malformed row in Problems with line, column and code, skips it, and clears it when fixed', async () => {
    const editor = await open('course.csv');
    const { tracker } = await api();
    const t = await settled(tracker.get(editor.document.uri)!);
    const n = t.result!.dataset.n;
    const line = t.result!.dataset.sampleLines[1];
    await replaceLine(editor.document, line, '-3,abc');
    const diagnostics = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(editor.document.uri);
      return d.length > 0 ? d : undefined;
    }, 'a diagnostic');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].range.start.line, line);
    assert.equal(diagnostics[0].range.start.character, 3);
    assert.equal(diagnostics[0].code, 'not-a-number');
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostics[0].message, /abc/);
    await settled(t);
    assert.equal(t.result!.dataset.n, n - 1);
    assert.equal(t.result!.dataset.skippedRows, 1);
    await replaceLine(editor.document, line, '-3,1');
    await waitFor(() => (vscode.languages.getDiagnostics(editor.document.uri).length === 0 ? true : undefined), 'the diagnostic to clear');
    await revert(editor);
  });

  it("hovers a data row with that sample's u, z, residual, activity and gradient share (wiring: the CLI's numbers)", async () => {
    const editor = await open('course.csv');
    const { tracker } = await api();
    const t = await settled(tracker.get(editor.document.uri)!);
    const line = t.result!.dataset.sampleLines[1]; // x = -3, y = 1
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(line, 1),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    const reference = cliJson(editor.document.getText()).trajectory;
    const last = reference[reference.length - 1];
    const u = last.w[0] * -3 + last.b;
    assert.match(text, /Sample 2/);
    assert.ok(text.includes(`**${formatNumber(u, 6)}**`), `u = ${u} in ${text}`);
    assert.match(text, u < 0 ? /inactive: u < 0/ : /active: u > 0/);
    assert.match(text, /share of the gradient/);
  });

  it("hovers a header cell with that parameter's value and gradient", async () => {
    const editor = await open('course.csv');
    const { tracker } = await api();
    const t = await settled(tracker.get(editor.document.uri)!);
    const header = t.result!.dataset.schema!.headerLine;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(header, 0),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /w1 = \*\*/);
    assert.match(text, /∂l\/∂w1 = \*\*/);
  });

  it("with `# @scale standard`, the hover shows the file's x beside x̃ and the weight in the file's units", async () => {
    const { tracker } = await api();
    const xs = [1900, 1950, 2000, 2050];
    const ys = [1, 2, 3, 4];
    const content = `# @scale standard\nyear,y\n${xs.map((x, i) => `${x},${ys[i]}`).join('\n')}\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content });
    const t = await settled(await tracker.track(doc));
    // x̃ = (x − μ)/σ with μ and σ (1/N) of the four years, computed here.
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
    const hoverAt = async (line: number) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(line, 1),
      );
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    const row = await hoverAt(3); // 1950
    assert.ok(row.includes(`1950 → ${formatNumber((1950 - mean) / sd, 6)}`), row);
    assert.ok(row.includes('u = w·x̃ + b'), row);
    const header = await hoverAt(1);
    const w = t.result!.trajectory!.w[t.display.epoch]; // d = 1: w of the epoch on display
    assert.ok(header.includes(`in the file's units, w1 = ${formatNumber(w / sd, 6)}`), header);
    tracker.untrack(doc.uri);
  });

  it('offers training, then the latest loss, in a CodeLens on the header', async () => {
    const editor = await open('two-features.csv');
    let lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    assert.ok(lenses.some((l) => l.command?.command === 'reluNeuron.train'));
    await vscode.commands.executeCommand('reluNeuron.train');
    const { tracker } = await api();
    const t = await settled(tracker.get(editor.document.uri)!);
    lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const loss = t.result!.trajectory!.loss[t.entries - 1];
    assert.ok(
      lenses.some((l) => l.command?.title.includes(formatNumber(loss, 4))),
      JSON.stringify(lenses.map((l) => l.command?.title)),
    );
  });

  it("uses the file's own settings over VS Code's, and VS Code's over the defaults", async () => {
    const { tracker } = await api();
    const config = vscode.workspace.getConfiguration('reluNeuron');
    try {
      const two = await settled(tracker.get((await open('two-features.csv')).document.uri)!);
      const course = await settled(tracker.get((await open('course.csv')).document.uri)!);
      const courseRun = course.runId;
      const twoRun = two.runId;
      await config.update('learningRate', 0.01, vscode.ConfigurationTarget.Workspace);
      await config.update('epochs', 7, vscode.ConfigurationTarget.Workspace);
      await settled(two, twoRun);
      await settled(course, courseRun);
      // two-features.csv sets # @lr 0.02 and # @epochs 50; course.csv sets # @lr 0.05 and # @epochs 100.
      assert.equal(two.result!.settings.learningRate, 0.02);
      assert.equal(two.result!.settings.epochs, 50);
      const beforeConvention = course.runId;
      await config.update('reluGradAtZero', '0', vscode.ConfigurationTarget.Workspace);
      await settled(course, beforeConvention);
      assert.equal(course.result!.settings.reluGradAtZero, 0);
      // course.csv starts at w = 0, b = 0: with ReLU'(0) = 0 nothing is active and nothing moves.
      assert.equal(course.result!.trajectory!.active[0], 0);
      assert.equal(course.result!.trajectory!.w[course.entries - 1], 0);
    } finally {
      await config.update('learningRate', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('epochs', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('reluGradAtZero', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("keeps settings changed in the panel for the next session, over the file's, until they are reset", async () => {
    const { tracker } = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: '# @lr 0.05\n# @epochs 30\nx,y\n1,3\n2,5\n3,7\n' });
    const t = await settled(await tracker.track(doc));
    assert.equal(t.result!.settings.epochs, 30);
    const before = t.runId;
    await tracker.setOverrides(t, { epochs: 12, initialization: { kind: 'random', seed: 3 } });
    await settled(t, before);
    assert.equal(t.result!.settings.epochs, 12);
    // Tracked again (as after a reload): the panel's settings come back and still win over the file's.
    tracker.untrack(doc.uri, false);
    const again = await settled(await tracker.track(doc));
    assert.notEqual(again, t);
    assert.deepEqual(again.overrides, { epochs: 12, initialization: { kind: 'random', seed: 3 } });
    assert.equal(again.result!.settings.epochs, 12);
    assert.deepEqual(again.result!.settings.initialization, { kind: 'random', seed: 3 });
    const run = again.runId;
    await tracker.setOverrides(again, 'reset');
    await settled(again, run);
    assert.equal(again.result!.settings.epochs, 30);
    tracker.untrack(doc.uri, false);
    assert.deepEqual((await settled(await tracker.track(doc))).overrides, {});
    tracker.untrack(doc.uri);
  });

  it('stops a diverging run and says at which epoch, with a learning rate to try', async () => {
    const { tracker } = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: '# @lr 5\nx,y\n1,3\n2,5\n3,7\n4,9\n' });
    await vscode.window.showTextDocument(doc);
    const t = await tracker.track(doc);
    await settled(t);
    assert.ok(t.result!.stopped);
    assert.match(t.result!.stopped!.message, /epoch \d+/);
    assert.ok(t.result!.stopped!.suggestedLearningRate < 5);
    tracker.untrack(doc.uri);
  });

  it('says what is wrong when a file has no usable rows, without crashing', async () => {
    const { tracker } = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: 'x,y\nfoo,bar\n' });
    const t = await tracker.track(doc);
    await settled(t);
    assert.equal(t.result!.trajectory, null);
    assert.equal(vscode.languages.getDiagnostics(doc.uri).length, 1);
    tracker.untrack(doc.uri);
    assert.equal(vscode.languages.getDiagnostics(doc.uri).length, 0, 'untracking clears the diagnostics');
  });

  it("follows the active editor to a dataset tracked while it is active (a reload's restored editor tracked again)", async () => {
    const { tracker } = await api();
    const panelTitle = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .map((tab) => tab.label)
        .find((label) => label.startsWith('ReLU neuron'));
    const first = await open('course.csv');
    await vscode.commands.executeCommand('reluNeuron.train');
    await settled(tracker.get(first.document.uri)!);
    await waitFor(() => (panelTitle() === 'ReLU neuron: course.csv' ? true : undefined), 'the panel on course.csv');
    // two-features.csv becomes the active editor before it is tracked (as after a reload, when the
    // editors come back before the extension tracks their datasets again): no editor change follows.
    tracker.untrack(workspaceFile('two-features.csv'));
    const second = await open('two-features.csv');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(panelTitle(), 'ReLU neuron: course.csv', 'an untracked file does not take the panel');
    try {
      await settled(await tracker.track(second.document));
      await waitFor(() => (panelTitle() === 'ReLU neuron: two-features.csv' ? true : undefined), 'the panel on two-features.csv');
    } finally {
      tracker.untrack(second.document.uri);
    }
  });

  it('trains a 200,000-row dataset in the worker and reports every row', async () => {
    const { tracker } = await api();
    const rows = Array.from({ length: 200_000 }, (_, i) => `${(i % 100) / 50 - 1},${(i % 7) / 3}`).join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: `# @epochs 300\nx,y\n${rows}\n` });
    let longest = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    try {
      const t = await tracker.track(doc);
      await settled(t);
      assert.equal(t.result!.dataset.n, 200_000);
      assert.ok(t.client.usesWorker, "training runs in a worker thread, not on the extension host's");
    } finally {
      clearInterval(timer);
      tracker.untrack(doc.uri);
    }
    // Measured, not asserted (timing belongs to the benchmarks): printed for the log.
    console.log(`[integration]     (longest event-loop gap while training 200,000 rows × 300 epochs: ${longest} ms)`);
  });
});
