/**
 * The messages between the extension host and the explorer webview. The host owns all training state;
 * the view renders what it is sent and asks for changes. Every string that came from the dataset
 * (file name, column names) must be rendered as text, never as HTML. LaTeX strings are built by the
 * engine from numbers only.
 *
 * Flow: the view posts `ready` once it listens; the host answers with `strings` and `trained` (or
 * `datasetInvalid`), which carries the epoch on display, then `rows`. Later edits of the dataset send
 * a fresh `trained` (one message per run); moving through the epochs sends `epoch`. While the
 * Gradients tab is on screen, every `epoch` (and every `requestRows`) is answered with `rows`, which
 * say where the chosen sample is in the table's order (`selectedRank`).
 */
import type { DerivationStep } from '../engine/derivation';
import type { ParameterDifferences } from '../engine/gradientCheck';
import type { ComputationGraph } from '../engine/graph';
import type { SampleDetail } from '../engine/neuron';

// ── Shared data shapes ────────────────────────────────────────────────────────────────────────────

/** The settings a panel control may change. */
export type RunSettingKey = 'learningRate' | 'epochs' | 'initialization' | 'reluGradAtZero' | 'scale';

/** The settings a run used, as the panel's controls show them. */
export interface RunSettings {
  learningRate: number;
  epochs: number;
  /** `zeros`, `random 42`, or `w1, …, wd, b`. */
  initialization: string;
  reluGradAtZero: 0 | 1;
  /** How the features were scaled before training (`# @scale`). */
  scale: 'none' | 'standard' | 'minmax';
  /** Which settings the file itself sets (`# @lr …`), so the panel can say where a value comes from. */
  fromFile: RunSettingKey[];
  /** Which settings were changed in this panel (kept across reloads until reset). */
  fromPanel: RunSettingKey[];
}

/** The file's columns and what each one is for, as the panel's target choice and feature boxes show them. */
export interface RunColumns {
  /** Every column of the header, in order (dataset text: render as text). */
  names: string[];
  roles: Array<'feature' | 'target' | 'ignored'>;
  /** Which of the roles the file's `# @target` / `# @features` / `# @ignore` lines set. */
  fromFile: Array<'target' | 'features'>;
  /** Which of them were chosen in this panel (kept across reloads until reset). */
  fromPanel: Array<'target' | 'features'>;
}

/** Skipped rows of one cause (a problem code, e.g. `missing-value`, `not-a-number`), for the summary. */
export interface SkippedCause {
  code: string;
  rows: number;
}

