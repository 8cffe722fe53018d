/** Host messages for the view's tests (webview-reducer.test.ts, protocol.test.ts): a one-feature run of 20 samples. */
import type { DatasetInvalidMessage, EpochMessage, RowsMessage, SurfaceMessage, TrainedMessage } from '../../src/shared/protocol';

/** Samples in every fixture run. */
export const SAMPLES = 20;

/** The epoch `epoch` of run `runId` (its numbers do not matter to the view's order). */
export function epochMsg(runId: number, epoch: number, more: Partial<EpochMessage> = {}): EpochMessage {
  return {
    type: 'epoch',
    runId,
    epoch,
    w: [0.5],
    b: 0.1,
    loss: 0.25,
    gradW: [0.01],
    gradB: -0.02,
    gradNorm: Math.hypot(0.01, -0.02),
    active: 12,
    dead: false,
    derivation: [],
    selectedSample: null,
    selectionSeq: 0,
    sample: null,
    playing: false,
    inactive: [0, 3],
    fit: null,
    graph: null,
    ...more,
  };
}

/** Run `runId` of `entries` entries, showing its last epoch unless `epoch` says otherwise (null: none). */
export function trainedMsg(runId: number, epoch: EpochMessage | null = epochMsg(runId, 200), entries = 201): TrainedMessage {
  return {
    type: 'trained',
    runId,
    fileName: 'course.csv',
    documentUri: 'file:///course.csv',
    features: ['x'],
    target: 'y',
    samples: SAMPLES,
    skippedRows: 0,
    skippedByCause: [],
    imputedRows: 0,
    columns: { names: ['x', 'y'], roles: ['feature', 'target'], fromFile: [], fromPanel: [] },
    problemCount: 0,
    settings: {
      learningRate: 0.1,
      epochs: entries - 1,
      initialization: 'zeros',
      reluGradAtZero: 0,
      scale: 'none',
      fromFile: [],
      fromPanel: [],
    },
    entries,
    series: {
      epochs: [0, entries - 1],
      loss: [1, 0.25],
      w: [[0, 0.5]],
      b: [0, 0.1],
      gradNorm: [1, 0.02],
      gradW: [[-1, 0.02]],
      gradB: [0, 0],
    },
    lossEnds: [1, 0.25],
    stopped: null,
    timing: { parseMs: 1, trainMs: 2 },
    epoch,
  };
}

/** The file has no usable rows. */
export function invalidMsg(): DatasetInvalidMessage {
  return { type: 'datasetInvalid', fileName: 'course.csv', reasons: ['No data rows.'], problemCount: 1 };
}

/** A page of the table of run `runId`. */
export function rowsMsg(runId: number): RowsMessage {
  return {
    type: 'rows',
    runId,
    epoch: 200,
    offset: 0,
    total: SAMPLES,
    sort: 'index',
    descending: false,
    rows: [],
    selectedSample: null,
    selectedRank: null,
  };
}

/** The loss surface of run `runId`. */
export function surfaceMsg(runId: number): SurfaceMessage {
  return {
    type: 'surface',
    runId,
    surface: {
      w: [0, 1],
      b: [0, 1],
      loss: [
        [1, 2],
        [3, 4],
      ],
      pathW: [0],
      pathB: [0],
    },
  };
}
