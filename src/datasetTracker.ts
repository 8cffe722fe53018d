/**
 * Which documents are being trained on, and their latest result. Every change to a tracked document
 * (unsaved edits included) starts a new training job in that document's worker; a newer edit
 * supersedes older work, and only the newest result is kept and announced.
 *
 *   document text ──► TrainingClient (worker: parse + train) ──► TrackedDataset.result ──► onDidUpdate
 */
import * as vscode from 'vscode';
import {
  type ColumnChoice,
  type SettingName,
  type SettingsOverride,
  type StoredOverride,
  type TrainingSettings,
  choiceFromStorage,
  choosesColumns,
  describeInitialization,
  overrideFromStorage,
  overrideToStorage,
} from './engine';
import { liveTraining, trainingSettings, SECTION } from './config';
import { EditBatch } from './training/editBatch';
import type { DiskJobResult, DiskSource } from './training/fromDisk';
import type { JobResult } from './training/job';
import { TrainingClient } from './training/trainingClient';
import { now, trace, tracing } from './trace';

/** What the panel, hover, status bar and CodeLens show for one document. */
export interface Display {
  /** Entry of the trajectory on display. */
  epoch: number;
  /** Whether the display follows the last entry when a new run arrives. */
  followLatest: boolean;
  /** Sample (0-based) substituted in the derivation, or null. */
  selectedSample: number | null;
  playing: boolean;
}

/** How a file VS Code does not hand to extensions was read from disk (its last run). */
export interface FromDisk {
  encoding: DiskJobResult['encoding'];
  /** Whether the host read the bytes (a virtual workspace) rather than the worker from a path. */
  throughWorkspaceFs: boolean;
}

/**
 * One tracked document and its newest result. A file VS Code does not hand to extensions (over its
 * 50 MB limit) has no `document`: the worker reads it from disk, and it is trained again only when
 * "Train ReLU neuron" runs again (no live updates).
 */
export class TrackedDataset implements vscode.Disposable {
  result: JobResult | undefined;
  /** The document version the result was trained on. */
  resultVersion = -1;
  /** Increments with every result, so views can tell runs apart. */
  runId = 0;
  /** Whether a job is in flight. */
  training = false;
  /** When (performance.now(), ms) the newest job started; 'training' is announced only when training starts. */
  jobStartedAt = 0;
  readonly display: Display = { epoch: 0, followLatest: true, selectedSample: null, playing: false };
  /** Settings changed in the panel (kept across reloads); they override the file's and VS Code's. */
  overrides: SettingsOverride = {};
  /** The target and features chosen in the panel (kept across reloads); they win over the file's lines. */
  columns: ColumnChoice = {};
  /** Edits not yet sent to the worker (all of them, also while live training is off); one flush per turn. */
  readonly pendingEdits: EditBatch;
  /** `reluNeuron.*` for this document, read once until the configuration changes. */
  config: { base: TrainingSettings; live: boolean } | undefined;
  readonly client: TrainingClient;
  readonly document: vscode.TextDocument | undefined;
  readonly uri: vscode.Uri;
  /** Set once a run read the file from disk (only for datasets without a `document`). */
  fromDisk: FromDisk | undefined;

  constructor(
    source: vscode.TextDocument | vscode.Uri,
    workerPath: string,
    log: vscode.LogOutputChannel,
    /** Sends the edits of one event-loop turn (live training). */
    flush: (t: TrackedDataset) => void = () => undefined,
  ) {
    this.pendingEdits = new EditBatch(() => flush(this));
    this.document = source instanceof vscode.Uri ? undefined : source;
    this.uri = source instanceof vscode.Uri ? source : source.uri;
    this.client = new TrainingClient(workerPath, (m) => log.error(m), tracing ? (id) => trace('workerJob', { id }) : undefined);
  }

  /** Number of entries of the current trajectory (0 without one). */
  get entries(): number {
    return this.result?.trajectory?.length ?? 0;
  }

