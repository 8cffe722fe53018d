/**
 * The explorer panel beside the editor. The host owns the truth (the tracked dataset and what is on
 * display); this class sends it to the webview as typed messages and applies the view's validated
 * requests. One panel, showing the dataset last trained or focused. Its page and CSP are in
 * panelHtml.ts, its playback timer in playback.ts.
 */
import * as vscode from 'vscode';
import {
  type DerivationStepId,
  MESSAGES,
  STEP_TITLES,
  type SettingName,
  describeInitialization,
  nextColumnChoice,
  parseSettingOverride,
} from '../engine';
import type { DatasetTracker, FromDisk, TrackedDataset } from '../datasetTracker';
import { applyStopFix } from '../stopNotifications';
import type {
  EpochMessage,
  HostToView,
  RowsMessage,
  RunColumns,
  RunSettings,
  SortKey,
  TrainedMessage,
  ViewState,
} from '../shared/protocol';
import { skippedCauses } from '../shared/protocol';
import { needsReadingFromDisk } from '../largeFiles';
import { parseViewMessage } from '../shared/validate';
import { translate, stepTitle } from '../l10n';
import { VIEW_STRINGS } from '../shared/viewStrings';
import { now, trace, tracing } from '../trace';
import { panelHtml, panelOptions } from './panelHtml';
import { Playback, type PlaybackAction } from './playback';
import { type GateEvent, OPEN_GATE, type PostGate, gateRecheckIn, gateStep } from './postGate';
import {
  type Probe,
  type SampleColumns,
  FitLedger,
  epochMessage,
  gradientCheckAt,
  lossSlice,
  lossSurface,
  messageBytes,
  pointAt,
  probePoint,
  rowsPage,
  sampleColumns,
  seriesOf,
  sortedOrder,
} from './viewModel';

export const VIEW_TYPE = 'reluNeuron.explorer';

/** What the panel says about a file read from disk: no live updates, and its encoding if not UTF-8. */
export function fromDiskNotes(fromDisk: FromDisk): string[] {
  const notes = [
    vscode.l10n.t(
      'Live updates are off for this file: VS Code does not hand files over 50 MB to extensions, so it was read from disk. Run "Train ReLU neuron" again after saving a change.',
    ),
  ];
  if (fromDisk.encoding === 'windows-1251') notes.push(translate(MESSAGES.readAsWindows1251, []));
  return notes;
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString(true);
}

/** The table's page and order, remembered so a new epoch or run re-sends the same page. */
interface RowsRequestState {
  offset: number;
  count: number;
  sort: SortKey;
  descending: boolean;
}

export class ExplorerPanel implements vscode.Disposable {
  private static current: ExplorerPanel | undefined;

  private dataset: TrackedDataset | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private sentRunId = -1;
  /** The `seq` of the view's last `selectSample` (0 until it chooses; a reloaded view starts again). */
  private selectionSeq = 0;
  private rowsRequest: RowsRequestState = { offset: 0, count: 100, sort: 'index', descending: false };
  private columnsCache: { key: string; cols: SampleColumns; orders: Map<string, Int32Array> } | undefined;
  private readonly player: Playback;
  /** The run whose series the view has (they go only to the Trajectories tab). */
  private seriesRunId = -1;
  /** The view's tab on screen: rows go only to Gradients, fit data only to Fit, the graph only to Graph, series only to Trajectories. */
  private tab: ViewState['tab'] = 'derivation';
  /** One run on its way to the view at a time; the newest waits for it (postGate.ts). */
  private gate: PostGate = OPEN_GATE;
  private gateTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** A probe placed on the loss surface, shown instead of the epoch until the student leaves it. */
  private probe: Probe | null = null;
  /** Which run's full fit the view holds: its epochs and probes then send only what changes (`fitChange`). */
  private readonly fit = new FitLedger();

