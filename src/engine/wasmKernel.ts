/**
 * neuron.ts's block kernel (`accumulateBlock`) in WebAssembly SIMD: the same record, to the bit, about
 * twice as fast on one thread (see wasm/kernel.wat for the arithmetic and why each sum keeps its order).
 *
 *   accumulateBlockWasm(x, y, d, w, b, lim, start, end, acc, o)   // accumulateBlock's arguments and result
 *
 * The kernel reads X and y from its own linear memory. They are copied there on the first block of a
 * data set and reused while the same arrays come back (compared by identity), so an epoch costs no
 * copy. One data set is placed at a time, in one memory that grows to the largest set seen; a new set
 * is copied over the old one, and a set much smaller than the memory gets a fresh, small instance so
 * the large memory can be collected. The placement holds the arrays only weakly.
 *
 * So X and y must not be changed in place while they are being evaluated: after writing into them,
 * call `forgetWasmSamples()` (or hand the engine new arrays, as `DatasetDocument.dataset()` does).
 *
 * Without WebAssembly or its SIMD (the module fails `WebAssembly.validate`), or for data too large for
 * a 32-bit memory, every call runs `accumulateBlock` instead: the same bits, slower.
 *
 * Synchronous and self-contained: no file is read (the binary is kernelBinary.ts), no `vscode`, no
 * Node module; usable from any thread (each has its own instance).
 */
import { accumulateBlock, blockRows, recordLength, rowsReference } from './neuron';
import { KERNEL_WASM_BASE64 } from './wasm/kernelBinary';

/**
 * `evaluateSerial` uses this kernel for d ≥ 1 and N·(d + 1) ≥ WASM_MIN_VALUES. Measured on one thread it
 * is faster for every d: 1.2–1.3× at d = 1, about 2× at d = 8, about 4× from d = 16 on (against
 * `rowsTiled`; d = 16 … 256, `npx tsx` of a pass over 400,000 values).
 */
/** Below this many values N·(d + 1) a pass is a few dozen rows and the call into the kernel costs more than it saves. */
export const WASM_MIN_VALUES = 256;

/** Whether `evaluateSerial` runs N = n rows of d features through this kernel (when it is available). */
export function wasmKernelSuits(n: number, d: number): boolean {
  return d >= 1 && n * (d + 1) >= WASM_MIN_VALUES;
}

/** The exported kernel: the record of rows [start, end) at byte `out` (see kernel.wat). */
type RowsFunction = (x: number, y: number, w: number, out: number, d: number, b: number, lim: number, start: number, end: number) => void;
/** The exported forward pass: [Σ r², Σ a] at byte `out`, the mask bytes kept, flipped rows listed; returns how many (see kernel.wat). */
type ForwardFunction = (xPairs: number, x: number, y: number, w: number, out: number, mask: number, flips: number, d: number, b: number, lim: number, n: number, blockRows: number) => number;

/** One instance of the kernel module with its memory. */
export interface WasmKernelInstance {
  memory: WebAssembly.Memory;
  rows: RowsFunction;
  forward: ForwardFunction;
  /** Views of the whole memory, renewed when the memory grows. */
  f64: Float64Array;
  i32: Int32Array;
  u8: Uint8Array;
}

/** Where one data set sits in the kernel's memory (byte offsets); from `placeWasmSamples`. */
export interface WasmPlacement {
  /** The instance holding the copy. */
  readonly kernel: WasmKernelInstance;
  readonly d: number;
  /** Rows wholly in the copy: min(y.length, ⌊x.length / d⌋). */
  readonly rows: number;
  readonly w: number;
  readonly out: number;
  readonly xAt: number;
  readonly yAt: number;
  /**
   * For `forwardPlaced`: X again in row pairs (pair k: x_2k,j and x_2k+1,j side by side for each j),
   * the active mask (a byte per row) and the list of flipped rows (an i32 per row). All three are 0
   * for data of more than `PAIRED_MAX_VALUES` values, which get none of them.
   */
  readonly pairsAt: number;
  readonly maskAt: number;
  readonly flipsAt: number;
  /** Whose mask the bytes at `maskAt` are (see `forwardPlaced`). */
  maskOwner: object | null;
}

/** Data of at most this many values N·d also gets the row-pair copy of X that `forwardPlaced` reads. */
export const PAIRED_MAX_VALUES = 65_536;

/** Bytes 0–15 hold the kernel's constant [1, 1]; w, the record and the data follow. */
const FIRST_FREE = 16;
const PAGE = 65536;
/** Keeps every address well inside i32 (the kernel computes row addresses with 32-bit arithmetic). */
const MAX_BYTES = 2 ** 31 - PAGE;
/** A data set needing less than 1/SHRINK of a memory above SHRINK_ABOVE bytes gets a fresh instance. */
const SHRINK = 4;
const SHRINK_ABOVE = 64 * 2 ** 20;

