/**
 * The derivation's step names, as data with no numeric imports, so the view can show them without
 * pulling the engine's kernels into its bundle.
 */

/** The steps in the course document's order: sum, dot product, max, loss, chain rule, update. */
export type DerivationStepId = 'sum' | 'dot' | 'max' | 'loss' | 'chain' | 'update';

/** English titles; the extension translates them, the CLI prints them. */
export const STEP_TITLES: Record<DerivationStepId, string> = {
  sum: 'Derivative of a sum',
  dot: 'Derivative of the dot product',
  max: 'Derivative of max(0, ·)',
  loss: 'Derivative of the loss',
  chain: 'Chain rule: the gradient',
  update: 'Gradient descent step',
};
