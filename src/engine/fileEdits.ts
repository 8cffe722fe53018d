/**
 * The edits behind the Quick Fixes: each one is a single `TextEdit` of the dataset text, computed
 * here (no `vscode`), so the editor's code actions and any other caller make the same change.
 *
 * - A setting (`# @lr`, `# @scale`, `# @target`) edits the file's first line of that key (the one
 *   that counts), else a new line goes after the `# @` lines above the header, or at the very top.
 * - `# @ignore`: the first such line is extended (`# @ignore a` → `# @ignore a, b`), else a new one.
 * - A row is commented out with `# ` in front of it.
 *
 * Names are written so that columns.ts reads them back as the same column.
 */
import { splitNames } from './columns';
import type { DatasetSchema } from './csv';
import type { TextEdit } from './dataset';
import { formatRate } from './format';
import { type DatasetProblem, skipsRow } from './problems';
import { isSettingLine, settingKey } from './settings';
import type { StopReason } from './train';

/** The lines of a text as the edits see them: a VS Code document, or a string (`textLines`). */
export interface LineSource {
  readonly lineCount: number;
  lineAt(line0: number): string;
  /** The line break new lines are written with: `\n` or `\r\n`. */
  readonly eol: string;
  /**
   * The lines that start with `#`, ascending, if the caller knows them (a long document's cache):
   * then only these are read when looking for a `# @key` line.
   */
  readonly commentLines?: readonly number[];
}

