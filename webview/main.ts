/**
 * The explorer webview: builds the panel inside #root, renders what the host sends (see
 * src/shared/protocol.ts) and sends the student's requests back. The host owns the training state;
 * the view keeps only its place (tab, epoch, sample, order, scroll) in ViewState. What to draw and
 * when is decided by the reducer in state.ts; this file builds the DOM and carries out its effects.
 */
import 'katex/dist/katex.min.css';
import 'uplot/dist/uPlot.min.css';
import '../media/explorer.css';
import type { HostToView, TrainedMessage, ViewState } from '../src/shared/protocol';
import { h, replaceChildren, setText } from './dom';
import { ColumnsView } from './columnsView';
import { DerivationView } from './derivationView';
import { FitPlot } from './fitView';
import { GradientsView } from './gradientsView';
import { GraphView } from './graphView';
import { Header } from './header';
import { setStrings, t } from './i18n';
import { TrajectoryCharts } from './charts';
import { newestOnly, startPanel, step, type PanelEffect, type PanelEvent, type PanelState, type Transition } from './state';
import { StatusArea } from './status';
import { probeMark, SurfaceView } from './surface';
import { initializationText, ProbeBar } from './probeBar';
import { SampleTable } from './table';
import { onThemeChange } from './theme';
import { makeTabs, registerToolkit, type TabsHandle } from './toolkit';
import { probeKey } from './paging';
import { loadState, onHostMessage, post, saveState } from './vscodeApi';
import { vtrace, vtracing } from './trace';
import { whenIdle } from './idle';

type Tab = ViewState['tab'];

/** The longest the derivation and charts wait for an idle moment after the header shows a new epoch. */
const REST_WAIT_MS = 100;

interface Ui {
  header: Header;
  columns: ColumnsView;
  status: StatusArea;
  tabs: TabsHandle<Tab>;
  derivation: DerivationView;
  graph: GraphView;
  table: SampleTable;
  gradients: GradientsView;
  charts: TrajectoryCharts;
  fit: FitPlot;
  surface: SurfaceView;
  probe: ProbeBar;
  main: HTMLElement;
  waiting: HTMLElement;
  footer: HTMLElement;
}

class App {
  /** Everything but the DOM; changed only by `step` (state.ts). */
  private model!: PanelState;
  private saveTimer: number | undefined;
  private seekTimer: number | undefined;
  private ui!: Ui;
  /** Host messages not yet taken in. */
  private readonly inbox: HostToView[] = [];
  /** A task queued behind the messages already waiting (a message to itself). */
  private readonly drain = new MessageChannel();

  constructor(private readonly root: HTMLElement) {
    this.drain.port1.onmessage = () => this.takeIn();
    onHostMessage((msg) => this.onMessage(msg));
    window.addEventListener(
      'scroll',
      () => this.dispatch({ type: 'place', change: { pageScrollTop: Math.round(window.scrollY) }, delay: 250 }),
      { passive: true },
    );
    onThemeChange(() => {
      this.ui.charts.retheme();
      this.ui.fit.retheme();
      this.ui.surface.retheme();
    });
    this.apply(startPanel(loadState()));
  }

  private dispatch(event: PanelEvent): void {
    this.apply(step(this.model, event));
  }

  private apply({ state, effects }: Transition): void {
    this.model = state;
    for (const effect of effects) this.perform(effect);
  }

  /**
   * Messages are taken in together, after any others already queued behind them (one task later):
   * the reducer then skips straight to the newest run.
   */
  private onMessage(msg: HostToView): void {
    if (vtracing())
      vtrace('msg', {
        type: msg.type,
        runId: 'runId' in msg ? msg.runId : undefined,
        withEpoch: msg.type === 'trained' && msg.epoch !== null,
        probe: msg.type === 'epoch' && msg.probe === true,
        at: msg.type === 'epoch' && msg.probe ? probeKey([...msg.w, msg.b]) : undefined,
      });
    this.inbox.push(msg);
    if (this.inbox.length === 1) this.drain.port2.postMessage(null);
  }

  private takeIn(): void {
    const msgs = this.inbox.splice(0);
    if (msgs.length === 0) return;
    this.dispatch(msgs.length === 1 ? { type: 'host', msg: msgs[0] } : { type: 'hostBatch', msgs });
    if (!vtracing()) return;
    for (const msg of newestOnly(msgs)) {
      const runId = 'runId' in msg ? msg.runId : undefined;
      const probe = msg.type === 'epoch' && msg.probe === true;
      vtrace('handled', { type: msg.type, runId, probe });
      requestAnimationFrame(() => setTimeout(() => vtrace('painted', { type: msg.type, runId, probe })));
    }
  }

