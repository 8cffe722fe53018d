import { strict as assert } from 'node:assert';
import {
  type Evaluation,
  type ReluGradAtZero,
  type Samples,
  KERNEL_FUNCTIONS,
  MAX_BLOCKS,
  MIN_BLOCK_ROWS,
  WasmKernel,
  accumulateBlock,
  activationLimit,
  blockCount,
  blockRows,
  createEvaluation,
  evaluateSerial,
  recordLength,
  reference,
  rowsExact,
  seededUniform,
} from '../../src/engine';

/** reference.ts's gradient (one row-order sum over all N rows), as an Evaluation. */
function rowOrderPass(s: Samples, w: Float64Array, b: number, reluGradAtZero: ReluGradAtZero): Evaluation {
  const g = reference.gradient(s, w, b, reluGradAtZero);
  return { loss: g.loss, gradW: Float64Array.from(g.gradW), gradB: g.gradB, active: g.active };
}

/** Random samples; with `kinks`, x and θ on a grid of small integers so that many u_i are exactly 0. */
function randomCase(seed: number, n: number, d: number, kinks = false): { s: Samples; w: Float64Array; b: number } {
  const rand = seededUniform(seed);
  const draw = kinks ? () => Math.floor(rand() * 5) - 2 : () => rand() * 4 - 2;
  const x = Float64Array.from({ length: n * d }, draw);
  const y = Float64Array.from({ length: n }, () => rand() * 3 - 1);
  const w = Float64Array.from({ length: d }, draw);
  return { s: { n, d, x, y }, w, b: kinks ? draw() : rand() - 0.5 };
}

function sameBits(a: Evaluation, b: Evaluation, what: string): void {
  assert.ok(Object.is(a.loss, b.loss), `${what}: loss ${a.loss} ≠ ${b.loss}`);
  assert.ok(Object.is(a.gradB, b.gradB), `${what}: ∂l/∂b ${a.gradB} ≠ ${b.gradB}`);
  assert.equal(a.active, b.active, `${what}: active`);
  for (let j = 0; j < a.gradW.length; j++)
    assert.ok(Object.is(a.gradW[j], b.gradW[j]), `${what}: ∂l/∂w_${j + 1} ${a.gradW[j]} ≠ ${b.gradW[j]}`);
}

const dims = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 33];

