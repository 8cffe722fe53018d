/** Translation of the engine's English sentences through VS Code's localisation (l10n/bundle.l10n.*.json). */
import * as vscode from 'vscode';
import { STEP_TITLES, type DerivationStepId } from './engine';

/** A `{0}`-template sentence from the engine, in the display language. */
export function translate(template: string, args: readonly string[]): string {
  return vscode.l10n.t(template, ...args);
}

/** A derivation step's title in the display language. */
export function stepTitle(id: DerivationStepId): string {
  return vscode.l10n.t(STEP_TITLES[id]);
}

/** "1 row skipped — see Problems" / "3 rows skipped — see Problems". */
export function skippedSentence(rows: number): string {
  return rows === 1 ? vscode.l10n.t('1 row skipped — see Problems') : vscode.l10n.t('{0} rows skipped — see Problems', rows);
}
