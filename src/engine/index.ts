/** The training engine: pure TypeScript, no `vscode`, no DOM. */
export * from './settings';
export * from './dataset';
export * from './neuron';
export * as reference from './reference';
export * from './train';
export * from './derivation';
export * from './gradientCheck';
export * from './format';
export * from './report';
export * from './messages';
export * from './exporters';
export * from './fast';
