/**
 * The explorer webview: builds the panel inside #root, renders what the host sends (see
 * src/shared/protocol.ts) and sends the student's requests back. The host owns the training state;
 * the view keeps only its place (tab, epoch, sample, order, scroll) in ViewState.
 */
import 'katex/dist/katex.min.css';
import 'uplot/dist/uPlot.min.css';
import '../media/explorer.css';
import type { DatasetInvalidMessage, EpochMessage, HostToView, TrainedMessage, ViewState } from '../src/shared/protocol';
import { h, replaceChildren, setText } from './dom';
import { DerivationView } from './derivationView';
import { FitPlot } from './fitView';
import { GradientsView } from './gradientsView';
import { Header } from './header';
import { setStrings, t } from './i18n';
import { TrajectoryCharts } from './charts';
import { reconcile, sameViewState, withShownEpoch } from './state';
import { StatusArea } from './status';
import { SurfaceView } from './surface';
import { SampleTable } from './table';
import { onThemeChange } from './theme';
import { makeTabs, registerToolkit, type TabsHandle } from './toolkit';
import { loadState, onHostMessage, post, saveState } from './vscodeApi';
import { vtrace, vtracing } from './trace';
import { whenIdle } from './idle';

type Tab = ViewState['tab'];

/** The longest the derivation and charts wait for an idle moment after the header shows a new epoch. */
const REST_WAIT_MS = 100;

interface Ui {
  header: Header;
  status: StatusArea;
  tabs: TabsHandle<Tab>;
  derivation: DerivationView;
  table: SampleTable;
  gradients: GradientsView;
  charts: TrajectoryCharts;
  fit: FitPlot;
  surface: SurfaceView;
  main: HTMLElement;
  waiting: HTMLElement;
  footer: HTMLElement;
}

class App {
  private state: ViewState = loadState();
  private trained: TrainedMessage | null = null;
  private invalid: DatasetInvalidMessage | null = null;
  private epoch: EpochMessage | null = null;
  /** The run whose first `epoch` still has to be reconciled with the saved place. */
  private reconcileRun: number | null = null;
  private surfaceRun: number | null = null;
  private derivationDirty = true;
  private saveTimer: number | undefined;
  /** Whether the first epoch after a reload is still to be shown (then the page scroll is restored). */
  private firstRender = true;
  /** A seek sent to restore the student's epoch: other epochs are not drawn until it is answered. */
  private seekTarget: number | null = null;
  private seekTimer: number | undefined;
  /** The view's `selectSample` requests so far: the `seq` of the last one (see `EpochMessage.selectionSeq`). */
  private selectionsSent = 0;
  /** The newest epoch whose heavier parts are still to draw, and whether a frame is booked for it. */
  private restPending: EpochMessage | null = null;
  private restScheduled = false;
  private ui!: Ui;

  constructor(private readonly root: HTMLElement) {
    this.build();
    onHostMessage((msg) => this.onMessage(msg));
    window.addEventListener('scroll', () => this.update({ pageScrollTop: Math.round(window.scrollY) }, 250), { passive: true });
    onThemeChange(() => {
      this.ui.charts.retheme();
      this.ui.fit.retheme();
      this.ui.surface.retheme();
    });
    post({ type: 'ready' });
    post({ type: 'showTab', tab: this.state.tab });
  }

  /** Builds the whole panel (again after the strings arrive, then replays what it had). */
  private build(): void {
    this.ui?.derivation.clear();
    const header = new Header({
      seek: (epoch) => post({ type: 'seekEpoch', epoch }),
      playback: (action) => post({ type: 'playback', action }),
      setSetting: (key, value) => post({ type: 'setSetting', key, value }),
      resetSettings: () => post({ type: 'resetSettings' }),
    });
    const status = new StatusArea({
      showProblems: () => post({ type: 'showProblems' }),
      useLearningRate: (rate) => post({ type: 'setSetting', key: 'learningRate', value: String(rate) }),
    });
    const choose = (index: number | null) => this.selectSample(index);
    const derivation = new DerivationView({ selectSample: choose });
    const table = new SampleTable(
      {
        request: (offset, count, sort, descending) => post({ type: 'requestRows', offset, count, sort, descending }),
        choose: (index) => {
          this.selectSample(index);
          post({ type: 'revealSample', index });
        },
        orderChanged: (sort, descending) => this.update({ sort, descending, scrollTop: 0 }),
        scrolled: (scrollTop) => this.update({ scrollTop }, 250),
      },
      this.state.sort,
      this.state.descending,
    );
    const gradients = new GradientsView(table);
    const charts = new TrajectoryCharts(
      { logScaleChanged: (logScale) => this.update({ logScale }), seek: (epoch) => post({ type: 'seekEpoch', epoch }) },
      this.state.logScale,
    );
    const fit = new FitPlot({ selectSample: (index) => this.selectSample(index) });
    const surface = new SurfaceView();
    const tabs = makeTabs<Tab>(
      [
        { id: 'derivation', label: t('Derivation') },
        { id: 'gradients', label: t('Gradients') },
        { id: 'trajectories', label: t('Trajectories') },
        { id: 'fit', label: t('Fit') },
      ],
      this.state.tab,
      (tab) => this.showTab(tab),
    );
    tabs.views.derivation.appendChild(derivation.el);
    tabs.views.gradients.appendChild(gradients.el);
    tabs.views.trajectories.appendChild(charts.el);
    tabs.views.fit.append(
      h('h2', { className: 'section-title', text: t('Data and the neuron') }),
      fit.el,
      h('h2', { className: 'section-title', text: t('Loss surface l(w, b) and the descent path') }),
      surface.el,
    );
    const waiting = h('p', { className: 'waiting', text: t('Waiting for the dataset…') });
    const main = h('main', { className: 'tabs-host' }, tabs.el);
    main.hidden = true;
    const footer = h('footer', { className: 'footer' });
    replaceChildren(this.root, header.el, header.controls, status.el, status.live, waiting, main, footer);
    this.ui = { header, status, tabs, derivation, table, gradients, charts, fit, surface, main, waiting, footer };
    if (this.state.scrollTop > 0) table.restoreScroll(this.state.scrollTop);
    this.applyVisibility();
  }

