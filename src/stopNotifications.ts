/** A notification when a run of a tracked dataset stops (diverges, or the neuron dies), once per stop. */
import * as vscode from 'vscode';
import type { DatasetTracker } from './datasetTracker';
import { formatRate } from './engine';
import { translate } from './l10n';

export function registerStopNotifications(tracker: DatasetTracker): vscode.Disposable {
  /** The stop each dataset was last told about ("" when its last run completed). */
  const told = new Map<string, string>();
  return tracker.onDidUpdate((t) => {
    const r = t.result;
    if (!r || t.training) return;
    const key = t.uri.toString();
    const stop = r.stopped ? `${r.stopped.reason}:${r.settings.learningRate}` : '';
    if (told.get(key) === stop) return;
    told.set(key, stop);
    if (!r.stopped) return;
    const rate = r.stopped.suggestedLearningRate;
    const use = translate('Use learning rate {0}', [formatRate(rate)]);
    void vscode.window.showWarningMessage(translate(r.stopped.template, r.stopped.args), ...(rate > 0 ? [use] : [])).then((choice) => {
      if (choice === use && tracker.get(t.uri) === t) {
        void tracker.setOverrides(t, { learningRate: rate });
      }
    });
  });
}