  /** Shows the panel for `t`, creating it beside the editor if there is none. */
  static show(context: vscode.ExtensionContext, tracker: DatasetTracker, t: TrackedDataset, preserveFocus = true): ExplorerPanel {
    if (ExplorerPanel.current) {
      ExplorerPanel.current.attach(t);
      ExplorerPanel.current.panel.reveal(undefined, preserveFocus);
      return ExplorerPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      vscode.l10n.t('ReLU neuron'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      panelOptions(context.extensionUri),
    );
    ExplorerPanel.current = new ExplorerPanel(panel, context, tracker, t);
    trace('panelCreated');
    return ExplorerPanel.current;
  }

  /** Restores a panel VS Code kept across a reload. */
  static revive(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    tracker: DatasetTracker,
    t: TrackedDataset | undefined,
  ): ExplorerPanel {
    panel.webview.options = panelOptions(context.extensionUri);
    ExplorerPanel.current?.dispose();
    ExplorerPanel.current = new ExplorerPanel(panel, context, tracker, t);
    return ExplorerPanel.current;
  }

  /** The panel on screen, if any. */
  static get instance(): ExplorerPanel | undefined {
    return ExplorerPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly tracker: DatasetTracker,
    t: TrackedDataset | undefined,
  ) {
    this.dataset = t;
    this.player = new Playback(tracker, () => this.dataset);
    void vscode.commands.executeCommand('setContext', 'reluNeuron.panelOpen', true);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.webview.html = panelHtml(panel.webview, context.extensionUri);
    this.updateTitle();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          this.ready = false;
          this.fit.forget();
        }
      }),
      tracker.onDidChange(({ dataset, kind }) => {
        if (dataset === this.dataset) {
          if (kind !== 'training') this.refresh();
          return;
        }
        // The panel follows the active editor to its dataset; one tracked while its editor is already
        // active (after a reload, editors come back before their datasets are tracked again) had no
        // editor change to follow: its first run is the moment.
        const active = vscode.window.activeTextEditor?.document;
        if (kind === 'result' && dataset.runId === 1 && active !== undefined && active === dataset.document) this.attach(dataset);
      }),
      tracker.onDidClose((uri) => {
        if (this.dataset?.uri.toString() === uri.toString()) {
          this.player.stop();
          this.dataset = undefined;
          this.post({
            type: 'datasetInvalid',
            fileName: fileName(uri),
            reasons: [vscode.l10n.t('The dataset was closed. Open a CSV file and run "Train ReLU neuron".')],
            problemCount: 0,
          });
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        const t = this.dataset;
        if (!t || e.textEditor.document !== t.document || e.kind === vscode.TextEditorSelectionChangeKind.Command) return;
        const index = t.sampleAtLine(e.selections[0].active.line);
        if (index >= 0 && index !== t.display.selectedSample) {
          t.display.selectedSample = index;
          this.tracker.displayChanged(t);
        }
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const t = editor && this.tracker.get(editor.document.uri);
        if (t && t !== this.dataset) this.attach(t);
      }),
    );
  }

  /** The dataset on display. */
  get shown(): TrackedDataset | undefined {
    return this.dataset;
  }

  /** Switches the panel to `t`. */
  attach(t: TrackedDataset): void {
    if (this.dataset === t) return;
    this.player.stop();
    this.dataset = t;
    this.probe = null;
    this.sentRunId = -1;
    this.fit.forget();
    this.gate = OPEN_GATE;
    this.columnsCache = undefined;
    this.updateTitle();
    this.refresh();
  }

  private updateTitle(): void {
    this.panel.title = this.dataset ? vscode.l10n.t('ReLU neuron: {0}', fileName(this.dataset.uri)) : vscode.l10n.t('ReLU neuron');
  }

  /** Posts `message`; the promise settles once the workbench handed it to the view's frame (false: no view). */
  private post(message: HostToView): Thenable<boolean> | undefined {
    if (!this.ready) return undefined;
    this.fit.posted(message);
    if (!tracing) return this.panel.webview.postMessage(message);
    const runId = 'runId' in message ? message.runId : undefined;
    const bytes = messageBytes(message);
    trace('post', { type: message.type, runId, bytes });
    const delivery = this.panel.webview.postMessage(message);
    delivery.then(
      () => trace('posted', { type: message.type, runId }),
      () => undefined,
    );
    return delivery;
  }

  /** Sends whatever changed since the view last heard: a new run, or just the display. */
  private refresh(): void {
    const t = this.dataset;
    if (!this.ready || !t?.result) return;
    const r0 = tracing ? now() : 0;
    // A new run goes out as one message with its epoch on display (when the view took in the last
    // one); otherwise only the epoch.
    if (t.runId !== this.sentRunId) {
      if (t.result.trajectory) this.gateEvent({ type: 'run', runId: t.runId, now: Date.now() });
      else this.sendRun(t);
    } else this.sendEpoch(t);
    if (tracing) trace('refreshed', { runId: t.runId, ms: now() - r0 });
  }

  /** Steps the gate; posts the newest run if it says so, and looks again when a waiting run is due. */
  private gateEvent(event: GateEvent): void {
    const d = gateStep(this.gate, event);
    this.gate = d.gate;
    if (d.post !== null) {
      const t = this.dataset;
      if (this.ready && t?.result?.trajectory && t.runId !== this.sentRunId) {
        const runId = t.runId;
        const delivered = (ok: boolean) => {
          if (!this.disposed) this.gateEvent({ type: 'delivered', runId, ok, now: Date.now() });
        };
        this.sendRun(t)?.then(delivered, () => delivered(false));
      } else this.gate = OPEN_GATE; // nothing went: nothing to wait for
    }
    clearTimeout(this.gateTimer);
    const wait = gateRecheckIn(this.gate, event.now);
    this.gateTimer = wait === null ? undefined : setTimeout(() => this.gateEvent({ type: 'tick', now: Date.now() }), wait);
  }

  /** Posts `t`'s run; for a trained run, the `trained` message's delivery. */
  private sendRun(t: TrackedDataset): Thenable<boolean> | undefined {
    const r = t.result!;
    this.sentRunId = t.runId;
    this.fit.forget(); // a run (re)sent goes with its full fit
    this.columnsCache = undefined;
    const problemCount = r.dataset.problems.length;
    if (!r.trajectory) {
      const errors = r.dataset.problems.filter((p) => p.severity === 'error');
      this.post({
        type: 'datasetInvalid',
        fileName: fileName(t.uri),
        reasons: (errors.length > 0 ? errors : r.dataset.problems)
          .slice(0, 5)
          .map((p) => `${vscode.l10n.t('Line {0}', p.line)}: ${translate(p.template, p.args)}`)
          .concat(t.fromDisk ? fromDiskNotes(t.fromDisk) : []),
        problemCount,
      });
      return undefined;
    }
    const fromFile = (Object.keys(r.dataset.settings) as RunSettings['fromFile']).filter((k) => !(k in t.overrides));
    const message: TrainedMessage = {
      type: 'trained',
      runId: t.runId,
      fileName: fileName(t.uri),
      documentUri: t.uri.toString(),
      features: r.dataset.features,
      target: r.dataset.target,
      samples: r.dataset.n,
      skippedRows: r.dataset.skippedRows,
      skippedByCause: skippedCauses(r.dataset.skippedByCause),
      imputedRows: r.dataset.imputedRows,
      columns: this.columnsOf(t),
      problemCount,
      settings: {
        learningRate: r.settings.learningRate,
        epochs: r.settings.epochs,
        initialization: describeInitialization(r.settings.initialization),
        reluGradAtZero: r.settings.reluGradAtZero,
        scale: r.settings.scale,
        fromFile,
        fromPanel: Object.keys(t.overrides) as RunSettings['fromPanel'],
      },
      entries: r.trajectory.length,
      series: this.tab === 'trajectories' ? seriesOf(r.trajectory) : null,
      lossEnds: r.trajectory.length > 0 ? [r.trajectory.loss[0], r.trajectory.loss[r.trajectory.length - 1]] : null,
      stopped: r.stopped && {
        reason: r.stopped.reason,
        epoch: r.stopped.epoch,
        message: translate(r.stopped.template, r.stopped.args),
        suggestedLearningRate: r.stopped.suggestedLearningRate,
        scalingAdvised: r.stopped.scalingAdvised,
      },
      timing: r.timing,
      ...(t.fromDisk ? { notes: fromDiskNotes(t.fromDisk) } : {}),
      epoch: this.epochOf(t),
    };
    this.seriesRunId = message.series ? t.runId : -1;
    const delivery = this.post(message);
    if (message.epoch && this.tab === 'gradients') this.sendRows(t);
    return delivery;
  }

  /** The file's columns and their roles in the run, and which the file's lines and this panel chose. */
  private columnsOf(t: TrackedDataset): RunColumns | null {
    const schema = t.result?.dataset.schema;
    if (!schema) return null;
    // The worker noted which roles the file's lines name (no scan of the text here, per run).
    const fromFile: RunColumns['fromFile'] = [];
    if (t.columns.target === undefined && schema.roleLines.target) fromFile.push('target');
    if (t.columns.features === undefined && schema.roleLines.features) fromFile.push('features');
    const fromPanel: RunColumns['fromPanel'] = [];
    if (t.columns.target !== undefined) fromPanel.push('target');
    if (t.columns.features !== undefined) fromPanel.push('features');
    return { names: schema.columns, roles: schema.roles, fromFile, fromPanel };
  }

  /** The `epoch` message for the epoch on display, or null without one. */
  private epochOf(t: TrackedDataset): EpochMessage | null {
    const r = t.result;
    if (!r?.trajectory || r.trajectory.length === 0) return null;
    return epochMessage({
      result: r,
      runId: t.runId,
      epoch: t.display.epoch,
      selectedSample: t.display.selectedSample,
      playing: t.display.playing,
      withFit: this.tab === 'fit',
      withGraph: this.tab === 'graph',
      selectionSeq: this.selectionSeq,
      probe: this.probeFor(t),
      fitHeld: this.fit.holds(t.runId),
    });
  }

  /** The probe, while it fits the run on display (as many weights as features). */
  private probeFor(t: TrackedDataset): Probe | null {
    return this.probe && this.probe.w.length === t.result?.dataset.d ? this.probe : null;
  }

  private sendEpoch(t: TrackedDataset): void {
    const m = this.epochOf(t);
    if (!m) return;
    this.post(m);
    if (this.tab === 'gradients') this.sendRows(t);
  }

  private sendRows(t: TrackedDataset): void {
    const r = t.result;
    if (!r?.trajectory) return;
    const { offset, count, sort, descending } = this.rowsRequest;
    const epoch = t.display.epoch;
    // At the probe while there is one: u_i, z_i, r_i, a_i and the shares at the probe's θ.
    const probe = this.probeFor(t);
    const theta = probe && [...Array.from(probe.w), probe.b];
    const key = `${t.runId}:${epoch}:${theta ? theta.join(',') : ''}`;
    if (this.columnsCache?.key !== key) {
      const p = probe ? probePoint(r, epoch, probe) : pointAt(r, epoch);
      this.columnsCache = { key, cols: sampleColumns(r.samples, p.w, p.b, p.gradW, p.gradB, p.reluGradAtZero), orders: new Map() };
    }
    const cache = this.columnsCache;
    const orderKey = `${sort}:${descending}`;
    let order = cache.orders.get(orderKey);
    if (!order) {
      order = sortedOrder(r.dataset, cache.cols, sort, descending);
      cache.orders.set(orderKey, order);
    }
    const page: RowsMessage = rowsPage({
      result: r,
      runId: t.runId,
      epoch,
      cols: cache.cols,
      order,
      offset: Math.min(offset, r.dataset.n),
      count,
      sort,
      descending,
      selected: t.display.selectedSample,
      probe: theta,
    });
    this.post(page);
  }

  private receive(raw: unknown): void {
    const m = parseViewMessage(raw, this.dataset?.result?.dataset.schema?.columns);
    if (!m) return; // unknown or malformed: ignored
    trace('viewSaid', { type: m.type });
    // Counted even when there is nothing to choose from, so that later messages echo it.
    if (m.type === 'selectSample') this.selectionSeq = Math.max(this.selectionSeq, m.seq);
    const t = this.dataset;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sentRunId = -1;
        this.fit.forget();
        this.gate = OPEN_GATE;
        this.selectionSeq = 0;
        this.post({ type: 'strings', locale: vscode.env.language, strings: this.strings() });
        if (!t) {
          this.post({
            type: 'datasetInvalid',
            fileName: '',
            reasons: [vscode.l10n.t('No dataset is being trained. Open a CSV file and run "Train ReLU neuron".')],
            problemCount: 0,
          });
        }
        this.refresh();
        return;
      case 'showProblems':
        void vscode.commands.executeCommand('workbench.actions.view.problems');
        return;
      case 'runShown':
        this.gateEvent({ type: 'shown', runId: m.runId, now: Date.now() });
        return;
      case 'requestFit':
        this.fit.forget();
        if (t?.result?.trajectory && this.sentRunId === t.runId && this.tab === 'fit') this.sendEpoch(t);
        return;
      case 'showTab': {
        const before = this.tab;
        this.tab = m.tab;
        if (before !== m.tab) this.fit.forget(); // the Fit tab gets the full fit each time it opens
        if (t?.result?.trajectory && before !== m.tab && (m.tab === 'fit' || m.tab === 'gradients' || m.tab === 'graph')) this.sendEpoch(t);
        if (t?.result?.trajectory && m.tab === 'trajectories' && this.sentRunId === t.runId && this.seriesRunId !== t.runId) {
          this.seriesRunId = t.runId;
          this.post({ type: 'series', runId: t.runId, series: seriesOf(t.result.trajectory) });
        }
        return;
      }
    }
    if (!t?.result?.trajectory) return;
    switch (m.type) {
      case 'seekEpoch':
        this.probe = null;
        this.player.stop();
        t.seek(m.epoch);
        this.tracker.displayChanged(t);
        return;
      case 'selectSample':
        t.display.selectedSample = m.index !== null && m.index < t.result.dataset.n ? m.index : null;
        this.tracker.displayChanged(t);
        return;
      case 'revealSample':
        if (m.index < t.result.dataset.n) void this.reveal(t, m.index);
        return;
      case 'requestRows':
        this.rowsRequest = { offset: m.offset, count: m.count, sort: m.sort, descending: m.descending };
        this.sendRows(t);
        return;
      case 'requestSurface':
      case 'requestSlice': {
        const r = t.result;
        if (r.dataset.d === 1) {
          this.post({ type: 'surface', runId: t.runId, surface: lossSurface(r) });
          return;
        }
        // A slice through the point on display (the probe's, while there is one), by default along w1, w2.
        const probe = this.probeFor(t);
        const p = probe ?? pointAt(r, t.display.epoch);
        const theta = [...Array.from(p.w), p.b];
        this.post({ type: 'surface', runId: t.runId, surface: lossSlice(r, theta, m.type === 'requestSlice' ? m.axes : [0, 1]) });
        return;
      }
      case 'checkGradient':
        this.post(gradientCheckAt(t.result, t.runId, t.display.epoch, this.probeFor(t)));
        return;
      case 'probe':
        this.probe = m.theta && { w: m.theta.slice(0, -1), b: m.theta[m.theta.length - 1] };
        this.sendEpoch(t);
        return;
      case 'setSetting':
        this.probe = null;
        this.applySetting(t, m.key, m.value);
        return;
      case 'setColumns': {
        // A new target leaves the features the file's lines chose without it, as it does the panel's.
        const schema = t.result.dataset.schema;
        const fileFeatures = schema?.roleLines.features ? schema.featureColumns.map((k) => schema.columns[k]) : undefined;
        void this.tracker.setOverrides(t, {}, nextColumnChoice(t.columns, m, fileFeatures));
        return;
      }
      case 'stopFix':
        void applyStopFix(this.tracker, t, m.fix);
        return;
      case 'resetSettings':
        this.probe = null;
        void this.tracker.setOverrides(t, 'reset');
        return;
      case 'playback':
        this.playback(m.action);
        return;
    }
  }

  /** The view's words in the display language. */
  private strings(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of VIEW_STRINGS) out[s] = vscode.l10n.t(s);
    for (const id of Object.keys(STEP_TITLES) as DerivationStepId[]) out[`step:${id}`] = stepTitle(id);
    return out;
  }

  private async reveal(t: TrackedDataset, index: number): Promise<void> {
    const line = t.result!.dataset.sampleLines[index];
    if (!t.document) {
      // A file VS Code does not hand to extensions: its editor opens at the line, without a TextEditor here.
      const at = new vscode.Range(line, 0, line, 0);
      await vscode.commands.executeCommand('vscode.open', t.uri, { selection: at, preserveFocus: false });
      t.display.selectedSample = index;
      this.tracker.displayChanged(t);
      return;
    }
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === t.document);
    const editor = await vscode.window.showTextDocument(t.document, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
    });
    const range = t.document.lineAt(line).range;
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    t.display.selectedSample = index;
    this.tracker.displayChanged(t);
  }

  private applySetting(t: TrackedDataset, name: SettingName, value: string): void {
    const parsed = parseSettingOverride(name, value, t.result!.dataset.d);
    if (!parsed.ok) {
      void vscode.window.showWarningMessage(translate(parsed.message, parsed.args));
      this.sentRunId = -1; // re-send the run so the control shows the value in force
      this.refresh();
      return;
    }
    void this.tracker.setOverrides(t, parsed.value);
  }

  /** Play, pause, step or reset the epoch on display. */
  playback(action: PlaybackAction): void {
    this.probe = null; // playing moves along the trajectory
    this.player.apply(action);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.gateTimer);
    this.player.dispose();
    if (ExplorerPanel.current === this) {
      ExplorerPanel.current = undefined;
      void vscode.commands.executeCommand('setContext', 'reluNeuron.panelOpen', false);
    }
    this.panel.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
    this.disposables.length = 0;
  }
}

/** Restores the panel after a reload, re-attaching the document named in the view's saved state. */
export function registerSerializer(context: vscode.ExtensionContext, tracker: DatasetTracker): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ViewState | undefined) {
      let t: TrackedDataset | undefined;
      const uri = typeof state?.documentUri === 'string' ? vscode.Uri.parse(state.documentUri) : tracker.rememberedUris()[0];
      if (uri) {
        try {
          // A file VS Code does not hand to extensions is read from disk again (no document to open).
          t = await tracker.track((await needsReadingFromDisk(uri)) ? uri : await vscode.workspace.openTextDocument(uri));
        } catch {
          t = undefined;
        }
      }
      ExplorerPanel.revive(panel, context, tracker, t);
    },
  });
}
