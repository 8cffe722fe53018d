/** Translation of the engine's English sentences through VS Code's localisation (l10n/bundle.l10n.*.json). */
import * as vscode from 'vscode';
import { MESSAGES, STEP_TITLES, formatTemplate, type DerivationStepId } from './engine';

/**
 * A `{0}`-template sentence in the display language, its placeholders and plural forms
 * (`{0, plural, one {…} few {…} many {…} other {…}}`) filled by the rules of that language.
 */
export function translate(template: string, args: ReadonlyArray<string | number>): string {
  return formatTemplate(vscode.l10n.t(template), args.map(String), vscode.env.language);
}

/** A derivation step's title in the display language. */
export function stepTitle(id: DerivationStepId): string {
  return vscode.l10n.t(STEP_TITLES[id]);
}

/** "1 row skipped — see Problems" / "3 rows skipped — see Problems" (Russian: 1 строка, 2 строки, 5 строк). */
export function skippedSentence(rows: number): string {
  return translate(MESSAGES.rowsSkipped, [rows]);
}