  /** Carries out one effect of `step`: draws, posts, saves, books a moment. Decides nothing. */
  private perform(effect: PanelEffect): void {
    const ui = this.ui;
    switch (effect.kind) {
      case 'post':
        post(effect.msg);
        break;
      case 'save':
        if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
        if (effect.delay === 0) saveState(effect.place);
        else this.saveTimer = window.setTimeout(() => saveState(this.model.place), effect.delay);
        break;
      case 'build':
        if (effect.strings) {
          setStrings(effect.strings.locale, effect.strings.strings);
          document.documentElement.lang = effect.strings.locale;
        }
        this.build(effect.place);
        break;
      case 'visibility': {
        const tab = effect.tab;
        ui.table.setVisible(tab === 'gradients');
        ui.charts.setVisible(tab === 'trajectories');
        ui.fit.setVisible(tab === 'fit');
        ui.derivation.setVisible(tab === 'derivation');
        ui.graph.setVisible(tab === 'graph');
        ui.surface.setVisible(tab === 'fit');
        break;
      }
      case 'showTrained':
        this.showTrained(effect.msg, effect.epoch);
        break;
      case 'showInvalid':
        ui.header.showInvalid(effect.msg);
        ui.status.showInvalid(effect.msg);
        ui.waiting.hidden = true;
        // Keep the last run in sight (dimmed) while the student fixes the file.
        if (effect.keepRun) ui.main.classList.add('stale');
        else ui.main.hidden = true;
        break;
      case 'showRows':
        ui.table.receive(effect.msg);
        break;
      case 'showSeries':
        ui.charts.setSeries(effect.msg.series);
        break;
      case 'showSurface':
        ui.surface.setSurface(effect.msg.surface, t('The loss surface l(w, b) is drawn for one feature only.'));
        break;
      case 'showGradientCheck':
        ui.gradients.showCheck(effect.msg);
        break;
      case 'showHeader':
        ui.probe.show(effect.msg, this.model.trained?.settings.learningRate ?? 0);
        ui.header.showEpoch(effect.msg);
        ui.status.showEpoch(effect.msg);
        break;
      case 'showProbe':
        // Drawn in the next frame; the rest of the panel waits for a quiet moment.
        ui.surface.setProbe(probeMark(effect.msg, this.model.trained?.settings.learningRate ?? 0));
        break;
      case 'bookRest':
        // After the frame that paints the header, once the thread is free (at most REST_WAIT_MS later).
        requestAnimationFrame(() => whenIdle(() => this.dispatch({ type: 'restDue' }), REST_WAIT_MS));
        break;
      case 'showRest': {
        const msg = effect.msg;
        ui.gradients.show(msg, effect.samples);
        ui.graph.show(msg, effect.samples);
        ui.charts.setEpoch(msg.epoch);
        ui.fit.show(msg);
        if (!msg.probe) ui.surface.setCurrent([...msg.w, msg.b]);
        const alpha = this.model.trained?.settings.learningRate ?? 0;
        ui.surface.setProbe(msg.probe ? probeMark(msg, alpha) : null);
        if (msg.probe && vtracing()) vtrace('probeRest', { at: probeKey([...msg.w, msg.b]) });
        break;
      }
      case 'showDerivation': {
        const { msg, run } = effect;
        const d0 = performance.now();
        ui.derivation.show(msg, {
          reluGradAtZero: run.settings.reluGradAtZero,
          samples: run.samples,
          active: msg.active,
          inactiveKnown: msg.inactive,
        });
        vtrace('derivation', { runId: msg.runId, ms: performance.now() - d0 });
        break;
      }
      case 'runShown':
        post({ type: 'runShown', runId: effect.runId });
        break;
      case 'restDrawn':
        vtrace('rest', { runId: effect.runId });
        break;
      case 'restorePageScroll': {
        const top = effect.top;
        requestAnimationFrame(() => window.scrollTo(0, top));
        break;
      }
      case 'startSeekTimer':
        clearTimeout(this.seekTimer);
        this.seekTimer = window.setTimeout(() => {
          this.seekTimer = undefined;
          this.dispatch({ type: 'seekTimedOut' });
        }, effect.ms);
        break;
      case 'stopSeekTimer':
        clearTimeout(this.seekTimer);
        this.seekTimer = undefined;
        break;
      case 'showFocus':
        ui.graph.setFocus(effect.focus?.step ?? null, effect.focus?.node ?? null);
        ui.derivation.setFocus(effect.focus?.step ?? null);
        break;
      case 'selectTab':
        ui.tabs.select(effect.tab);
        break;
    }
  }

