import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import {
  DEFAULT_SETTINGS,
  type Samples,
  WASM_MIN_VALUES,
  accumulateBlock,
  accumulateBlockWasm,
  activationLimit,
  createEvaluation,
  evaluateSerial,
  forgetWasmSamples,
  mergeSettings,
  placeWasmSamples,
  recordLength,
  reloadWasmKernel,
  rowsReference,
  seededUniform,
  trainNeuron,
  wasmKernelAvailable,
  wasmKernelSuits,
  wasmMemoryBytes,
} from '../../src/engine';
import { type Case, bitsOf, randomCase, sameRecord, uOf } from './cases';

/** The record of rows [start, end) by the WebAssembly kernel, at an offset inside a larger buffer. */
function wasmRecord(c: Case, d: number, lim: number, start: number, end: number): Float64Array {
  const acc = new Float64Array(recordLength(d) + 7).fill(12345);
  accumulateBlockWasm(c.x, c.y, d, c.w, c.b, lim, start, end, acc, 7);
  assert.ok(acc.subarray(0, 7).every((v) => v === 12345), 'wrote outside its record');
  return acc.subarray(7);
}

function referenceRecord(c: Case, d: number, lim: number, start: number, end: number, kernel = rowsReference): Float64Array {
  const acc = new Float64Array(recordLength(d));
  kernel(c.x, c.y, d, c.w, c.b, lim, start, end, acc, 0);
  return acc;
}

const LIMITS = [activationLimit(0), activationLimit(1)];

