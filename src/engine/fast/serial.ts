/**
 * The fused pass on one thread: l and ∇l at (w, b) in one pass over the rows, block by block
 * (blocks.ts), each block's record by the WebAssembly kernel where there is one, else by the JS kernels.
 */
import type { Evaluation, Samples } from '../samples';
import type { ReluGradAtZero } from '../settings';
import { activationLimit, addRecords, beginSums, blockRows, finishSums, recordLength } from './blocks';
import { accumulateBlock } from './kernels';
import type { WasmKernel } from './wasm';

/**
 * l(w, b) and ∇l(w, b) into `out` on the calling thread, block records by `kernel` (made from these
 * samples) or, without one, by the JS kernels, into the scratch `record` (d + 3 doubles): the same
 * bits either way, and the same as on several threads (threads.ts). Data of at most MIN_BLOCK_ROWS
 * rows is one block: reference.ts's row-order sums, to the bit.
 */
export function evaluateSerial(
  s: Samples,
  w: Float64Array,
  b: number,
  reluGradAtZero: ReluGradAtZero,
  out: Evaluation,
  kernel: WasmKernel | null = null,
  record: Float64Array = new Float64Array(recordLength(s.d)),
): Evaluation {
  const { n, d, x, y } = s;
  const lim = activationLimit(reluGradAtZero);
  const rows = blockRows(n);
  beginSums(out);
  for (let start = 0; start < n; start += rows) {
    const end = Math.min(n, start + rows);
    if (kernel !== null) kernel.accumulate(x, y, w, b, lim, start, end, record, 0);
    else accumulateBlock(x, y, d, w, b, lim, start, end, record, 0);
    addRecords(record, 0, 1, d, out);
  }
  return finishSums(out, n);
}

/** Evaluates l and ∇l for one data set, one point (w, b) at a time: what `TrainingSession` calls per epoch. */
export interface Evaluator {
  /** Which fast path this is (fast/choose.ts's table). */
  readonly path: FastPath;
  /** l, ∇l and Σ a_i at (w, b) into `out`. */
  evaluateInto(w: Float64Array, b: number, out: Evaluation): Evaluation;
}

/** The fast paths: the fused pass in JS or WebAssembly, the active set, the rows across threads. */
export type FastPath = 'js' | 'wasm' | 'active set' | 'threads';

/** The fused pass on this thread, with the samples' WebAssembly kernel if given. */
export class SerialEvaluator implements Evaluator {
  readonly path: FastPath;
  private readonly record: Float64Array;

  constructor(
    private readonly samples: Samples,
    private readonly reluGradAtZero: ReluGradAtZero,
    private readonly kernel: WasmKernel | null,
  ) {
    this.path = kernel === null ? 'js' : 'wasm';
    this.record = new Float64Array(recordLength(samples.d));
  }

  evaluateInto(w: Float64Array, b: number, out: Evaluation): Evaluation {
    return evaluateSerial(this.samples, w, b, this.reluGradAtZero, out, this.kernel, this.record);
  }
}