// Every case twice: with the JS kernels alone (the helper threads' and the fallback), and with the
// WebAssembly kernel that the fused pass runs where it can (made afresh from the data each time).
for (const kernels of ['JS kernels', 'WebAssembly kernel'] as const)
  describe(`the fused kernel: blocks and specialised passes (${kernels})`, () => {
    const evaluateInto = (s: Samples, w: Float64Array, b: number, g0: ReluGradAtZero, out: Evaluation): Evaluation => {
      if (kernels === 'JS kernels') return evaluateSerial(s, w, b, g0, out);
      const k = WasmKernel.create(s.x, s.y, s.d);
      assert.ok(k !== null, 'the WebAssembly kernel');
      return evaluateSerial(s, w, b, g0, out, k);
    };
    it('cuts N rows into blocks by N alone: powers of two ≥ MIN_BLOCK_ROWS, at most MAX_BLOCKS of them', () => {
      for (const n of [0, 1, 255, 256, 257, 1000, 16_384, 16_385, 100_000, 1_000_000, 123_456_789]) {
        const rows = blockRows(n);
        assert.ok(rows >= MIN_BLOCK_ROWS && (rows & (rows - 1)) === 0, `n = ${n}: ${rows} rows`);
        assert.ok(blockCount(n) <= MAX_BLOCKS, `n = ${n}: ${blockCount(n)} blocks`);
        assert.equal(blockCount(n), Math.ceil(n / rows));
      }
      assert.equal(blockCount(MIN_BLOCK_ROWS), 1);
    });

    it("maps ReLU'(0) to a threshold: a_i = [u_i > lim] is [u ≥ 0] for 1 (−0 included) and [u > 0] for 0", () => {
      const above = (lim: number) => [0, -0, Number.MIN_VALUE, -Number.MIN_VALUE].map((u) => u > lim);
      assert.deepEqual(above(activationLimit(1)), [true, true, true, false]);
      assert.deepEqual(above(activationLimit(0)), [false, false, true, false]);
    });

    it("gives exactly reference.ts's gradient (one row-order pass) for data of one block, for every d and both ReLU'(0), kinks included", () => {
      let seed = 1;
      for (const d of dims) {
        for (const n of [1, 2, 7, 8, 9, 100, MIN_BLOCK_ROWS]) {
          for (const kinks of [false, true]) {
            const { s, w, b } = randomCase(seed++, n, d, kinks);
            for (const g0 of [0, 1] as const) {
              sameBits(
                evaluateInto(s, w, b, g0, createEvaluation(d)),
                rowOrderPass(s, w, b, g0),
                `d = ${d}, n = ${n}, kinks ${kinks}, ReLU'(0) = ${g0}`,
              );
            }
          }
        }
      }
    });

    it("computes each block's record like rowsExact, to the bit, whichever kernel d selects", () => {
      let seed = 100;
      for (const d of dims) {
        for (const kinks of [false, true]) {
          const { s, w, b } = randomCase(seed++, 203, d, kinks);
          for (const g0 of [0, 1] as const) {
            const lim = activationLimit(g0);
            const fast = new Float64Array(recordLength(d) + 5);
            const ref = new Float64Array(recordLength(d) + 5);
            // An odd start and end, to cover the tiled kernel's eight-row steps and its remainder.
            accumulateBlock(s.x, s.y, d, w, b, lim, 3, 198, fast, 5);
            rowsExact(s.x, s.y, d, w, b, lim, 3, 198, ref, 5);
            assert.deepEqual(Array.from(fast), Array.from(ref), `d = ${d}, kinks ${kinks}, ReLU'(0) = ${g0}`);
          }
        }
      }
    });

    it("stays within 1e-12 of the row-order sums on many blocks (relative to the sum of the terms' sizes)", () => {
      for (const d of [1, 8, 13]) {
        const { s, w, b } = randomCase(7 + d, 100_003, d);
        const ours = evaluateInto(s, w, b, 1, createEvaluation(d));
        const plain = rowOrderPass(s, w, b, 1);
        // Σ|terms| for each sum, from the same pass with |r| and |x|.
        const scale = new Float64Array(d + 2);
        for (let i = 0; i < s.n; i++) {
          let u = b;
          for (let j = 0; j < d; j++) u += w[j] * s.x[i * d + j];
          const r = Math.max(u, 0) - s.y[i];
          scale[d] += (r * r) / s.n;
          if (u >= 0) {
            scale[d + 1] += (2 * Math.abs(r)) / s.n;
            for (let j = 0; j < d; j++) scale[j] += (2 * Math.abs(r * s.x[i * d + j])) / s.n;
          }
        }
        assert.equal(ours.active, plain.active);
        assert.ok(Math.abs(ours.loss - plain.loss) <= 1e-12 * scale[d], `d = ${d}: loss`);
        assert.ok(Math.abs(ours.gradB - plain.gradB) <= 1e-12 * scale[d + 1], `d = ${d}: ∂l/∂b`);
        for (let j = 0; j < d; j++) assert.ok(Math.abs(ours.gradW[j] - plain.gradW[j]) <= 1e-12 * scale[j], `d = ${d}: ∂l/∂w_${j + 1}`);
      }
    });

    it('keeps max(0, u) semantics where w·x overflows to ±∞ or NaN (the block is redone by rowsExact)', () => {
      // Row 0: u = −∞ (inactive, z = 0); row 1: u = +∞; row 2: ∞ − ∞ = NaN (inactive, z = 0); row 3 finite.
      for (const d of [1, 2, 9]) {
        const n = 4;
        const x = new Float64Array(n * d).fill(1);
        x[0] = 1e300;
        x[d] = -1e300;
        if (d > 1) {
          x[2 * d] = 1e300;
          x[2 * d + 1] = -1e300;
        }
        const s = { n, d, x, y: Float64Array.of(1, 2, 3, 4) };
        const w = new Float64Array(d).fill(1);
        w[0] = -1e10;
        if (d > 1) w[1] = 1e10;
        for (const g0 of [0, 1] as const) {
          sameBits(evaluateInto(s, w, 0.5, g0, createEvaluation(d)), rowOrderPass(s, w, 0.5, g0), `d = ${d}, ReLU'(0) = ${g0}`);
        }
      }
    });

    it('reads ahead for long rows without changing a bit, ±∞ in the data included', () => {
      for (const d of [31, 32, 40, 64]) {
        const { s, w, b } = randomCase(200 + d, 61, d);
        for (const g0 of [0, 1] as const)
          sameBits(evaluateInto(s, w, b, g0, createEvaluation(d)), rowOrderPass(s, w, b, g0), `d = ${d}, ReLU'(0) = ${g0}`);
        // +∞ in a row that is read ahead: u = +∞ there, and the result is reference.ts's.
        s.x[20 * d + 3] = Number.POSITIVE_INFINITY;
        w[3] = 0.5;
        for (const g0 of [0, 1] as const)
          sameBits(evaluateInto(s, w, b, g0, createEvaluation(d)), rowOrderPass(s, w, b, g0), `d = ${d} with ∞, ReLU'(0) = ${g0}`);
      }
    });

    it('is the same bits on every call (scratch reuse leaks nothing between calls)', () => {
      const a = randomCase(3, 5000, 8);
      const c = randomCase(4, 700, 20);
      const first = evaluateInto(a.s, a.w, a.b, 1, createEvaluation(8));
      evaluateInto(c.s, c.w, c.b, 0, createEvaluation(20));
      sameBits(evaluateInto(a.s, a.w, a.b, 1, createEvaluation(8)), first, 'after another data set');
    });

    it('ships self-contained kernels: their source text alone, outside this module, computes the same record', () => {
      const name = KERNEL_FUNCTIONS[0].name;
      const source = `${KERNEL_FUNCTIONS.map(String).join('\n')}\nreturn ${name};`;
      const shipped = new Function(source)() as typeof accumulateBlock;
      for (const d of [1, 5, 8, 11]) {
        const { s, w, b } = randomCase(50 + d, 300, d);
        const here = new Float64Array(recordLength(d));
        const there = new Float64Array(recordLength(d));
        accumulateBlock(s.x, s.y, d, w, b, 0, 0, 300, here, 0);
        shipped(s.x, s.y, d, w, b, 0, 0, 300, there, 0);
        assert.deepEqual(Array.from(there), Array.from(here), `d = ${d}`);
      }
    });
  });
