/**
 * The derivation's words: its step names and the notes its steps carry, as data with no numeric
 * imports, so the view can show them without pulling the engine's kernels into its bundle.
 */

/**
 * The steps in the course document's order: sum, dot product, max, loss, chain rule, update; with
 * feature scaling on (`# @scale`), a step 0 `scale` before them.
 */
export type DerivationStepId = 'scale' | 'sum' | 'dot' | 'max' | 'loss' | 'chain' | 'update';

/** English titles; the extension translates them, the CLI prints them. */
export const STEP_TITLES: Record<DerivationStepId, string> = {
  scale: 'Scaling the features',
  sum: 'Derivative of a sum',
  dot: 'Derivative of the dot product',
  max: 'Derivative of max(0, ·)',
  loss: 'Derivative of the loss',
  chain: 'Chain rule: the gradient',
  update: 'Gradient descent step',
};

/**
 * Every sentence a derivation step carries (English; translated like the rest). `{0}` is a count
 * where the template has a plural form.
 */
export const DERIVATION_NOTES = {
  columns:
    'Convention: vectors are columns, and a derivative with respect to a vector is a column of the same shape. The document writes some of these derivatives as rows; the numbers are the same.',
  iverson: 'a_i = [u_i ≥ 0] is the indicator of sample i: 1 when the condition in the brackets holds, 0 when it does not.',
  reluAtZero1:
    "Convention: ReLU has no derivative at u = 0 (from the left it is 0, from the right 1). The value used there is a choice: here ReLU'(0) = 1, what the document's max rule gives (f ≤ g takes ∂g), so a sample with u = 0 counts as active. PyTorch chooses 0.",
  reluAtZero0:
    "Convention: ReLU has no derivative at u = 0 (from the left it is 0, from the right 1). The value used there is a choice: here ReLU'(0) = 0, as in PyTorch and TensorFlow, so a sample with u = 0 counts as inactive. The document's max rule gives 1.",
  scalarZero: 'The document writes the inactive case of ∂z/∂b as the vector 0⃗; b is a number, so here it is the number 0.',
  squareOrder:
    'The document writes the loss both as (z − y)² and as (y − z)²; the two are equal. Here it is (z − y)² throughout, so ∂l/∂z_i has the sign of z_i − y_i.',
  indicatorInside:
    'The indicator a_i sits inside the sum: each sample is active or inactive on its own. The document writes the case split around the whole sum; the two agree only when all samples share one state.',
  biasLabel: 'The document labels the formula for the bias ∂l/∂w; it is ∂l/∂b.',
  share:
    "c_i = (2/N) a_i (z_i − y_i) (x⃗_i, 1) is sample i's term of the sum: its part of ∇l = (∂l/∂w⃗, ∂l/∂b). The c_i add up to ∇l; a sample's share is c_i·∇l / |∇l|².",
  updateBias: 'The document writes ∂l/∂b⃗ in the update of b; b is a number, so here it is ∂l/∂b.',
  standardSd:
    'σ_j is the population standard deviation, with 1/N (not the sample one with 1/(N − 1)), over the N samples that are trained on; each scaled feature x̃_j then has mean 0 and standard deviation 1.',
  minmaxRange: 'Each scaled feature x̃_j runs from 0 (at its smallest value in the data) to 1 (at its largest).',
  constantColumns:
    '{0, plural, one {# feature has} other {# features have}} the same value in every sample, so {0, plural, one {it is} other {they are}} left as {0, plural, one {it is} other {they are}} (shift 0, factor 1): there is nothing to scale.',
  fileUnits:
    "The neuron trains on x̃. Since x̃_j = (x_j − s_j)/f_j (s_j = μ_j and f_j = σ_j, or s_j = min_j and f_j = max_j − min_j), the same neuron on the file's numbers has w_j = w̃_j / f_j and b = b̃ − Σ_j w̃_j s_j / f_j: the parameters in the file's units.",
  onScaled: 'Here x stands for the scaled features x̃ of step 0, and w, b for the parameters that act on them.',
  termsCut:
    '{0, plural, one {# term of each sum is} other {# terms of each sum are}} not written out (N = {1}); the brace under the sum gives {0, plural, one {its value} other {their total}}.',
  samplesCut:
    '{0, plural, one {# more sample is} other {# more samples are}} not listed (N = {1}); choose a sample to see its own numbers.',
} as const;

export type DerivationNoteId = keyof typeof DERIVATION_NOTES;

/** A sentence shown with a step: a convention, a correction of the document, or an explanation. */
export interface DerivationNote {
  id: DerivationNoteId;
  tone: 'convention' | 'document' | 'info';
  /** Arguments of the template (counts first). */
  args: number[];
}

/** Said at the max and chain steps when no sample is inactive (the panel and the Markdown export). */
export const EVERY_SAMPLE_ACTIVE =
  '{0, plural, =1 {The only sample is active (a_1 = 1).} other {Every sample is active (a_i = 1 for all # samples).}}';
