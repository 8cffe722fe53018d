/**
 * Training settings: their defaults, their ranges, and the per-file `# @key value` syntax.
 *
 * One table drives the CLI flags, the extension's configuration (package.json mirrors it, a unit
 * test checks that), and the comment lines a dataset file may carry.
 */

import { MESSAGES } from './messages';
import { type DatasetProblem, type ProblemCode, datasetProblem } from './problems';

/** What a missing feature value does. */
export type MissingMode = 'skip' | 'mean';

/** Reads `@missing`'s value: `skip` or `mean` (any case), else null. */
export function parseMissingMode(text: string): MissingMode | null {
  const t = text.trim().toLowerCase();
  return t === 'skip' || t === 'mean' ? t : null;
}

/**
 * Feature scaling before training: `none` (the course document's math on the file's numbers),
 * `standard` (x̃_j = (x_j − μ_j)/σ_j) or `minmax` (x̃_j = (x_j − min_j)/(max_j − min_j)); scaling.ts.
 */
export type ScaleMethod = 'none' | 'standard' | 'minmax';

/** The scale methods, in the order the settings list them. */
export const SCALE_METHODS: readonly ScaleMethod[] = ['none', 'standard', 'minmax'];

/** ReLU'(0): 1 is the course document's max rule (`f ≤ g` takes ∂g), 0 is PyTorch's convention. */
export type ReluGradAtZero = 0 | 1;

/** How the parameters start: all zeros, seeded random, or the values given (w_1 … w_d, b). */
export type Initialization = { kind: 'zeros' } | { kind: 'random'; seed: number } | { kind: 'values'; w: readonly number[]; b: number };

/** Everything one training run needs besides the data. */
export interface TrainingSettings {
  /** α in θ_{t+1} = θ_t − α ∇l(θ_t). */
  learningRate: number;
  /** Number of updates; the trajectory has entries 0 … epochs. */
  epochs: number;
  initialization: Initialization;
  reluGradAtZero: ReluGradAtZero;
  /** How the features are scaled before training (applied to the samples, not inside the trainer). */
  scale: ScaleMethod;
}

/** The ranges every source of settings (file, CLI, VS Code settings, panel) is held to. */
export const LIMITS = {
  learningRate: { min: 1e-9, max: 100 },
  epochs: { min: 0, max: 100_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  initValue: { maxAbs: 1e6 },
} as const;

/** The defaults shared by the CLI and the extension (package.json's `contributes.configuration`). */
export const DEFAULT_SETTINGS: Readonly<TrainingSettings> = Object.freeze<TrainingSettings>({
  learningRate: 0.05,
  epochs: 200,
  initialization: { kind: 'zeros' },
  reluGradAtZero: 1,
  scale: 'none',
});

/** Settings a file (or a flag) gives; anything missing falls back to the next source. */
export type SettingsOverride = Partial<TrainingSettings>;

/** Layers settings: later sources win, `undefined` fields are skipped. */
export function mergeSettings(base: TrainingSettings, ...overrides: SettingsOverride[]): TrainingSettings {
  const merged: TrainingSettings = { ...base };
  for (const o of overrides) {
    if (o.learningRate !== undefined) merged.learningRate = o.learningRate;
    if (o.epochs !== undefined) merged.epochs = o.epochs;
    if (o.initialization !== undefined) merged.initialization = o.initialization;
    if (o.reluGradAtZero !== undefined) merged.reluGradAtZero = o.reluGradAtZero;
    if (o.scale !== undefined) merged.scale = o.scale;
  }
  return merged;
}

/** A value read from a setting's text, or the sentence saying why it cannot be used. */
export type SettingValue<T> = { ok: true; value: T } | { ok: false; code: string; message: string; args: string[] };

function fail<T>(code: string, message: string, ...args: string[]): SettingValue<T> {
  return { ok: false, code, message, args };
}

/** A strict decimal number: no hex, no `Infinity`, no trailing junk. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a learning rate such as `0.05` or `5e-2`. */
export function parseLearningRate(text: string): SettingValue<number> {
  const t = text.trim();
  if (!NUMBER.test(t)) return fail('setting-not-a-number', MESSAGES.learningRateNotANumber, t);
  const v = Number(t);
  const { min, max } = LIMITS.learningRate;
  if (!(v >= min && v <= max)) {
    return fail('setting-out-of-range', MESSAGES.learningRateOutOfRange, String(min), String(max), t);
  }
  return { ok: true, value: v };
}

/** Parses a whole number of epochs. */
export function parseEpochs(text: string): SettingValue<number> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return fail('setting-not-an-integer', MESSAGES.epochsNotAnInteger, t);
  const v = Number(t);
  const { min, max } = LIMITS.epochs;
  if (v < min || v > max) {
    return fail('setting-out-of-range', MESSAGES.epochsOutOfRange, String(min), String(max), t);
  }
  return { ok: true, value: v };
}

