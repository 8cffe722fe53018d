/**
 * One training job: the document's text (or the edits since the last job) → parsed samples,
 * problems and trajectory. Runs in the training worker (or inline as a fallback); no `vscode` here.
 */
import {
  type ColumnChoice,
  type Dataset,
  type FeatureScaling,
  type Samples,
  type RowThreads,
  DatasetDocument,
  type SettingsOverride,
  type StopReason,
  type TextEdit,
  type Trajectory,
  type TrainingSettings,
  TrainingSession,
  mergeSettings,
  scaleDataset,
} from '../engine';

/** What a job needs: the text or the edits, and the settings from VS Code and from the panel. */
export interface JobInput {
  /** The whole text: the first job, or to resynchronise. */
  text?: string;
  /** Edits since the previous job, in the order they happened (ignored when `text` is given). */
  edits: TextEdit[];
  /** The document's line count after the edits: a check that both sides hold the same text. */
  lineCount: number;
  /** The document version the text is at (echoed in the result). */
  version: number;
  /** VS Code settings (lowest precedence). */
  base: TrainingSettings;
  /** Changes made in the panel (highest precedence, above the file's `# @key` lines). */
  overrides: SettingsOverride;
  /** Column roles chosen in the panel (above the file's `# @target/@features` lines); none when absent. */
  columns?: ColumnChoice;
}

/** What a job yields. */
export interface JobResult {
  /** The document version this result was trained on. */
  version: number;
  dataset: Dataset;
  /** What was trained on: the dataset's X, or x̃ when `settings.scale` is not `none` (y is the dataset's). */
  samples: Samples;
  /** How x̃ was made from the dataset's X; null without scaling. */
  scaling: FeatureScaling | null;
  settings: TrainingSettings;
  trajectory: Trajectory | null;
  stopped: StopReason | null;
  timing: { parseMs: number; trainMs: number };
}

/** A job's outcome: a result, `superseded` (a newer job exists), or `resync` (send the whole text). */
export type JobOutcome = JobResult | 'superseded' | 'resync';

/** Epochs per chunk, scaled so one chunk is about a million multiply-adds. */
export function chunkEpochs(n: number, d: number): number {
  return Math.max(1, Math.floor(1_000_000 / Math.max(1, n * (d + 1))));
}

/**
 * Holds one document's text between jobs, so that an edit re-reads only the lines it touches, and
 * hands `threads` to the engine, which splits each epoch's rows across them for long runs on large data
 * (fast/choose.ts; the same bits as one thread).
 */
export class JobRunner {
  private document: DatasetDocument | undefined;
  /** The column choice the document was read with, as `choiceKey` writes it. */
  private choice = choiceKey(undefined);

  constructor(private readonly threads?: RowThreads) {}

  /**
   * Brings the text up to date (always, even when superseded, so later edits apply), then parses
   * and trains, calling `shouldStop` between chunks of epochs.
   */
  run(input: JobInput, shouldStop: () => boolean = () => false, now: () => number = () => performance.now()): JobOutcome {
    const t0 = now();
    const choice = choiceKey(input.columns);
    if (input.text !== undefined) {
      this.document = new DatasetDocument(input.text, input.columns);
    } else {
      if (!this.document) return 'resync';
      for (const e of input.edits) {
        if (!this.document.applyEdit(e)) {
          this.document = undefined;
          return 'resync';
        }
      }
    }
    if (this.document.lineCount !== input.lineCount) {
      this.document = undefined;
      return 'resync';
    }
    // Another column choice reads every row again (the roles decide how each row is read).
    if (input.text === undefined && choice !== this.choice) this.document = new DatasetDocument(this.document.text(), input.columns);
    this.choice = choice;
    if (shouldStop()) return 'superseded';
    const parsed = this.document.dataset();
    const parseMs = now() - t0;
    return trainParsed(parsed, input, parseMs, shouldStop, now, this.threads);
  }
}

/**
 * Trains a parsed dataset at the settings of VS Code, its file and the panel, on x̃ when `# @scale`
 * says so, calling `shouldStop` between chunks of epochs (the second half of a job, also for a file
 * read from disk: fromDisk.ts).
 */
export function trainParsed(
  parsed: Dataset,
  input: Pick<JobInput, 'version' | 'base' | 'overrides'>,
  parseMs: number,
  shouldStop: () => boolean,
  now: () => number,
  threads?: RowThreads,
): JobResult | 'superseded' {
  const settings = mergeSettings(input.base, parsed.settings, input.overrides);
  const version = input.version;
  if (parsed.n === 0)
    return {
      version,
      dataset: parsed,
      samples: parsed,
      scaling: null,
      settings,
      trajectory: null,
      stopped: null,
      timing: { parseMs, trainMs: 0 },
    };
  const t1 = now();
  // Scaling is recomputed per run (O(N·d)); the incremental parse keeps the raw X.
  const scaled = scaleDataset(parsed, settings.scale);
  const { samples, scaling } = scaled;
  const dataset = scaled.problems.length > 0 ? { ...parsed, problems: parsed.problems.concat(scaled.problems) } : parsed;
  const session = new TrainingSession(samples, settings, { threads });
  const chunk = chunkEpochs(dataset.n, dataset.d);
  while (!session.done) {
    session.step(chunk);
    if (shouldStop()) return 'superseded';
  }
  return {
    version,
    dataset,
    samples,
    scaling,
    settings,
    trajectory: session.trajectory,
    stopped: session.stopped,
    timing: { parseMs, trainMs: now() - t1 },
  };
}

/** A column choice as a string, equal for equal choices (names in order, `undefined` fields left out). */
export function choiceKey(c: ColumnChoice | undefined): string {
  return JSON.stringify([c?.target ?? null, c?.features ?? null, c?.ignore ?? null]);
}

/** Parses and trains `text` in one go (tests, and callers without a document to keep). */
export function runJob(
  input: Omit<JobInput, 'edits' | 'lineCount' | 'version'> & { text: string },
  shouldStop?: () => boolean,
): JobResult | null {
  const lineCount = new DatasetDocument(input.text, input.columns).lineCount;
  const r = new JobRunner().run({ ...input, edits: [], lineCount, version: 0 }, shouldStop);
  return typeof r === 'string' ? null : r;
}

/** The typed arrays of a result, to transfer (not copy) from the worker. */
export function transferables(r: JobResult): ArrayBuffer[] {
  const buffers: ArrayBufferLike[] = [r.dataset.x.buffer, r.dataset.y.buffer, r.dataset.sampleLines.buffer];
  if (r.samples.x !== r.dataset.x) buffers.push(r.samples.x.buffer);
  if (r.trajectory) {
    const t = r.trajectory;
    buffers.push(t.w.buffer, t.b.buffer, t.loss.buffer, t.gradW.buffer, t.gradB.buffer, t.active.buffer);
  }
  return buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
