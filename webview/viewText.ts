/**
 * Sentences and control texts the panel derives from messages: pure (no DOM), so they are tested
 * in Node. Every English string goes through `t`.
 */
import type { EpochMessage, RunSettings, SetSettingRequest, TrainedMessage } from '../src/shared/protocol';
import { MESSAGES } from '../src/engine/messages';
import { parseEpochs, parseInitialization, parseLearningRate } from '../src/engine/settings';
import { t } from './i18n';

type SettingKey = SetSettingRequest['key'];

/** The text a setting shows in its control. */
export function settingText(settings: RunSettings, key: SettingKey): string {
  switch (key) {
    case 'learningRate':
      return String(settings.learningRate);
    case 'epochs':
      return String(settings.epochs);
    case 'initialization':
      return settings.initialization;
    case 'reluGradAtZero':
      return String(settings.reluGradAtZero);
  }
}

/** Where a setting's value comes from, when not from VS Code's settings or the defaults (translated), or ''. */
export function settingSource(settings: RunSettings, key: SettingKey): string {
  if (settings.fromPanel.includes(key)) return t('set in this panel');
  if (settings.fromFile.includes(key)) return t('set in the file');
  return '';
}

/** Why typed text is not a valid setting (translated), or null when it is; the host checks again. */
export function settingProblem(key: SettingKey, text: string): string | null {
  const parsed =
    key === 'learningRate'
      ? parseLearningRate(text)
      : key === 'epochs'
        ? parseEpochs(text)
        : key === 'initialization'
          ? parseInitialization(text)
          : null;
  if (parsed === null || parsed.ok) return null;
  return t(parsed.message, ...parsed.args);
}

/** What the status area says about skipped rows and problems, or null when there are none. */
export function problemsSentence(msg: Pick<TrainedMessage, 'skippedRows' | 'problemCount'>): string | null {
  if (msg.skippedRows > 0) return t(MESSAGES.rowsSkipped, msg.skippedRows);
  if (msg.problemCount > 0) return t('Problems reported for this file: {0}', msg.problemCount);
  return null;
}

/** The sentence explaining a dead neuron at the epoch on display. */
export function deadNeuronSentence(msg: Pick<EpochMessage, 'w' | 'b'>, reluGradAtZero: 0 | 1): string {
  const atZero = msg.b === 0 && msg.w.every((wj) => wj === 0);
  const base = t(
    'The neuron is dead here: no sample is active (every a_i = 0), so ∂l/∂w = 0 and ∂l/∂b = 0 and gradient descent cannot move w or b any more.',
  );
  if (atZero && reluGradAtZero === 0) {
    return `${base} ${t("With w = 0, b = 0 every u_i is exactly 0, and ReLU'(0) = 0 makes each sample inactive: choose another initialisation, or ReLU'(0) = 1 (the document's rule).")}`;
  }
  return base;
}
