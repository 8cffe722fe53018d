/**
 * Full-batch gradient descent, θ_{t+1} = θ_t − α ∇l(θ_t), keeping the whole trajectory.
 *
 * Entry t of the trajectory holds θ_t (the parameters *before* update t) and l, ∇l and the active
 * count at θ_t; a run of E epochs has entries 0 … E. Everything is Float64 and summed in row order,
 * so the same data and settings give the same bits.
 */
import { type Evaluation, type Samples, createEvaluation } from './samples';
import { chooseEvaluator } from './fast/choose';
import type { Evaluator } from './fast/serial';
import type { RowThreads } from './fast/threads';
import { type Initialization, LIMITS, type TrainingSettings } from './settings';
import { formatRate, formatTemplate } from './format';
import { MESSAGES } from './messages';
import { scalingAdvised } from './scaling';

/** Why a run ended before its last epoch. */
export interface StopReason {
  /**
   * `diverged`: the loss or a parameter stopped being finite, or the loss exploded; entry `epoch` is
   * not recorded. `died`: a step left every sample inactive at a loss no lower than before
   * (an overshoot, not a fit), so ∇l = 0 and descent can never move again; entry `epoch` is the first dead one and is recorded.
   */
  reason: 'diverged' | 'died';
  epoch: number;
  /** English sentence: what happened and what to change. */
  message: string;
  /** The sentence's template (`{0}`… placeholders) and arguments, for translations. */
  template: string;
  args: string[];
  /**
   * 2/λ_max of H = (2/N) Σ (x_i, 1)(x_i, 1)ᵀ, the Hessian if every sample were active: any α below it
   * is stable near a minimum (sufficient, not necessary).
   */
  stabilityBound: number;
  /**
   * A learning rate to try: the largest of 1, 2, 5 × 10^k below the bound with which a trial run of
   * the same epochs neither diverges nor dies (0 when none of the rates tried does, or every one is
   * below the smallest rate a setting accepts, `LIMITS.learningRate.min`).
   */
  suggestedLearningRate: number;
  /**
   * Whether the message advises standardizing the features first (`# @scale standard`): scaling is
   * off and the bound is tiny or the features' spreads differ a lot (scaling.ts, `scalingAdvised`).
   */
  scalingAdvised: boolean;
}

/** The whole history of one run, in flat typed arrays (w of entry t at `w[t * d + j]`). */
export interface Trajectory {
  d: number;
  /** Number of entries: epochs + 1 for a completed run. */
  length: number;
  w: Float64Array;
  b: Float64Array;
  loss: Float64Array;
  gradW: Float64Array;
  gradB: Float64Array;
  active: Int32Array;
}

/** What `trainNeuron` returns. */
export interface TrainingRun {
  settings: TrainingSettings;
  trajectory: Trajectory;
  stopped: StopReason | null;
}

/** A run is called diverged when the loss grows past this many times its starting value. */
export const DIVERGENCE_FACTOR = 1e12;

/** Deterministic uniform numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * θ_0 from an initialisation. Random draws w_j, b uniformly from [−1/√d, 1/√d].
 * Explicit values whose count does not match d fall back to zeros (the parser reports that).
 */
export function initialParameters(init: Initialization, d: number): { w: Float64Array; b: number } {
  const w = new Float64Array(d);
  switch (init.kind) {
    case 'zeros':
      return { w, b: 0 };
    case 'values':
      if (init.w.length !== d) return { w, b: 0 };
      w.set(init.w);
      return { w, b: init.b };
    case 'random': {
      const next = seededUniform(init.seed);
      const r = 1 / Math.sqrt(Math.max(d, 1));
      for (let j = 0; j < d; j++) w[j] = (2 * next() - 1) * r;
      return { w, b: (2 * next() - 1) * r };
    }
  }
}

/** Allocates a trajectory for `entries` entries. */
export function allocateTrajectory(d: number, entries: number): Trajectory {
  return {
    d,
    length: 0,
    w: new Float64Array(entries * d),
    b: new Float64Array(entries),
    loss: new Float64Array(entries),
    gradW: new Float64Array(entries * d),
    gradB: new Float64Array(entries),
    active: new Int32Array(entries),
  };
}

/** θ_t of a trajectory as a fresh vector (for the panel, the hover and the derivation). */
export function weightsAt(t: Trajectory, epoch: number): Float64Array {
  return t.w.slice(epoch * t.d, epoch * t.d + t.d);
}

/** ∂l/∂w at entry `epoch` as a fresh vector. */
export function gradWAt(t: Trajectory, epoch: number): Float64Array {
  return t.gradW.slice(epoch * t.d, epoch * t.d + t.d);
}

/** How a `TrainingSession` may run its epochs (fast/choose.ts decides within these). */
export interface SessionOptions {
  /** Helper threads for long runs on large data (the same bits as one thread). */
  threads?: RowThreads;
  /** Whether the WebAssembly kernel may run (default true). */
  wasm?: boolean;
  /** Overrides FAST_PATHS.MIN_THREADED_WORK (the benchmark). */
  minThreadedWork?: number;
  /** A trial run that checks a suggested learning rate (its stop suggests none). */
  trial?: boolean;
}

