/** The palette commands: train, show the panel, playback, export. */
import * as vscode from 'vscode';
import { type Trajectory, derivationMarkdown, pytorchScript, runToCsv, runToJson } from './engine';
import type { JobResult } from './training/job';
import type { DatasetTracker, TrackedDataset } from './datasetTracker';
import { ExplorerPanel } from './panel/explorerPanel';
import { trace } from './trace';
import { translate } from './l10n';
import { DATASET_EXTENSIONS, activeTabFile, needsReadingFromDisk } from './largeFiles';

const DATASET_LANGUAGES = ['csv', 'tsv', 'plaintext'];

/** Whether `document` can be a dataset (by language or extension). */
export function looksLikeDataset(document: vscode.TextDocument): boolean {
  const path = document.uri.path.toLowerCase();
  return DATASET_LANGUAGES.includes(document.languageId) || DATASET_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/**
 * The file "Train ReLU neuron" reads from disk, if any: one VS Code does not hand to extensions, given
 * (the Explorer's menu), in the active tab without an editor for extensions, or the panel's.
 */
async function fileToReadFromDisk(uri: vscode.Uri | undefined, shown: TrackedDataset | undefined): Promise<vscode.Uri | undefined> {
  if (uri) return (await needsReadingFromDisk(uri)) ? uri : undefined;
  if (vscode.window.activeTextEditor) return undefined;
  const tab = activeTabFile();
  if (tab) return (await needsReadingFromDisk(tab)) ? tab : undefined;
  return shown && !shown.document ? shown.uri : undefined;
}

/** The example shipped with the extension, opened as an untitled document (nothing is written). */
async function openExample(context: vscode.ExtensionContext): Promise<vscode.TextDocument> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'examples', 'course.csv'));
  const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: new TextDecoder().decode(bytes) });
  await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  return doc;
}

/** Asks which dataset to train when the active editor has none: workspace CSV files or the example. */
async function pickDataset(context: vscode.ExtensionContext, reason?: string): Promise<vscode.TextDocument | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri; example?: boolean };
  const files = vscode.workspace.workspaceFolders ? await vscode.workspace.findFiles('**/*.{csv,tsv}', '**/node_modules/**', 200) : [];
  const items: Item[] = [
    {
      label: `$(beaker) ${vscode.l10n.t('Example: the course dataset')}`,
      description: vscode.l10n.t('opens as an unsaved file'),
      example: true,
    },
    ...files.map((uri) => ({ label: `$(file) ${vscode.workspace.asRelativePath(uri)}`, uri })),
  ];
  const choice = await vscode.window.showQuickPick(items, {
    title: reason ?? vscode.l10n.t('Train ReLU neuron'),
    placeHolder: vscode.l10n.t('Choose a CSV dataset: a header such as "x,y", then one sample per line'),
  });
  if (!choice) return undefined;
  if (choice.example) return openExample(context);
  const doc = await vscode.workspace.openTextDocument(choice.uri!);
  await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  return doc;
}

/** The tracked dataset the panel or the active editor shows. */
function currentDataset(tracker: DatasetTracker): TrackedDataset | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return ExplorerPanel.instance?.shown ?? (uri && tracker.get(uri)) ?? tracker.all()[0];
}

/** The export formats, by the extension of the file the user chose (JSON when it is none of these). */
type ExportFormat = 'json' | 'csv' | 'md' | 'py';

function exportFormat(target: vscode.Uri): ExportFormat {
  const ext = target.path.toLowerCase().split('.').pop();
  return ext === 'csv' || ext === 'md' || ext === 'py' ? ext : 'json';
}

/** The exported text: the whole run (JSON, CSV), the derivation on display (Markdown), or a PyTorch script. */
function exportText(format: ExportFormat, t: TrackedDataset, r: JobResult & { trajectory: Trajectory }): string {
  const run = { settings: r.settings, trajectory: r.trajectory, stopped: r.stopped };
  const src = { fileName: t.uri.path.split('/').pop() || t.uri.toString(true), dataset: r.dataset, run };
  switch (format) {
    case 'csv':
      return runToCsv(r.dataset, run);
    case 'md':
      return derivationMarkdown(src, t.display.epoch, t.display.selectedSample, (template, ...args) => translate(template, args));
    case 'py':
      return pytorchScript(src);
    case 'json':
      return `${JSON.stringify(runToJson(r.dataset, run, r.timing), null, 1)}\n`;
  }
}

