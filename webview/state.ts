/**
 * The view's state. Its saved place (ViewState in protocol.ts): defaults, a guard for whatever
 * `getState()` returns after a reload, and what to ask the host for so the student's place survives a
 * reload or a re-run. Then the reducer `step`: which host messages are drawn, in what order, and what
 * the view asks for, as a function of what it received (main.ts only carries out its effects).
 * Pure: no DOM.
 */
import type { DerivationStepId } from '../src/engine/derivationText';
import {
  SORT_KEYS,
  type DatasetInvalidMessage,
  type EpochMessage,
  type FitData,
  type GradientCheckMessage,
  type HostToView,
  type RowsMessage,
  type SeriesMessage,
  type SortKey,
  type StringsMessage,
  type SurfaceMessage,
  type TrainedMessage,
  type ViewState,
  type ViewToHost,
} from '../src/shared/protocol';
import { applyFitChange } from '../src/shared/fitChange';

export const TABS: readonly ViewState['tab'][] = ['derivation', 'graph', 'gradients', 'trajectories', 'fit'];

export const DEFAULT_VIEW_STATE: Readonly<ViewState> = Object.freeze({
  tab: 'derivation',
  selectedSample: null,
  epoch: null,
  followLatest: true,
  sort: 'index',
  descending: false,
  logScale: true,
  scrollTop: 0,
});

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** A valid ViewState from anything (a saved state of an older version, or nothing). */
export function sanitizeViewState(raw: unknown): ViewState {
  const s: ViewState = { ...DEFAULT_VIEW_STATE };
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Record<string, unknown>;
  if (TABS.includes(r.tab as ViewState['tab'])) s.tab = r.tab as ViewState['tab'];
  if (r.selectedSample === null || isIndex(r.selectedSample)) s.selectedSample = r.selectedSample as number | null;
  if (r.epoch === null || isIndex(r.epoch)) s.epoch = r.epoch as number | null;
  if (typeof r.followLatest === 'boolean') s.followLatest = r.followLatest;
  if (SORT_KEYS.includes(r.sort as SortKey)) s.sort = r.sort as SortKey;
  if (typeof r.descending === 'boolean') s.descending = r.descending;
  if (typeof r.logScale === 'boolean') s.logScale = r.logScale;
  if (typeof r.scrollTop === 'number' && Number.isFinite(r.scrollTop) && r.scrollTop >= 0) s.scrollTop = r.scrollTop;
  if (typeof r.pageScrollTop === 'number' && Number.isFinite(r.pageScrollTop) && r.pageScrollTop >= 0) s.pageScrollTop = r.pageScrollTop;
  if (typeof r.documentUri === 'string') s.documentUri = r.documentUri;
  return s;
}

/** The epoch the view wants on display for a run with `entries` entries. */
export function wantedEpoch(state: ViewState, entries: number): number {
  const last = Math.max(0, entries - 1);
  if (state.followLatest || state.epoch === null) return last;
  return Math.min(state.epoch, last);
}

/** The sample the view wants substituted, or null when it no longer exists. */
export function wantedSample(state: ViewState, samples: number): number | null {
  return state.selectedSample !== null && state.selectedSample < samples ? state.selectedSample : null;
}

/** What the view asks the host once the first `epoch` of a new run arrives. */
export interface Reconciliation {
  seekEpoch: number | null;
  selectSample: number | null | undefined;
}

/**
 * After a new run (a reload, an edit, a changed setting), the host shows an epoch and sample of its
 * choosing; this says which requests bring back the student's place: the saved epoch (or the last one
 * when following the end, or when the run got shorter) and the chosen sample while it still exists.
 * `selectSample` is `undefined` when nothing needs to change. While the host plays, its epoch wins.
 */
export function reconcile(
  state: ViewState,
  run: { entries: number; samples: number },
  shown: { epoch: number; selectedSample: number | null; playing: boolean },
): Reconciliation {
  const epoch = wantedEpoch(state, run.entries);
  const sample = wantedSample(state, run.samples);
  return {
    seekEpoch: !shown.playing && epoch !== shown.epoch ? epoch : null,
    selectSample: sample !== shown.selectedSample ? sample : undefined,
  };
}

/** The state after the host showed `epoch` of a run with `entries` entries. */
export function withShownEpoch(state: ViewState, epoch: number, entries: number): ViewState {
  return { ...state, epoch, followLatest: epoch >= entries - 1 };
}

