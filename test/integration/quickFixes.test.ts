import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TrackedDataset } from '../../src/datasetTracker';
import { formatRate } from '../../src/engine';
import { api, open, revert, settled, waitFor, workspaceFile } from './helpers';

/** The Quick Fixes VS Code collects at `range` of `uri`, by title. */
async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<Map<string, vscode.CodeAction>> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return new Map(actions.map((a) => [a.title, a]));
}

/** This extension's diagnostic with `code` on `uri`, once it is there. */
function diagnostic(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic> {
  return waitFor(() => vscode.languages.getDiagnostics(uri).find((d) => d.code === code), `a ${code} diagnostic`);
}

/** Applies a Quick Fix's edit, as choosing it in the light bulb does. */
async function choose(action: vscode.CodeAction | undefined): Promise<void> {
  assert.ok(action?.edit, 'the Quick Fix carries an edit');
  assert.ok(action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind));
  assert.ok(await vscode.workspace.applyEdit(action.edit));
}

/** The last loss of a run below its first: the neuron learns. */
function lossFalls(t: TrackedDataset): boolean {
  const tr = t.result?.trajectory;
  return !!tr && Number.isFinite(tr.loss[tr.length - 1]) && tr.loss[tr.length - 1] < tr.loss[0];
}

describe('Quick Fixes', function () {
  this.timeout(60_000);
  const diskText = fs.readFileSync(workspaceFile('text-column.csv').fsPath, 'utf8');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(fs.readFileSync(workspaceFile('text-column.csv').fsPath, 'utf8'), diskText, 'nothing is written to disk');
  });

  it('"Leave out column X" on a text column\'s warning adds `# @ignore X` after the file\'s settings, the warning goes, and Undo takes it back', async () => {
    const editor = await open('text-column.csv');
    const doc = editor.document;
    const { tracker } = await api();
    const t = await settled(await tracker.track(doc));
    const warning = await diagnostic(doc.uri, 'text-column');
    assert.equal(warning.range.start.line, 1);
    const fixes = await quickFixes(doc.uri, warning.range);
    const leaveOut = fixes.get('Leave out column "city"');
    assert.ok(leaveOut, `offered: ${[...fixes.keys()].join(' | ')}`);
    assert.ok(leaveOut.isPreferred);
    await choose(leaveOut);
    assert.equal(doc.getText(), diskText.replace('# @epochs 50\n', '# @epochs 50\n# @ignore city\n'));
    await settled(t, t.runId);
    await waitFor(() => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined), 'the warning to go');
    assert.deepEqual(t.result!.dataset.features, ['x']);
    assert.ok(lossFalls(t));
    // One ordinary edit: one Undo restores the text.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => (doc.getText() === diskText ? true : undefined), 'Undo to restore the text', 5_000);
    await diagnostic(doc.uri, 'text-column');
    await revert(editor);
    tracker.untrack(doc.uri);
  });

  it('"Comment out this row" on a skipped row; the target column is never offered to be left out', async () => {
    const { tracker } = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: 'x,y\n1,3\n2,oops\n3,7\n' });
    const t = await settled(await tracker.track(doc));
    const error = await diagnostic(doc.uri, 'not-a-number');
    const fixes = await quickFixes(doc.uri, error.range);
    assert.equal(fixes.has('Leave out column "y"'), false, `offered: ${[...fixes.keys()].join(' | ')}`);
    await choose(fixes.get('Comment out this row'));
    assert.equal(doc.getText(), 'x,y\n1,3\n# 2,oops\n3,7\n');
    await settled(t, t.runId);
    assert.equal(t.result!.dataset.n, 2);
    await waitFor(() => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined), 'the error to go');
    tracker.untrack(doc.uri);
  });

  it('"Use column X as the target" on a `# @target` that names no column', async () => {
    const { tracker } = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: '# @target helth\nhealth,income\n1,3\n2,5\n3,7\n' });
    const t = await settled(await tracker.track(doc));
    assert.equal(t.result!.dataset.target, 'income'); // the default, while the name is wrong
    const warning = await diagnostic(doc.uri, 'unknown-column');
    const fixes = await quickFixes(doc.uri, warning.range);
    await choose(fixes.get('Use column "health" as the target'));
    assert.equal(doc.getText(), '# @target health\nhealth,income\n1,3\n2,5\n3,7\n');
    await settled(t, t.runId);
    assert.equal(t.result!.dataset.target, 'health');
    await waitFor(() => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined), 'the warning to go');
    tracker.untrack(doc.uri);
  });

  it('a stopped run offers "Standardize the features" and "Use learning rate α" anywhere; α goes into `# @lr` and the run trains', async () => {
    const { tracker } = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: '# @lr 5\nx,y\n1,3\n2,5\n3,7\n4,9\n' });
    const t = await settled(await tracker.track(doc));
    const stopped = t.result!.stopped;
    assert.ok(stopped && stopped.suggestedLearningRate > 0);
    const rate = stopped.suggestedLearningRate;
    const fixes = await quickFixes(doc.uri, new vscode.Range(3, 1, 3, 1));
    const standardize = fixes.get('Standardize the features');
    assert.ok(standardize?.edit, `offered: ${[...fixes.keys()].join(' | ')}`);
    const [[, edits]] = standardize.edit.entries();
    assert.deepEqual(
      edits.map((e) => [e.range.start.line, e.newText]),
      [[1, '# @scale standard\n']],
    );
    await choose(fixes.get(`Use learning rate ${formatRate(rate)}`));
    assert.equal(doc.getText(), `# @lr ${formatRate(rate)}\nx,y\n1,3\n2,5\n3,7\n4,9\n`);
    await settled(t, t.runId);
    assert.equal(t.result!.settings.learningRate, rate);
    assert.equal(t.result!.stopped, null);
    assert.ok(lossFalls(t));
    const after = await quickFixes(doc.uri, new vscode.Range(3, 1, 3, 1));
    assert.ok(
      !after.has('Standardize the features') && ![...after.keys()].some((k) => k.startsWith('Use learning rate')),
      `offered after the fix: ${[...after.keys()].join(' | ')}`,
    );
    tracker.untrack(doc.uri);
  });
});
