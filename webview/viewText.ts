/**
 * Sentences and control texts the panel derives from messages: pure (no DOM), so they are tested
 * in Node. Every English string goes through `t`.
 */
import type { EpochMessage, RunColumns, RunSettings, SetSettingRequest, TrainedMessage } from '../src/shared/protocol';
import { MESSAGES } from '../src/engine/messages';
import { SKIPPED_OTHER_CAUSE, SKIPPED_ROW_CAUSES } from '../src/shared/viewStrings';
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
    case 'scale':
      return settings.scale;
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

/**
 * What the status area says about skipped rows (by cause: "Skipped: 3 rows with a missing value, 1 row
 * with a text value"), rows given a column's mean, and problems; null when there is nothing to say.
 */
export function problemsSentence(
  msg: Pick<TrainedMessage, 'skippedRows' | 'problemCount'> & Partial<Pick<TrainedMessage, 'skippedByCause' | 'imputedRows'>>,
): string | null {
  const parts: string[] = [];
  const causes = msg.skippedByCause ?? [];
  if (causes.length > 0)
    parts.push(
      t('Skipped: {0} — see Problems', causes.map((c) => t(SKIPPED_ROW_CAUSES[c.code] ?? SKIPPED_OTHER_CAUSE, c.rows)).join(', ')),
    );
  else if (msg.skippedRows > 0) parts.push(t(MESSAGES.rowsSkipped, msg.skippedRows));
  if ((msg.imputedRows ?? 0) > 0)
    parts.push(
      t(
        "{0, plural, one {# row kept with a missing feature set to its column's mean} other {# rows kept with a missing feature set to its column's mean}}",
        msg.imputedRows!,
      ),
    );
  if (parts.length > 0) return parts.join('. ');
  if (msg.problemCount > 0) return t('Problems reported for this file: {0}', msg.problemCount);
  return null;
}

/** What the column controls show: the target's options, each other column's box, and where each choice comes from. */
export interface ColumnControls {
  target: string;
  targetOptions: Array<{ value: string; label: string }>;
  /** One box per column but the target, in file order; the last feature ticked cannot be unticked. */
  features: Array<{ name: string; checked: boolean; disabled: boolean }>;
  targetSource: string;
  featuresSource: string;
}

/** The column controls for a run's columns (names as text: the view sets them with textContent). */
export function columnControls(c: RunColumns): ColumnControls {
  const targetIndex = c.roles.indexOf('target');
  const featureCount = c.roles.filter((r) => r === 'feature').length;
  const source = (key: 'target' | 'features') =>
    c.fromPanel.includes(key) ? t('set in this panel') : c.fromFile.includes(key) ? t('set in the file') : '';
  return {
    target: c.names[targetIndex] ?? '',
    targetOptions: c.names.map((name) => ({ value: name, label: name })),
    features: c.names
      .map((name, k) => ({ name, k }))
      .filter(({ k }) => k !== targetIndex)
      .map(({ name, k }) => {
        const checked = c.roles[k] === 'feature';
        return { name, checked, disabled: checked && featureCount <= 1 };
      }),
    targetSource: source('target'),
    featuresSource: source('features'),
  };
}

/** The features after ticking (`checked`) or unticking one box: the columns ticked, in file order. */
export function featuresAfterToggle(c: RunColumns, name: string, checked: boolean): string[] {
  return c.names.filter((n, k) => (n === name ? checked : c.roles[k] === 'feature'));
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