/** Whether two view states say the same (so saving the second would change nothing). */
export function sameViewState(a: ViewState, b: ViewState): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof ViewState>);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

// ── The view as a function of what the host sent ─────────────────────────────────────────────────

type Tab = ViewState['tab'];

/** How long the view waits for the epoch it asked for after a reload before it draws what it has. */
export const SEEK_WAIT_MS = 500;

/**
 * Everything the view holds apart from the DOM: the student's place, the last messages of the run on
 * display, and what keeps their order. Changed only by `step`.
 */
export interface PanelState {
  /** The student's place, saved with `setState`. */
  place: ViewState;
  /** The run on display: the last `trained` message, or null before the first. */
  trained: TrainedMessage | null;
  /** Why the file has no usable rows, or null while it has some. */
  invalid: DatasetInvalidMessage | null;
  /** The last epoch taken in for the run on display (drawn, or held back while a seek is answered). */
  epoch: EpochMessage | null;
  /** The run whose first `epoch` still has to be reconciled with the saved place. */
  reconcileRun: number | null;
  /** The run whose loss surface was asked for (or received). */
  surfaceRun: number | null;
  /** An epoch asked for to restore the student's place: other epochs are not drawn until it comes. */
  seekTarget: number | null;
  /** The `seq` of the view's last `selectSample` (see `EpochMessage.selectionSeq`). */
  selectionsSent: number;
  /** Whether the derivation on screen is older than the epoch taken in. */
  derivationDirty: boolean;
  /** The newest epoch whose heavier parts (derivation, charts, gradients) are still to draw. */
  restPending: EpochMessage | null;
  /** Whether a moment is booked to draw them (`restDue`). */
  restBooked: boolean;
  /** Whether nothing was drawn in full yet (then the page's scroll is restored). */
  firstRest: boolean;
  /** The derivation step chosen in the Graph or Derivation tab (both highlight it), and the graph node chosen. */
  focus: { step: DerivationStepId; node: string | null } | null;
  /** The last full fit received and its run: a `fitChange` of that run is put together with it. */
  fitHeld: { runId: number; fit: FitData } | null;
}

/** What happens to the view: a host message, the student's doing, or a moment it booked. */
export type PanelEvent =
  | { type: 'host'; msg: HostToView }
  /** Host messages that arrived together, oldest first: only the newest run's are taken in. */
  | { type: 'hostBatch'; msgs: HostToView[] }
  /** The student chose a sample (or none) in the derivation, the table or the fit plot. */
  | { type: 'chooseSample'; index: number | null }
  /** The student opened a tab. */
  | { type: 'showTab'; tab: Tab }
  /** Scroll positions, the table's order, the chart's scale: saved now, or after `delay` ms. */
  | { type: 'place'; change: Partial<ViewState>; delay: number }
  /** The epoch asked for after a reload did not come within SEEK_WAIT_MS. */
  | { type: 'seekTimedOut' }
  /** The frame with the header was painted and the thread is free (see `bookRest`). */
  | { type: 'restDue' }
  /** A step chosen through a graph node (`node`) or in the Derivation tab; `open` switches to that tab. */
  | { type: 'focusStep'; step: DerivationStepId | null; node: string | null; open: Tab | null };

