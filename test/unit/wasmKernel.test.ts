import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import {
  DEFAULT_SETTINGS,
  FAST_PATHS,
  type Samples,
  TrainingSession,
  WasmKernel,
  accumulateBlock,
  activationLimit,
  builtInWasmBinary,
  createEvaluation,
  evaluateSerial,
  mergeSettings,
  recordLength,
  rowsExact,
  seededUniform,
  wasmKernelAvailable,
  wasmSuits,
} from '../../src/engine';
import { type Case, bitsOf, randomCase, sameRecord, uOf } from './cases';

/** The record of rows [start, end) by the WebAssembly kernel `k` (made from c), at an offset inside a larger buffer. */
function wasmRecord(k: WasmKernel, c: Case, d: number, lim: number, start: number, end: number): Float64Array {
  const acc = new Float64Array(recordLength(d) + 7).fill(12345);
  k.accumulate(c.x, c.y, c.w, c.b, lim, start, end, acc, 7);
  assert.ok(
    acc.subarray(0, 7).every((v) => v === 12345),
    'wrote outside its record',
  );
  return acc.subarray(7);
}

function referenceRecord(c: Case, d: number, lim: number, start: number, end: number, kernel = rowsExact): Float64Array {
  const acc = new Float64Array(recordLength(d));
  kernel(c.x, c.y, d, c.w, c.b, lim, start, end, acc, 0);
  return acc;
}

const LIMITS = [activationLimit(0), activationLimit(1)];

const trained = (s: Samples, settings: ReturnType<typeof mergeSettings>, wasm: boolean) => {
  const session = new TrainingSession(s, settings, { wasm });
  session.step(Number.POSITIVE_INFINITY);
  return session;
};

