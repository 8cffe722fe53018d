/**
 * The extension's entry point: wires the dataset tracker (document → worker → result) to the views
 * of the result: Problems panel and its Quick Fixes, hover, status bar, CodeLens and the explorer panel.
 */
import * as vscode from 'vscode';
import { registerQuickFixes } from './codeActions';
import { registerCodeLens } from './codeLens';
import { registerCommands } from './commands';
import { DatasetTracker } from './datasetTracker';
import { registerDiagnostics } from './diagnostics';
import { registerHover } from './hover';
import { registerSerializer } from './panel/explorerPanel';
import { registerStatusBar } from './statusBar';
import { registerStopNotifications } from './stopNotifications';

/** Documents the CodeLens offers training on. */
const DATASET_SELECTOR: vscode.DocumentSelector = [{ language: 'csv' }, { language: 'tsv' }, { pattern: '**/*.{csv,tsv}' }];

/** What tests (and other extensions) can reach. */
export interface ExtensionApi {
  tracker: DatasetTracker;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('ReLU Neuron', { log: true });
  const tracker = new DatasetTracker(context, log);
  context.subscriptions.push(
    log,
    tracker,
    registerDiagnostics(tracker),
    registerHover(tracker),
    registerStatusBar(tracker),
    registerCodeLens(tracker, DATASET_SELECTOR),
    registerCommands(context, tracker),
    registerSerializer(context, tracker),
    registerStopNotifications(tracker),
    // Every language: any document "Train ReLU neuron" is run on may carry the problems.
    registerQuickFixes(tracker, '*'),
  );
  // Datasets tracked before a reload are tracked again as their documents come back (editors are
  // restored after activation, so also when they open later).
  const remembered = new Set(tracker.rememberedUris().map((u) => u.toString()));
  const retrack = (doc: vscode.TextDocument) => {
    if (remembered.delete(doc.uri.toString()) && !tracker.get(doc.uri)) void tracker.track(doc);
  };
  vscode.workspace.textDocuments.forEach(retrack);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(retrack));
  return { tracker };
}

export function deactivate(): void {}