/** undefined: not loaded yet; null: unavailable (no WebAssembly, no SIMD, or switched off). */
let kernel: WasmKernelInstance | null | undefined;
/** The data set in the memory now. Found from its arrays through weak maps, which hold neither the arrays nor a stale placement alive. */
let placed: WasmPlacement | null = null;
let byX = new WeakMap<Float64Array, WasmPlacement>();
let byY = new WeakMap<Float64Array, WasmPlacement>();
/** The binary that `instantiate` loads (replaceable for tests). */
let binary: Uint8Array<ArrayBuffer> | null = null;

/** Whether the WebAssembly kernel runs here (it is loaded on the first call). */
export function wasmKernelAvailable(): boolean {
  return loadedKernel() !== null;
}

/**
 * For tests: loads the kernel again from `bytes` (default: the built-in binary), or switches it off
 * with `null`. Returns whether it is available afterwards. Drops the placed data.
 */
export function reloadWasmKernel(bytes?: Uint8Array<ArrayBuffer> | null): boolean {
  forgetWasmSamples();
  if (bytes === null) {
    kernel = null;
    return false;
  }
  binary = bytes ?? null;
  kernel = undefined;
  return wasmKernelAvailable();
}

/** Drops the placed data: the next call copies X and y again (after changing them in place). */
export function forgetWasmSamples(): void {
  placed = null;
  byX = new WeakMap();
  byY = new WeakMap();
}

/** The memory's size in bytes (0 when unavailable): to see that it does not grow without bound. */
export function wasmMemoryBytes(): number {
  return kernel ? kernel.memory.buffer.byteLength : 0;
}

/**
 * `accumulateBlock` by the WebAssembly kernel: the record of rows [start, end) (d + 3 doubles) at
 * acc[o …], the same bits. A record whose Σ r² is NaN is redone by `rowsReference`, as there.
 */
export function accumulateBlockWasm(x: Float64Array, y: Float64Array, d: number, w: Float64Array, b: number, lim: number, start: number, end: number, acc: Float64Array, o: number): void {
  accumulateBlockPlaced(placeWasmSamples(x, y, d), x, y, d, w, b, lim, start, end, acc, o);
}

/**
 * The placement of X (row-major, d a row) and y in the kernel's memory: copied in unless these arrays
 * are the ones placed last. Null where the kernel is unavailable or the data too large for it. For a
 * pass over many blocks (`evaluateSerial`): look the data up once, then `accumulateBlockPlaced` per block.
 */
export function placeWasmSamples(x: Float64Array, y: Float64Array, d: number): WasmPlacement | null {
  const p = placed;
  if (p !== null && byX.get(x) === p && byY.get(y) === p && p.d === d) return p;
  const k = loadedKernel();
  return k === null ? null : place(k, x, y, d);
}

/** `accumulateBlockWasm` with the placement of (x, y) already looked up; a null placement runs `accumulateBlock`. */
export function accumulateBlockPlaced(p: WasmPlacement | null, x: Float64Array, y: Float64Array, d: number, w: Float64Array, b: number, lim: number, start: number, end: number, acc: Float64Array, o: number): void {
  if (p === null || p.d !== d || !(start >= 0 && start <= end && end <= p.rows)) {
    accumulateBlock(x, y, d, w, b, lim, start, end, acc, o);
    return;
  }
  const k = p.kernel;
  const f = k.f64;
  const wAt = p.w >>> 3;
  for (let j = 0; j < d; j++) f[wAt + j] = w[j];
  k.rows(p.xAt, p.yAt, p.w, p.out, d, b, lim, start, end);
  const at = p.out >>> 3;
  const len = recordLength(d);
  for (let j = 0; j < len; j++) acc[o + j] = f[at + j];
  // Σ r² is NaN only if some u_i was −∞ or NaN (or the data holds NaN): redo exactly, as accumulateBlock does.
  if (Number.isNaN(acc[o])) rowsReference(x, y, d, w, b, lim, start, end, acc, o);
}

/**
 * The forward pass of activeSet.ts by the WebAssembly kernel, over all `p.rows` rows at (w, b): writes
 * [Σ r_i², Σ a_i] to `sums` (Σ r² to the bit of `evaluateSerial`'s), and, comparing each a_i with
 * `mask[i]`, rewrites the bytes that differ and lists those rows in row order at the start of `flips`.
 * Returns how many rows flipped, or −1 (and does nothing) for data placed without the row-pair copy.
 * The kernel keeps its own copy of the mask, refreshed from `mask` whenever a different `owner` used
 * it last; `mask` is kept equal to it.
 */