/** Parses a seed for random initialisation. */
export function parseSeed(text: string): SettingValue<number> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return fail('setting-not-an-integer', MESSAGES.seedNotAnInteger, t);
  const v = Number(t);
  if (v > LIMITS.seed.max) {
    return fail('setting-out-of-range', MESSAGES.seedOutOfRange, '0', String(LIMITS.seed.max), t);
  }
  return { ok: true, value: v };
}

/** Parses ReLU'(0): `1` (the document's rule) or `0` (PyTorch's). */
export function parseReluGradAtZero(text: string): SettingValue<ReluGradAtZero> {
  const t = text.trim();
  if (t === '1') return { ok: true, value: 1 };
  if (t === '0') return { ok: true, value: 0 };
  return fail('setting-out-of-range', MESSAGES.reluGradAtZeroOutOfRange, t);
}

/** Parses a scale method: `none`, `standard` or `minmax` (any case). */
export function parseScaleMethod(text: string): SettingValue<ScaleMethod> {
  const t = text.trim();
  const m = SCALE_METHODS.find((k) => k === t.toLowerCase());
  return m === undefined ? fail('setting-out-of-range', MESSAGES.scaleMethodBad, t) : { ok: true, value: m };
}

/**
 * Parses an initialisation: `zeros`, `random` (seed 0), `random 42`, or the numbers `w_1 … w_d b`
 * separated by commas or spaces. The count is checked against d later, when the header is known.
 */
export function parseInitialization(text: string): SettingValue<Initialization> {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'zeros' || lower === 'zero') return { ok: true, value: { kind: 'zeros' } };
  const random = /^random(?:\s+(\S+))?$/.exec(lower);
  if (random) {
    const seed = random[1] === undefined ? { ok: true as const, value: 0 } : parseSeed(random[1]);
    return seed.ok ? { ok: true, value: { kind: 'random', seed: seed.value } } : seed;
  }
  const parts = t.split(/[\s,]+/).filter((p) => p.length > 0);
  if (parts.length < 2) {
    return fail('setting-bad-init', MESSAGES.badInitialization, t);
  }
  const values: number[] = [];
  for (const p of parts) {
    if (!NUMBER.test(p)) return fail('setting-not-a-number', MESSAGES.initValueNotANumber, p);
    const v = Number(p);
    if (!(Math.abs(v) <= LIMITS.initValue.maxAbs)) {
      return fail('setting-out-of-range', MESSAGES.initValueOutOfRange, String(LIMITS.initValue.maxAbs), p);
    }
    values.push(v);
  }
  return { ok: true, value: { kind: 'values', w: values.slice(0, -1), b: values[values.length - 1] } };
}

