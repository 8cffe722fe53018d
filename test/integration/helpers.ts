/** Shared helpers of the extension-host suite. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { TrackedDataset } from '../../src/datasetTracker';

export const EXTENSION_ID = 'relu-explorer.relu-neuron-explorer';

/** The extension's API (activating it if needed). */
export async function api(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** Polls `fn` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The fixture workspace's folder. */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a fixture in an editor. */
export async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
}

/** Waits for `t` to hold a result of its document's current version. */
export function settled(t: TrackedDataset, after = -1): Promise<TrackedDataset> {
  return waitFor(
    () => (t.result && !t.training && t.resultVersion === t.document?.version && t.runId > after ? t : undefined),
    'training to settle',
    30_000,
  );
}

/**
 * What the command-line trainer prints (JSON) for `text`. The CLI runs the same engine, so agreeing with
 * it checks the wiring (document → worker → result), not the math: the independent references are
 * finite differences, TensorFlow.js and PyTorch, in the unit tests.
 */
export function cliJson(
  text: string,
  ...flags: string[]
): { trajectory: { loss: number; w: number[]; b: number; gradW: number[]; gradB: number }[]; samples: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-it-'));
  const file = path.join(dir, 'data.csv');
  fs.writeFileSync(file, text);
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const r = spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), 'train', file, '--json', ...flags], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Reverts the active editor's unsaved changes, leaving the file as it is on disk. */
export async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

/** Replaces line `line` (0-based) of the document, unsaved. */
export async function replaceLine(doc: vscode.TextDocument, line: number, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, doc.lineAt(line).range, text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}
