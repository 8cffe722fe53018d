/**
 * Validation of what the webview sends: anything not exactly one of the `ViewToHost` shapes, with
 * numbers in range, is dropped. Pure, so it is unit-tested in Node.
 */
import { MAX_PROBE_PARAMETERS, MAX_ROWS_PER_PAGE, SORT_KEYS, type SortKey, type ViewToHost } from './protocol';

const SETTING_KEYS = ['learningRate', 'epochs', 'initialization', 'reluGradAtZero', 'scale'] as const;
const STOP_FIXES = ['learning-rate', 'standardize'] as const;
const PLAYBACK = ['play', 'pause', 'step', 'reset'] as const;
const TABS = ['derivation', 'graph', 'gradients', 'trajectories', 'fit'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown, limit = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= limit;
}

function oneOf<T extends string>(v: unknown, options: readonly T[]): v is T {
  return typeof v === 'string' && (options as readonly string[]).includes(v);
}

/**
 * A `setColumns` request whose names are all among `columns` (the file's header, exactly as written):
 * a target, features without repeats; null when any name is not a column or nothing is chosen.
 */
function parseSetColumns(raw: Record<string, unknown>, columns: readonly string[]): ViewToHost | null {
  const isColumn = (v: unknown): v is string => typeof v === 'string' && columns.includes(v);
  const out: { type: 'setColumns'; target?: string; features?: string[] } = { type: 'setColumns' };
  if (raw.target !== undefined) {
    if (!isColumn(raw.target)) return null;
    out.target = raw.target;
  }
  if (raw.features !== undefined) {
    const f = raw.features;
    if (!Array.isArray(f) || f.length === 0 || f.length > columns.length || !f.every(isColumn)) return null;
    if (new Set(f).size !== f.length) return null;
    out.features = f as string[];
  }
  return out.target === undefined && out.features === undefined ? null : out;
}

/** A parameter vector: 1 … MAX_PROBE_PARAMETERS finite numbers. */
function isTheta(v: unknown): v is number[] {
  return (
    Array.isArray(v) &&
    v.length >= 1 &&
    v.length <= MAX_PROBE_PARAMETERS &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= 1e15)
  );
}

/**
 * The message as a `ViewToHost`, or null if it is not one. Extra keys are ignored. `columns`: the
 * shown file's columns, which a `setColumns` request must name.
 */
export function parseViewMessage(raw: unknown, columns: readonly string[] = []): ViewToHost | null {
  if (!isRecord(raw) || typeof raw.type !== 'string') return null;
  switch (raw.type) {
    case 'ready':
    case 'requestSurface':
    case 'checkGradient':
    case 'resetSettings':
    case 'showProblems':
    case 'requestFit':
      return { type: raw.type };
    case 'seekEpoch':
      return isIndex(raw.epoch) ? { type: 'seekEpoch', epoch: raw.epoch } : null;
    case 'selectSample':
      return (raw.index === null || isIndex(raw.index)) && isIndex(raw.seq)
        ? { type: 'selectSample', index: raw.index, seq: raw.seq }
        : null;
    case 'revealSample':
      return isIndex(raw.index) ? { type: 'revealSample', index: raw.index } : null;
    case 'requestRows':
      return isIndex(raw.offset) &&
        isIndex(raw.count, MAX_ROWS_PER_PAGE) &&
        oneOf<SortKey>(raw.sort, SORT_KEYS) &&
        typeof raw.descending === 'boolean'
        ? { type: 'requestRows', offset: raw.offset, count: raw.count, sort: raw.sort, descending: raw.descending }
        : null;
    case 'setSetting':
      return oneOf(raw.key, SETTING_KEYS) && typeof raw.value === 'string' && raw.value.length <= 10_000
        ? { type: 'setSetting', key: raw.key, value: raw.value }
        : null;
    case 'setColumns':
      return parseSetColumns(raw, columns);
    case 'stopFix':
      return oneOf(raw.fix, STOP_FIXES) ? { type: 'stopFix', fix: raw.fix } : null;
    case 'requestSlice':
      return Array.isArray(raw.axes) &&
        raw.axes.length === 2 &&
        isIndex(raw.axes[0], MAX_PROBE_PARAMETERS) &&
        isIndex(raw.axes[1], MAX_PROBE_PARAMETERS) &&
        raw.axes[0] !== raw.axes[1]
        ? { type: 'requestSlice', axes: [raw.axes[0], raw.axes[1]] }
        : null;
    case 'probe':
      return raw.theta === null || isTheta(raw.theta) ? { type: 'probe', theta: raw.theta === null ? null : raw.theta.slice() } : null;
    case 'playback':
      return oneOf(raw.action, PLAYBACK) ? { type: 'playback', action: raw.action } : null;
    case 'runShown':
      return isIndex(raw.runId) ? { type: 'runShown', runId: raw.runId } : null;
    case 'showTab':
      return oneOf(raw.tab, TABS) ? { type: 'showTab', tab: raw.tab } : null;
    default:
      return null;
  }
}
