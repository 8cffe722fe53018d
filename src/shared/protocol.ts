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
import type { SampleDetail } from '../engine/neuron';

// ── Shared data shapes ────────────────────────────────────────────────────────────────────────────

/** The settings a run used, as the panel's controls show them. */
export interface RunSettings {
  learningRate: number;
  epochs: number;
  /** `zeros`, `random 42`, or `w1, …, wd, b`. */
  initialization: string;
  reluGradAtZero: 0 | 1;
  /** Which settings the file itself sets (`# @lr …`), so the panel can say where a value comes from. */
  fromFile: Array<'learningRate' | 'epochs' | 'initialization' | 'reluGradAtZero'>;
  /** Which settings were changed in this panel (kept across reloads until reset). */
  fromPanel: Array<'learningRate' | 'epochs' | 'initialization' | 'reluGradAtZero'>;
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
};

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
  /** Problems (errors and warnings) in the Problems panel for this file. */
  problemCount: number;
  settings: RunSettings;
  /** Entries recorded: epochs + 1 for a completed run. */
  entries: number;
  series: TrajectorySeries;
  stopped: RunStop | null;
  /** Milliseconds spent parsing and training (shown small, for the curious). */
  timing: { parseMs: number; trainMs: number };
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
}

/** The loss surface, sent when asked for (one feature only). */
export interface SurfaceMessage {
  type: 'surface';
  runId: number;
  surface: LossSurface | null;
}

/** One parameter of the finite-difference check (see `GradientCheckMessage`). */
export interface ParameterCheck {
  analytic: number;
  /** (l(θ + h) − l(θ − h)) / 2h */
  central: number;
  /** One-sided: (l(θ + h) − l(θ)) / h and (l(θ) − l(θ − h)) / h. */
  forward: number;
  backward: number;
  /** |analytic − central| / max(|analytic|, |central|) */
  relative: number;
  h: number;
}

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
  StringsMessage | TrainedMessage | DatasetInvalidMessage | EpochMessage | RowsMessage | SurfaceMessage | GradientCheckMessage;

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
  key: 'learningRate' | 'epochs' | 'initialization' | 'reluGradAtZero';
  /** The text the user typed, or the chosen option. */
  value: string;
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
/** Open the Problems panel. */
export interface ShowProblemsRequest {
  type: 'showProblems';
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
  | ResetSettingsRequest
  | PlaybackRequest
  | ShowProblemsRequest
  | ShowTabRequest;

/** The view's own state, kept with `setState` and restored after a reload. */
export interface ViewState {
  tab: 'derivation' | 'gradients' | 'trajectories' | 'fit';
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
