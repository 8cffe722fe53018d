/** The engine as a contender: full-batch gradient descent by TrainingSession, on one thread or across RowThreads. */
import { DEFAULT_SETTINGS, type RowThreads, type Samples, type TrainingSettings, TrainingSession, mergeSettings } from '../src/engine';
import { now } from './timing';

/** The run every contender does: lr α, E epochs, θ_0, and ReLU'(0) = 0 (TensorFlow.js's relu gradient, step(0) = 0). */
export interface RunConfig {
  learningRate: number;
  epochs: number;
  theta0: { w: number[]; b: number };
}

export function engineSettings(c: RunConfig): TrainingSettings {
  return mergeSettings(DEFAULT_SETTINGS, {
    learningRate: c.learningRate,
    epochs: c.epochs,
    initialization: { kind: 'values', w: c.theta0.w, b: c.theta0.b },
    reluGradAtZero: 0,
  });
}

/**
 * One training run: milliseconds of `step` (the session's buffers are allocated before the clock starts), and l_0 … l_{E−1}.
 * With `threads`, the rows are split across them wherever the data is large enough, however short the run.
 */
export function trainEngine(samples: Samples, settings: TrainingSettings, threads?: RowThreads): { ms: number; losses: Float64Array } {
  const session = new TrainingSession(samples, settings, { threads, minThreadedWork: 0 });
  const t0 = now();
  session.step(Number.POSITIVE_INFINITY);
  const ms = now() - t0;
  if (session.stopped) throw new Error(`the engine stopped: ${session.stopped.message}`);
  return { ms, losses: session.trajectory.loss.subarray(0, settings.epochs) };
}

/** Milliseconds per epoch of the engine on `samples`, best of `k` runs of `epochs` epochs. */
export function engineEpochMs(samples: Samples, settings: TrainingSettings, k: number, threads?: RowThreads): number {
  trainEngine(samples, settings, threads);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < k; i++) best = Math.min(best, trainEngine(samples, settings, threads).ms);
  return best / settings.epochs;
}