async function exportRun(tracker: DatasetTracker): Promise<void> {
  const t = currentDataset(tracker);
  const r = t?.result;
  if (!t || !r?.trajectory || r.trajectory.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no run to export yet. Train a dataset first.'));
    return;
  }
  const trained = { ...r, trajectory: r.trajectory };
  const base =
    t.uri.path
      .split('/')
      .pop()
      ?.replace(/\.[^.]*$/, '') || 'run';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export the run'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.run.json`) : undefined,
    filters: {
      [vscode.l10n.t('JSON (whole run)')]: ['json'],
      [vscode.l10n.t('CSV (one line per epoch)')]: ['csv'],
      [vscode.l10n.t('Markdown (derivation at this epoch)')]: ['md'],
      [vscode.l10n.t('PyTorch script')]: ['py'],
    },
  });
  if (!target) return;
  if (target.toString() === t.uri.toString()) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The run cannot be exported over the dataset itself. Choose another file.'));
    return;
  }
  const format = exportFormat(target);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exportText(format, t, trained)));
  // The derivation is for reading: offer VS Code's Markdown preview, which renders its $…$ math.
  const preview = vscode.l10n.t('Open the preview');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('Exported the run to {0}.', vscode.workspace.asRelativePath(target)),
      ...(format === 'md' ? [preview] : []),
    )
    .then((choice) => (choice === preview ? vscode.commands.executeCommand('markdown.showPreview', target) : undefined));
}

export function registerCommands(context: vscode.ExtensionContext, tracker: DatasetTracker): vscode.Disposable {
  const train = async (uri?: vscode.Uri): Promise<TrackedDataset | undefined> => {
    trace('trainCommand');
    const shown = ExplorerPanel.instance?.shown;
    const onDisk = await fileToReadFromDisk(uri instanceof vscode.Uri ? uri : undefined, shown);
    if (onDisk) return trainSource(onDisk);
    // From the palette with the panel focused there is no active editor: the panel's dataset is meant.
    let document =
      uri instanceof vscode.Uri
        ? await vscode.workspace.openTextDocument(uri)
        : (vscode.window.activeTextEditor?.document ?? shown?.document);
    if (document && !looksLikeDataset(document)) {
      const name = document.uri.path.split('/').pop();
      document = await pickDataset(context, vscode.l10n.t('Train ReLU neuron: "{0}" is not a dataset; choose a CSV file', name ?? ''));
    } else if (!document) {
      document = await pickDataset(context);
    }
    if (!document) return undefined;
    return trainSource(document);
  };

  /** Tracks and trains a document, or a file the worker reads from disk, and shows the panel. */
  const trainSource = async (source: vscode.TextDocument | vscode.Uri): Promise<TrackedDataset> => {
    const tracking = tracker.track(source); // tracked at once, trained in the background
    // VS Code takes about a second to start a webview, as long as a big dataset takes to train: a panel
    // that does not exist yet starts now (it says it is waiting) instead of after the training.
    const early = ExplorerPanel.instance ? undefined : tracker.get(source instanceof vscode.Uri ? source : source.uri);
    if (early) ExplorerPanel.show(context, tracker, early);
    const t = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Training ReLU neuron…') },
      () => tracking,
    );
    trace('tracked', { runId: t.runId });
    ExplorerPanel.show(context, tracker, t);
    trace('panelShown');
    return t;
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('reluNeuron.train', train),
    vscode.commands.registerCommand('reluNeuron.showPanel', async () => {
      const t = currentDataset(tracker);
      if (t) ExplorerPanel.show(context, tracker, t, false);
      else await train();
    }),
    vscode.commands.registerCommand('reluNeuron.togglePlayback', () => ExplorerPanel.instance?.playback('toggle')),
    vscode.commands.registerCommand('reluNeuron.stepEpoch', () => ExplorerPanel.instance?.playback('step')),
    vscode.commands.registerCommand('reluNeuron.reset', () => ExplorerPanel.instance?.playback('reset')),
    vscode.commands.registerCommand('reluNeuron.exportRun', () => exportRun(tracker)),
    vscode.commands.registerCommand('reluNeuron.openExample', async () => train((await openExample(context)).uri)),
    vscode.commands.registerCommand('reluNeuron.stopTracking', () => {
      const t = currentDataset(tracker);
      if (t) tracker.untrack(t.uri);
    }),
  );
}
