/** The extension's settings (`reluNeuron.*`), read into the engine's `TrainingSettings`. */
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, LIMITS, type Initialization, type TrainingSettings, parseScaleMethod } from './engine';

export const SECTION = 'reluNeuron';

function clamp(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/** `reluNeuron.scale` read with the engine's parser; anything it does not accept is the default. */
function scaleOf(v: unknown): TrainingSettings['scale'] {
  const r = typeof v === 'string' ? parseScaleMethod(v) : undefined;
  return r?.ok ? r.value : DEFAULT_SETTINGS.scale;
}

/** The training settings in force for `scope` (a document's URI), out-of-range values clamped. */
export function trainingSettings(scope?: vscode.Uri): TrainingSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const seed = Math.round(clamp(c.get('seed'), LIMITS.seed.min, LIMITS.seed.max, 0));
  const initialization: Initialization = c.get('initialization') === 'random' ? { kind: 'random', seed } : { kind: 'zeros' };
  return {
    learningRate: clamp(c.get('learningRate'), LIMITS.learningRate.min, LIMITS.learningRate.max, DEFAULT_SETTINGS.learningRate),
    epochs: Math.round(clamp(c.get('epochs'), LIMITS.epochs.min, LIMITS.epochs.max, DEFAULT_SETTINGS.epochs)),
    initialization,
    reluGradAtZero: String(c.get('reluGradAtZero', '1')) === '0' ? 0 : 1,
    scale: scaleOf(c.get('scale')),
  };
}

/** Whether every edit re-trains (otherwise only saving does). */
export function liveTraining(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SECTION, scope).get('liveTraining', true);
}
