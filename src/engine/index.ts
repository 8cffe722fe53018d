/** The training engine: pure TypeScript, no `vscode`, no DOM. */
export * from './settings';
export * from './problems';
export * from './csv';
export * from './columns';
export * from './encoding';
export * from './dataset';
export * from './neuron';
export * as reference from './reference';
export * from './train';
export * from './derivation';
export * from './gradientCheck';
export * from './format';
export * from './report';
export * from './messages';
export * from './export/run';
export * from './export/markdown';
export * from './export/pytorch';
export * from './fast';
