/**
 * The view's persisted state (ViewState in protocol.ts): defaults, a guard for whatever
 * `getState()` returns after a reload, and what to ask the host for so the student's place survives a
 * reload or a re-run. Pure: no DOM.
 */
import { SORT_KEYS, type SortKey, type ViewState } from '../src/shared/protocol';

export const TABS: readonly ViewState['tab'][] = ['derivation', 'gradients', 'trajectories', 'fit'];

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
