/**
 * The fused pass's block kernel (kernels.ts's `accumulateBlock`) in WebAssembly SIMD: the same record,
 * to the bit, faster on one thread (see wasm/kernel.wat for the arithmetic and why each sum keeps its
 * order); and activeSet.ts's forward pass.
 *
 *   const k = WasmKernel.create(x, y, d);            // X and y copied into the kernel's own memory
 *   k?.accumulate(w, b, lim, start, end, acc, o);    // accumulateBlock's record, same bits
 *
 * A `WasmKernel` is one instance with its own memory holding one data set, copied in when it is made:
 * its owner (an evaluator, so a training session) drops it with the data. Changing X or y in place
 * afterwards is not seen; make a new kernel. `create` returns null without WebAssembly or its SIMD, or
 * for data too large for a 32-bit memory: callers then run the JS kernels (the same bits, slower).
 *
 * Synchronous and self-contained: no file is read (the binary is wasm/kernelBinary.ts), no `vscode`,
 * no Node module; usable from any thread.
 */
import { blockRows, recordLength } from './blocks';
import { accumulateBlock, rowsExact } from './kernels';
import { KERNEL_WASM_BASE64 } from './wasm/kernelBinary';

/** The exported kernel: the record of rows [start, end) at byte `out` (see kernel.wat). */
type RowsFunction = (x: number, y: number, w: number, out: number, d: number, b: number, lim: number, start: number, end: number) => void;
/** The exported forward pass: [Σ r², Σ a] at byte `out`, the mask bytes kept, flipped rows listed; returns how many (see kernel.wat). */
type ForwardFunction = (
  xPairs: number,
  x: number,
  y: number,
  w: number,
  out: number,
  mask: number,
  flips: number,
  d: number,
  b: number,
  lim: number,
  n: number,
  blockRows: number,
) => number;

/** Bytes 0–15 hold the kernel's constant [1, 1]; w, the record and the data follow. */
const FIRST_FREE = 16;
const PAGE = 65536;
/** Keeps every address well inside i32 (the kernel computes row addresses with 32-bit arithmetic). */
const MAX_BYTES = 2 ** 31 - PAGE;

/** The compiled module of each binary (immutable; compiled once): null where it does not validate. */
const compiled = new WeakMap<Uint8Array<ArrayBuffer>, WebAssembly.Module | null>();
let builtIn: Uint8Array<ArrayBuffer> | undefined;

/** The built-in binary (wasm/kernelBinary.ts), decoded once. */
export function builtInWasmBinary(): Uint8Array<ArrayBuffer> {
  return (builtIn ??= decodeBase64(KERNEL_WASM_BASE64));
}

/** Whether WebAssembly SIMD runs here, i.e. `WasmKernel.create` can succeed. */
export function wasmKernelAvailable(binary: Uint8Array<ArrayBuffer> = builtInWasmBinary()): boolean {
  return compile(binary) !== null;
}

function compile(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  let m = compiled.get(bytes);
  if (m === undefined) {
    try {
      m = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      m = null;
    }
    compiled.set(bytes, m);
  }
  return m;
}

/** Options of `WasmKernel.create`. */
export interface WasmKernelOptions {
  /** Also keep what `forward` needs: X in row pairs, the active mask, the flip list (activeSet.ts). */
  forward?: boolean;
  /** The module to run (tests: a broken one); default the built-in binary. */
  binary?: Uint8Array<ArrayBuffer>;
}

/** One instance of the kernel with one data set (X, y, d) in its memory. */
export class WasmKernel {
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;

