/** Random data for the kernel tests (wasmKernel.test.ts, activeSet.test.ts), and bit-for-bit comparison. */
import { strict as assert } from 'node:assert';
import { type Evaluation, seededUniform } from '../../src/engine';

export interface Case {
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  b: number;
}

export const GRID = [-2, -1, -0.5, -0, 0, 0.5, 1, 2];

/**
 * Random data. `smooth`: uniform values. `grid`: small numbers with ±0, b ∈ {±0, ±1}, and rows built so
 * that u_i is exactly 0: a third with every w_j x_ij = −0 (so u_i = b, which is −0 when b = −0), a
 * third (when b = ±1) with one term w_j x_ij = −b and the others ±0 (so u_i = +0).
 */
export function randomCase(seed: number, n: number, d: number, kind: 'smooth' | 'grid'): Case {
  const rand = seededUniform(seed);
  if (kind === 'smooth') {
    const uniform = () => rand() * 4 - 2;
    return {
      x: Float64Array.from({ length: n * d }, uniform),
      y: Float64Array.from({ length: n }, uniform),
      w: Float64Array.from({ length: d }, uniform),
      b: rand() - 0.5,
    };
  }
  const draw = () => GRID[Math.floor(rand() * GRID.length)];
  const w = Float64Array.from({ length: d }, draw);
  w[Math.floor(rand() * d)] = rand() < 0.5 ? 0.5 : -2;
  const b = [-0, 0, -0, 1, -1][seed % 5];
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * d, i * d + d);
    const rowKind = rand();
    if (rowKind < 1 / 3) {
      // w_j x_ij = −0 for every j: x_ij is the zero of the other sign.
      for (let j = 0; j < d; j++) row[j] = Object.is(w[j], -0) || w[j] < 0 ? 0 : -0;
    } else if (rowKind < 2 / 3 && b !== 0) {
      for (let j = 0; j < d; j++) row[j] = rand() < 0.5 ? 0 : -0;
      let j = Math.floor(rand() * d);
      while (w[j] === 0) j = (j + 1) % d;
      row[j] = -b / w[j];
    } else {
      for (let j = 0; j < d; j++) row[j] = draw();
    }
  }
  return { x, y: Float64Array.from({ length: n }, draw), w, b };
}

/** u_i as the kernels compute it (b + w_1 x_i1 + … left to right). */
export function uOf(c: Case, d: number, i: number): number {
  let u = c.b;
  for (let j = 0; j < d; j++) u += c.w[j] * c.x[i * d + j];
  return u;
}

export function sameRecord(got: Float64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let k = 0; k < want.length; k++) {
    assert.ok(Object.is(got[k], want[k]), `${what}: element ${k} is ${got[k]}, expected ${want[k]}`);
  }
}

export function bitsOf(e: Evaluation): Float64Array {
  return Float64Array.of(e.loss, e.gradB, e.active, ...e.gradW);
}
