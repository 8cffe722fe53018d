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
  type QuickFix,
  type TextEdit,
  commentLinesOf,
  formatRate,
  problemFixes,
  quickFixEdit,
  stopFixes,
} from './engine';
import type { DatasetTracker, TrackedDataset } from './datasetTracker';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

/** Each document's comment lines at one version: read once per edit, not once per cursor move. */
const commentLineCache = new WeakMap<vscode.TextDocument, { version: number; lines: number[] }>();

/** A document's lines as fileEdits.ts reads them. */
export function documentLines(doc: vscode.TextDocument): LineSource {
  const src = {
    lineCount: doc.lineCount,
    lineAt: (i: number) => doc.lineAt(i).text,
    eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
  };
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

/**
 * Carries out `fix` in `document` as its Quick Fix does: the same edit from fileEdits.ts, applied as
 * one undoable edit of the document (nothing written to disk). Resolves to whether it was applied.
 */
export async function applyQuickFix(document: vscode.TextDocument, fix: QuickFix): Promise<boolean> {
  const edit = quickFixEdit(documentLines(document), fix);
  return edit !== null && (await vscode.workspace.applyEdit(toWorkspaceEdit(document.uri, edit)));
}

/** A Quick Fix's title in the display language. */
export function quickFixTitle(f: QuickFix): string {
  switch (f.kind) {
    case 'ignore':
      return vscode.l10n.t('Leave out column "{0}"', f.column);
    case 'target':
      return vscode.l10n.t('Use column "{0}" as the target', f.column);
    case 'comment-out':
      return vscode.l10n.t('Comment out this row');
    case 'standardize':
      return vscode.l10n.t('Standardize the features');
    case 'learning-rate':
      return vscode.l10n.t('Use learning rate {0}', formatRate(f.rate));
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
    const add = (f: QuickFix, diagnostic?: vscode.Diagnostic, preferred = false) => {
      const edit = quickFixEdit(src, f);
      if (!edit) return;
      const a = new vscode.CodeAction(quickFixTitle(f), vscode.CodeActionKind.QuickFix);
      a.edit = toWorkspaceEdit(document.uri, edit);
      if (diagnostic) a.diagnostics = [diagnostic];
      a.isPreferred = (f.kind === 'ignore' && f.preferred) || preferred;
      actions.push(a);
    };
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const p = problemOf(t, d);
      if (p) for (const f of problemFixes(p, t.result.dataset.schema, src)) add(f, d);
    }
    // A stopped run: the first fix is the one the stop's message advises first.
    stopFixes(t.result.stopped, src, t.overrides.learningRate !== undefined).forEach((f, k) => add(f, undefined, k === 0));
    return actions;
  }
}

/** Registers the Quick Fixes for the documents `selector` names. */
export function registerQuickFixes(tracker: DatasetTracker, selector: vscode.DocumentSelector): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(selector, new DatasetQuickFixes(tracker), {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
