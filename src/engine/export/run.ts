/**
 * What the exporters take: a run, the dataset it was trained on, and the file's name. The exports
 * beside report.ts's JSON and CSV are the derivation as Markdown (markdown.ts) and a PyTorch script
 * that reproduces the run (pytorch.ts). Pure functions of the parsed dataset and the run; no `vscode`.
 */
import type { Dataset } from '../dataset';
import { type FeatureMatrix, type FeatureScaling, computeScaling, scaleSamples } from '../scaling';
import type { TrainingRun } from '../train';

/** A run to export, with the name of the file it was trained on (as the user sees it). */
export interface RunExport {
  fileName: string;
  dataset: Dataset;
  run: TrainingRun;
}

/**
 * How the run's features were scaled (`run.settings.scale`, recomputed from the dataset: O(N·d)) and
 * the samples it trained on: the dataset's X, or x̃.
 */
export function trainedSamples(src: RunExport): { samples: FeatureMatrix; scaling: FeatureScaling | null } {
  const scaling = computeScaling(src.dataset, src.run.settings.scale);
  return { samples: scaling ? scaleSamples(src.dataset, scaling) : src.dataset, scaling };
}

/** The last recorded epoch of the run (it must have one). */
export function lastEntry(src: RunExport): number {
  const last = src.run.trajectory.length - 1;
  if (last < 0) throw new RangeError('The run has no recorded epoch to export.');
  return last;
}
