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
 * Every threshold, with the measurement that set it: `npx tsx bench/fastPaths.ts` (each path against
 * the one it replaces, side by side; a 2-core machine shared with other work, load 5–12; the range
 * over two runs). "Values" are N·(d + 1), the numbers one epoch reads. A path is kept where it is at
 * least 1.5× faster on data the product meets; the two exceptions say why below.
 *
 * Paths without a threshold, always taken: the JS kernels per d (kernels.ts, d ≤ 8) over the 8-row
 * tiled one, 1.7× (d = 8) to 2.4–3.3× (d = 1); the tiled one (d > 8) over the branch on a_i
 * (`rowsExact`), 2.2–2.9× (d = 16, 64). They run on the helper threads, and where WebAssembly does not.
 */
export const FAST_PATHS = {
  /**
   * The WebAssembly kernel runs the fused pass from this many values (any d ≥ 1). Over the JS kernels:
   * 1.57× at 900 values (N = 100, d = 8), 0.99× at 180 (N = 20), where the call costs what it saves;
   * at N = 100,000: 1.5–1.7× at d = 4, 2.2–2.3× at d = 8, 3.4× at d = 16 (N = 20,000), 3.8–4.5× at
   * d = 64 (N = 10,000). At d = 1–3 it gains only 1.2–1.6×, but JS there made a whole epoch 1.28×
   * slower at d = 1 (interleaved runs of TrainingSession, N = 100,000), so it stays (the same bits).
   */
  WASM_MIN_VALUES: 256,
  /**
   * The active set (activeSet.ts) takes d up to this (G has d² entries and a flipped row costs about d²/2
   * multiply-adds): over the fused pass, 2.1–2.4× at d = 16 (N = 2000), 2.0–2.1× at d = 8 (N = 1000),
   * 1.9–2.6× at d = 1. Its forward pass runs on the WebAssembly kernel at every size: 3.1–3.3× the JS
   * one at N = 30, d = 1, 7.5–10.9× at N = 1000–4000, d = 8.
   */
  ACTIVE_SET_MAX_D: 16,
  /** … and data up to this many values: 2.2–2.4× the fused pass at 36,000 (N = 4000, d = 8). */
  ACTIVE_SET_MAX_VALUES: 36_000,
  /** … and runs of at least this many epochs: building the sums costs about d/4 + 1 fused passes. */
  ACTIVE_SET_MIN_EPOCHS: 16,
  /**
   * The rows are split across threads (threads.ts) from this many values. Two threads against one
   * (the coordinator on WebAssembly either way, `npx tsx bench/fastPaths.ts threads`, 2 cores, the
   * other one free): 1.16× at 45,000 (N = 5000, d = 8), 1.45× at 900,000, 1.51× at 2.7 million,
   * 1.50× at 9 million (N = 10⁶, d = 8), 1.29× at N = 10⁵, d = 32. With the other core busy (other
   * processes) 0.7–1.0×, and the pool backs off to one thread while threads lose. Kept: the runs that
   * use them (MIN_THREADED_WORK below) are the large ones, where they reach 1.5× on two free cores.
   */
  THREADS_MIN_VALUES: 36_000,
  /**
   * … and only for runs of at least this much work N·(d + 1)·epochs (about 30 ms on one thread): a
   * shorter run would save a few milliseconds and take a core that VS Code wants while the student
   * types (bench/vscode/editLatency.ts when this was set, not rerun here: an extension-host stall over
   * 50 ms in 3 of 7 runs with threads for every large data set, in 0 of 5 with this bound).
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
 * where that pays (`wasmSuits`). The evaluator owns what it copies (the kernel's memory, shared buffers): it is
 * dropped with it. X and y must not change while it is in use.
 */
export function chooseEvaluator(s: Samples, options: ChooseOptions): Evaluator {
  const { n, d, x, y } = s;
  const { reluGradAtZero, epochs, threads } = options;
  const wasm = options.wasm !== false;
  if (activeSetSuits(n, d, epochs)) {
    return new ActiveSetGradient(s, reluGradAtZero, wasm ? WasmKernel.create(x, y, d, { forward: true }) : null);
  }
  const kernel = wasm && wasmSuits(n, d) ? WasmKernel.create(x, y, d) : null;
  if (threads !== undefined && threadsSuit(n, d, epochs, options.minThreadedWork)) {
    const split = threads.evaluator(threads.share(s), reluGradAtZero, kernel);
    if (split !== null) return split;
  }
  return new SerialEvaluator(s, reluGradAtZero, kernel);
}
