/**
 * Quick Fixes (the light bulb, Ctrl+.) for the problems the extension publishes and for a run that
 * stopped. Each is one ordinary edit of the document (undoable, nothing written to disk), computed by
 * the engine's fileEdits.ts:
 *
 * - a column that holds text, or a value that is not a number: "Leave out column X" (`# @ignore`);
 * - a `# @target` naming no column: "Use column X as the target" for each column that can be it;
 * - a row that is skipped: "Comment out this row";
 * - a run that diverged or died (anywhere in the file): "Standardize the features" (`# @scale
 *   standard`), then "Use learning rate α" (`# @lr`).
 */
import * as vscode from 'vscode';
import {
  type DatasetProblem,
  type LineSource,
  type TextEdit,
  commentLinesOf,
  commentOutRowEdit,
  findSettingLine,
  formatRate,
  ignoreColumnEdit,
  learningRateEdit,
  settingValue,
  skipsRow,
  standardizeEdit,
  targetColumnEdit,
} from './engine';
import type { DatasetTracker, TrackedDataset } from './datasetTracker';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

/** How many columns a wrong `# @target` offers in its place. */
const MAX_TARGET_CHOICES = 8;

/** Each document's comment lines at one version: read once per edit, not once per cursor move. */
const commentLineCache = new WeakMap<vscode.TextDocument, { version: number; lines: number[] }>();

/** A document's lines as fileEdits.ts reads them. */
export function documentLines(doc: vscode.TextDocument): LineSource {
  const src = { lineCount: doc.lineCount, lineAt: (i: number) => doc.lineAt(i).text, eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' };
  let cached = commentLineCache.get(doc);
  if (cached?.version !== doc.version) {
    cached = { version: doc.version, lines: commentLinesOf(src) };
    commentLineCache.set(doc, cached);
  }
  return { ...src, commentLines: cached.lines };
}

/** An engine edit as a workspace edit of `uri`. */
export function toWorkspaceEdit(uri: vscode.Uri, e: TextEdit): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(e.startLine, e.startCharacter, e.endLine, e.endCharacter), e.text);
  return edit;
}

/** The column a problem is about (the name as in the header), if it names one. */
function columnOf(p: DatasetProblem): string | undefined {
  switch (p.code) {
    case 'text-column':
    case 'not-a-number':
    case 'not-finite':
    case 'missing-value':
      return p.args[0];
    case 'more-rows-like-this':
      return p.args[1];
    default:
      return undefined;
  }
}

/** The engine's problem behind a diagnostic of the current result: same code, same place. */
function problemOf(t: TrackedDataset, d: vscode.Diagnostic): DatasetProblem | undefined {
  const start = d.range.start;
  return t.result?.dataset.problems.find((p) => p.code === d.code && p.line - 1 === start.line && p.column - 1 === start.character);
}

/** Provides the Quick Fixes of tracked datasets. */
class DatasetQuickFixes implements vscode.CodeActionProvider {
  constructor(private readonly tracker: DatasetTracker) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const t = this.tracker.get(document.uri);
    if (!t?.result) return [];
    const src = documentLines(document);
    const actions: vscode.CodeAction[] = [];
    const fix = (title: string, edit: TextEdit | null, diagnostic?: vscode.Diagnostic, preferred = false) => {
      if (!edit) return;
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.edit = toWorkspaceEdit(document.uri, edit);
      if (diagnostic) a.diagnostics = [diagnostic];
      a.isPreferred = preferred;
      actions.push(a);
    };
    const schema = t.result.dataset.schema;
    const target = t.result.dataset.target.toLowerCase();
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const p = problemOf(t, d);
      if (!p) continue;
      const column = columnOf(p);
      // The target cannot be left out (columns.ts keeps it); a new target is the fix there.
      if (column !== undefined && (schema === null || column.toLowerCase() !== target)) {
        fix(vscode.l10n.t('Leave out column "{0}"', column), ignoreColumnEdit(src, column), d, p.code === 'text-column');
      }
      if (p.code === 'unknown-column' && schema && findSettingLine(src, 'target') === d.range.start.line) {
        const choices = schema.columns.filter((_, k) => schema.roles[k] !== 'ignored').slice(0, MAX_TARGET_CHOICES);
        for (const c of choices) fix(vscode.l10n.t('Use column "{0}" as the target', c), targetColumnEdit(src, c), d);
      }
      if (skipsRow(p)) fix(vscode.l10n.t('Comment out this row'), commentOutRowEdit(d.range.start.line), d);
    }
    const stopped = t.result.stopped;
    if (stopped) {
      // Large raw features make both the bound and any stable α tiny: scaling them is the cure, α the fallback.
      if (settingValue(src, 'scale')?.toLowerCase() !== 'standard') fix(vscode.l10n.t('Standardize the features'), standardizeEdit(src), undefined, true);
      // A rate set in the panel wins over the file's line, which would then change nothing.
      const rate = stopped.suggestedLearningRate;
      if (rate > 0 && t.overrides.learningRate === undefined) fix(vscode.l10n.t('Use learning rate {0}', formatRate(rate)), learningRateEdit(src, rate));
    }
    return actions;
  }
}

/** Registers the Quick Fixes for the documents `selector` names. */
export function registerQuickFixes(tracker: DatasetTracker, selector: vscode.DocumentSelector): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(selector, new DatasetQuickFixes(tracker), {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