/** What the view does after an event, in order. The `show…` effects draw; none of them decide. */
export type PanelEffect =
  | { kind: 'post'; msg: ViewToHost }
  /** Save `place` now (delay 0) or after `delay` ms, replacing a save still waiting. */
  | { kind: 'save'; place: ViewState; delay: number }
  /** Build the panel anew from `place` (in these strings, when they came). */
  | { kind: 'build'; place: ViewState; strings: StringsMessage | null }
  /** Tell each tab whether it is on screen. */
  | { kind: 'visibility'; tab: Tab }
  /** The run's title, settings, series and table size; `epoch` is the table's. */
  | { kind: 'showTrained'; msg: TrainedMessage; epoch: number }
  /** The file's problems; the last run stays in sight (dimmed) when there is one. */
  | { kind: 'showInvalid'; msg: DatasetInvalidMessage; keepRun: boolean }
  | { kind: 'showRows'; msg: RowsMessage }
  | { kind: 'showSurface'; msg: SurfaceMessage }
  /** The run's series for the Trajectories tab (sent when the tab opened after the run came). */
  | { kind: 'showSeries'; msg: SeriesMessage }
  /** The finite-difference check the student asked for. */
  | { kind: 'showGradientCheck'; msg: GradientCheckMessage }
  /** The header's and status area's numbers, at once. */
  | { kind: 'showHeader'; msg: EpochMessage }
  /** A probe's mark on the loss surface, at once too (it follows the pointer of a drag). */
  | { kind: 'showProbe'; msg: EpochMessage }
  /** Book `restDue` after the next frame, in idle time. */
  | { kind: 'bookRest' }
  /** Gradients, charts, fit and surface at this epoch. */
  | { kind: 'showRest'; msg: EpochMessage; samples: number }
  | { kind: 'showDerivation'; msg: EpochMessage; run: TrainedMessage }
  /** Tell the host this run was taken in (`runShown`), so it may post the next. */
  | { kind: 'runShown'; runId: number }
  /** The rest of an epoch of this run was drawn (for the timing trace). */
  | { kind: 'restDrawn'; runId: number }
  /** Scroll the page back to where the student was reading. */
  | { kind: 'restorePageScroll'; top: number }
  /** Send `seekTimedOut` after `ms`, or forget the one booked. */
  | { kind: 'startSeekTimer'; ms: number }
  | { kind: 'stopSeekTimer' }
  /** Highlight this step in the derivation and its nodes in the graph (null: none). */
  | { kind: 'showFocus'; focus: PanelState['focus'] }
  /** Put this tab on screen (the tabs control follows a tab opened from inside the view). */
  | { kind: 'selectTab'; tab: Tab };

/** The state after an event, and what the view must do for it. */
export interface Transition {
  state: PanelState;
  effects: PanelEffect[];
}

/** Nothing received yet, the place as saved. */
export function initialPanelState(place: ViewState): PanelState {
  return {
    place,
    trained: null,
    invalid: null,
    epoch: null,
    reconcileRun: null,
    surfaceRun: null,
    seekTarget: null,
    selectionsSent: 0,
    derivationDirty: true,
    restPending: null,
    restBooked: false,
    firstRest: true,
    focus: null,
    fitHeld: null,
  };
}

/** The view starts: built from the saved place, it tells the host it listens and which tab is open. */
export function startPanel(place: ViewState): Transition {
  const t = new Draft(initialPanelState(place));
  t.build(null);
  t.post({ type: 'ready' });
  t.post({ type: 'showTab', tab: place.tab });
  return t.done();
}

/**
 * The reducer: the state after `event` and what the view must do. Pure; `state` is not changed.
 * The rules (docs/architecture.md): the newest run wins; the view's own choice of sample wins over
 * epochs made before the host had it; after a reload the saved epoch is asked for and no other is
 * drawn until it comes (or SEEK_WAIT_MS passed); the heavier parts draw once per moment, newest only.
 */
export function step(state: PanelState, event: PanelEvent): Transition {
  const t = new Draft({ ...state });
  switch (event.type) {
    case 'host':
      t.host(event.msg);
      break;
    case 'hostBatch':
      for (const msg of newestOnly(event.msgs)) t.host(msg);
      break;
    case 'chooseSample':
      t.selectSample(event.index);
      t.update({ selectedSample: event.index });
      break;
    case 'showTab':
      t.showTab(event.tab);
      break;
    case 'focusStep':
      t.s.focus = event.step === null ? null : { step: event.step, node: event.node };
      // The tab first, so that the step is highlighted (and scrolled to) where it is on screen.
      if (event.open && event.open !== t.s.place.tab) {
        t.effects.push({ kind: 'selectTab', tab: event.open });
        t.showTab(event.open);
      }
      t.effects.push({ kind: 'showFocus', focus: t.s.focus });
      break;
    case 'place':
      t.update(event.change, event.delay);
      break;
    case 'seekTimedOut':
      if (t.s.seekTarget === null) break;
      t.s.seekTarget = null;
      if (t.s.epoch) t.render(t.s.epoch);
      break;
    case 'restDue': {
      t.s.restBooked = false;
      const latest = t.s.restPending;
      t.s.restPending = null;
      if (latest) t.renderRest(latest);
      break;
    }
  }
  return t.done();
}

/**
 * What is left of messages that arrived together once a newer run superseded the rest: nothing of a
 * run before the last `trained` (its run, epochs, rows, surface, or the file's problems), the
 * strings, and everything after. Pure.
 */
