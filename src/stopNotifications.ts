/**
 * A notification when a run of a tracked dataset stops (diverges, or the neuron dies), once per stop,
 * and the stopped run's fixes as the panel and the notification offer them: the Quick Fixes' edits
 * (codeActions.ts), one undoable edit of the document each.
 */
import * as vscode from 'vscode';
import type { DatasetTracker, TrackedDataset } from './datasetTracker';
import type { QuickFix } from './engine';
import { applyQuickFix, quickFixTitle } from './codeActions';
import { translate } from './l10n';
import { type StopFixRequest, stopFixKinds } from './shared/protocol';

/** A stopped run's fix: `# @lr α` with its suggested α, or `# @scale standard`. */
export type StopFixKind = StopFixRequest['fix'];

/**
 * Carries out a fix of `t`'s stopped run in its document (as the Quick Fix does); the panel's own value
 * of that setting, which would hide the file's new line, is forgotten. A file read from disk, with no
 * document to edit, gets the value as a panel setting. Resolves to whether it applied.
 */
export async function applyStopFix(tracker: DatasetTracker, t: TrackedDataset, kind: StopFixKind): Promise<boolean> {
  const stopped = t.result?.stopped;
  if (!stopped) return false;
  if (kind === 'learning-rate' && !(stopped.suggestedLearningRate > 0)) return false;
  const fix: QuickFix = kind === 'standardize' ? { kind: 'standardize' } : { kind: 'learning-rate', rate: stopped.suggestedLearningRate };
  const key = kind === 'standardize' ? 'scale' : 'learningRate';
  if (!t.document) {
    // A file read from disk is not open for editing: the panel sets the value instead.
    await tracker.setOverrides(t, kind === 'standardize' ? { scale: 'standard' } : { learningRate: stopped.suggestedLearningRate });
    return true;
  }
  const applied = await applyQuickFix(t.document, fix);
  if (applied && t.overrides[key] !== undefined) await tracker.setOverrides(t, { [key]: undefined });
  return applied;
}

/** Shows a notification for each new stop of a tracked dataset's run, with its fixes as buttons. */
export function registerStopNotifications(tracker: DatasetTracker): vscode.Disposable {
  /** The stop each dataset was last told about ("" when its last run completed). */
  const told = new Map<string, string>();
  return tracker.onDidUpdate((t) => {
    const r = t.result;
    if (!r || t.training) return;
    const key = t.uri.toString();
    const stop = r.stopped ? `${r.stopped.reason}:${r.settings.learningRate}:${r.settings.scale}` : '';
    if (told.get(key) === stop) return;
    told.set(key, stop);
    if (!r.stopped) return;
    const rate = r.stopped.suggestedLearningRate;
    const buttons = stopFixKinds(r.stopped, r.settings.scale).map((kind) => ({
      kind,
      title: quickFixTitle(kind === 'standardize' ? { kind } : { kind, rate }),
    }));
    void vscode.window.showWarningMessage(translate(r.stopped.template, r.stopped.args), ...buttons.map((b) => b.title)).then((choice) => {
      const chosen = buttons.find((b) => b.title === choice);
      if (chosen && tracker.get(t.uri) === t) void applyStopFix(tracker, t, chosen.kind);
    });
  });
}
