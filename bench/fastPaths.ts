/**
 * `npx tsx bench/fastPaths.ts [wasm] [active] [js] [threads]` (default: all four parts; ROUNDS=n in the
 * environment, default 3): each fast path of src/engine/fast/ against the path it replaces, on
 * workloads the product meets, side by side in rounds (timing.ts). The figures behind the reasons in
 * fast/choose.ts's FAST_PATHS table: a path is kept where it is at least 1.5× faster.
 */
import {
  type Evaluator,
  type ReluGradAtZero,
  RowThreads,
  type Samples,
  SerialEvaluator,
  ActiveSetGradient,
  WasmKernel,
  accumulateBlock,
  createEvaluation,
  recordLength,
  rowsExact,
  rowsTiled,
} from '../src/engine';
import { makeSamples } from './data';
import { type Contender, repetitionsFor, sideBySide } from './timing';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const parts = process.argv.slice(2);
const part = (name: string) => parts.length === 0 || parts.includes(name);
const G0: ReluGradAtZero = 0;

/** Milliseconds of one epoch by `ev` (an epoch: one evaluation at a θ that moves a little, as descent does). */
function epochMs(ev: Evaluator, d: number, epochs: number): () => number {
  const w = new Float64Array(d).fill(0.1);
  const out = createEvaluation(d);
  return () => {
    const t0 = performance.now();
    for (let t = 0; t < epochs; t++) {
      ev.evaluateInto(w, 0.05, out);
      for (let j = 0; j < d; j++) w[j] -= 0.01 * out.gradW[j];
    }
    return (performance.now() - t0) / epochs;
  };
}

/** A contender that repeats `run` until a trial lasts about 20 ms. */
function contender(name: string, run: () => number): Contender {
  const reps = repetitionsFor(Math.min(run(), run(), run()), 20);
  return {
    name,
    trial: () => {
      let ms = 0;
      for (let r = 0; r < reps; r++) ms += run();
      return ms / reps;
    },
  };
}

async function compare(title: string, fast: Contender, slow: Contender): Promise<void> {
  const best = await sideBySide([fast, slow], ROUNDS);
  const f = best.get(fast.name)!;
  const s = best.get(slow.name)!;
  console.log(`${title.padEnd(58)} ${fast.name} ${f.toPrecision(3)} ms, ${slow.name} ${s.toPrecision(3)} ms: ${(s / f).toFixed(2)}×`);
}

/** One pass of a JS kernel over all rows (one record), in milliseconds. */
function kernelMs(kernel: typeof accumulateBlock, s: Samples): () => number {
  const w = new Float64Array(s.d).fill(0.1);
  const acc = new Float64Array(recordLength(s.d));
  return () => {
    const t0 = performance.now();
    kernel(s.x, s.y, s.d, w, 0.05, 0, 0, s.n, acc, 0);
    return performance.now() - t0;
  };
}

async function main(): Promise<void> {
  console.log(`fast paths, best of ${ROUNDS} rounds side by side; ms per epoch (ratio: the slower over the faster)\n`);

  // The WebAssembly kernel against the JS kernels, one thread: the fused pass (data above the active
  // set's reach, or runs too short for it).
  if (part('wasm'))
    for (const [n, d] of [
      [20, 8],
      [100, 1],
      [100, 2],
      [100, 8],
      [1000, 1],
      [100_000, 1],
      [100_000, 2],
      [50_000, 3],
      [100_000, 4],
      [100_000, 8],
      [20_000, 16],
      [10_000, 64],
    ]) {
      const s = makeSamples(n, d);
      const k = WasmKernel.create(s.x, s.y, d);
      await compare(
        `fused pass, N = ${n}, d = ${d}: WebAssembly vs JS`,
        contender('wasm', epochMs(new SerialEvaluator(s, G0, k), d, 20)),
        contender('js', epochMs(new SerialEvaluator(s, G0, null), d, 20)),
      );
    }

  // The active set against the fused pass (WebAssembly), small data, along a descent.
  if (part('active'))
    for (const [n, d] of [
      [30, 1],
      [1000, 1],
      [1000, 8],
      [4000, 8],
      [2000, 16],
    ]) {
      const s = makeSamples(n, d);
      const set = new ActiveSetGradient(s, G0, WasmKernel.create(s.x, s.y, d, { forward: true }));
      const fused = new SerialEvaluator(s, G0, WasmKernel.create(s.x, s.y, d));
      await compare(
        `small data, N = ${n}, d = ${d}: active set vs fused pass`,
        contender('active set', epochMs(set, d, 200)),
        contender('fused', epochMs(fused, d, 200)),
      );
      const js = new ActiveSetGradient(s, G0, null);
      const wasm = new ActiveSetGradient(s, G0, WasmKernel.create(s.x, s.y, d, { forward: true }));
      await compare(
        `  its forward pass: WebAssembly vs JS`,
        contender('wasm', epochMs(wasm, d, 200)),
        contender('js', epochMs(js, d, 200)),
      );
    }

  // The JS kernels (helper threads, and the fallback without WebAssembly): per-d and tiled against the branch.
  if (part('js'))
    for (const d of [1, 2, 4, 8, 16, 64]) {
      const s = makeSamples(Math.round(800_000 / d), d);
      await compare(
        `JS kernel, N·d = 800,000, d = ${d}: chosen vs rowsExact`,
        contender('chosen', kernelMs(accumulateBlock, s)),
        contender('exact', kernelMs(rowsExact, s)),
      );
      if (d <= 8)
        await compare(
          `  per-d kernel vs rowsTiled`,
          contender('per-d', kernelMs(accumulateBlock, s)),
          contender('tiled', kernelMs(rowsTiled, s)),
        );
    }

  // The row threads against one thread, the coordinator on WebAssembly either way: long runs on large data.
  if (!part('threads')) return;
  const threads = new RowThreads();
  while (threads.readyHelpers < threads.helpers) await new Promise((r) => setTimeout(r, 5));
  for (const [n, d] of [
    [5_000, 8],
    [100_000, 8],
    [300_000, 8],
    [1_000_000, 8],
    [100_000, 32],
  ]) {
    const s = makeSamples(n, d);
    const shared = threads.share(s);
    const split = threads.evaluator(shared, G0, WasmKernel.create(s.x, s.y, d));
    if (split === null) throw new Error('no threads');
    const one = new SerialEvaluator(s, G0, WasmKernel.create(s.x, s.y, d));
    const epochs = Math.max(4, Math.round(2_000_000 / (n * (d + 1))));
    await compare(
      `N = ${n}, d = ${d}: ${threads.helpers + 1} threads vs 1`,
      contender('threads', epochMs(split, d, epochs)),
      contender('one', epochMs(one, d, epochs)),
    );
  }
  console.log(`\nthreads: ${JSON.stringify(threads.stats)}`);
  await threads.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
