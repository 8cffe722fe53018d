/**
 * One epoch's fused pass (l and ∇l, see reference.ts's `gradient`) on several threads at once.
 *
 *   const threads = new RowThreads();                          // helper threads, started once
 *   new TrainingSession(dataset, settings, { threads })…       // choose.ts splits long runs' rows
 *   await threads.close();
 *
 * or by hand: `threads.evaluator(threads.share(samples), reluGradAtZero, kernel)`.
 *
 * The API stays synchronous: the thread that calls `evaluateInto` (the coordinator: the extension's
 * training worker, the CLI's main thread, a test) publishes θ = (w, b) in shared memory, computes
 * blocks itself, takes over what the helpers have not finished, and adds the results up. No messages,
 * no promises, no allocation per epoch.
 *
 * Determinism. The rows are cut into the blocks of blocks.ts (`blockRows(n)` rows each, a function of
 * N alone). Each block's record of partial sums [Σ r², Σ a r, Σ a, Σ a r x_j] is computed by whichever
 * thread claims it, always in row order (the helpers by kernels.ts's JS kernels, the coordinator by
 * the WebAssembly kernel of wasm.ts where it runs: the same bits), and the coordinator adds the
 * records in block order. So the result is the same bits as `evaluateSerial` on one thread, whatever the number of
 * threads and whoever computed which block; a helper that is slow, descheduled or not started yet
 * only costs time. (The price, against a single row-order sum over all N rows: sums of more than
 * MIN_BLOCK_ROWS rows are rounded blockwise; that is the same on every run and every thread count.)
 *
 * Protocol, on one Int32Array `control` in a SharedArrayBuffer, for epoch number g:
 * - The coordinator writes θ, sets every block's flag to (g, OPEN), then stores EPOCH = g (sequentially
 *   consistent: whoever reads g afterwards sees θ and the flags).
 * - A thread claims block k by compareExchange of its flag from (g, OPEN): the coordinator to
 *   (g, DONE), computing the record in place; a helper to (g, TAKEN), computing into a private record,
 *   then moving the flag TAKEN → COMMITTING, copying the record in, and storing (g, DONE).
 * - The coordinator, out of open blocks, waits for the helpers' TAKEN blocks, but only about twice its
 *   own time per block: then it moves the flag TAKEN → DONE itself and computes the block. The helper's
 *   commit then fails and its private record is dropped; so a stalled helper (descheduled on a busy
 *   machine, or still starting) delays an epoch by a couple of blocks at most, and can never write
 *   into a later epoch, since its flag moves only from (g, TAKEN).
 * - Helpers spin for SPIN_MS after an epoch (epochs follow each other within microseconds while
 *   training), then sleep in Atomics.wait on EPOCH after adding to SLEEPING; the coordinator notifies
 *   only when it takes a non-zero SLEEPING back to zero: one notify per sleep, not per epoch.
 * - VERSION names the data set: `evaluator` posts the new buffers to each helper's port, then bumps it;
 *   a helper reads VERSION after EPOCH and picks the buffers up with receiveMessageOnPort.
 * - STATE: running, closed, or broken (a helper failed: from then on every epoch runs on the
 *   coordinator, to the same bits).
 * The coordinator itself never sleeps (it spins at most its patience), so any thread may coordinate.
 * When threads lose to one thread (a busy machine), it backs off to one thread for a while: see below.
 *
 * Helpers run the kernels' own source text (kernels.ts's KERNEL_FUNCTIONS) plus `helperMain` below,
 * started with `new Worker(source, { eval: true })`: no separate file to bundle or locate, the same
 * under tsx, mocha and the esbuild bundles.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { Evaluation, Samples } from '../samples';
import type { ReluGradAtZero } from '../settings';
import { MAX_BLOCKS, activationLimit, addRecords, beginSums, blockCount, blockRows, finishSums, recordLength } from './blocks';
import { KERNEL_FUNCTIONS, accumulateBlock } from './kernels';
import { type Evaluator, evaluateSerial } from './serial';
import type { WasmKernel } from './wasm';

/**
 * Word indices in `control` and the protocol's constants. Flags are 16 words (64 bytes) apart so that
 * threads claiming neighbouring blocks do not share a cache line. A flag holds g · 4 + state.
 */