  private constructor(
    private readonly rowsFn: RowsFunction,
    private readonly forwardFn: ForwardFunction,
    /** The memory, to see its size. */
    readonly memory: WebAssembly.Memory,
    readonly d: number,
    /** Rows wholly in the copy: min(y.length, ⌊x.length / d⌋). */
    readonly rows: number,
    private readonly at: { w: number; out: number; x: number; y: number; pairs: number; mask: number; flips: number },
  ) {
    this.f64 = new Float64Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /** A kernel holding a copy of X (row-major, d a row) and y; null where WebAssembly SIMD is unavailable or the data too large. */
  static create(x: Float64Array, y: Float64Array, d: number, options: WasmKernelOptions = {}): WasmKernel | null {
    const module = compile(options.binary ?? builtInWasmBinary());
    if (module === null || d < 1) return null;
    const w = FIRST_FREE;
    const out = align(w + 8 * d, 16);
    const xAt = align(out + 8 * recordLength(d), 64);
    const yAt = align(xAt + x.byteLength, 64);
    const paired = options.forward === true;
    const flips = paired ? align(yAt + y.byteLength, 64) : 0;
    const mask = paired ? align(flips + 4 * y.length, 64) : 0;
    const pairs = paired ? align(mask + y.length, 64) : 0;
    const bytes = paired ? pairs + x.byteLength : yAt + y.byteLength;
    if (bytes > MAX_BYTES) return null;
    try {
      const instance = new WebAssembly.Instance(module);
      const { memory, rows, forward } = instance.exports as { memory: WebAssembly.Memory; rows: RowsFunction; forward: ForwardFunction };
      if (!(memory instanceof WebAssembly.Memory) || typeof rows !== 'function' || typeof forward !== 'function') return null;
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
      const n = Math.min(y.length, Math.floor(x.length / d));
      const k = new WasmKernel(rows, forward, memory, d, n, { w, out, x: xAt, y: yAt, pairs, mask, flips });
      k.f64.set(x, xAt >>> 3);
      k.f64.set(y, yAt >>> 3);
      if (paired) placePairs(k.f64, x, d, n, pairs >>> 3);
      return k;
    } catch {
      return null;
    }
  }

  /**
   * `accumulateBlock` by the WebAssembly kernel: the record of rows [start, end) (d + 3 doubles) at
   * acc[o …], the same bits. A record whose Σ r² is NaN is redone by `rowsExact`, as there; rows
   * outside the copy go to `accumulateBlock` (x and y: the arrays the kernel was made from).
   */
  accumulate(
    x: Float64Array,
    y: Float64Array,
    w: Float64Array,
    b: number,
    lim: number,
    start: number,
    end: number,
    acc: Float64Array,
    o: number,
  ): void {
    const d = this.d;
    if (!(start >= 0 && start <= end && end <= this.rows)) {
      accumulateBlock(x, y, d, w, b, lim, start, end, acc, o);
      return;
    }
    const { f64: f, at } = this;
    const wAt = at.w >>> 3;
    for (let j = 0; j < d; j++) f[wAt + j] = w[j];
    this.rowsFn(at.x, at.y, at.w, at.out, d, b, lim, start, end);
    const from = at.out >>> 3;
    const len = recordLength(d);
    for (let j = 0; j < len; j++) acc[o + j] = f[from + j];
    // Σ r² is NaN only if some u_i was −∞ or NaN (or the data holds NaN): redo exactly, as accumulateBlock does.
    if (Number.isNaN(acc[o])) rowsExact(x, y, d, w, b, lim, start, end, acc, o);
  }

  /** Sets the kernel's copy of the active mask (a byte a row; all 0 when made) to `mask`: for a caller whose mask starts elsewhere. */
  loadMask(mask: Uint8Array): void {
    if (this.at.mask !== 0) new Uint8Array(this.memory.buffer, this.at.mask, this.rows).set(mask.subarray(0, this.rows));
  }

  /**
   * The forward pass of activeSet.ts over all `rows` rows at (w, b): writes [Σ r_i², Σ a_i] to `sums`
   * (Σ r² to the bit of the fused pass's), and, comparing each a_i with the mask kept in the kernel's
   * memory (all 0 at first), rewrites the bytes that differ, flips the same bytes of `mask` (which the
   * caller keeps equal to it), and lists those rows in row order at the start of `flips`. Returns how
   * many rows flipped, or −1 (doing nothing) for a kernel made without `forward`.
   */
  forward(mask: Uint8Array, w: Float64Array, b: number, lim: number, flips: Int32Array, sums: Float64Array): number {
    const { f64: f, at } = this;
    if (at.pairs === 0) return -1;
    const n = this.rows;
    const wAt = at.w >>> 3;
    for (let j = 0; j < this.d; j++) f[wAt + j] = w[j];
    const count = this.forwardFn(at.pairs, at.x, at.y, at.w, at.out, at.mask, at.flips, this.d, b, lim, n, blockRows(n));
    const from = at.out >>> 3;
    sums[0] = f[from];
    sums[1] = f[from + 1];
    const listed = this.i32;
    for (let q = 0, first = at.flips >>> 2; q < count; q++) {
      const i = listed[first + q];
      flips[q] = i;
      mask[i] ^= 1;
    }
    return count;
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

const align = (at: number, to: number): number => Math.ceil(at / to) * to;
