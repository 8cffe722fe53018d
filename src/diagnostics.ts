/** Dataset problems → the Problems panel, at their line and column, with a stable code. */
import * as vscode from 'vscode';
import { type DatasetProblem, MESSAGES } from './engine';
import type { DatasetTracker, TrackedDataset } from './datasetTracker';
import { translate } from './l10n';
import { REFRESH_MS, Throttle } from './throttle';

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
  const show = (t: TrackedDataset) => {
    if (!t.result || shown.get(t.uri.toString()) === t.runId) return;
    shown.set(t.uri.toString(), t.runId);
    const problems = t.result.dataset.problems;
    const notes = encodingNote(t);
    // A clean file that stays clean (live typing in a valid dataset): nothing to tell the workbench.
    if (problems.length === 0 && notes.length === 0 && (collection.get(t.uri)?.length ?? 0) === 0) return;
    collection.set(t.uri, [...notes, ...problems.map(toDiagnostic)]);
  };
  // While results pour in (typing), one update per REFRESH_MS and file at most: each one re-renders
  // the squiggles and the Problems panel on the thread the typing runs on. The newest always shows.
  const throttles = new Map<string, Throttle>();
  return vscode.Disposable.from(
    collection,
    tracker.onDidUpdate((t) => {
      const key = t.uri.toString();
      if (!t.result || shown.get(key) === t.runId) return;
      let th = throttles.get(key);
      if (!th) throttles.set(key, (th = new Throttle(() => show(t), REFRESH_MS)));
      th.call();
    }),
    tracker.onDidClose((uri) => {
      const key = uri.toString();
      throttles.get(key)?.dispose();
      throttles.delete(key);
      shown.delete(key);
      collection.delete(uri);
    }),
    { dispose: () => throttles.forEach((th) => th.dispose()) },
  );
}