  private onMessage(msg: HostToView): void {
    if (!vtracing()) {
      this.handle(msg);
      return;
    }
    const runId = 'runId' in msg ? msg.runId : undefined;
    vtrace('msg', { type: msg.type, runId, withEpoch: msg.type === 'trained' && msg.epoch !== null });
    this.handle(msg);
    vtrace('handled', { type: msg.type, runId });
    requestAnimationFrame(() => setTimeout(() => vtrace('painted', { type: msg.type, runId })));
  }

  private handle(msg: HostToView): void {
    switch (msg.type) {
      case 'strings':
        setStrings(msg.locale, msg.strings);
        document.documentElement.lang = msg.locale;
        this.build();
        this.replay();
        break;
      case 'trained':
        this.onTrained(msg);
        if (msg.epoch) this.onEpoch(msg.epoch);
        break;
      case 'datasetInvalid':
        this.onInvalid(msg);
        break;
      case 'epoch':
        this.onEpoch(msg);
        break;
      case 'rows':
        if (this.trained && msg.runId === this.trained.runId) this.ui.table.receive(msg);
        break;
      case 'surface':
        if (this.trained && msg.runId === this.trained.runId) {
          this.surfaceRun = msg.runId;
          this.ui.surface.setSurface(msg.surface, t('The loss surface l(w, b) is drawn for one feature only.'));
        }
        break;
    }
  }

  /** After a rebuild: show the last messages again. */
  private replay(): void {
    const { trained, invalid, epoch } = this;
    if (invalid) this.onInvalid(invalid);
    if (trained) {
      const reconcileRun = this.reconcileRun;
      this.onTrained(trained);
      this.reconcileRun = reconcileRun;
    }
    if (epoch) this.onEpoch(epoch);
  }

  private onTrained(msg: TrainedMessage): void {
    const newRun = this.trained?.runId !== msg.runId;
    this.trained = msg;
    this.invalid = null;
    if (newRun) {
      this.reconcileRun = msg.runId;
      this.surfaceRun = null;
    }
    const ui = this.ui;
    ui.header.showTrained(msg);
    ui.status.showTrained(msg);
    ui.table.setRun(msg.runId, msg.epoch?.epoch ?? this.epoch?.epoch ?? 0, msg.samples, msg.features.length);
    ui.charts.setSeries(msg.series);
    ui.fit.setNames(msg.features[0] ?? 'x', msg.target);
    if (ui.main.hidden) {
      ui.main.hidden = false;
      ui.tabs.refresh();
    }
    ui.main.classList.remove('stale');
    ui.waiting.hidden = true;
    setText(ui.footer, t('Parsed in {0} ms, trained in {1} ms.', Math.round(msg.timing.parseMs), Math.round(msg.timing.trainMs)));
    if (msg.documentUri) this.update({ documentUri: msg.documentUri });
    this.derivationDirty = true;
    this.applyVisibility();
  }

  private onInvalid(msg: DatasetInvalidMessage): void {
    this.invalid = msg;
    const ui = this.ui;
    ui.header.showInvalid(msg);
    ui.status.showInvalid(msg);
    ui.waiting.hidden = true;
    // Keep the last run in sight (dimmed) while the student fixes the file.
    if (this.trained) ui.main.classList.add('stale');
    else ui.main.hidden = true;
  }

