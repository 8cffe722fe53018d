/**
 * How a fused pass cuts the rows into blocks and adds the blocks' partial sums ("records"), so that
 * one thread or several, JS or WebAssembly, give the same bits: the cut depends on N alone, each
 * block sums its rows in row order, and the records are added in block order.
 */
import type { Evaluation } from '../samples';
import type { ReluGradAtZero } from '../settings';

/** Blocks have at least this many rows, so small data is a single block. */
export const MIN_BLOCK_ROWS = 256;
/** Blocks are made large enough that there are at most this many. */
export const MAX_BLOCKS = 64;

/** Rows per block for N = n: a power of two ≥ MIN_BLOCK_ROWS, large enough for at most MAX_BLOCKS blocks. */
export function blockRows(n: number): number {
  let rows = MIN_BLOCK_ROWS;
  while (rows * MAX_BLOCKS < n) rows *= 2;
  return rows;
}

/** The number of blocks N = n is cut into. */
export function blockCount(n: number): number {
  return Math.ceil(n / blockRows(n));
}

/**
 * a_i = [u_i > lim]: lim = 0 gives ReLU'(0) = 0; lim = −Number.MIN_VALUE, the largest double below 0,
 * gives [u_i ≥ 0] (−0 included), i.e. ReLU'(0) = 1. One comparison either way.
 */
export function activationLimit(reluGradAtZero: ReluGradAtZero): number {
  return reluGradAtZero === 1 ? -Number.MIN_VALUE : 0;
}

/**
 * A block's partial sums ("record") occupy d + 3 doubles:
 *   [Σ r_i², Σ a_i r_i, Σ a_i, Σ a_i r_i x_i1, …, Σ a_i r_i x_id]   (r_i = z_i − y_i)
 */
export function recordLength(d: number): number {
  return d + 3;
}

/** Zeroes the running sums kept in `out` (Σ r² in `loss`, Σ a r in `gradB`, Σ a r x in `gradW`). */
export function beginSums(out: Evaluation): void {
  out.loss = 0;
  out.gradB = 0;
  out.active = 0;
  out.gradW.fill(0);
}

/** Adds `count` records, starting at record `first` of `acc`, to the running sums, in record order. */
export function addRecords(acc: Float64Array, first: number, count: number, d: number, out: Evaluation): void {
  const gw = out.gradW;
  const len = recordLength(d);
  let sumSq = out.loss;
  let sumR = out.gradB;
  let active = out.active;
  for (let k = first, o = first * len; k < first + count; k++, o += len) {
    sumSq += acc[o];
    sumR += acc[o + 1];
    active += acc[o + 2];
    for (let j = 0; j < d; j++) gw[j] += acc[o + 3 + j];
  }
  out.loss = sumSq;
  out.gradB = sumR;
  out.active = active;
}

/** Turns the running sums into l = (1/N) Σ r², ∂l/∂w = (2/N) Σ a r x, ∂l/∂b = (2/N) Σ a r. */
export function finishSums(out: Evaluation, n: number): Evaluation {
  const gw = out.gradW;
  const scale = n > 0 ? 2 / n : 0;
  for (let j = 0; j < gw.length; j++) gw[j] *= scale;
  out.loss = n > 0 ? out.loss / n : 0;
  out.gradB *= scale;
  return out;
}
