/**
 * The floor of one epoch: a bare pass that reads every value of X and y once, on one thread.
 * - `barePass`: s += v over all N·(d + 1) values, the plain loop one would write. It is bound by
 *   its single chain of dependent additions (about 4 cycles each), not by memory.
 * - `barePass4`: the same with four independent chains: close to what one core can stream from
 *   memory, the stricter floor.
 * An epoch must at least read the data, so epoch time / bare-pass time says how close the kernel
 * gets to that limit (below 1 means more than one core reads).
 */
import type { Samples } from '../src/engine';

export function barePass(s: Samples): number {
  const { x, y } = s;
  let sum = 0;
  for (let k = 0; k < x.length; k++) sum += x[k];
  for (let i = 0; i < y.length; i++) sum += y[i];
  return sum;
}

export function barePass4(s: Samples): number {
  const { x, y } = s;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const m = x.length - (x.length % 4);
  let k = 0;
  for (; k < m; k += 4) {
    s0 += x[k];
    s1 += x[k + 1];
    s2 += x[k + 2];
    s3 += x[k + 3];
  }
  for (; k < x.length; k++) s0 += x[k];
  for (let i = 0; i < y.length; i++) s1 += y[i];
  return s0 + s1 + s2 + s3;
}