  /** The sample whose source line is `line` (0-based), or -1. */
  sampleAtLine(line: number): number {
    const lines = this.result?.dataset.sampleLines;
    if (!lines) return -1;
    let lo = 0;
    let hi = lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid] === line) return mid;
      if (lines[mid] < line) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Puts the display on `epoch` (clamped); stops following the latest unless it is the last. */
  seek(epoch: number): void {
    const last = Math.max(0, this.entries - 1);
    this.display.epoch = Math.min(Math.max(0, Math.round(epoch)), last);
    this.display.followLatest = this.display.epoch === last;
  }

  /**
   * What JSON (and so VS Code, when a command returns this to a caller in another process, e.g. the
   * command palette) sees: a summary. Without it the whole result, the dataset's samples included,
   * would be serialised: seconds of blocked extension host for a 500,000-row file.
   */
  toJSON(): { uri: string; runId: number; samples: number; training: boolean } {
    return { uri: this.uri.toString(), runId: this.runId, samples: this.result?.dataset.n ?? 0, training: this.training };
  }

  dispose(): void {
    this.pendingEdits.cancel();
    this.client.dispose();
  }
}

/** What changed about a tracked dataset. */
export type UpdateKind = 'training' | 'result' | 'display';

/** Tracks datasets, re-trains them as they change, and announces new results. */
export class DatasetTracker implements vscode.Disposable {
  private readonly tracked = new Map<string, TrackedDataset>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly updated = new vscode.EventEmitter<TrackedDataset>();
  private readonly changed = new vscode.EventEmitter<{ dataset: TrackedDataset; kind: UpdateKind }>();
  private readonly closed = new vscode.EventEmitter<vscode.Uri>();
  private readonly stateKey = 'trackedDatasets';
  private readonly overridesKey = 'panelSettings';

