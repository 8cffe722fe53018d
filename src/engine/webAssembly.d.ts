/**
 * The part of Node's global `WebAssembly` the engine uses. @types/node 20 does not declare it (the
 * DOM lib does), and the engine is type-checked without the DOM (tsconfig.node.json).
 */
declare namespace WebAssembly {
  /** A compiled module. */
  class Module {
    constructor(bytes: BufferSource);
  }
  /** A module's exports: functions, memories, globals, tables. */
  type Exports = Record<string, unknown>;
  /** A module instantiated synchronously, with its exports. */
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Exports;
  }
  /** A linear memory of 64 KiB pages; `grow` adds pages and returns the old size in pages. */
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  /** Whether `bytes` is a valid module here (false, e.g., where SIMD is missing). */
  function validate(bytes: BufferSource): boolean;
  /** Compiles and instantiates asynchronously. */
  function instantiate(
    bytes: BufferSource,
    imports?: Record<string, Record<string, unknown>>,
  ): Promise<{ module: Module; instance: Instance }>;
}

/** Bytes as the WebAssembly API takes them. */
type BufferSource = ArrayBufferView<ArrayBuffer> | ArrayBuffer;
