/**
 * Which fast path evaluates a run: one function, `chooseEvaluator`, reading one table, `FAST_PATHS`.
 * Every path gives reference.ts's l and ∇l (the fused ones to the bit of each other; the active set
 * within the bounds its tests state), so the choice changes speed, never what the student sees
 * beyond the last bits of ∇l on small data.
 */
import type { Samples } from '../samples';
import type { ReluGradAtZero } from '../settings';
import { ActiveSetGradient } from './activeSet';
import { type Evaluator, SerialEvaluator } from './serial';
import type { RowThreads } from './threads';
import { WasmKernel } from './wasm';

/**
 * Every threshold, with the measurement that set it (`npx tsx bench/fastPaths.ts`; 2 shared cores,
 * Node 22; ranges over runs). "Values" are N·(d + 1), the numbers one epoch reads.
 */
export const FAST_PATHS = {
  /**
   * The WebAssembly SIMD kernel (wasm.ts) runs the fused pass from this many values. Below, a pass is a
   * few dozen rows and the call into the kernel costs more than it saves.
   */
  WASM_MIN_VALUES: 256,
  /** The active set (activeSet.ts) takes d up to this: G has d² entries and a flipped row costs about d²/2 multiply-adds. */
  ACTIVE_SET_MAX_D: 16,
  /** … and data up to this many values (above, threads take over for long runs). */
  ACTIVE_SET_MAX_VALUES: 36_000,
  /** … and runs of at least this many epochs: building the sums costs about d/4 + 1 fused passes. */
  ACTIVE_SET_MIN_EPOCHS: 16,
  /** The rows are split across threads (threads.ts) from this many values: below, handing out blocks costs more than it saves. */
  THREADS_MIN_VALUES: 36_000,
  /**
   * … and only for runs of at least this much work N·(d + 1)·epochs (about 30 ms on one thread): a
   * shorter run would save a few milliseconds and take a core that VS Code wants while the student types.
   */
  MIN_THREADED_WORK: 100_000_000,
} as const;

/** Whether the fused pass over N = n rows of d features runs on the WebAssembly kernel. */
export function wasmSuits(n: number, d: number): boolean {
  return d >= 1 && n * (d + 1) >= FAST_PATHS.WASM_MIN_VALUES;
}

/** Whether a run of `epochs` epochs on N = n rows of d features is evaluated by the active set. */
export function activeSetSuits(n: number, d: number, epochs: number): boolean {
  const { ACTIVE_SET_MAX_D, ACTIVE_SET_MAX_VALUES, ACTIVE_SET_MIN_EPOCHS } = FAST_PATHS;
  return d >= 1 && d <= ACTIVE_SET_MAX_D && n >= 1 && n * (d + 1) <= ACTIVE_SET_MAX_VALUES && epochs >= ACTIVE_SET_MIN_EPOCHS;
}

/** Whether such a run splits its rows across threads (given a pool with helpers), with `minWork` for MIN_THREADED_WORK. */
export function threadsSuit(n: number, d: number, epochs: number, minWork: number = FAST_PATHS.MIN_THREADED_WORK): boolean {
  return n * (d + 1) >= FAST_PATHS.THREADS_MIN_VALUES && n * (d + 1) * epochs >= minWork;
}

/** What `chooseEvaluator` decides on besides the data. */
export interface ChooseOptions {
  reluGradAtZero: ReluGradAtZero;
  epochs: number;
  /** A pool of helper threads for long runs; without it, everything runs on the calling thread. */
  threads?: RowThreads;
  /** Whether the WebAssembly kernel may run (default true; tests switch it off to run the JS kernels). */
  wasm?: boolean;
  /** MIN_THREADED_WORK, unless given (the benchmark splits every run that is large enough). */
  minThreadedWork?: number;
}

/**
 * The evaluator for a run over `s`: the active set for small data and long enough runs, else the
 * fused pass, across threads for long runs on large data, its blocks by the WebAssembly kernel
 * where it suits. The evaluator owns what it copies (the kernel's memory, shared buffers): it is
 * dropped with it. X and y must not change while it is in use.
 */
export function chooseEvaluator(s: Samples, options: ChooseOptions): Evaluator {
  const { n, d, x, y } = s;
  const { reluGradAtZero, epochs, threads } = options;
  const wasm = options.wasm !== false && wasmSuits(n, d);
  if (activeSetSuits(n, d, epochs)) {
    return new ActiveSetGradient(s, reluGradAtZero, wasm ? WasmKernel.create(x, y, d, { forward: true }) : null);
  }
  const kernel = wasm ? WasmKernel.create(x, y, d) : null;
  if (threads !== undefined && threadsSuit(n, d, epochs, options.minThreadedWork)) {
    const split = threads.evaluator(threads.share(s), reluGradAtZero, kernel);
    if (split !== null) return split;
  }
  return new SerialEvaluator(s, reluGradAtZero, kernel);
}
