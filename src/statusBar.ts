/** The status bar item: loss and epoch of the dataset in the active editor; a click shows the panel. */
import * as vscode from 'vscode';
import { formatNumber } from './engine';
import type { DatasetTracker, TrackedDataset } from './datasetTracker';
import { skippedSentence } from './l10n';
import { REFRESH_MS, Throttle } from './throttle';

/** The item's text for `t`. */
export function statusText(t: TrackedDataset): string {
  const r = t.result;
  if (!r) return `$(sync~spin) ${vscode.l10n.t('ReLU: training…')}`;
  if (!r.trajectory) return `$(error) ${vscode.l10n.t('ReLU: no usable rows')}`;
  const icon = t.training ? '$(sync~spin)' : r.stopped ? '$(warning)' : '$(pulse)';
  const e = t.display.epoch;
  return `${icon} ${vscode.l10n.t('ReLU: loss {0} · epoch {1}', formatNumber(r.trajectory.loss[e], 4), e)}`;
}

/** How long a run may take before the status bar says it is training. */
const SPINNER_DELAY_MS = 300;

export function registerStatusBar(tracker: DatasetTracker): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('reluNeuron.status', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('ReLU Neuron');
  item.command = 'reluNeuron.showPanel';
  let spinner: NodeJS.Timeout | undefined;
  // The spinner shows once the newest job has run SPINNER_DELAY_MS; a newer job (typing on) waits again.
  const spin = (t: TrackedDataset) => {
    spinner = undefined;
    if (!t.training) return;
    const left = t.jobStartedAt + SPINNER_DELAY_MS - performance.now();
    if (left > 0) spinner = setTimeout(spin, left, t);
    else refresh();
  };
  const refresh = () => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const t = (uri && tracker.get(uri)) || (tracker.all().length === 1 ? tracker.all()[0] : undefined);
    if (!t) {
      item.hide();
      return;
    }
    item.text = statusText(t);
    const skipped = t.result?.dataset.skippedRows ?? 0;
    item.tooltip = [
      vscode.l10n.t('ReLU neuron trained on {0}', vscode.workspace.asRelativePath(t.uri)),
      skipped ? skippedSentence(skipped) : '',
      t.result?.stopped ? t.result.stopped.message : '',
      vscode.l10n.t('Click to show the explorer panel'),
    ]
      .filter(Boolean)
      .join('\n');
    item.backgroundColor = t.result?.stopped ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  // New results while typing: one refresh per REFRESH_MS at most (each re-renders the workbench's status bar).
  const refreshSoon = new Throttle(refresh, REFRESH_MS);
  return vscode.Disposable.from(
    item,
    refreshSoon,
    // A run that starts shows the spinner only if it is still going after a moment: live typing on a
    // small file then leaves the item alone until the new loss is in.
    tracker.onDidChange(({ dataset, kind }) => {
      if (kind === 'result') refreshSoon.call();
      else if (kind !== 'training') refresh();
      else {
        clearTimeout(spinner);
        spinner = setTimeout(spin, SPINNER_DELAY_MS, dataset);
      }
    }),
    { dispose: () => clearTimeout(spinner) },
    tracker.onDidClose(refresh),
    vscode.window.onDidChangeActiveTextEditor(refresh),
  );
}