const LAYOUT = {
  EPOCH: 0,
  SLEEPING: 16,
  VERSION: 17,
  STATE: 18,
  READY: 19,
  FLAGS: 32,
  FLAG_STRIDE: 16,
  WORDS: 32 + 16 * MAX_BLOCKS,
  GEN_MASK: 0x1fffffff,
  OPEN: 0,
  TAKEN: 1,
  COMMITTING: 2,
  DONE: 3,
  RUNNING: 0,
  CLOSED: 1,
  BROKEN: 2,
  /** How long a helper spins for the next epoch before it sleeps, in milliseconds. */
  SPIN_MS: 0.1,
} as const;
type Layout = typeof LAYOUT;

/**
 * Back-off. On a busy machine a helper may find no free core; then it competes with the coordinator
 * for its own, and the epoch gets slower, not faster. So the coordinator keeps its best time per row
 * when computing alone (its own blocks), and over windows of at least WINDOW_EPOCHS epochs and
 * WINDOW_MS compares the epochs' time with what that speed would need for the same rows. Unless
 * threads win by MIN_SPEEDUP, it runs epochs on its own thread for a while (the same bits: see
 * evaluateSerial), BACKOFF_MS at first, doubling up to MAX_BACKOFF_MS while threads keep losing, and
 * then tries again. A window that is already LOSING_FACTOR times slower than alone after LOSING_MS
 * ends early (typically: waking a helper put it on the coordinator's own core, the other one being
 * busy, and it preempted the coordinator). Epochs before any helper has started run alone too.
 */
const WINDOW_EPOCHS = 32;
const WINDOW_MS = 2;
const MIN_SPEEDUP = 1.1;
const LOSING_FACTOR = 3;
const LOSING_MS = 0.25;
const BACKOFF_MS = 2;
const MAX_BACKOFF_MS = 64;
/** Patience with a helper's block when the coordinator computed none to time, in milliseconds. */
const DEFAULT_PATIENCE_MS = 0.05;
/** A flag stuck in COMMITTING this long (a copy of d + 3 numbers) means a helper died: go on alone. */
const STALL_MS = 10_000;

/** What `share` posts to each helper: one data set's shared buffers. */
interface LoadMessage {
  version: number;
  n: number;
  d: number;
  rows: number;
  blocks: number;
  x: Float64Array;
  y: Float64Array;
  /** θ of the current epoch: [b, lim, w_1 … w_d] (lim from `activationLimit`). */
  params: Float64Array;
  /** B records of d + 3 doubles, record k at k · (d + 3). */
  records: Float64Array;
}

type Kernel = typeof accumulateBlock;

/**
 * A helper thread's whole program. Shipped as source text: it may use only its parameters and globals
 * (no imports, no closures, no nested functions, which tsx's keepNames would wrap in a helper).
 */
function helperMain(wt: typeof import('node:worker_threads'), accumulate: Kernel, L: Layout): void {
  const control = new Int32Array(wt.workerData.control as SharedArrayBuffer);
  const port = wt.workerData.port as MessagePort;
  /** Where this helper starts scanning for open blocks: helpers spread out from the top, the coordinator starts at 0. */
  const place = (wt.workerData.index as number) / (wt.workerData.helpers as number);
  let version = 0;
  let n = 0;
  let d = 0;
  let rows = 1;
  let blocks = 0;
  let len = 3;
  let x: Float64Array = new Float64Array(0);
  let y = x;
  let params = x;
  let w = x;
  let records = x;
  let mine = x;
  let seen = Atomics.load(control, L.EPOCH);
  Atomics.add(control, L.READY, 1);
  try {
    for (;;) {
      // The next epoch: spin a little, then sleep until EPOCH moves.
      let g = Atomics.load(control, L.EPOCH);
      const t0 = performance.now();
      let spins = 0;
      while (g === seen) {
        if ((++spins & 1023) === 0 && performance.now() - t0 > L.SPIN_MS) {
          Atomics.add(control, L.SLEEPING, 1);
          Atomics.wait(control, L.EPOCH, seen);
        }
        g = Atomics.load(control, L.EPOCH);
      }
      seen = g;
      if (Atomics.load(control, L.STATE) !== L.RUNNING) return;
      if (Atomics.load(control, L.VERSION) !== version) {
        // A new data set: its buffers were posted before VERSION moved. Take them all; the last is the newest.
        for (let got = wt.receiveMessageOnPort(port); got !== undefined; got = wt.receiveMessageOnPort(port)) {
          ({ version, n, d, rows, blocks, x, y, params, records } = got.message as LoadMessage);
        }
        w = params.subarray(2, 2 + d);
        len = d + 3;
        mine = new Float64Array(len);
      }
      const open = g * 4 + L.OPEN;
      const taken = g * 4 + L.TAKEN;
      const top = blocks - 1 - Math.floor(place * blocks);
      for (let t = 0; t < blocks; t++) {
        const k = (top - t + blocks) % blocks;
        const f = L.FLAGS + k * L.FLAG_STRIDE;
        if (Atomics.load(control, f) !== open || Atomics.compareExchange(control, f, open, taken) !== open) continue;
        if (Atomics.load(control, L.VERSION) !== version) {
          // Only after 2^29 epochs asleep could this claim be in a data set not loaded yet: give it back.
          Atomics.compareExchange(control, f, taken, open);
          break;
        }
        const start = k * rows;
        accumulate(x, y, d, w, params[0], params[1], start, Math.min(n, start + rows), mine, 0);
        if (Atomics.compareExchange(control, f, taken, g * 4 + L.COMMITTING) !== taken) continue;
        records.set(mine, k * len);
        Atomics.store(control, f, g * 4 + L.DONE);
      }
    }
  } catch (e) {
    Atomics.store(control, L.STATE, L.BROKEN);
    throw e;
  }
}

