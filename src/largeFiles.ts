/**
 * Files VS Code does not hand to extensions (a text over 50 × 2²⁰ characters has no TextDocument and
 * no TextEditor for them): which file is one, and the file of the active tab when it is. Such a file
 * is trained from disk (src/training/fromDisk.ts).
 */
import * as vscode from 'vscode';

/** Files the train command accepts as datasets, by extension. */
export const DATASET_EXTENSIONS = ['.csv', '.tsv', '.txt'];

/**
 * Bytes above which a file is read from disk: VS Code does not hand a text over 50 × 2²⁰ characters
 * to extensions (no TextDocument, no TextEditor, `openTextDocument` fails), and a file of more bytes
 * may be one. `RELU_NEURON_FROM_DISK_BYTES` in the extension host's environment lowers it (tests).
 */
export function fromDiskThreshold(): number {
  const v = Number(process.env.RELU_NEURON_FROM_DISK_BYTES);
  return Number.isFinite(v) && v > 0 ? v : 50 * 1024 * 1024;
}

/** Whether the file at `uri` is to be read from disk: no document of it here, and over the threshold. */
export async function needsReadingFromDisk(uri: vscode.Uri): Promise<boolean> {
  if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return false;
  const ext = uri.path.toLowerCase();
  if (!DATASET_EXTENSIONS.some((e) => ext.endsWith(e))) return false;
  try {
    return (await vscode.workspace.fs.stat(uri)).size > fromDiskThreshold();
  } catch {
    return false;
  }
}

/**
 * The file in the active tab, when it is a text file VS Code shows but gives extensions no editor for
 * (`activeTextEditor` is undefined for a file over the limit; the tab still has its URI).
 */
export function activeTabFile(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText ? input.uri : undefined;
}
