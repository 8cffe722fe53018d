/**
 * The extension's entry point: wires the dataset tracker (document → worker → result) to the views
 * of the result: Problems panel, hover, status bar, CodeLens and the explorer panel.
 */
import * as vscode from 'vscode';
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
  );
  // Datasets tracked before a reload whose documents are still open are tracked again.
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  for (const uri of tracker.rememberedUris()) {
    const doc = open.get(uri.toString());
    if (doc) void tracker.track(doc);
  }
  return { tracker };
}

export function deactivate(): void {}