export function newestOnly(msgs: readonly HostToView[]): HostToView[] {
  let last = -1;
  for (let i = msgs.length - 1; i >= 0 && last < 0; i--) if (msgs[i].type === 'trained') last = i;
  return msgs.filter((m, i) => i >= last || m.type === 'strings');
}

/** One transition under way: a copy of the state, changed in place, and the effects so far. */
class Draft {
  readonly effects: PanelEffect[] = [];
  constructor(readonly s: PanelState) {}

  done(): Transition {
    return { state: this.s, effects: this.effects };
  }

  post(msg: ViewToHost): void {
    this.effects.push({ kind: 'post', msg });
  }

  host(msg: HostToView): void {
    const s = this.s;
    switch (msg.type) {
      case 'strings':
        this.build(msg);
        this.replay();
        break;
      case 'trained': {
        const epoch = msg.epoch && this.withFullFit(msg.epoch);
        const run = epoch === msg.epoch ? msg : { ...msg, epoch };
        this.onTrained(run);
        if (epoch) this.onEpoch(epoch);
        // The host posts the next run once this one is in (panel/postGate.ts).
        this.effects.push({ kind: 'runShown', runId: msg.runId });
        break;
      }
      case 'datasetInvalid':
        this.onInvalid(msg);
        break;
      case 'epoch':
        this.onEpoch(this.withFullFit(msg));
        break;
      case 'rows':
        if (s.trained && msg.runId === s.trained.runId) this.effects.push({ kind: 'showRows', msg });
        break;
      case 'series':
        if (s.trained && msg.runId === s.trained.runId) {
          s.trained = { ...s.trained, series: msg.series };
          this.effects.push({ kind: 'showSeries', msg });
        }
        break;
      case 'surface':
        if (s.trained && msg.runId === s.trained.runId) {
          s.surfaceRun = msg.runId;
          this.effects.push({ kind: 'showSurface', msg });
        }
        break;
      case 'gradientCheck':
        if (s.trained && msg.runId === s.trained.runId) this.effects.push({ kind: 'showGradientCheck', msg });
        break;
    }
  }

  /**
   * The epoch with its full fit: a full fit is kept (whichever run it belongs to, before anything
   * decides whether to draw it); a `fitChange` is put together with the kept fit of its run, or, when
   * there is none, dropped and the full fit asked for (the host sends it after `requestFit`).
   */
  withFullFit(msg: EpochMessage): EpochMessage {
    const s = this.s;
    if (msg.fit) {
      s.fitHeld = { runId: msg.runId, fit: msg.fit };
      return msg;
    }
    if (!msg.fitChange) return msg;
    const { fitChange, ...rest } = msg;
    const fit = s.fitHeld && s.fitHeld.runId === msg.runId ? applyFitChange(s.fitHeld.fit, fitChange) : null;
    if (!fit && s.trained?.runId === msg.runId) this.post({ type: 'requestFit' });
    return { ...rest, fit };
  }

  build(strings: StringsMessage | null): void {
    this.effects.push({ kind: 'build', place: this.s.place, strings });
    this.applyVisibility();
  }

  /** After a rebuild: show the last messages again (the pending reconciliation stays pending). */
  replay(): void {
    const { trained, invalid, epoch, focus } = this.s;
    if (invalid) this.onInvalid(invalid);
    // The same run again: onTrained leaves its reconciliation pending, if it still is.
    if (trained) this.onTrained(trained);
    if (epoch) this.onEpoch(epoch);
    if (focus) this.effects.push({ kind: 'showFocus', focus });
  }

  showTab(tab: Tab): void {
    this.update({ tab });
    this.post({ type: 'showTab', tab });
    this.applyVisibility();
  }

  onTrained(msg: TrainedMessage): void {
    const s = this.s;
    const newRun = s.trained?.runId !== msg.runId;
    const tableEpoch = msg.epoch?.epoch ?? s.epoch?.epoch ?? 0;
    s.trained = msg;
    s.invalid = null;
    if (newRun) {
      s.reconcileRun = msg.runId;
      s.surfaceRun = null;
    }
    this.effects.push({ kind: 'showTrained', msg, epoch: tableEpoch });
    if (msg.documentUri) this.update({ documentUri: msg.documentUri });
    s.derivationDirty = true;
    this.applyVisibility();
  }

  onInvalid(msg: DatasetInvalidMessage): void {
    this.s.invalid = msg;
    this.effects.push({ kind: 'showInvalid', msg, keepRun: this.s.trained !== null });
  }