describe('the WebAssembly SIMD kernel (wasmKernel.ts)', () => {
  afterEach(() => {
    // Every test leaves the built-in kernel loaded, whatever it switched off.
    reloadWasmKernel();
  });

  it('is checked in as kernel.wat compiles (scripts/build-wasm.mjs --check)', function () {
    this.timeout(60_000);
    const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });

  it('loads here (Node 20 has WebAssembly SIMD) and places data', () => {
    assert.equal(wasmKernelAvailable(), true);
    const c = randomCase(1, 10, 3, 'smooth');
    assert.notEqual(placeWasmSamples(c.x, c.y, 3), null);
  });

  it('gives the reference record to the bit: d = 1 … 64, odd N, odd starts, u = ±0, −0 in the data, both ReLU\'(0)', () => {
    let seed = 1;
    let zeros = 0;
    let negativeZeros = 0;
    let blocks = 0;
    for (let d = 1; d <= 64; d++) {
      for (const n of [1, 2, 3, 5, 8, 13, 64, 203]) {
        for (const kind of ['smooth', 'grid'] as const) {
          const c = randomCase(seed++, n, d, kind);
          for (let i = 0; i < n; i++) {
            const u = uOf(c, d, i);
            if (u === 0) zeros++;
            if (Object.is(u, -0)) negativeZeros++;
          }
          assert.notEqual(placeWasmSamples(c.x, c.y, d), null, 'the kernel is not in use');
          const rand = seededUniform(seed * 7919);
          const spans: [number, number][] = [[0, n]];
          for (let k = 0; k < 4; k++) {
            const start = Math.floor(rand() * n);
            spans.push([start, start + Math.floor(rand() * (n - start + 1))]);
          }
          if (n > 3) spans.push([1, n], [3, n - 1], [1, 2], [n, n]);
          for (const lim of LIMITS) {
            for (const [start, end] of spans) {
              const what = `d = ${d}, n = ${n}, ${kind}, lim = ${lim}, rows [${start}, ${end})`;
              const got = wasmRecord(c, d, lim, start, end);
              sameRecord(got, referenceRecord(c, d, lim, start, end), `${what} (rowsReference)`);
              sameRecord(got, referenceRecord(c, d, lim, start, end, accumulateBlock), `${what} (accumulateBlock)`);
              blocks++;
            }
          }
        }
      }
    }
    // The grids did produce the cases the comments in neuron.ts argue about.
    assert.ok(zeros > 5_000 && negativeZeros > 2_000, `u = 0 in ${zeros} rows, u = −0 in ${negativeZeros}`);
    assert.ok(blocks > 5000);
  });

  it('agrees with the JS kernels where w·x overflows (u = ±∞, NaN) and where the data hold ±∞ or NaN', () => {
    let seed = 500;
    for (let d = 1; d <= 31; d++) {
      for (const poison of ['overflow', 'infinite', 'nan'] as const) {
        const n = 37;
        const c = randomCase(seed++, n, d, 'smooth');
        const rand = seededUniform(seed);
        for (let k = 0; k < 3; k++) {
          const i = Math.floor(rand() * n);
          const j = Math.floor(rand() * d);
          if (poison === 'overflow') {
            c.x[i * d + j] = (rand() < 0.5 ? -1 : 1) * 1e300;
            c.w[j] = 1e10;
          } else if (poison === 'infinite') {
            if (rand() < 0.5) c.x[i * d + j] = rand() < 0.5 ? Infinity : -Infinity;
            else c.y[i] = rand() < 0.5 ? Infinity : -Infinity;
          } else if (rand() < 0.5) c.x[i * d + j] = NaN;
          else c.y[i] = NaN;
        }
        forgetWasmSamples();
        for (const lim of LIMITS) {
          for (const [start, end] of [[0, n], [3, 30]]) {
            const what = `d = ${d}, ${poison}, lim = ${lim}, rows [${start}, ${end})`;
            const got = wasmRecord(c, d, lim, start, end);
            sameRecord(got, referenceRecord(c, d, lim, start, end, accumulateBlock), what);
            if (poison === 'overflow') sameRecord(got, referenceRecord(c, d, lim, start, end), `${what} (rowsReference)`);
          }
        }
      }
    }
  });

  it('makes evaluateSerial give the same bits as the JS kernels, over many blocks, for every d it is used for', () => {
    for (let d = 1; d <= 40; d++) {
      for (const n of [255, 1000, 20_001]) {
        const c = randomCase(900 + d * 7 + n, n, d, d % 2 === 0 ? 'grid' : 'smooth');
        const s: Samples = { n, d, x: c.x, y: c.y };
        for (const g0 of [0, 1] as const) {
          assert.notEqual(placeWasmSamples(c.x, c.y, d), null);
          const fast = bitsOf(evaluateSerial(s, c.w, c.b, g0, createEvaluation(d)));
          reloadWasmKernel(null);
          const js = bitsOf(evaluateSerial(s, c.w, c.b, g0, createEvaluation(d)));
          reloadWasmKernel();
          sameRecord(fast, js, `d = ${d}, n = ${n}, ReLU'(0) = ${g0}`);
        }
      }
    }
  });

  it('trains to the same trajectory, bit for bit, as the JS kernels', () => {
    for (const d of [1, 3, 8, 16]) {
      const n = 777;
      const c = randomCase(40 + d, n, d, 'smooth');
      const s: Samples = { n, d, x: c.x, y: c.y };
      const settings = mergeSettings(DEFAULT_SETTINGS, { epochs: 60, learningRate: 0.05, initialization: { kind: 'random', seed: 3 } });
      const fast = trainNeuron(s, settings).trajectory;
      reloadWasmKernel(null);
      const js = trainNeuron(s, settings).trajectory;
      reloadWasmKernel();
      assert.equal(fast.length, js.length);
      for (const key of ['w', 'b', 'loss', 'gradW', 'gradB'] as const) sameRecord(fast[key], js[key], `d = ${d}: ${key}`);
      assert.deepEqual(Array.from(fast.active), Array.from(js.active), `d = ${d}: active`);
    }
  });

  it('falls back to the JS kernels, to the same bits, without WebAssembly, without SIMD, or with a broken binary', () => {
    const d = 6;
    const c = randomCase(77, 101, d, 'grid');
    const want = referenceRecord(c, d, 0, 1, 100);
    const validate = WebAssembly.validate;
    const global = globalThis as { WebAssembly?: typeof WebAssembly };
    const wasm = global.WebAssembly;
    const broken = Uint8Array.from(atob('AGFzbQEAAAA='), (ch) => ch.charCodeAt(0)); // a module with no `rows`
    const ways: [string, () => boolean][] = [
      ['switched off', () => reloadWasmKernel(null)],
      ['a binary without the kernel', () => reloadWasmKernel(broken)],
      ['a binary that is not WebAssembly', () => reloadWasmKernel(new Uint8Array([1, 2, 3]))],
      [
        'an engine without SIMD (validate fails)',
        () => {
          WebAssembly.validate = () => false;
          try {
            return reloadWasmKernel();
          } finally {
            WebAssembly.validate = validate;
          }
        },
      ],
      [
        'no WebAssembly at all',
        () => {
          delete global.WebAssembly;
          try {
            return reloadWasmKernel();
          } finally {
            global.WebAssembly = wasm;
          }
        },
      ],
    ];
    for (const [what, off] of ways) {
      assert.equal(off(), false, what);
      assert.equal(wasmKernelAvailable(), false, what);
      assert.equal(placeWasmSamples(c.x, c.y, d), null, what);
      sameRecord(wasmRecord(c, d, 0, 1, 100), want, what);
      assert.equal(reloadWasmKernel(), true, `${what}: back on`);
      sameRecord(wasmRecord(c, d, 0, 1, 100), want, `${what}: back on`);
    }
  });

  it('copies a data set once, re-copies when other arrays come, and after forgetWasmSamples()', () => {
    const d = 4;
    const a = randomCase(5, 300, d, 'smooth');
    const b = randomCase(6, 300, d, 'smooth');
    const pa = placeWasmSamples(a.x, a.y, d);
    assert.notEqual(pa, null);
    assert.equal(placeWasmSamples(a.x, a.y, d), pa, 'the same arrays: no new copy');
    assert.notEqual(placeWasmSamples(b.x, b.y, d), pa, 'other arrays: copied in');
    // Alternating data sets: each result is its own data's.
    for (let k = 0; k < 3; k++) {
      for (const c of [a, b]) sameRecord(wasmRecord(c, d, 0, 0, 300), referenceRecord(c, d, 0, 0, 300), `round ${k}`);
    }
    // A copy with equal values is other arrays; y alone changed is another data set too.
    const a2 = { ...a, x: a.x.slice(), y: a.y.slice() };
    const p2 = placeWasmSamples(a2.x, a2.y, d);
    assert.notEqual(p2, null);
    assert.notEqual(placeWasmSamples(a2.x, b.y, d), p2);
    // Changing X in place needs forgetWasmSamples(): then the kernel sees the new values.
    placeWasmSamples(a.x, a.y, d);
    a.x[17] = 1.5;
    a.y[3] = -0.25;
    forgetWasmSamples();
    sameRecord(wasmRecord(a, d, 0, 0, 300), referenceRecord(a, d, 0, 0, 300), 'after forgetWasmSamples');
    // Another d over the same arrays is another placement.
    const asTwo = placeWasmSamples(a.x, a.y, 2);
    assert.notEqual(asTwo, null);
    assert.equal(asTwo?.rows, 300);
  });

  it('is used by evaluateSerial only where it pays: d ≥ 1 and N·(d + 1) ≥ WASM_MIN_VALUES', () => {
    assert.equal(wasmKernelSuits(1000, 8), true);
    assert.equal(wasmKernelSuits(WASM_MIN_VALUES / 2, 1), true);
    assert.equal(wasmKernelSuits(WASM_MIN_VALUES / 2 - 1, 1), false);
    assert.equal(wasmKernelSuits(100_000, 64), true);
    assert.equal(wasmKernelSuits(100_000, 0), false);
    // Whether a pass went through the kernel shows in its memory: a fresh instance has one page.
    const used = (n: number, d: number): boolean => {
      reloadWasmKernel();
      const c = randomCase(n + d, n, d, 'smooth');
      evaluateSerial({ n, d, x: c.x, y: c.y }, c.w, c.b, 1, createEvaluation(d));
      return wasmMemoryBytes() > 65536;
    };
    assert.equal(used(5000, 8), true);
    assert.equal(used(5000, 64), true);
    assert.equal(used(20, 1), false);
  });

  it('keeps one memory: new data sets of the same size do not grow it, and a much smaller one after a huge one frees it', function () {
    this.timeout(60_000);
    const d = 8;
    const fresh = (seed: number, n: number): Samples => {
      const c = randomCase(seed, n, d, 'smooth');
      return { n, d, x: c.x, y: c.y };
    };
    const w = new Float64Array(d).fill(0.1);
    const out = createEvaluation(d);
    evaluateSerial(fresh(1, 20_000), w, 0, 1, out);
    const bytes = wasmMemoryBytes();
    assert.ok(bytes >= 20_000 * 9 * 8, `${bytes} bytes`);
    for (let k = 0; k < 40; k++) {
      const s = fresh(100 + k, k % 2 === 0 ? 20_000 : 5_000);
      evaluateSerial(s, w, 0, 1, out);
      assert.equal(wasmMemoryBytes(), bytes, `data set ${k}`);
    }
    // A data set of 72 MiB, then a small one: the big memory is let go.
    const huge = 1_000_000;
    const big: Samples = { n: huge, d, x: new Float64Array(huge * d).fill(0.5), y: new Float64Array(huge).fill(1) };
    const bigOut = evaluateSerial(big, w, 0, 1, out);
    assert.equal(bigOut.active, huge);
    assert.ok(wasmMemoryBytes() >= huge * 9 * 8);
    const small = fresh(3, 1000);
    const got = bitsOf(evaluateSerial(small, w, 0, 1, out));
    assert.ok(wasmMemoryBytes() < 4 * 2 ** 20, `${wasmMemoryBytes()} bytes after a small data set`);
    reloadWasmKernel(null);
    sameRecord(got, bitsOf(evaluateSerial(small, w, 0, 1, createEvaluation(d))), 'the small data set after the shrink');
  });
});