/** The skipped rows by cause (the dataset's count per problem code) as the panel lists them: most rows first. */
export function skippedCauses(byCause: Readonly<Partial<Record<string, number>>>): SkippedCause[] {
  return Object.entries(byCause)
    .filter((e): e is [string, number] => (e[1] ?? 0) > 0)
    .map(([code, rows]) => ({ code, rows }))
    .sort((a, b) => b.rows - a.rows || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Why a run ended early, for the status area. */
export interface RunStop {
  reason: 'diverged' | 'died';
  epoch: number;
  /** Translated sentence saying what happened and what to change. */
  message: string;
  suggestedLearningRate: number;
  /** Whether the message advises standardizing the features first (`# @scale standard`). */
  scalingAdvised: boolean;
}

/**
 * The fixes a stopped run offers as buttons (the panel's note, the notification), first the one its
 * message advises: standardizing the features where the stop says their scales are the trouble (unless
 * the run already standardized), then the suggested learning rate when there is one.
 */
export function stopFixKinds(
  s: Pick<RunStop, 'suggestedLearningRate' | 'scalingAdvised'>,
  scale: RunSettings['scale'],
): Array<StopFixRequest['fix']> {
  const out: Array<StopFixRequest['fix']> = [];
  if (s.scalingAdvised && scale !== 'standard') out.push('standardize');
  if (s.suggestedLearningRate > 0) out.push('learning-rate');
  return out;
}

/**
 * The loss and parameter histories, decimated to at most a few thousand points (the view never needs
 * more points than pixels); `epochs[k]` is the epoch of point k. The host keeps the full history.
 */
export interface TrajectorySeries {
  epochs: number[];
  loss: number[];
  /** w[j][k]: weight j at point k. */
  w: number[][];
  b: number[];
  gradNorm: number[];
  /** gradW[j][k]: ∂l/∂w_j at point k. */
  gradW: number[][];
  /** ∂l/∂b at point k. */
  gradB: number[];
}

/** For one feature: the data as points and which are active; for more: predicted against actual. */
export interface FitData {
  kind: 'line' | 'predicted';
  /** x (kind `line`) or predicted z (kind `predicted`) of a sample of at most 2,000 rows. */
  xs: number[];
  ys: number[];
  active: Array<0 | 1>;
  /** Sample indices of the points, for selecting a sample by clicking the plot. */
  indices: number[];
  /**
   * With `# @scale` and one feature: `xs` are the file's x (not the x̃ trained on), the line is drawn
   * with the parameters in the file's units (w/f, b − w·s/f for x̃ = (x − s)/f), and `selectedX` is
   * the chosen sample's x in the file, or null.
   */
  fileUnits?: { w: number; b: number; selectedX: number | null };
}

/**
 * What of a run's `FitData` changes with θ: the predicted z (kind `predicted`; the x of kind `line`
 * stay), a_i and the line in the file's units. The targets and sample indices are the run's own, so
 * the host sends this instead of the fit once the view holds that run's full fit (see
 * `EpochMessage.fitChange`). Typed arrays: VS Code transfers their buffers, not JSON.
 */
export interface FitChange {
  /** z_k = max(0, u_k) of the same points as the held fit, kind `predicted` only. */
  xs?: Float64Array;
  /** a_k of the same points. */
  active: Uint8Array;
  fileUnits?: FitData['fileUnits'];
}

/**
 * l(w, b) on a grid around the trajectory (one feature), with the descent path. With more features,
 * a 2-D slice through θ = `through` along parameters `axes` (0 … d − 1 the weights, d the bias): `w`
 * then holds the first one's values, `b` the second's, and there is no path.
 */
export interface LossSurface {
  w: number[];
  b: number[];
  /** loss[iy][ix] at (w[ix], b[iy]). */
  loss: number[][];
  pathW: number[];
  pathB: number[];
  /** The slice's parameters and the point it passes through (more than one feature only). */
  axes?: [number, number];
  through?: number[];
}

/** One table row: a sample at the epoch on display. */
export type SampleRow = Pick<SampleDetail, 'index' | 'u' | 'z' | 'y' | 'residual' | 'active' | 'contribW' | 'contribB' | 'share'> & {
  /** 1-based line of the sample in the document. */
  line: number;
  /** With `# @scale`: the sample's x as in the file, and x̃ as trained on (at most MAX_FEATURES_LISTED). */
  x?: number[];
  xScaled?: number[];
};

/** Most features whose x and x̃ a table row carries. */
export const MAX_FEATURES_LISTED = 6;

/** Columns the sample table can be sorted by. */
export type SortKey = 'index' | 'u' | 'z' | 'y' | 'residual' | 'active' | 'contribB' | 'share';
export const SORT_KEYS: readonly SortKey[] = ['index', 'u', 'z', 'y', 'residual', 'active', 'contribB', 'share'];

// ── Host → view ───────────────────────────────────────────────────────────────────────────────────

/** The UI's words in VS Code's display language (keys are the English text). */
export interface StringsMessage {
  type: 'strings';
  locale: string;
  strings: Record<string, string>;
}

/** A fresh run finished (or stopped) for the tracked dataset. */
export interface TrainedMessage {
  type: 'trained';
  /** Bumps on every run; stale replies can be told apart. */
  runId: number;
  /** The file's name for the title (dataset text: render as text). */
  fileName: string;
  /** The document's URI, for the view to keep in its state so the panel re-attaches after a reload. */
  documentUri: string;
  features: string[];
  target: string;
  samples: number;
  skippedRows: number;
  /** The skipped rows by cause, most rows first. */
  skippedByCause: SkippedCause[];
  /** Rows kept with a missing feature given its column's mean (`# @missing mean`). */
  imputedRows: number;
  /** The file's columns and their roles (null for a file without a header row read). */
  columns: RunColumns | null;
  /** Problems (errors and warnings) in the Problems panel for this file. */
  problemCount: number;
  settings: RunSettings;
  /** Entries recorded: epochs + 1 for a completed run. */
  entries: number;
  /** Null unless the Trajectories tab is on screen: its `series` message follows when it opens. */
  series: TrajectorySeries | null;
  /** The loss at the first and the last entry (for the status line), null without entries. */
  lossEnds: [number, number] | null;
  stopped: RunStop | null;
  /** Milliseconds spent parsing and training (shown small, for the curious). */
  timing: { parseMs: number; trainMs: number };
  /** Translated notes on how the file was read (from disk, no live updates; Windows-1251), if any. */
  notes?: string[];
  /**
   * The epoch on display for this run, in the same message so that the view draws a run once (one
   * message per run instead of two); null when the run has no entries.
   */
  epoch: EpochMessage | null;
}

/** The tracked document has no usable rows: what is wrong and how to fix it. */
export interface DatasetInvalidMessage {
  type: 'datasetInvalid';
  fileName: string;
  /** Translated sentences, the first being the main reason. */
  reasons: string[];
  problemCount: number;
}

/** Everything shown for the epoch on display: parameters, gradient, derivation, chosen sample. */
export interface EpochMessage {
  type: 'epoch';
  runId: number;
  epoch: number;
  w: number[];
  b: number;
  loss: number;
  gradW: number[];
  gradB: number;
  gradNorm: number;
  active: number;
  /** Whether no sample is active (a dead neuron: ∇l = 0). */
  dead: boolean;
  derivation: DerivationStep[];
  /** 0-based sample index substituted in the derivation, or null. */
  selectedSample: number | null;
  /**
   * How many of the view's `selectSample` requests the host had applied when it made this message
   * (their `seq`). A smaller number than the view has sent means the view's own newer choice is still
   * on its way, and this message's `selectedSample` is older than it.
   */
  selectionSeq: number;
  sample: SampleDetail | null;
  /** Whether the host is playing through the epochs. */
  playing: boolean;
  /** The first inactive samples (0-based, ascending, at most MAX_INACTIVE_LISTED), for the derivation. */
  inactive: number[];
  /** The fit plot's data, sent only while the Fit tab is on screen (see `showTab`). */
  fit: FitData | null;
  /**
   * Instead of `fit` (then null): only what changed since the full fit of this run the view holds
   * (the host sends the full fit after `ready`, a new run, a tab change or `requestFit`).
   */
  fitChange?: FitChange;
  /**
   * The computation graph of the chosen sample (or the first), sent only while the Graph tab is on
   * screen; built from this message's point, so it follows whatever point is on display.
   */
  graph: ComputationGraph | null;
  /**
   * Whether (w, b) is a probe the student placed on the loss surface, not a point of the trajectory
   * (`epoch` is then the trajectory's epoch still on the scrubber). Absent: on the trajectory.
   */
  probe?: boolean;
}

/** Most inactive samples an `epoch` message lists. */
export const MAX_INACTIVE_LISTED = 100;

/** A page of the sample table at the epoch on display. */
export interface RowsMessage {
  type: 'rows';
  runId: number;
  epoch: number;
  offset: number;
  total: number;
  sort: SortKey;
  descending: boolean;
  rows: SampleRow[];
  /** The chosen sample (0-based) when the page was made, or null (the same as the epoch's). */
  selectedSample: number | null;
  /**
   * The chosen sample's position (0-based) in this order at this epoch, or null when none is chosen:
   * the view scrolls the table to it when the sample was chosen anywhere but in the table.
   */
  selectedRank: number | null;
  /** θ = (w_1 … w_d, b) of the probe these rows are at (the epoch message's w and b), absent on the trajectory. */
  probe?: number[];
}

/** The loss surface, sent when asked for (one feature only). */
export interface SurfaceMessage {
  type: 'surface';
  runId: number;
  surface: LossSurface | null;
}

/** The run's series for the Trajectories tab, when it opens after the run came without them. */
export interface SeriesMessage {
  type: 'series';
  runId: number;
  series: TrajectorySeries;
}

/** One parameter of the finite-difference check (see `GradientCheckMessage`): the engine's own record. */
export type ParameterCheck = ParameterDifferences;

/** The analytic gradient at the point on display beside finite differences of l, sent when asked for. */
export interface GradientCheckMessage {
  type: 'gradientCheck';
  runId: number;
  epoch: number;
  /** w_1 … w_d, then b. */
  parameters: ParameterCheck[];
  /** Samples with u_i exactly 0 (ReLU's kink), and the first of them (0-based) or null. */
  kinkSamples: number;
  firstKink: number | null;
  reluGradAtZero: 0 | 1;
}

export type HostToView =
  | StringsMessage
  | TrainedMessage
  | DatasetInvalidMessage
  | EpochMessage
  | RowsMessage
  | SurfaceMessage
  | GradientCheckMessage
  | SeriesMessage;

// ── View → host ───────────────────────────────────────────────────────────────────────────────────

/** The view is listening: send everything. */
export interface ReadyRequest {
  type: 'ready';
}
/** Show this epoch (0 … entries − 1). */
export interface SeekEpochRequest {
  type: 'seekEpoch';
  epoch: number;
}
/** Substitute this sample (0-based) in the derivation, or none. */
export interface SelectSampleRequest {
  type: 'selectSample';
  index: number | null;
  /** 1 for the view's first choice since it loaded, then 2, 3, …; echoed as `EpochMessage.selectionSeq`. */
  seq: number;
}
/** Reveal this sample's line in the editor. */
export interface RevealSampleRequest {
  type: 'revealSample';
  index: number;
}
/** Send a page of the table. */
export interface RequestRowsRequest {
  type: 'requestRows';
  offset: number;
  count: number;
  sort: SortKey;
  descending: boolean;
}
/** Send the loss surface. */
export interface RequestSurfaceRequest {
  type: 'requestSurface';
}
/**
 * Put a probe at θ = (w_1 … w_d, b) anywhere on the loss (null: back to the trajectory); the host
 * answers with an `epoch` message at that point, marked `probe`.
 */
export interface ProbeRequest {
  type: 'probe';
  theta: number[] | null;
}
/** Send the loss surface as a slice along parameters `axes` through the point on display (more than one feature). */
export interface RequestSliceRequest {
  type: 'requestSlice';
  axes: [number, number];
}
/** Check the gradient at the epoch on display with finite differences (answered by `gradientCheck`). */
export interface CheckGradientRequest {
  type: 'checkGradient';
}
/** Change a setting for this panel's runs (validated by the host, then re-trained). */
export interface SetSettingRequest {
  type: 'setSetting';
  key: RunSettingKey;
  /** The text the user typed, or the chosen option. */
  value: string;
}
/**
 * Choose the target and the features for this panel's runs (names as in the header, each among the
 * file's columns; validated against them). A field left out keeps the panel's earlier choice.
 */
export interface SetColumnsRequest {
  type: 'setColumns';
  target?: string;
  features?: string[];
}
/**
 * Carry out one of a stopped run's fixes in the document, as its Quick Fix does (one undoable edit):
 * `# @lr α` with the run's suggested α, or `# @scale standard`.
 */
export interface StopFixRequest {
  type: 'stopFix';
  fix: 'learning-rate' | 'standardize';
}
/** Forget the settings changed in the panel: the file's and VS Code's apply again. */
export interface ResetSettingsRequest {
  type: 'resetSettings';
}
/** Playback of the epochs: play, pause, one epoch forward, back to epoch 0. */
export interface PlaybackRequest {
  type: 'playback';
  action: 'play' | 'pause' | 'step' | 'reset';
}
/** The view took in this run (its header is written): the host may post the next (panel/postGate.ts). */
export interface RunShownRequest {
  type: 'runShown';
  runId: number;
}
/** Open the Problems panel. */
export interface ShowProblemsRequest {
  type: 'showProblems';
}
/** The view got a `fitChange` it holds no full fit of that run for: send the full fit again. */
export interface RequestFitRequest {
  type: 'requestFit';
}
/** The tab on screen changed: the host sends table rows and fit data only for a tab that shows them. */
export interface ShowTabRequest {
  type: 'showTab';
  tab: ViewState['tab'];
}

export type ViewToHost =
  | ReadyRequest
  | SeekEpochRequest
  | SelectSampleRequest
  | RevealSampleRequest
  | RequestRowsRequest
  | RequestSurfaceRequest
  | CheckGradientRequest
  | RequestSliceRequest
  | ProbeRequest
  | SetSettingRequest
  | SetColumnsRequest
  | StopFixRequest
  | ResetSettingsRequest
  | PlaybackRequest
  | ShowProblemsRequest
  | RunShownRequest
  | RequestFitRequest
  | ShowTabRequest;

/** The view's own state, kept with `setState` and restored after a reload. */
export interface ViewState {
  tab: 'derivation' | 'graph' | 'gradients' | 'trajectories' | 'fit';
  selectedSample: number | null;
  epoch: number | null;
  /** Whether the scrubber follows the last epoch (true) or stays where the user put it. */
  followLatest: boolean;
  sort: SortKey;
  descending: boolean;
  logScale: boolean;
  /** Scroll position of the sample table. */
  scrollTop: number;
  /** Scroll position of the panel itself (the derivation is long), restored when the view is re-created. */
  pageScrollTop?: number;
  /** The document the panel shows, so the host can re-attach after a reload. */
  documentUri?: string;
}

/** Most parameters a `probe` request may carry. */
export const MAX_PROBE_PARAMETERS = 100_001;

/** Most rows one `requestRows` may ask for. */
export const MAX_ROWS_PER_PAGE = 500;