export function forwardPlaced(p: WasmPlacement, owner: object, mask: Uint8Array, w: Float64Array, b: number, lim: number, flips: Int32Array, sums: Float64Array): number {
  if (p.pairsAt === 0) return -1;
  const k = p.kernel;
  const n = p.rows;
  if (p.maskOwner !== owner) {
    k.u8.set(mask.subarray(0, n), p.maskAt);
    p.maskOwner = owner;
  }
  const f = k.f64;
  const wAt = p.w >>> 3;
  for (let j = 0; j < p.d; j++) f[wAt + j] = w[j];
  const count = k.forward(p.pairsAt, p.xAt, p.yAt, p.w, p.out, p.maskAt, p.flipsAt, p.d, b, lim, n, blockRows(n));
  const at = p.out >>> 3;
  sums[0] = f[at];
  sums[1] = f[at + 1];
  const listed = k.i32;
  for (let q = 0, from = p.flipsAt >>> 2; q < count; q++) {
    const i = listed[from + q];
    flips[q] = i;
    mask[i] ^= 1;
  }
  return count;
}

function loadedKernel(): WasmKernelInstance | null {
  if (kernel === undefined) kernel = instantiate(binary ?? decodeBase64(KERNEL_WASM_BASE64));
  return kernel;
}

/** A fresh instance with its own memory, or null where WebAssembly SIMD is not available. */
function instantiate(bytes: Uint8Array<ArrayBuffer>): WasmKernelInstance | null {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const { memory, rows, forward } = instance.exports as { memory: WebAssembly.Memory; rows: RowsFunction; forward: ForwardFunction };
    if (!(memory instanceof WebAssembly.Memory) || typeof rows !== 'function' || typeof forward !== 'function') return null;
    const k = { memory, rows, forward, f64: new Float64Array(0), i32: new Int32Array(0), u8: new Uint8Array(0) };
    renewViews(k);
    return k;
  } catch {
    return null;
  }
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const text = atob(s);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** X's whole row pairs at f[at …]: pair k is [x_2k,1, x_2k+1,1, x_2k,2, x_2k+1,2, …] (an odd last row is left out). */
function placePairs(f: Float64Array, x: Float64Array, d: number, rows: number, at: number): void {
  for (let i = 0; i + 1 < rows; i += 2) {
    const p = i * d;
    for (let j = 0; j < d; j++) {
      f[at++] = x[p + j];
      f[at++] = x[p + d + j];
    }
  }
}

function renewViews(k: WasmKernelInstance): void {
  k.f64 = new Float64Array(k.memory.buffer);
  k.i32 = new Int32Array(k.memory.buffer);
  k.u8 = new Uint8Array(k.memory.buffer);
}

const align = (at: number, to: number): number => Math.ceil(at / to) * to;

/** Copies (x, y) into the memory (growing it, or taking a fresh instance for a much smaller set); null if too large. */
function place(k: WasmKernelInstance, x: Float64Array, y: Float64Array, d: number): WasmPlacement | null {
  placed = null;
  const w = FIRST_FREE;
  const out = align(w + 8 * d, 16);
  const xAt = align(out + 8 * recordLength(d), 64);
  const yAt = align(xAt + x.byteLength, 64);
  // Small data also gets what `forwardPlaced` needs: the flip list, the mask and the row-pair copy.
  const paired = d > 0 && x.length <= PAIRED_MAX_VALUES;
  const flipsAt = paired ? align(yAt + y.byteLength, 64) : 0;
  const maskAt = paired ? align(flipsAt + 4 * y.length, 64) : 0;
  const pairsAt = paired ? align(maskAt + y.length, 64) : 0;
  const bytes = paired ? pairsAt + x.byteLength : yAt + y.byteLength;
  if (bytes > MAX_BYTES) return null;
  let have = k.memory.buffer.byteLength;
  if (have > SHRINK_ABOVE && SHRINK * bytes < have) {
    // Let the large memory go: a fresh instance, sized for this data set.
    const fresh = instantiate(binary ?? decodeBase64(KERNEL_WASM_BASE64));
    if (fresh === null) return null;
    kernel = k = fresh;
    have = k.memory.buffer.byteLength;
  }
  if (bytes > have) {
    try {
      k.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return null;
    }
    renewViews(k);
  }
  k.f64.set(x, xAt >>> 3);
  k.f64.set(y, yAt >>> 3);
  const rows = d > 0 ? Math.min(y.length, Math.floor(x.length / d)) : y.length;
  if (paired) placePairs(k.f64, x, d, rows, pairsAt >>> 3);
  const p: WasmPlacement = { kernel: k, d, rows, w, out, xAt, yAt, pairsAt, maskAt, flipsAt, maskOwner: null };
  byX.set(x, p);
  byY.set(y, p);
  placed = p;
  return p;
}
