/**
 * The benchmark's data, the same for every contender: X ~ U(−1, 1)^{N×d}, y = max(0, w*·x + b*) + noise
 * from a fixed teacher (w*, b*), and θ_0 from the engine's own seeded random initialisation.
 * Every number is rounded to float32 (Math.fround), so TensorFlow.js (float32) and the engine
 * (float64) read exactly the same inputs and start from exactly the same θ_0; what differs is only
 * the precision of the arithmetic.
 */
import { type Samples, initialParameters, seededUniform } from '../src/engine';

export function makeSamples(n: number, d: number, seed = 1): Samples {
  const rand = seededUniform(seed);
  const teacher = Float64Array.from({ length: d }, () => (2 * rand() - 1) / Math.sqrt(d));
  const bias = 0.1;
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let u = bias;
    for (let j = 0; j < d; j++) {
      const v = Math.fround(2 * rand() - 1);
      x[i * d + j] = v;
      u += teacher[j] * v;
    }
    y[i] = Math.fround(Math.max(0, u) + 0.1 * (rand() - 0.5));
  }
  return { n, d, x, y };
}

/** θ_0 = (w, b): `@init random seed`, rounded to float32. */
export function initialTheta(d: number, seed = 7): { w: number[]; b: number } {
  const { w, b } = initialParameters({ kind: 'random', seed }, d);
  return { w: Array.from(w, Math.fround), b: Math.fround(b) };
}

/** The data as CSV text (header x1 … xd, y), as a student's file would hold it. */
export function toCsv(s: Samples): string {
  const header = [...Array.from({ length: s.d }, (_, j) => `x${j + 1}`), 'y'].join(',');
  const lines = [header];
  for (let i = 0; i < s.n; i++) {
    const row: string[] = [];
    for (let j = 0; j < s.d; j++) row.push(s.x[i * s.d + j].toPrecision(7));
    row.push(s.y[i].toPrecision(7));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