  /** A tracked dataset started training, has a new result, or its display changed. */
  readonly onDidUpdate = this.updated.event;
  /** The same, saying which of the three happened. */
  readonly onDidChange = this.changed.event;
  /** A tracked dataset stopped being tracked (closed or untracked). */
  readonly onDidClose = this.closed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.updated,
      this.changed,
      this.closed,
      vscode.workspace.onDidChangeTextDocument((e) => {
        const t = this.get(e.document.uri);
        if (!t || e.contentChanges.length === 0) return;
        if (tracing) trace('change', { version: e.document.version });
        for (const c of e.contentChanges) {
          t.pendingEdits.add({
            startLine: c.range.start.line,
            startCharacter: c.range.start.character,
            endLine: c.range.end.line,
            endCharacter: c.range.end.character,
            text: c.text,
          });
        }
        // The changes of this turn go as one job, after its other events.
        if (this.config(t).live) t.pendingEdits.request();
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const t = this.get(doc.uri);
        if (t && !this.config(t).live) void this.train(t);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.untrack(doc.uri, false)),
      // A file read from disk has no document to close: it stops being tracked with its last tab.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
          const t = uri && this.get(uri);
          if (!t || t.document) continue;
          const open = vscode.window.tabGroups.all.some((g) =>
            g.tabs.some((other) => other.input instanceof vscode.TabInputText && other.input.uri.toString() === t.uri.toString()),
          );
          if (!open) this.untrack(t.uri, false);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        for (const t of this.tracked.values()) {
          if (!e.affectsConfiguration(SECTION, t.uri)) continue;
          t.config = undefined;
          void this.train(t);
        }
      }),
    );
  }

  /** All tracked datasets. */
  all(): TrackedDataset[] {
    return [...this.tracked.values()];
  }

  get(uri: vscode.Uri): TrackedDataset | undefined {
    return this.tracked.get(uri.toString());
  }

  /**
   * Starts tracking `source` (if it is not yet) and trains it: a document, or the URI of a file VS Code
   * does not hand to extensions, which the worker reads from disk.
   */
  async track(source: vscode.TextDocument | vscode.Uri): Promise<TrackedDataset> {
    const uri = source instanceof vscode.Uri ? source : source.uri;
    let t = this.get(uri);
    if (!t) {
      t = new TrackedDataset(
        source,
        vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'trainingWorker.js').fsPath,
        this.log,
        (d) => void this.train(d),
      );
      const stored = this.storedOverrides()[uri.toString()];
      t.overrides = overrideFromStorage(stored);
      t.columns = choiceFromStorage(stored?.columns);
      this.tracked.set(uri.toString(), t);
      if (t.document) void this.remember();
    }
    await this.train(t);
    return t;
  }

  /** Stops tracking; `forget` also drops it from the list restored after a reload. */
  untrack(uri: vscode.Uri, forget = true): void {
    const t = this.get(uri);
    if (!t) return;
    this.tracked.delete(uri.toString());
    t.dispose();
    this.closed.fire(uri);
    if (forget) void this.remember();
  }

  /** Documents tracked before the last reload. */
  rememberedUris(): vscode.Uri[] {
    return this.context.workspaceState.get<string[]>(this.stateKey, []).map((s) => vscode.Uri.parse(s));
  }

  private remember(): Thenable<void> {
    const open = new Set(this.all().map((t) => t.uri.toString()));
    for (const s of this.context.workspaceState.get<string[]>(this.stateKey, [])) {
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === s)) open.add(s);
    }
    return this.context.workspaceState.update(this.stateKey, [...open].slice(-20));
  }

  /**
   * Changes the panel's settings for `t` ('reset': back to the file's and VS Code's, columns too), keeps
   * them for the next session, and re-trains. A key set to `undefined` is forgotten; `columns`, when
   * given, replaces the panel's column choice.
   */
  setOverrides(t: TrackedDataset, change: SettingsOverride | 'reset', columns?: ColumnChoice): Promise<void> {
    t.overrides = change === 'reset' ? {} : { ...t.overrides, ...change };
    for (const key of Object.keys(t.overrides) as SettingName[]) if (t.overrides[key] === undefined) delete t.overrides[key];
    if (change === 'reset') t.columns = {};
    else if (columns) t.columns = columns;
    const all = { ...this.storedOverrides() };
    if (Object.keys(t.overrides).length === 0 && !choosesColumns(t.columns)) delete all[t.uri.toString()];
    else all[t.uri.toString()] = { ...overrideToStorage(t.overrides), ...(choosesColumns(t.columns) ? { columns: t.columns } : {}) };
    void this.context.workspaceState.update(this.overridesKey, all);
    return this.train(t);
  }

  private storedOverrides(): Record<string, StoredOverride & { columns?: unknown }> {
    const stored = this.context.workspaceState.get<unknown>(this.overridesKey);
    return typeof stored === 'object' && stored !== null ? (stored as Record<string, StoredOverride & { columns?: unknown }>) : {};
  }

  /** `reluNeuron.*` for `t`, from its cache (emptied when the configuration changes). */
  private config(t: TrackedDataset): { base: TrainingSettings; live: boolean } {
    return (t.config ??= { base: trainingSettings(t.uri), live: liveTraining(t.uri) });
  }

  /** Re-trains `t` on its document's current text; resolves when this (or a newer) run is in. */
  async train(t: TrackedDataset): Promise<void> {
    // Announced once per stretch of training, not per job: the status bar reads jobStartedAt.
    t.jobStartedAt = performance.now();
    if (!t.training) {
      t.training = true;
      this.announce(t, 'training');
    }
    const document = t.document;
    if (!document) return this.trainFromDisk(t);
    const edits = t.pendingEdits.take();
    const sentVersion = document.version;
    if (tracing) trace('jobSent', { version: sentVersion, edits: edits.length });
    const result = await t.client.run({
      edits,
      lineCount: document.lineCount,
      version: document.version,
      snapshot: () => {
        t.pendingEdits.take(); // the whole text includes them
        const s0 = tracing ? now() : 0;
        const text = document.getText();
        trace('snapshot', { version: document.version, chars: text.length, ms: tracing ? now() - s0 : 0 });
        return { text, lineCount: document.lineCount, version: document.version };
      },
      base: this.config(t).base,
      overrides: t.overrides,
      columns: t.columns,
    });
    if (tracing)
      trace('jobDone', {
        version: sentVersion,
        ok: !!result,
        resultVersion: result?.version,
        parseMs: result?.timing.parseMs,
        trainMs: result?.timing.trainMs,
      });
    if (!result || !this.tracked.has(t.uri.toString())) return; // superseded or untracked
    this.accept(t, result);
  }

  /**
   * Trains `t`, a file without a document, on the file as it is on disk: the worker streams it from
   * its path; in a virtual workspace (a scheme other than `file`) the worker has no path to read, so
   * the host reads the bytes through `vscode.workspace.fs.readFile` and hands them over.
   */
  private async trainFromDisk(t: TrackedDataset): Promise<void> {
    const throughWorkspaceFs = t.uri.scheme !== 'file';
    let result: DiskJobResult | null;
    try {
      const source: DiskSource = throughWorkspaceFs ? { bytes: await vscode.workspace.fs.readFile(t.uri) } : { path: t.uri.fsPath };
      trace('diskJobSent', { throughWorkspaceFs });
      result = await t.client.runFromDisk({
        source,
        version: t.resultVersion + 1,
        base: this.config(t).base,
        overrides: t.overrides,
        ...(choosesColumns(t.columns) ? { choice: t.columns } : {}),
      });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.log.error(`${t.uri.toString(true)}: ${reason}`);
      t.training = false;
      this.announce(t, 'result');
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}', t.uri.path.split('/').pop() ?? '', reason));
      return;
    }
    trace('diskJobDone', { ok: !!result, parseMs: result?.timing.parseMs, trainMs: result?.timing.trainMs });
    if (!result || !this.tracked.has(t.uri.toString())) return; // superseded or untracked
    t.fromDisk = { encoding: result.encoding, throughWorkspaceFs };
    this.accept(t, result);
  }

  /** Makes `result` the newest of `t`, keeps the display on a valid epoch and sample, and announces it. */
  private accept(t: TrackedDataset, result: JobResult): void {
    t.training = false;
    t.result = result;
    t.resultVersion = result.version;
    t.runId += 1;
    const entries = result.trajectory?.length ?? 0;
    if (t.display.followLatest || t.display.epoch >= entries) t.display.epoch = Math.max(0, entries - 1);
    t.display.followLatest = t.display.followLatest || t.display.epoch === entries - 1;
    if (t.display.selectedSample !== null && t.display.selectedSample >= result.dataset.n) t.display.selectedSample = null;
    this.log.debug(
      `${t.uri.toString(true)}: ${result.dataset.n} samples, ${result.dataset.skippedRows} skipped, ` +
        `lr ${result.settings.learningRate}, ${result.settings.epochs} epochs, init ${describeInitialization(result.settings.initialization)}, ` +
        `parse ${result.timing.parseMs.toFixed(1)} ms, train ${result.timing.trainMs.toFixed(1)} ms` +
        (result.stopped ? `, stopped at epoch ${result.stopped.epoch} (${result.stopped.reason})` : ''),
    );
    this.announce(t, 'result');
  }

  /** Announces a display change (epoch, selected sample, playback) of `t`. */
  displayChanged(t: TrackedDataset): void {
    this.announce(t, 'display');
  }

  private announce(dataset: TrackedDataset, kind: UpdateKind): void {
    const a0 = tracing ? now() : 0;
    this.changed.fire({ dataset, kind });
    this.updated.fire(dataset);
    if (tracing) trace('announced', { kind, runId: dataset.runId, ms: now() - a0 });
  }

  dispose(): void {
    for (const t of this.tracked.values()) t.dispose();
    this.tracked.clear();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