  /** Builds the whole panel from the place (again after the strings arrive; `step` then replays what it had). */
  private build(place: ViewState): void {
    this.ui?.derivation.clear();
    const header = new Header({
      seek: (epoch) => post({ type: 'seekEpoch', epoch }),
      playback: (action) => post({ type: 'playback', action }),
      setSetting: (key, value) => post({ type: 'setSetting', key, value }),
      resetSettings: () => post({ type: 'resetSettings' }),
    });
    const status = new StatusArea({
      showProblems: () => post({ type: 'showProblems' }),
      stopFix: (fix) => post({ type: 'stopFix', fix }),
    });
    const columns = new ColumnsView({ setColumns: (change) => post({ type: 'setColumns', ...change }) });
    const choose = (index: number | null) => this.dispatch({ type: 'chooseSample', index });
    const derivation = new DerivationView({
      selectSample: choose,
      showInGraph: (step) => this.dispatch({ type: 'focusStep', step, node: null, open: 'graph' }),
    });
    const graph = new GraphView({
      selectSample: choose,
      focus: (step, node, open) => this.dispatch({ type: 'focusStep', step, node, open }),
    });
    const table = new SampleTable(
      {
        request: (offset, count, sort, descending) => post({ type: 'requestRows', offset, count, sort, descending }),
        choose: (index) => {
          choose(index);
          post({ type: 'revealSample', index });
        },
        orderChanged: (sort, descending) => this.dispatch({ type: 'place', change: { sort, descending, scrollTop: 0 }, delay: 0 }),
        scrolled: (scrollTop) => this.dispatch({ type: 'place', change: { scrollTop }, delay: 250 }),
      },
      place.sort,
      place.descending,
    );
    const gradients = new GradientsView(table, () => post({ type: 'checkGradient' }));
    const charts = new TrajectoryCharts(
      {
        logScaleChanged: (logScale) => this.dispatch({ type: 'place', change: { logScale }, delay: 0 }),
        seek: (epoch) => post({ type: 'seekEpoch', epoch }),
      },
      place.logScale,
    );
    const fit = new FitPlot({ selectSample: choose });
    const leave = () => post({ type: 'probe', theta: null });
    const surface = new SurfaceView({
      probe: (theta) => post({ type: 'probe', theta }),
      leave,
      slice: (axes) => post({ type: 'requestSlice', axes }),
    });
    const probe = new ProbeBar({
      leave,
      trainFrom: (theta) => post({ type: 'setSetting', key: 'initialization', value: initializationText(theta) }),
    });
    const tabs = makeTabs<Tab>(
      [
        { id: 'derivation', label: t('Derivation') },
        { id: 'graph', label: t('Graph') },
        { id: 'gradients', label: t('Gradients') },
        { id: 'trajectories', label: t('Trajectories') },
        { id: 'fit', label: t('Fit') },
      ],
      place.tab,
      (tab) => this.dispatch({ type: 'showTab', tab }),
    );
    tabs.views.derivation.appendChild(derivation.el);
    tabs.views.graph.appendChild(graph.el);
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
    replaceChildren(this.root, header.el, header.controls, columns.el, status.el, status.live, probe.el, waiting, main, footer);
    this.ui = { header, columns, status, tabs, derivation, graph, table, gradients, charts, fit, surface, probe, main, waiting, footer };
    if (place.scrollTop > 0) table.restoreScroll(place.scrollTop);
  }

  /** A run's title, settings, series and table size; the panel leaves its waiting state. */
  private showTrained(msg: TrainedMessage, epoch: number): void {
    const ui = this.ui;
    ui.header.showTrained(msg);
    ui.columns.show(msg.columns);
    ui.status.showTrained(msg);
    ui.table.setRun(msg.runId, epoch, msg.samples, msg.features, msg.settings.scale);
    ui.charts.setSeries(msg.series);
    ui.fit.setNames(msg.features[0] ?? 'x', msg.target);
    const d = msg.features.length;
    ui.surface.setParameters([...msg.features.map((_, j) => (d === 1 ? 'w' : `w${j + 1}`)), 'b']);
    if (ui.main.hidden) {
      ui.main.hidden = false;
      ui.tabs.refresh();
    }
    ui.main.classList.remove('stale');
    ui.waiting.hidden = true;
    setText(ui.footer, t('Parsed in {0} ms, trained in {1} ms.', Math.round(msg.timing.parseMs), Math.round(msg.timing.trainMs)));
  }
}

registerToolkit();
const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
new App(root);