/**
 * The stepping state of a run: `TrainingSession.step` runs a bounded number of epochs so that a
 * caller (the extension host, a worker) can interleave other work and cancel between chunks.
 */
export class TrainingSession {
  readonly trajectory: Trajectory;
  stopped: StopReason | null = null;
  private readonly w: Float64Array;
  private b: number;
  private readonly evaluation: Evaluation;
  /** Evaluates l and ∇l each epoch: the fast path fast/choose.ts picks for this run. */
  readonly evaluator: Evaluator;
  private bestLoss = Number.POSITIVE_INFINITY;

  /** A run that only checks a suggested rate: its own stop does not look for a rate in turn. */
  private readonly trial: boolean;

  constructor(
    private readonly samples: Samples,
    readonly settings: TrainingSettings,
    options: SessionOptions = {},
  ) {
    this.trial = options.trial ?? false;
    const theta0 = initialParameters(settings.initialization, samples.d);
    this.w = theta0.w;
    this.b = theta0.b;
    this.evaluation = createEvaluation(samples.d);
    this.evaluator = chooseEvaluator(samples, { ...options, reluGradAtZero: settings.reluGradAtZero, epochs: settings.epochs });
    this.trajectory = allocateTrajectory(samples.d, settings.epochs + 1);
  }

  /** Whether every entry 0 … epochs is recorded or the run stopped. */
  get done(): boolean {
    return this.stopped !== null || this.trajectory.length === this.settings.epochs + 1;
  }

  /** Records up to `maxEntries` more entries (evaluate at θ_t, store, update). Returns entries recorded. */
  step(maxEntries: number): number {
    const { samples, settings, trajectory: tr, w, evaluation: ev } = this;
    const d = samples.d;
    const alpha = settings.learningRate;
    let recorded = 0;
    while (recorded < maxEntries && !this.done) {
      const t = tr.length;
      this.evaluator.evaluateInto(w, this.b, ev);
      if (!isUsable(ev, w, this.b, t === 0 ? ev.loss : tr.loss[0])) {
        this.stopped = overshoot(samples, settings, t, Number.isFinite(ev.loss) ? 'exploded' : 'non-finite', !this.trial);
        break;
      }
      tr.w.set(w, t * d);
      tr.b[t] = this.b;
      tr.loss[t] = ev.loss;
      tr.gradW.set(ev.gradW, t * d);
      tr.gradB[t] = ev.gradB;
      tr.active[t] = ev.active;
      tr.length = t + 1;
      recorded++;
      const best = this.bestLoss;
      this.bestLoss = Math.min(best, ev.loss);
      if (ev.active === 0 && t > 0 && tr.active[t - 1] > 0 && ev.loss >= best) {
        this.stopped = overshoot(samples, settings, t, 'died', !this.trial);
        break;
      }
      // θ_{t+1} = θ_t − α ∇l(θ_t)
      for (let j = 0; j < d; j++) w[j] -= alpha * ev.gradW[j];
      this.b -= alpha * ev.gradB;
    }
    return recorded;
  }
}

function isUsable(ev: Evaluation, w: Float64Array, b: number, loss0: number): boolean {
  if (!Number.isFinite(ev.loss) || !Number.isFinite(b) || !Number.isFinite(ev.gradB)) return false;
  for (let j = 0; j < w.length; j++) if (!Number.isFinite(w[j]) || !Number.isFinite(ev.gradW[j])) return false;
  return !(ev.loss > DIVERGENCE_FACTOR * Math.max(loss0, Number.MIN_VALUE) && ev.loss > 1);
}

/** Trains to completion (or until it diverges), synchronously. */
export function trainNeuron(samples: Samples, settings: TrainingSettings): TrainingRun {
  const session = new TrainingSession(samples, settings);
  session.step(Number.POSITIVE_INFINITY);
  return { settings, trajectory: session.trajectory, stopped: session.stopped };
}

/**
 * λ_max of H = (2/N) Σ (x_i, 1)(x_i, 1)ᵀ, the loss's Hessian if every sample were active. The Hessian
 * at a point, (2/N) Σ a_i (x_i, 1)(x_i, 1)ᵀ, is never larger, so α < 2/λ_max is stable for any active
 * set: a sufficient bound, not a necessary one (course.csv: 0.170 here, 0.240 at its minimum).
 * Power iteration on the (d+1)×(d+1) matrix.
 */