  onEpoch(msg: EpochMessage): void {
    const s = this.s;
    const run = s.trained;
    if (!run || msg.runId !== run.runId) return;
    // Made before the host had the view's latest choice of sample (keys pressed quickly): drawing it
    // would take that choice back. The host's answer to it follows.
    if (msg.selectionSeq < s.selectionsSent) return;
    s.epoch = msg;
    if (s.seekTarget !== null) {
      if (msg.epoch !== s.seekTarget && !msg.playing) return;
      s.seekTarget = null;
      this.effects.push({ kind: 'stopSeekTimer' });
    }
    if (s.reconcileRun === msg.runId) {
      s.reconcileRun = null;
      const r = reconcile(s.place, { entries: run.entries, samples: run.samples }, msg);
      if (r.selectSample !== undefined) this.update({ selectedSample: r.selectSample });
      if (r.seekEpoch !== null) {
        this.post({ type: 'seekEpoch', epoch: r.seekEpoch });
        if (r.selectSample !== undefined) this.selectSample(r.selectSample);
        // Draw nothing until the host shows that epoch (no flash of another one), or a moment has passed.
        s.seekTarget = r.seekEpoch;
        this.effects.push({ kind: 'startSeekTimer', ms: SEEK_WAIT_MS });
        return;
      }
      if (r.selectSample !== undefined) this.selectSample(r.selectSample);
      this.update(withShownEpoch(s.place, msg.epoch, run.entries));
    } else {
      this.update({ ...withShownEpoch(s.place, msg.epoch, run.entries), selectedSample: msg.selectedSample });
    }
    this.render(msg);
  }

  /**
   * The header's numbers (and a probe's mark) at once; the heavier parts once that is painted, for the
   * newest epoch only.
   */
  render(msg: EpochMessage): void {
    const s = this.s;
    if (!s.trained) return;
    this.effects.push({ kind: 'showHeader', msg });
    if (msg.probe) this.effects.push({ kind: 'showProbe', msg });
    s.restPending = msg;
    if (s.restBooked) return;
    s.restBooked = true;
    this.effects.push({ kind: 'bookRest' });
  }

  renderRest(msg: EpochMessage): void {
    const s = this.s;
    const run = s.trained;
    if (!run || msg.runId !== run.runId) return;
    // A sample was chosen here since this message came: the host's answer to that draws instead.
    if (msg.selectionSeq < s.selectionsSent) return;
    this.effects.push({ kind: 'showRest', msg, samples: run.samples });
    s.derivationDirty = true;
    if (s.place.tab === 'derivation') this.renderDerivation();
    this.effects.push({ kind: 'restDrawn', runId: msg.runId });
    if (s.firstRest) {
      // After a reload, go back to where the student was reading once the content has its height.
      s.firstRest = false;
      const top = s.place.pageScrollTop ?? 0;
      if (top > 0) this.effects.push({ kind: 'restorePageScroll', top });
    }
  }

  renderDerivation(): void {
    const s = this.s;
    const run = s.trained;
    const msg = s.epoch;
    // Not the last run's epoch with this run's settings: wait for this run's own epoch.
    if (!run || !msg || msg.runId !== run.runId || !s.derivationDirty) return;
    s.derivationDirty = false;
    this.effects.push({ kind: 'showDerivation', msg, run });
  }

  selectSample(index: number | null): void {
    this.post({ type: 'selectSample', index, seq: ++this.s.selectionsSent });
  }

  /** Tells each tab whether it is on screen; heavy work happens only for the visible one. */
  applyVisibility(): void {
    const s = this.s;
    const tab = s.place.tab;
    this.effects.push({ kind: 'visibility', tab });
    if (tab === 'derivation') this.renderDerivation();
    if (tab === 'fit' && s.trained && s.surfaceRun !== s.trained.runId) {
      s.surfaceRun = s.trained.runId;
      this.post({ type: 'requestSurface' });
    }
  }

  /** Changes the place and saves it (after `delay` ms for scroll positions); nothing when it stays the same. */
  update(change: Partial<ViewState>, delay = 0): void {
    const next = { ...this.s.place, ...change };
    // Nothing new (e.g. another run at the last epoch): no setState round trip through the workbench.
    if (sameViewState(next, this.s.place)) return;
    this.s.place = next;
    this.effects.push({ kind: 'save', place: next, delay });
  }
}