/** A string's lines (split as the engine splits them), and its line break (`\r\n` if it has one). */
export function textLines(text: string): LineSource {
  const lines = text.split(/\r\n|\r|\n/);
  return { lineCount: lines.length, lineAt: (i) => lines[i], eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

const SETTING = /^\s*#\s*@([^\s=:]*)\s*[=:]?\s*(.*?)\s*$/;

/** The value of a `# @key value` line, trimmed. */
function valueOf(text: string): string {
  return SETTING.exec(text)?.[2] ?? '';
}

/** The key of a `# @key value` line, as settings.ts resolves it (an unknown key stays as written, lower case). */
function keyOf(text: string): string | undefined {
  const m = SETTING.exec(text);
  return m ? (settingKey(m[1]) ?? m[1].toLowerCase()) : undefined;
}

/**
 * The 0-based line a new `# @` line is inserted before: after the last `# @` line among the blank and
 * comment lines that open the file (above the header), else 0, the top.
 */
export function settingsInsertLine(src: LineSource): number {
  let after = -1;
  for (let i = 0; i < src.lineCount; i++) {
    const t = src.lineAt(i);
    if (t.trim().length > 0 && !t.trimStart().startsWith('#')) break;
    if (isSettingLine(t)) after = i;
  }
  return after + 1;
}

/** The first line that sets `key` (`lr`, `scale`, `target`, `ignore`, …), or -1. */
export function findSettingLine(src: LineSource, key: string): number {
  const { commentLines } = src;
  const count = commentLines ? commentLines.length : src.lineCount;
  for (let k = 0; k < count; k++) {
    const i = commentLines ? commentLines[k] : k;
    const t = src.lineAt(i);
    if (isSettingLine(t) && keyOf(t) === key) return i;
  }
  return -1;
}

/** The 0-based lines of `src` whose first non-space character is `#`, ascending. */
export function commentLinesOf(src: LineSource): number[] {
  const out: number[] = [];
  for (let i = 0; i < src.lineCount; i++) if (src.lineAt(i).trimStart().startsWith('#')) out.push(i);
  return out;
}

/** Inserts `line` as a whole new line before line `at` (or after the last line). */
function insertLine(src: LineSource, at: number, line: string): TextEdit {
  if (at < src.lineCount) return { startLine: at, startCharacter: 0, endLine: at, endCharacter: 0, text: line + src.eol };
  const last = src.lineCount - 1;
  const end = src.lineAt(last).length;
  return { startLine: last, startCharacter: end, endLine: last, endCharacter: end, text: src.eol + line };
}

/** Replaces the whole of line `line0` (its break stays). */
function replaceLine(src: LineSource, line0: number, line: string): TextEdit {
  return { startLine: line0, startCharacter: 0, endLine: line0, endCharacter: src.lineAt(line0).length, text: line };
}

/** Sets `# @key value`: the first line of that key gets the value, else a new line is inserted. */
export function setSettingEdit(src: LineSource, key: string, value: string): TextEdit {
  const line = `# @${key} ${value}`;
  const at = findSettingLine(src, key);
  return at >= 0 ? replaceLine(src, at, line) : insertLine(src, settingsInsertLine(src), line);
}

/**
 * A column name as an item of `# @ignore` / `# @features`: quoted (`"a, b"`, inner `"` doubled) when it
 * holds a comma, a quote or a space, or has spaces around it; else as it is.
 */
export function listName(name: string): string {
  return /[",\s]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/**
 * A column name as the value of `# @target`, which is read whole (commas and spaces are part of it) and
 * loses one pair of surrounding quotes: quoted only when it is itself in quotes or has spaces around it.
 */
export function targetName(name: string): string {
  return /^".*"$|^\s|\s$/.test(name) ? `"${name}"` : name;
}

/**
 * "Leave out column X": extends the first `# @ignore` line with X, else adds `# @ignore X`; null when
 * that line already names X.
 */
export function ignoreColumnEdit(src: LineSource, column: string): TextEdit | null {
  const i = findSettingLine(src, 'ignore');
  if (i < 0) return insertLine(src, settingsInsertLine(src), `# @ignore ${listName(column)}`);
  const t = src.lineAt(i);
  const listed = splitNames(valueOf(t), 0);
  if (listed.some((n) => n.name.toLowerCase() === column.toLowerCase())) return null;
  const end = t.trimEnd().length;
  return {
    startLine: i,
    startCharacter: end,
    endLine: i,
    endCharacter: t.length,
    text: `${listed.length > 0 ? ',' : ''} ${listName(column)}`,
  };
}

/** "Use column X as the target": `# @target X`. */
export function targetColumnEdit(src: LineSource, column: string): TextEdit {
  return setSettingEdit(src, 'target', targetName(column));
}

/** "Use learning rate α": `# @lr α`, α as a student writes it (formatRate). */
export function learningRateEdit(src: LineSource, rate: number): TextEdit {
  return setSettingEdit(src, 'lr', formatRate(rate));
}

/** "Standardize the features": `# @scale standard`. */
export function standardizeEdit(src: LineSource): TextEdit {
  return setSettingEdit(src, 'scale', 'standard');
}

/** "Comment out this row": `# ` in front of line `line0`. */
export function commentOutRowEdit(line0: number): TextEdit {
  return { startLine: line0, startCharacter: 0, endLine: line0, endCharacter: 0, text: '# ' };
}

/** The value of the first `# @key` line (trimmed), or undefined. */
export function settingValue(src: LineSource, key: string): string | undefined {
  const at = findSettingLine(src, key);
  return at < 0 ? undefined : valueOf(src.lineAt(at));
}

/** One Quick Fix as data: what it changes (the edit is made by the functions above). */
export type QuickFix =
  | { kind: 'ignore'; column: string; preferred: boolean }
  | { kind: 'target'; column: string }
  | { kind: 'comment-out'; line0: number }
  | { kind: 'standardize' }
  | { kind: 'learning-rate'; rate: number };

/** How many columns a wrong `# @target` offers in its place. */
export const MAX_TARGET_CHOICES = 8;

/** The column a problem is about (as named in the header), if it names one. */
function columnOf(p: DatasetProblem): string | undefined {
  switch (p.code) {
    case 'text-column':
    case 'not-a-number':
    case 'not-finite':
    case 'missing-value':
      return p.args[0];
    case 'more-rows-like-this':
      return p.args.length > 1 ? p.args[1] : undefined;
    default:
      return undefined;
  }
}

/**
 * The fixes a problem offers, with the columns as the run read them (`schema`):
 * - a column holding text or a value that is no number: leave that column out, unless it is the
 *   target (columns.ts keeps the target) or the last feature (nothing would be left to train on);
 * - a `# @target` naming no column: each column that is not left out, as the target;
 * - a skipped row: comment it out.
 */
export function problemFixes(p: DatasetProblem, schema: DatasetSchema | null, src: LineSource): QuickFix[] {
  const fixes: QuickFix[] = [];
  const column = columnOf(p);
  const k = column === undefined || !schema ? -1 : schema.columns.indexOf(column);
  if (schema && k >= 0) {
    const role = schema.roles[k];
    const lastFeature = role === 'feature' && schema.featureColumns.length <= 1;
    if (role !== 'target' && !lastFeature) fixes.push({ kind: 'ignore', column: schema.columns[k], preferred: p.code === 'text-column' });
  }
  if (p.code === 'unknown-column' && schema && findSettingLine(src, 'target') === p.line - 1) {
    const choices = schema.columns.filter((_, j) => schema.roles[j] !== 'ignored').slice(0, MAX_TARGET_CHOICES);
    for (const c of choices) fixes.push({ kind: 'target', column: c });
  }
  if (skipsRow(p)) fixes.push({ kind: 'comment-out', line0: p.line - 1 });
  return fixes;
}

/**
 * The fixes a stopped run offers, anywhere in the file: standardizing the features first (large raw
 * features make the bound 2/λ_max and every stable α tiny), unless the file already says so; then
 * the suggested α, unless none was found or the panel sets α (which wins over the file's line).
 */
export function stopFixes(stopped: StopReason | null, src: LineSource, panelSetsRate: boolean): QuickFix[] {
  if (!stopped) return [];
  const standardize: QuickFix[] = settingValue(src, 'scale')?.toLowerCase() !== 'standard' ? [{ kind: 'standardize' }] : [];
  const rate: QuickFix[] =
    stopped.suggestedLearningRate > 0 && !panelSetsRate ? [{ kind: 'learning-rate', rate: stopped.suggestedLearningRate }] : [];
  // Standardizing first where the features' scales are the trouble (the stop says so), else the rate.
  return stopped.scalingAdvised ? [...standardize, ...rate] : [...rate, ...standardize];
}

/** The edit that carries out `fix` (null when there is nothing to change). */
export function quickFixEdit(src: LineSource, fix: QuickFix): TextEdit | null {
  switch (fix.kind) {
    case 'ignore':
      return ignoreColumnEdit(src, fix.column);
    case 'target':
      return targetColumnEdit(src, fix.column);
    case 'comment-out':
      return commentOutRowEdit(fix.line0);
    case 'standardize':
      return standardizeEdit(src);
    case 'learning-rate':
      return learningRateEdit(src, fix.rate);
  }
}
