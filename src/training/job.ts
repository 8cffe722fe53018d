/**
 * One training job: dataset text → parsed samples, problems and trajectory. Runs in the training
 * worker (or inline as a fallback); no `vscode` here.
 */
import {
  type Dataset,
  type SettingsOverride,
  type StopReason,
  type Trajectory,
  type TrainingSettings,
  TrainingSession,
  mergeSettings,
  parseDataset,
} from '../engine';

/** What a job needs: the document's text and the settings from VS Code and from the panel. */
export interface JobInput {
  text: string;
  /** VS Code settings (lowest precedence). */
  base: TrainingSettings;
  /** Changes made in the panel (highest precedence, above the file's `# @key` lines). */
  overrides: SettingsOverride;
}

/** What a job yields. */
export interface JobResult {
  dataset: Dataset;
  settings: TrainingSettings;
  trajectory: Trajectory | null;
  stopped: StopReason | null;
  timing: { parseMs: number; trainMs: number };
}

/** Epochs per chunk, scaled so one chunk is about a million multiply-adds. */
export function chunkEpochs(n: number, d: number): number {
  return Math.max(1, Math.floor(1_000_000 / Math.max(1, n * (d + 1))));
}

/**
 * Parses and trains, calling `shouldStop` between chunks of epochs; returns null when it says stop
 * (a newer edit has superseded this one).
 */
export function runJob(input: JobInput, shouldStop: () => boolean = () => false, now: () => number = () => performance.now()): JobResult | null {
  if (shouldStop()) return null;
  const t0 = now();
  const dataset = parseDataset(input.text);
  const parseMs = now() - t0;
  const settings = mergeSettings(input.base, dataset.settings, input.overrides);
  if (dataset.n === 0) {
    return { dataset, settings, trajectory: null, stopped: null, timing: { parseMs, trainMs: 0 } };
  }
  if (shouldStop()) return null;
  const t1 = now();
  const session = new TrainingSession(dataset, settings);
  const chunk = chunkEpochs(dataset.n, dataset.d);
  while (!session.done) {
    session.step(chunk);
    if (shouldStop()) return null;
  }
  return { dataset, settings, trajectory: session.trajectory, stopped: session.stopped, timing: { parseMs, trainMs: now() - t1 } };
}

/** The typed arrays of a result, to transfer (not copy) from the worker. */
export function transferables(r: JobResult): ArrayBuffer[] {
  const buffers: ArrayBufferLike[] = [r.dataset.x.buffer, r.dataset.y.buffer, r.dataset.sampleLines.buffer];
  if (r.trajectory) {
    const t = r.trajectory;
    buffers.push(t.w.buffer, t.b.buffer, t.loss.buffer, t.gradW.buffer, t.gradB.buffer, t.active.buffer);
  }
  return buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
