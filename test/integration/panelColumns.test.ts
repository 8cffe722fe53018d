import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { formatRate } from '../../src/engine';
import { applyStopFix } from '../../src/stopNotifications';
import { api, cliJson, settled, waitFor } from './helpers';

describe("the panel's column choice and a stopped run's buttons", function () {
  this.timeout(60_000);

  it('a target, features and scaling chosen in the panel retrain with them (as the CLI with --target), come back after a reload, and go with "Use the file\'s settings"', async () => {
    const { tracker } = await api();
    const text = '# @epochs 40\nx1,x2,y\n1,2,3\n2,1,4\n3,4,2\n4,3,5\n5,5,4\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: text });
    const t = await settled(await tracker.track(doc));
    assert.deepEqual([t.result!.dataset.features, t.result!.dataset.target], [['x1', 'x2'], 'y']);
    let run = t.runId;
    await tracker.setOverrides(t, { scale: 'standard' }, { target: 'x2', features: ['x1'] });
    await settled(t, run);
    assert.deepEqual([t.result!.dataset.features, t.result!.dataset.target], [['x1'], 'x2']);
    assert.equal(t.result!.settings.scale, 'standard');
    const cli = cliJson(text, '--target', 'x2', '--features', 'x1', '--scale', 'standard');
    assert.deepEqual(
      Array.from(t.result!.trajectory!.loss),
      cli.trajectory.map((p) => p.loss),
    );
    // An edit below keeps the choice.
    run = t.runId;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, doc.lineAt(6).range, '5,6,4');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await settled(t, run);
    assert.deepEqual(Array.from(t.result!.dataset.y), [2, 1, 4, 3, 6]);
    // Tracked again (as after a reload): the choice comes back from the workspace state.
    tracker.untrack(doc.uri, false);
    const again = await settled(await tracker.track(doc));
    assert.deepEqual(again.columns, { target: 'x2', features: ['x1'] });
    assert.deepEqual(again.overrides, { scale: 'standard' });
    assert.equal(again.result!.dataset.target, 'x2');
    run = again.runId;
    await tracker.setOverrides(again, 'reset');
    await settled(again, run);
    assert.deepEqual([again.result!.dataset.features, again.result!.dataset.target], [['x1', 'x2'], 'y']);
    tracker.untrack(doc.uri, false);
    assert.deepEqual((await settled(await tracker.track(doc))).columns, {});
    tracker.untrack(doc.uri);
  });

  it('"Use learning rate α" of a stopped run edits `# @lr` in the document (one Undo takes it back), and forgets the panel\'s α', async () => {
    const { tracker } = await api();
    const text = 'x,y\n1,3\n2,5\n3,7\n4,9\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: text });
    await vscode.window.showTextDocument(doc);
    const t = await settled(await tracker.track(doc));
    let run = t.runId;
    await tracker.setOverrides(t, { learningRate: 5 });
    await settled(t, run);
    const stopped = t.result!.stopped;
    assert.ok(stopped && stopped.suggestedLearningRate > 0, 'α = 5 stops the run');
    const rate = stopped.suggestedLearningRate;
    run = t.runId;
    assert.ok(await applyStopFix(tracker, t, 'learning-rate'));
    assert.equal(doc.getText(), `# @lr ${formatRate(rate)}\n${text}`);
    assert.deepEqual(t.overrides, {});
    await settled(t, run);
    assert.equal(t.result!.settings.learningRate, Number(formatRate(rate)));
    assert.equal(t.result!.stopped, null);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => (doc.getText() === text ? true : undefined), 'Undo to restore the text', 5_000);
    tracker.untrack(doc.uri);
  });

  it('"Standardize the features" of a run that failed on large raw features writes `# @scale standard`, and the run trains', async () => {
    const { tracker } = await api();
    const rows = Array.from({ length: 12 }, (_, i) => `${1990 + i},${(0.3 * i + 1).toFixed(2)}`);
    const text = `year,y\n${rows.join('\n')}\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: text });
    await vscode.window.showTextDocument(doc);
    const t = await settled(await tracker.track(doc));
    const stopped = t.result!.stopped;
    assert.ok(stopped?.scalingAdvised, `stopped: ${JSON.stringify(stopped)}`);
    const run = t.runId;
    assert.ok(await applyStopFix(tracker, t, 'standardize'));
    assert.equal(doc.getText(), `# @scale standard\n${text}`);
    assert.ok(doc.isDirty, 'not saved');
    await settled(t, run);
    assert.equal(t.result!.settings.scale, 'standard');
    const loss = t.result!.trajectory!.loss;
    assert.ok(t.result!.stopped === null && loss[loss.length - 1] < loss[0]);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => (doc.getText() === text ? true : undefined), 'Undo to restore the text', 5_000);
    tracker.untrack(doc.uri);
  });
});