export function hessianLambdaMax(s: Samples): number {
  const { n, d, x } = s;
  const m = d + 1;
  if (n === 0) return 0;
  const h = new Float64Array(m * m);
  const v = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) v[j] = x[i * d + j];
    v[d] = 1;
    for (let p = 0; p < m; p++) for (let q = p; q < m; q++) h[p * m + q] += v[p] * v[q];
  }
  for (let p = 0; p < m; p++) for (let q = p; q < m; q++) h[q * m + p] = h[p * m + q] = (2 / n) * h[p * m + q];
  // A start vector with no symmetry, so it is not orthogonal to the top eigenvector.
  const draw = seededUniform(1);
  let vec = Float64Array.from({ length: m }, () => 0.5 + draw());
  let lambda = 0;
  for (let iter = 0; iter < 500; iter++) {
    const next = new Float64Array(m);
    for (let p = 0; p < m; p++) {
      let acc = 0;
      for (let q = 0; q < m; q++) acc += h[p * m + q] * vec[q];
      next[p] = acc;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) return 0;
    for (let p = 0; p < m; p++) next[p] /= norm;
    const converged = Math.abs(norm - lambda) <= 1e-12 * norm;
    lambda = norm;
    vec = next;
    if (converged) break;
  }
  return lambda;
}

/** Rounds down to 1, 2 or 5 times a power of ten: a rate a student can type (exactly `5e-6`, not 4.99…e-6). */
export function niceBelow(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 0;
  let e = Math.floor(Math.log10(v));
  for (;;) {
    for (const k of [5, 2, 1]) {
      const rate = Number(`${k}e${e}`);
      if (rate <= v) return rate;
    }
    e--;
  }
}

/** The round rate next below `rate` (1, 2, 5 × 10^k): 0.5 → 0.2 → 0.1 → 0.05. */
function nextRoundBelow(rate: number): number {
  return niceBelow(rate * (1 - 1e-9));
}

/** How many round rates below the bound a failed run tries before giving up (a factor of 10⁴). */
const SUGGESTION_TRIES = 12;

/**
 * Values a trial run may read, N·(d + 1)·epochs (a few milliseconds): the trials run where the failed
 * run ran, in the training worker, and cannot be cancelled by a newer edit, so on large data a trial
 * checks the first epochs only (where an overshoot shows) rather than the whole run.
 */
const TRIAL_MAX_WORK = 20_000_000;

/** The epochs a trial run checks: the run's own, or fewer on large data (at least 16). */
export function trialEpochs(n: number, d: number, epochs: number): number {
  return Math.min(epochs, Math.max(16, Math.floor(TRIAL_MAX_WORK / Math.max(1, n * (d + 1)))));
}

/**
 * The largest round rate strictly below `bound` with which the same data and initialisation train
 * without diverging or dying and end below the starting loss, over the run's epochs (`trialEpochs` on
 * large data); 0 when none of the rates tried do.
 */
export function suggestLearningRate(s: Samples, settings: TrainingSettings, bound: number): number {
  let rate = Number.isFinite(bound) ? nextRoundBelow(bound) : niceBelow(settings.learningRate / 2);
  const epochs = trialEpochs(s.n, s.d, settings.epochs);
  for (let k = 0; k < SUGGESTION_TRIES && rate >= LIMITS.learningRate.min; k++, rate = nextRoundBelow(rate)) {
    const trial = new TrainingSession(s, { ...settings, learningRate: rate, epochs }, { trial: true });
    trial.step(Number.POSITIVE_INFINITY);
    const t = trial.trajectory;
    if (trial.stopped === null && (t.length < 2 || t.loss[t.length - 1] <= t.loss[0])) return rate;
  }
  return 0;
}

const STOP_TEMPLATES = {
  'non-finite': MESSAGES.divergedNonFinite,
  exploded: MESSAGES.divergedExploded,
  died: MESSAGES.died,
} as const;

/** The same, advising `# @scale standard` first and a learning rate second. */
const STOP_TEMPLATES_SCALE = {
  'non-finite': MESSAGES.divergedNonFiniteScale,
  exploded: MESSAGES.divergedExplodedScale,
  died: MESSAGES.diedScale,
} as const;

/** Advising `# @scale standard` alone: no rate a setting accepts trains these raw features. */
const STOP_TEMPLATES_SCALE_ONLY = {
  'non-finite': MESSAGES.divergedNonFiniteScaleOnly,
  exploded: MESSAGES.divergedExplodedScaleOnly,
  died: MESSAGES.diedScaleOnly,
} as const;

function overshoot(s: Samples, settings: TrainingSettings, epoch: number, what: keyof typeof STOP_TEMPLATES, suggest: boolean): StopReason {
  const lambda = hessianLambdaMax(s);
  const bound = lambda > 0 ? 2 / lambda : Number.POSITIVE_INFINITY;
  const suggested = suggest ? suggestLearningRate(s, settings, bound) : 0;
  // With scaling on, `s` holds x̃ already: the advice is a learning rate alone.
  const advised = settings.scale === 'none' && scalingAdvised(s, bound);
  const template = (advised ? (suggested > 0 || !suggest ? STOP_TEMPLATES_SCALE : STOP_TEMPLATES_SCALE_ONLY) : STOP_TEMPLATES)[what];
  const args = [String(epoch), formatRate(settings.learningRate), bound.toPrecision(3), formatRate(suggested)];
  return {
    reason: what === 'died' ? 'died' : 'diverged',
    epoch,
    stabilityBound: bound,
    suggestedLearningRate: suggested,
    scalingAdvised: advised,
    template,
    args,
    message: formatTemplate(template, args),
  };
}
