/** The fast paths of the fused pass, and the one function that chooses among them (choose.ts). */
export * from './blocks';
export * from './kernels';
export * from './wasm';
export * from './serial';
export * from './activeSet';
export * from './threads';
export * from './choose';
