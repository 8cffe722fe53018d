/** Dataset problems → the Problems panel, at their line and column, with a stable code. */
import * as vscode from 'vscode';
import { type DatasetProblem, MESSAGES } from './engine';
import type { DatasetTracker, TrackedDataset } from './datasetTracker';
import { translate } from './l10n';

/** The `source` shown beside each problem. */
export const DIAGNOSTIC_SOURCE = 'ReLU Neuron';

/** One problem as a VS Code diagnostic. */
export function toDiagnostic(p: DatasetProblem): vscode.Diagnostic {
  const range = new vscode.Range(p.line - 1, p.column - 1, p.line - 1, p.column - 1 + p.length);
  const d = new vscode.Diagnostic(
    range,
    translate(p.template, p.args),
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.code = p.code;
  d.source = DIAGNOSTIC_SOURCE;
  return d;
}

/** For a file read from disk as Windows-1251 (bytes that are not UTF-8): one Information diagnostic saying so. */
function encodingNote(t: TrackedDataset): vscode.Diagnostic[] {
  if (t.fromDisk?.encoding !== 'windows-1251') return [];
  const d = new vscode.Diagnostic(
    new vscode.Range(0, 0, 0, 0),
    translate(MESSAGES.readAsWindows1251, []),
    vscode.DiagnosticSeverity.Information,
  );
  d.code = 'read-as-windows-1251';
  d.source = DIAGNOSTIC_SOURCE;
  return [d];
}

/** Keeps the Problems panel in step with each tracked dataset's newest result. */
export function registerDiagnostics(tracker: DatasetTracker): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('reluNeuron');
  const shown = new Map<string, number>();
  return vscode.Disposable.from(
    collection,
    tracker.onDidUpdate((t) => {
      if (!t.result || shown.get(t.uri.toString()) === t.runId) return;
      shown.set(t.uri.toString(), t.runId);
      const problems = t.result.dataset.problems;
      const notes = encodingNote(t);
      // A clean file that stays clean (live typing in a valid dataset): nothing to tell the workbench.
      if (problems.length === 0 && notes.length === 0 && (collection.get(t.uri)?.length ?? 0) === 0) return;
      collection.set(t.uri, [...notes, ...problems.map(toDiagnostic)]);
    }),
    tracker.onDidClose((uri) => {
      shown.delete(uri.toString());
      collection.delete(uri);
    }),
  );
}
