/** A CodeLens on the header line: train this file, or its latest loss with a link to the panel. */
import * as vscode from 'vscode';
import { formatNumber } from './engine';
import type { DatasetTracker } from './datasetTracker';
import { skippedSentence } from './l10n';
import { REFRESH_MS, Throttle } from './throttle';

/** 0-based line of the header: the first line that is neither blank nor a comment. */
export function headerLine(document: vscode.TextDocument): number {
  const limit = Math.min(document.lineCount, 1000);
  for (let k = 0; k < limit; k++) {
    const text = document.lineAt(k).text.trimStart();
    if (text.length > 0 && !text.startsWith('#') && !(k === 0 && text === '\uFEFF')) return k;
  }
  return -1;
}

export function registerCodeLens(tracker: DatasetTracker, selector: vscode.DocumentSelector): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      const t = tracker.get(document.uri);
      const line = t?.result?.dataset.schema?.headerLine ?? headerLine(document);
      if (line < 0) return [];
      const range = new vscode.Range(line, 0, line, 0);
      const r = t?.result;
      if (!t || !r) {
        return [
          new vscode.CodeLens(range, {
            title: `$(play) ${vscode.l10n.t('Train ReLU neuron')}`,
            command: 'reluNeuron.train',
            arguments: [document.uri],
          }),
        ];
      }
      const lenses = [];
      if (r.trajectory && r.trajectory.length > 0) {
        const e = r.trajectory.length - 1; // the final loss: the lens does not follow the scrubber
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('loss {0} at epoch {1} · {2} samples', formatNumber(r.trajectory.loss[e], 4), e, r.dataset.n),
            command: 'reluNeuron.showPanel',
          }),
        );
      }
      if (r.dataset.skippedRows > 0) {
        lenses.push(
          new vscode.CodeLens(range, { title: skippedSentence(r.dataset.skippedRows), command: 'workbench.actions.view.problems' }),
        );
      }
      return lenses;
    },
  };
  // Each refresh re-renders the editor being typed in: at most one per REFRESH_MS while results pour in.
  const refresh = new Throttle(() => changed.fire(), REFRESH_MS);
  return vscode.Disposable.from(
    changed,
    refresh,
    vscode.languages.registerCodeLensProvider(selector, provider),
    tracker.onDidChange(({ kind }) => kind === 'result' && refresh.call()),
    tracker.onDidClose(() => changed.fire()),
  );
}