  private onEpoch(msg: EpochMessage): void {
    const run = this.trained;
    if (!run || msg.runId !== run.runId) return;
    // Made before the host had the view's latest choice of sample (keys pressed quickly): drawing it
    // would take that choice back. The host's answer to it follows.
    if (msg.selectionSeq < this.selectionsSent) return;
    this.epoch = msg;
    if (this.seekTarget !== null) {
      if (msg.epoch !== this.seekTarget && !msg.playing) return;
      this.endSeek();
    }
    if (this.reconcileRun === msg.runId) {
      this.reconcileRun = null;
      const r = reconcile(this.state, { entries: run.entries, samples: run.samples }, msg);
      if (r.selectSample !== undefined) this.update({ selectedSample: r.selectSample });
      if (r.seekEpoch !== null) {
        post({ type: 'seekEpoch', epoch: r.seekEpoch });
        if (r.selectSample !== undefined) this.postSelection(r.selectSample);
        // Draw nothing until the host shows that epoch (no flash of another one), or a moment has passed.
        this.seekTarget = r.seekEpoch;
        this.seekTimer = window.setTimeout(() => {
          this.endSeek();
          if (this.epoch) this.render(this.epoch);
        }, 500);
        return;
      }
      if (r.selectSample !== undefined) this.postSelection(r.selectSample);
      this.update(withShownEpoch(this.state, msg.epoch, run.entries));
    } else {
      this.update({ ...withShownEpoch(this.state, msg.epoch, run.entries), selectedSample: msg.selectedSample });
    }
    this.render(msg);
  }

  private endSeek(): void {
    clearTimeout(this.seekTimer);
    this.seekTimer = undefined;
    this.seekTarget = null;
  }

  /**
   * Shows the epoch on display: the header's numbers at once; the heavier parts (derivation, charts,
   * gradients) once that has been painted, and only for the newest epoch when several arrive in
   * between (live typing, playback).
   */
  private render(msg: EpochMessage): void {
    const run = this.trained;
    if (!run) return;
    const ui = this.ui;
    ui.header.showEpoch(msg);
    ui.status.showEpoch(msg);
    this.restPending = msg;
    if (this.restScheduled) return;
    this.restScheduled = true;
    // After the frame that paints the header, once the thread is free (at most REST_WAIT_MS later).
    requestAnimationFrame(() =>
      whenIdle(() => {
        this.restScheduled = false;
        const latest = this.restPending;
        this.restPending = null;
        if (latest) this.renderRest(latest);
      }, REST_WAIT_MS),
    );
  }

  /** The parts of the panel drawn after the header (see `render`). */
  private renderRest(msg: EpochMessage): void {
    const run = this.trained;
    if (!run || msg.runId !== run.runId) return;
    // A sample was chosen here since this message came: the host's answer to that draws instead.
    if (msg.selectionSeq < this.selectionsSent) return;
    const ui = this.ui;
    ui.gradients.show(msg, run.samples);
    ui.charts.setEpoch(msg.epoch);
    ui.fit.show(msg);
    ui.surface.setCurrent(msg.w[0] ?? 0, msg.b);
    this.derivationDirty = true;
    if (this.state.tab === 'derivation') this.renderDerivation();
    vtrace('rest', { runId: msg.runId });
    if (this.firstRender) {
      // After a reload, go back to where the student was reading once the content has its height.
      this.firstRender = false;
      const top = this.state.pageScrollTop ?? 0;
      if (top > 0) requestAnimationFrame(() => window.scrollTo(0, top));
    }
  }

  private renderDerivation(): void {
    const run = this.trained;
    const msg = this.epoch;
    // Not the last run's epoch with this run's settings: wait for this run's own epoch.
    if (!run || !msg || msg.runId !== run.runId || !this.derivationDirty) return;
    this.derivationDirty = false;
    const d0 = performance.now();
    this.ui.derivation.show(msg, {
      reluGradAtZero: run.settings.reluGradAtZero,
      samples: run.samples,
      active: msg.active,
      inactiveKnown: msg.inactive,
    });
    vtrace('derivation', { runId: msg.runId, ms: performance.now() - d0 });
  }

  private selectSample(index: number | null): void {
    this.postSelection(index);
    this.update({ selectedSample: index });
  }

  private postSelection(index: number | null): void {
    post({ type: 'selectSample', index, seq: ++this.selectionsSent });
  }

  private showTab(tab: Tab): void {
    this.update({ tab });
    post({ type: 'showTab', tab });
    this.applyVisibility();
  }

  /** Tells each tab whether it is on screen; heavy work happens only for the visible one. */
  private applyVisibility(): void {
    const tab = this.state.tab;
    const ui = this.ui;
    ui.table.setVisible(tab === 'gradients');
    ui.charts.setVisible(tab === 'trajectories');
    ui.fit.setVisible(tab === 'fit');
    ui.derivation.setVisible(tab === 'derivation');
    ui.surface.setVisible(tab === 'fit');
    if (tab === 'derivation') this.renderDerivation();
    if (tab === 'fit' && this.trained && this.surfaceRun !== this.trained.runId) {
      this.surfaceRun = this.trained.runId;
      post({ type: 'requestSurface' });
    }
  }

  /** Changes and saves the view state (debounced by `delay` ms for scroll positions). */
  private update(change: Partial<ViewState>, delay = 0): void {
    const next = { ...this.state, ...change };
    // Nothing new (e.g. another run at the last epoch): no setState round trip through the workbench.
    if (sameViewState(next, this.state)) return;
    this.state = next;
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    if (delay === 0) saveState(this.state);
    else this.saveTimer = window.setTimeout(() => saveState(this.state), delay);
  }
}

registerToolkit();
const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
new App(root);