/** The program the helpers run: the kernels, then `helperMain` applied to them. */
function helperSource(): string {
  return [
    ...KERNEL_FUNCTIONS.map(String),
    `(${String(helperMain)})(require('node:worker_threads'), ${KERNEL_FUNCTIONS[0].name}, ${JSON.stringify(LAYOUT)});`,
  ].join('\n');
}

export interface RowThreadsOptions {
  /** Helper threads besides the coordinator. Default: one fewer than the cores, at most 3. */
  helpers?: number;
}

/** Counters, to see that the helpers take their share. */
export interface RowThreadsStats {
  /** Epochs run across threads. */
  epochs: number;
  /** Blocks computed in those epochs: all of them, by helpers, and taken over from a late helper by the coordinator. */
  blocks: number;
  helperBlocks: number;
  takenOver: number;
  /** Epochs that ran on the coordinator alone (helpers not started or backed off, stale samples, a closed pool). */
  serialEpochs: number;
  /** Times the coordinator backed off because threads were not MIN_SPEEDUP faster than it alone. */
  backoffs: number;
}

/** A set of helper threads that split the rows of `evaluateInto` with the calling thread. */
export class RowThreads {
  readonly helpers: number;
  readonly stats: RowThreadsStats = { epochs: 0, blocks: 0, helperBlocks: 0, takenOver: 0, serialEpochs: 0, backoffs: 0 };
  private readonly control: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private version = 0;
  private gen = 0;
  /** The current window: when it started, its epochs, their rows and milliseconds. */
  private window = { start: 0, epochs: 0, rows: 0, ms: 0 };
  /** The coordinator's best milliseconds per row computing alone, for the current data set. */
  private bestMsPerRow = Number.POSITIVE_INFINITY;
  /** Epochs run alone until this time (performance.now()); the next back-off's length. */
  private aloneUntil = 0;
  private backoffMs = BACKOFF_MS;
  /** The last threaded epoch's start and end (ms): fields, not arguments, so that no number is boxed per epoch. */
  private epochStart = 0;
  private epochEnd = 0;