describe('the WebAssembly SIMD kernel (fast/wasm.ts)', () => {
  it('is checked in as kernel.wat compiles (scripts/build-wasm.mjs --check)', function () {
    this.timeout(60_000);
    const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });

  it('loads here (Node 20 has WebAssembly SIMD) and takes data', () => {
    assert.equal(wasmKernelAvailable(), true);
    const c = randomCase(1, 10, 3, 'smooth');
    assert.notEqual(WasmKernel.create(c.x, c.y, 3), null);
  });

  it("gives the reference record to the bit: d = 1 … 64, odd N, odd starts, u = ±0, −0 in the data, both ReLU'(0)", () => {
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
          const k = WasmKernel.create(c.x, c.y, d);
          assert.ok(k !== null, 'the kernel is not in use');
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
              const got = wasmRecord(k, c, d, lim, start, end);
              sameRecord(got, referenceRecord(c, d, lim, start, end), `${what} (rowsExact)`);
              sameRecord(got, referenceRecord(c, d, lim, start, end, accumulateBlock), `${what} (accumulateBlock)`);
              blocks++;
            }
          }
        }
      }
    }
    // The grids did produce the cases the comments in kernels.ts argue about.
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
        const k = WasmKernel.create(c.x, c.y, d);
        assert.ok(k !== null);
        for (const lim of LIMITS) {
          for (const [start, end] of [
            [0, n],
            [3, 30],
          ]) {
            const what = `d = ${d}, ${poison}, lim = ${lim}, rows [${start}, ${end})`;
            const got = wasmRecord(k, c, d, lim, start, end);
            sameRecord(got, referenceRecord(c, d, lim, start, end, accumulateBlock), what);
            if (poison === 'overflow') sameRecord(got, referenceRecord(c, d, lim, start, end), `${what} (rowsExact)`);
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
        const k = WasmKernel.create(c.x, c.y, d);
        assert.ok(k !== null);
        for (const g0 of [0, 1] as const) {
          const fast = bitsOf(evaluateSerial(s, c.w, c.b, g0, createEvaluation(d), k));
          const js = bitsOf(evaluateSerial(s, c.w, c.b, g0, createEvaluation(d)));
          sameRecord(fast, js, `d = ${d}, n = ${n}, ReLU'(0) = ${g0}`);
        }
      }
    }
  });

  it('trains to the same trajectory, bit for bit, as the JS kernels (active set and fused pass)', () => {
    for (const d of [1, 3, 8, 16]) {
      for (const epochs of [60, FAST_PATHS.ACTIVE_SET_MIN_EPOCHS - 1]) {
        const n = 777;
        const c = randomCase(40 + d, n, d, 'smooth');
        const s: Samples = { n, d, x: c.x, y: c.y };
        const settings = mergeSettings(DEFAULT_SETTINGS, { epochs, learningRate: 0.05, initialization: { kind: 'random', seed: 3 } });
        const fast = trained(s, settings, true);
        const js = trained(s, settings, false);
        assert.deepEqual([fast.evaluator.path, js.evaluator.path], epochs === 60 ? ['active set', 'active set'] : ['wasm', 'js']);
        const [a, b] = [fast.trajectory, js.trajectory];
        assert.equal(a.length, b.length);
        for (const key of ['w', 'b', 'loss', 'gradW', 'gradB'] as const) sameRecord(a[key], b[key], `d = ${d}, ${epochs} epochs: ${key}`);
        assert.deepEqual(Array.from(a.active), Array.from(b.active), `d = ${d}: active`);
      }
    }
  });

  it('is not made without WebAssembly, without SIMD, or from a broken binary (the JS kernels run instead)', () => {
    const d = 6;
    const c = randomCase(77, 101, d, 'grid');
    const validate = WebAssembly.validate;
    const global = globalThis as { WebAssembly?: typeof WebAssembly };
    const wasm = global.WebAssembly;
    const broken = Uint8Array.from(atob('AGFzbQEAAAA='), (ch) => ch.charCodeAt(0)); // a module with no `rows`
    // A fresh copy of the built-in binary each time: a binary is compiled once, then remembered.
    const ways: [string, () => WasmKernel | null][] = [
      ['a binary without the kernel', () => WasmKernel.create(c.x, c.y, d, { binary: broken })],
      ['a binary that is not WebAssembly', () => WasmKernel.create(c.x, c.y, d, { binary: new Uint8Array([1, 2, 3]) })],
      [
        'an engine without SIMD (validate fails)',
        () => {
          WebAssembly.validate = () => false;
          try {
            return WasmKernel.create(c.x, c.y, d, { binary: builtInWasmBinary().slice() });
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
            return WasmKernel.create(c.x, c.y, d, { binary: builtInWasmBinary().slice() });
          } finally {
            global.WebAssembly = wasm;
          }
        },
      ],
    ];
    for (const [what, make] of ways) assert.equal(make(), null, what);
    assert.notEqual(WasmKernel.create(c.x, c.y, d), null, 'the built-in binary still loads');
  });

  it('holds its own copy of the data: each kernel its own data set, changes made afterwards unseen', () => {
    const d = 4;
    const a = randomCase(5, 300, d, 'smooth');
    const b = randomCase(6, 300, d, 'smooth');
    const ka = WasmKernel.create(a.x, a.y, d)!;
    const kb = WasmKernel.create(b.x, b.y, d)!;
    for (let k = 0; k < 3; k++) {
      sameRecord(wasmRecord(ka, a, d, 0, 0, 300), referenceRecord(a, d, 0, 0, 300), `a, round ${k}`);
      sameRecord(wasmRecord(kb, b, d, 0, 0, 300), referenceRecord(b, d, 0, 0, 300), `b, round ${k}`);
    }
    const before = referenceRecord(a, d, 0, 0, 300);
    a.x[17] = 1.5;
    a.y[3] = -0.25;
    sameRecord(wasmRecord(ka, a, d, 0, 0, 300), before, 'the copy made before the change');
    sameRecord(
      wasmRecord(WasmKernel.create(a.x, a.y, d)!, a, d, 0, 0, 300),
      referenceRecord(a, d, 0, 0, 300),
      'a new kernel sees the change',
    );
    assert.equal(WasmKernel.create(a.x, a.y, 2)?.rows, 300, 'another d over the same arrays');
  });

  it('is chosen for the fused pass only where it pays: d ≥ 1 and N·(d + 1) ≥ WASM_MIN_VALUES', () => {
    const { WASM_MIN_VALUES } = FAST_PATHS;
    assert.equal(wasmSuits(1000, 8), true);
    assert.equal(wasmSuits(WASM_MIN_VALUES / 2, 1), true);
    assert.equal(wasmSuits(WASM_MIN_VALUES / 2 - 1, 1), false);
    assert.equal(wasmSuits(100_000, 64), true);
    assert.equal(wasmSuits(100_000, 0), false);
    const path = (n: number, d: number) => {
      const c = randomCase(n + d, n, d, 'smooth');
      return new TrainingSession({ n, d, x: c.x, y: c.y }, mergeSettings(DEFAULT_SETTINGS, { epochs: 10 })).evaluator.path;
    };
    assert.equal(path(5000, 8), 'wasm');
    assert.equal(path(5000, 64), 'wasm');
    assert.equal(path(5000, 1), 'wasm');
    assert.equal(path(20, 8), 'js');
  });

  it('sizes its memory to its data set', () => {
    const d = 8;
    for (const n of [100, 20_000, 200_000]) {
      const c = randomCase(n, n, d, 'smooth');
      const bytes = WasmKernel.create(c.x, c.y, d)!.memory.buffer.byteLength;
      const data = n * (d + 1) * 8;
      assert.ok(bytes >= data && bytes <= data + 3 * 65536, `n = ${n}: ${bytes} bytes for ${data} of data`);
    }
  });
});