/** The keys a `# @key value` line may use, with their aliases. */
export const SETTING_KEYS = [
  'lr',
  'epochs',
  'init',
  'seed',
  'relu-grad-at-zero',
  'target',
  'features',
  'ignore',
  'missing',
  'scale',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

const KEY_ALIASES: Record<string, SettingKey> = {
  lr: 'lr',
  'learning-rate': 'lr',
  alpha: 'lr',
  epochs: 'epochs',
  init: 'init',
  seed: 'seed',
  'relu-grad-at-zero': 'relu-grad-at-zero',
  "relu'(0)": 'relu-grad-at-zero',
  target: 'target',
  features: 'features',
  feature: 'features',
  ignore: 'ignore',
  missing: 'missing',
  scale: 'scale',
  scaling: 'scale',
};

/** Resolves a key as written in a file (case-insensitive, aliases allowed). */
export function settingKey(written: string): SettingKey | undefined {
  return KEY_ALIASES[written.toLowerCase()];
}

/** A printable description of an initialisation, e.g. for the CLI and the panel. */
export function describeInitialization(init: Initialization): string {
  switch (init.kind) {
    case 'zeros':
      return 'zeros';
    case 'random':
      return `random ${init.seed}`;
    case 'values':
      return [...init.w, init.b].join(', ');
  }
}

/** The settings a panel control may change. */
export type SettingName = keyof TrainingSettings;

/**
 * Reads one setting as typed in the panel (for `d` features) into an override, or says why it cannot
 * be used: the same parsers and ranges as the file's `# @key` lines and the CLI's flags.
 */
export function parseSettingOverride(name: SettingName, text: string, d: number): SettingValue<SettingsOverride> {
  switch (name) {
    case 'learningRate': {
      const r = parseLearningRate(text);
      return r.ok ? { ok: true, value: { learningRate: r.value } } : r;
    }
    case 'epochs': {
      const r = parseEpochs(text);
      return r.ok ? { ok: true, value: { epochs: r.value } } : r;
    }
    case 'reluGradAtZero': {
      const r = parseReluGradAtZero(text);
      return r.ok ? { ok: true, value: { reluGradAtZero: r.value } } : r;
    }
    case 'initialization': {
      const r = parseInitialization(text);
      if (!r.ok) return r;
      if (r.value.kind === 'values' && r.value.w.length !== d) {
        return fail('init-wrong-count', MESSAGES.initCountForPanel, String(d + 1), String(d));
      }
      return { ok: true, value: { initialization: r.value } };
    }
    case 'scale': {
      const r = parseScaleMethod(text);
      return r.ok ? { ok: true, value: { scale: r.value } } : r;
    }
  }
}

/** Panel settings as kept between sessions: each one as the text the panel shows for it. */
export type StoredOverride = Partial<Record<SettingName, string>>;

/** `o` in the form kept between sessions (see `overrideFromStorage`). */
export function overrideToStorage(o: SettingsOverride): StoredOverride {
  const stored: StoredOverride = {};
  if (o.learningRate !== undefined) stored.learningRate = String(o.learningRate);
  if (o.epochs !== undefined) stored.epochs = String(o.epochs);
  if (o.initialization !== undefined) stored.initialization = describeInitialization(o.initialization);
  if (o.reluGradAtZero !== undefined) stored.reluGradAtZero = String(o.reluGradAtZero);
  if (o.scale !== undefined) stored.scale = o.scale;
  return stored;
}

/**
 * Panel settings read back from storage: each field kept only if the engine's own parser accepts its
 * text, so a damaged or outdated entry loses that field, never the run. (Explicit initial values
 * whose count no longer matches d fall back to zeros in the engine, as the file's `@init` does.)
 */
export function overrideFromStorage(raw: unknown): SettingsOverride {
  const o: SettingsOverride = {};
  if (typeof raw !== 'object' || raw === null) return o;
  const text = (key: SettingName): string | undefined => {
    const v = (raw as Record<string, unknown>)[key];
    return typeof v === 'string' && v.length <= 10_000 ? v : undefined;
  };
  const read = <T>(key: SettingName, parse: (t: string) => SettingValue<T>, set: (v: T) => void) => {
    const t = text(key);
    const r = t === undefined ? undefined : parse(t);
    if (r?.ok) set(r.value);
  };
  read('learningRate', parseLearningRate, (v) => (o.learningRate = v));
  read('epochs', parseEpochs, (v) => (o.epochs = v));
  read('initialization', parseInitialization, (v) => (o.initialization = v));
  read('reluGradAtZero', parseReluGradAtZero, (v) => (o.reluGradAtZero = v));
  read('scale', parseScaleMethod, (v) => (o.scale = v));
  return o;
}

// The file's own lines: `# @key value`, read in order when the dataset is assembled (dataset.ts).

const SETTING_LINE = /^\s*#\s*@([^\s=:]*)\s*[=:]?\s*(.*?)\s*$/;

/** Reads a `# @key value` comment into `settings`; returns a problem if it cannot be used. */
export function parseSettingLine(
  text: string,
  line0: number,
  settings: SettingsOverride & { seed?: number },
  seenKeys: Map<SettingKey, number>,
): DatasetProblem | null {
  const m = SETTING_LINE.exec(text);
  if (!m) return null;
  const [, written, value] = m;
  const keyAt = text.indexOf('@') + 1;
  const valueAt = value.length > 0 ? text.lastIndexOf(value) : text.length;
  const key = settingKey(written);
  if (!key) {
    return datasetProblem(line0, keyAt, written.length, 'unknown-setting', MESSAGES.unknownSetting, [written]);
  }
  const earlier = seenKeys.get(key);
  if (earlier !== undefined) {
    return datasetProblem(
      line0,
      keyAt,
      written.length,
      'duplicate-setting',
      MESSAGES.duplicateSetting,
      [written, String(earlier + 1)],
      'warning',
    );
  }
  seenKeys.set(key, line0);
  if (value.length === 0) {
    return datasetProblem(line0, keyAt, written.length, 'setting-without-value', MESSAGES.settingWithoutValue, [written]);
  }
  const apply = <T>(r: SettingValue<T>, set: (v: T) => void): DatasetProblem | null => {
    if (r.ok) {
      set(r.value);
      return null;
    }
    return datasetProblem(line0, valueAt, value.length, r.code as ProblemCode, r.message, r.args);
  };
  switch (key) {
    case 'lr':
      return apply(parseLearningRate(value), (v) => (settings.learningRate = v));
    case 'epochs':
      return apply(parseEpochs(value), (v) => (settings.epochs = v));
    case 'init':
      return apply<Initialization>(parseInitialization(value), (v) => (settings.initialization = v));
    case 'seed':
      return apply(parseSeed(value), (v) => (settings.seed = v));
    case 'relu-grad-at-zero':
      return apply(parseReluGradAtZero(value), (v) => (settings.reluGradAtZero = v));
    case 'scale':
      return apply(parseScaleMethod(value), (v) => (settings.scale = v));
    case 'missing':
      return parseMissingMode(value)
        ? null
        : datasetProblem(line0, valueAt, value.length, 'setting-out-of-range', MESSAGES.missingModeBad, [value]);
    case 'target':
    case 'features':
    case 'ignore':
      return null; // the column roles, read by columns.ts
  }
}

const SETTING_START = /^\s*#\s*@/;

/** Whether a line is a `# @key value` setting (rather than a plain comment). */
export function isSettingLine(text: string): boolean {
  return SETTING_START.test(text);
}

/** Applies `@seed` to a random `@init` and checks an explicit `@init` has d + 1 values. */
export function finishFileSettings(
  s: SettingsOverride & { seed?: number },
  d: number,
  initLine: number,
  lines: readonly string[],
  problems: DatasetProblem[],
): SettingsOverride {
  const { seed, ...settings } = s;
  if (seed !== undefined && (settings.initialization === undefined || settings.initialization.kind === 'random')) {
    settings.initialization = { kind: 'random', seed };
  }
  const init = settings.initialization;
  if (init?.kind === 'values' && d > 0 && init.w.length !== d) {
    problems.push(
      datasetProblem(initLine, 0, lines[initLine].length, 'init-wrong-count', MESSAGES.initWrongCount, [
        String(d + 1),
        String(d),
        String(init.w.length + 1),
      ]),
    );
    delete settings.initialization;
  }
  return settings;
}