  constructor(options: RowThreadsOptions = {}) {
    this.helpers = Math.max(0, Math.floor(options.helpers ?? Math.min(3, availableParallelism() - 1)));
    this.control = new Int32Array(new SharedArrayBuffer(LAYOUT.WORDS * 4));
    if (this.helpers === 0) return;
    const source = helperSource();
    for (let h = 0; h < this.helpers; h++) {
      const { port1, port2 } = new MessageChannel();
      const workerData = { control: this.control.buffer, port: port2, index: h, helpers: this.helpers };
      const worker = new Worker(source, { eval: true, workerData, transferList: [port2] });
      // Helpers never keep the process alive; a failed one sends every later epoch back to one thread.
      worker.unref();
      worker.on('error', () => this.stop(LAYOUT.BROKEN));
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  /** Helper threads that have started (they join epochs from then on; until then the coordinator works alone). */
  get readyHelpers(): number {
    return Atomics.load(this.control, LAYOUT.READY);
  }

  /** Whether epochs still run across threads (false once closed, or after a helper failed). */
  get running(): boolean {
    return Atomics.load(this.control, LAYOUT.STATE) === LAYOUT.RUNNING;
  }

  /** The same samples with X and y on shared memory (copied once; arrays already there are kept). */
  share(s: Samples): Samples {
    return { n: s.n, d: s.d, x: onSharedMemory(s.x), y: onSharedMemory(s.y) };
  }

  /**
   * An evaluator that splits the rows of `shared` (from `share`) across the threads, the coordinator's
   * blocks by `kernel` (made from these samples) or the JS kernels; null for a pool without helpers or
   * closed, for data of one block, or for samples not on shared memory. The pool works on one data set
   * at a time: an evaluator made earlier still evaluates, to the same bits, on one thread.
   */
  evaluator(shared: Samples, reluGradAtZero: ReluGradAtZero, kernel: WasmKernel | null = null): Evaluator | null {
    const { n, d, x, y } = shared;
    const blocks = blockCount(n);
    if (this.helpers === 0 || !this.running || blocks < 2) return null;
    if (!(x.buffer instanceof SharedArrayBuffer && y.buffer instanceof SharedArrayBuffer)) return null;
    const params = new Float64Array(new SharedArrayBuffer((d + 2) * 8));
    const records = new Float64Array(new SharedArrayBuffer(blocks * recordLength(d) * 8));
    const version = ++this.version;
    const message: LoadMessage = { version, n, d, rows: blockRows(n), blocks, x, y, params, records };
    for (const port of this.ports) port.postMessage(message);
    Atomics.store(this.control, LAYOUT.VERSION, version);
    this.bestMsPerRow = Number.POSITIVE_INFINITY;
    this.window = { start: 0, epochs: 0, rows: 0, ms: 0 };
    return new SharedRows(this, shared, message, reluGradAtZero, kernel);
  }

  /** Stops the helpers. Evaluators made by this pool keep working, on the calling thread alone. */
  async close(): Promise<void> {
    this.stop(LAYOUT.CLOSED);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** One epoch's l and ∇l for one shared data set, across the threads (`SharedRows.evaluateInto` calls this). */
  evaluate(shared: SharedRows, w: Float64Array, b: number, out: Evaluation): Evaluation {
    const { samples, message, reluGradAtZero, kernel: placed } = shared;
    if (
      message.version !== this.version ||
      !this.running ||
      Atomics.load(this.control, LAYOUT.READY) === 0 ||
      performance.now() < this.aloneUntil
    ) {
      this.stats.serialEpochs++;
      return evaluateSerial(samples, w, b, reluGradAtZero, out, placed);
    }
    const t0 = performance.now();
    const { n, d, x, y } = samples;
    const { params, records, blocks, rows } = message;
    const c = this.control;
    const L = LAYOUT;
    const lim = activationLimit(reluGradAtZero);
    const len = recordLength(d);
    params[0] = b;
    params[1] = lim;
    params.set(w, 2);
    // Open epoch g: θ and the flags first, EPOCH last.
    const g = (this.gen = (this.gen + 1) & L.GEN_MASK);
    const open = g * 4 + L.OPEN;
    const taken = g * 4 + L.TAKEN;
    const done = g * 4 + L.DONE;
    for (let k = 0; k < blocks; k++) Atomics.store(c, L.FLAGS + k * L.FLAG_STRIDE, open);
    Atomics.store(c, L.EPOCH, g);
    if (Atomics.load(c, L.SLEEPING) > 0 && Atomics.exchange(c, L.SLEEPING, 0) > 0) Atomics.notify(c, L.EPOCH);
    // Claim blocks from 0 up (helpers come from the top) and compute them in place; this thread runs
    // the WebAssembly kernel where it can (the same bits as the helpers' JS kernels, faster).
    let own = 0;
    let ownRows = 0;
    for (let k = 0; k < blocks; k++) {
      const f = L.FLAGS + k * L.FLAG_STRIDE;
      if (Atomics.load(c, f) !== open || Atomics.compareExchange(c, f, open, done) !== open) continue;
      const start = k * rows;
      const end = Math.min(n, start + rows);
      if (placed !== null) placed.accumulate(x, y, w, b, lim, start, end, records, k * len);
      else accumulateBlock(x, y, d, w, b, lim, start, end, records, k * len);
      own++;
      ownRows += end - start;
    }
    // The helpers' blocks: wait for each about two of our block times, then take it over.
    const t1 = performance.now();
    if (own > 0) this.bestMsPerRow = Math.min(this.bestMsPerRow, (t1 - t0) / ownRows);
    const patience = own > 0 ? (2 * (t1 - t0)) / own : DEFAULT_PATIENCE_MS;
    let takenOver = 0;
    for (let k = 0; k < blocks; k++) {
      const f = L.FLAGS + k * L.FLAG_STRIDE;
      let spins = 0;
      for (let v = Atomics.load(c, f); v !== done; v = Atomics.load(c, f)) {
        if (v !== open && (++spins & 15) !== 0) continue; // look at the clock every 16 spins
        const waited = v === open ? 0 : performance.now() - t1;
        if ((v === open || (v === taken && waited > patience)) && Atomics.compareExchange(c, f, v, done) === v) {
          const start = k * rows;
          const end = Math.min(n, start + rows);
          if (placed !== null) placed.accumulate(x, y, w, b, lim, start, end, records, k * len);
          else accumulateBlock(x, y, d, w, b, lim, start, end, records, k * len);
          takenOver++;
          break;
        }
        if (waited > STALL_MS || !this.running) {
          this.stop(L.BROKEN);
          this.stats.serialEpochs++;
          return evaluateSerial(samples, w, b, reluGradAtZero, out, placed);
        }
      }
    }
    beginSums(out);
    addRecords(records, 0, blocks, d, out);
    finishSums(out, n);
    this.epochStart = t0;
    this.epochEnd = performance.now();
    this.count(n, blocks, blocks - own - takenOver, takenOver);
    return out;
  }

  /** Adds the epoch just run (n rows, from epochStart to epochEnd) to the stats and the window; at the window's end, backs off if threads lost. */
  private count(n: number, blocks: number, helperBlocks: number, takenOver: number): void {
    const { stats, window: win, epochStart: start, epochEnd: end } = this;
    stats.epochs++;
    stats.blocks += blocks;
    stats.helperBlocks += helperBlocks;
    stats.takenOver += takenOver;
    if (win.epochs === 0) win.start = start;
    win.epochs++;
    win.rows += n;
    win.ms += end - start;
    const alone = win.rows * this.bestMsPerRow;
    const losing = win.ms > LOSING_MS && win.ms > LOSING_FACTOR * alone;
    if (!losing && (win.epochs < WINDOW_EPOCHS || end - win.start < WINDOW_MS)) return;
    if (alone < MIN_SPEEDUP * win.ms) {
      stats.backoffs++;
      this.aloneUntil = end + this.backoffMs;
      this.backoffMs = Math.min(2 * this.backoffMs, MAX_BACKOFF_MS);
    } else {
      this.backoffMs = BACKOFF_MS;
    }
    win.epochs = win.rows = win.ms = 0;
  }

  /** Leaves the running state (once) and wakes the helpers so that they see it. */
  private stop(state: number): void {
    if (Atomics.compareExchange(this.control, LAYOUT.STATE, LAYOUT.RUNNING, state) !== LAYOUT.RUNNING) return;
    this.gen = (this.gen + 1) & LAYOUT.GEN_MASK;
    Atomics.store(this.control, LAYOUT.EPOCH, this.gen);
    Atomics.notify(this.control, LAYOUT.EPOCH);
  }
}

/** One shared data set, evaluated across the pool's threads: what `RowThreads.evaluator` returns. */
class SharedRows implements Evaluator {
  readonly path = 'threads';

  constructor(
    private readonly threads: RowThreads,
    readonly samples: Samples,
    readonly message: LoadMessage,
    readonly reluGradAtZero: ReluGradAtZero,
    /** The coordinator's WebAssembly kernel for these samples (null: it runs the JS kernels). */
    readonly kernel: WasmKernel | null,
  ) {}

  evaluateInto(w: Float64Array, b: number, out: Evaluation): Evaluation {
    return this.threads.evaluate(this, w, b, out);
  }
}

/** The same values in a Float64Array over a SharedArrayBuffer (the array itself if it already is). */
function onSharedMemory(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new Float64Array(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}
