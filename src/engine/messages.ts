/**
 * Every sentence the engine says, in English with `{0}`… placeholders. The English text is the key
 * VS Code's localisation looks translations up by (l10n/bundle.l10n.*.json); a unit test checks each
 * has a Russian translation.
 */
/** What a too-large learning rate gets told ({1} the rate, {2} the bound 2/λ_max, {3} a rate to try). */
const ADVICE =
  "The learning rate {1} is too large for this data. Gradient descent is sure to be stable for rates below 2/λ_max ≈ {2}, where λ_max is the largest eigenvalue of (2/N) Σ (x_i, 1)(x_i, 1)ᵀ, the loss's Hessian if every sample were active. The bound is sufficient, not necessary: while some samples are inactive, a larger rate can still work. Try a learning rate of {3}, or scale the features down.";

/**
 * The same when the features' scales are the trouble (scaling.ts, `scalingAdvised`): standardizing
 * first, a learning rate second.
 */
const ADVICE_SCALE =
  'The learning rate {1} is too large for these features: their scales make every stable rate tiny (gradient descent is sure to be stable only below 2/λ_max ≈ {2}) and training at such a rate takes a very long time. Standardize the features first: add the line "# @scale standard", which trains on x̃_j = (x_j − μ_j)/σ_j and also gives the parameters in the file\'s units. Or keep the raw numbers and try a learning rate of {3}.';

/** The same without a learning rate: every rate that would train the raw features is below the smallest allowed. */
const ADVICE_SCALE_ONLY =
  'The learning rate {1} is too large for these features, and their scales make every stable rate (below 2/λ_max ≈ {2}) smaller than the smallest a setting accepts. Standardize the features: add the line "# @scale standard", which trains on x̃_j = (x_j − μ_j)/σ_j and also gives the parameters in the file\'s units.';

export const MESSAGES = {
  wrongFieldCount: 'Expected {0} fields ({1}) separated by {2}, but this row has {3}.',
  notFinite: 'The value of "{0}" must be a finite number, not "{1}".',
  notANumber: 'The value of "{0}" is not a number: "{1}".',
  notANumberDecimalComma: 'The value of "{0}" is not a number: "{1}". In a comma-separated file write decimals with a dot.',
  headerTooFewColumns:
    'The header "{0}" names one column; a dataset needs at least one feature and a target (e.g. "x,y"), separated by commas, semicolons or tabs.',
  headerEmptyName: 'Column {0} has no name; it is called "{1}" here.',
  headerDuplicateName: 'The column name "{0}" is used twice (columns {1} and {2}).',
  headerless: 'The first line holds only numbers, so the file is read without a header: its columns are called {0}.',
  textColumn: 'The column "{0}" holds text, not numbers (e.g. "{1}"), so it is left out.',
  unknownColumn: 'There is no column "{0}"; the columns are {1}. This name is ignored.',
  unknownTarget: 'There is no column "{0}" to predict; the columns are {1}. The default target is used.',
  targetIgnored: 'The column "{0}" is the target, so it cannot be left out; it stays the target.',
  targetListedAsFeature: 'The column "{0}" is the target, so it is not also a feature.',
  noFeatures:
    'No column is left to be a feature: the target is "{0}" and every other column is left out. Name the features with "# @features A, B".',
  missingValue:
    'The value of "{0}" is missing, so this row is skipped. With "# @missing mean" a missing feature takes its column\'s mean instead.',
  missingTarget: 'The target "{0}" is missing, so this row is skipped.',
  missingValueMean: 'The value of "{0}" is missing; the mean of "{0}" over the rows that have it is used.',
  constantFeature:
    'The feature "{0}" has the same value ({1}) in every sample, so scaling leaves it as it is. It adds nothing the bias b does not; "# @ignore {0}" leaves it out.',
  scaleMethodBad: '@scale must be none, standard or minmax; got "{0}".',
  missingModeBad: '@missing must be skip or mean; got "{0}".',
  moreRowsLikeThis: '… and {0, plural, one {# more row} other {# more rows}} like this in column "{1}".',
  moreRowsLikeThisNoColumn: '… and {0, plural, one {# more row} other {# more rows}} like this.',
  readAsWindows1251: 'The file is not valid UTF-8, so it was read as Windows-1251 (Cyrillic).',
  unknownSetting:
    'Unknown setting "@{0}". Known settings: @lr, @epochs, @init, @seed, @relu-grad-at-zero, @target, @features, @ignore, @missing, @scale.',
  duplicateSetting: 'The setting "@{0}" was already given on line {1}; this line is ignored.',
  settingWithoutValue: 'The setting "@{0}" needs a value, e.g. "# @lr 0.05".',
  initWrongCount:
    '@init needs {0, plural, one {# number} other {# numbers}} (w1 … w{1}, then b) for this header, but has {2}; zeros are used instead.',
  emptyFile: 'The file has no header and no data. Start with a header such as "x,y", then one sample per line.',
  headerOnly: 'The file has a header but no data rows. Add one sample per line below it, e.g. "1,2".',
  learningRateNotANumber: 'The learning rate "{0}" is not a number.',
  learningRateOutOfRange: 'The learning rate must be between {0} and {1}; got {2}.',
  epochsNotAnInteger: 'The number of epochs "{0}" is not a whole number.',
  epochsOutOfRange: 'The number of epochs must be between {0} and {1}; got {2}.',
  seedNotAnInteger: 'The seed "{0}" is not a whole number.',
  seedOutOfRange: 'The seed must be between {0} and {1}; got {2}.',
  reluGradAtZeroOutOfRange: "ReLU'(0) must be 1 (the document's rule) or 0 (PyTorch's); got {0}.",
  badInitialization: 'The initialisation "{0}" must be zeros, random [seed], or the numbers w1 … wd b.',
  initValueNotANumber: 'The initial value "{0}" is not a number.',
  initCountForPanel: 'The initialisation needs {0, plural, one {# number} other {# numbers}}: w1 … w{1}, then b.',
  initValueOutOfRange: 'Initial values must lie within ±{0}; got {1}.',
  divergedNonFinite: `Training diverged at epoch {0}: the loss stopped being a finite number. ${ADVICE}`,
  divergedExploded: `Training diverged at epoch {0}: the loss grew more than 10¹² times its starting value. ${ADVICE}`,
  died: `The neuron died at epoch {0}: a step overshot and left every sample inactive, so the gradient is 0 and training cannot move any more. ${ADVICE}`,
  divergedNonFiniteScale: `Training diverged at epoch {0}: the loss stopped being a finite number. ${ADVICE_SCALE}`,
  divergedExplodedScale: `Training diverged at epoch {0}: the loss grew more than 10¹² times its starting value. ${ADVICE_SCALE}`,
  diedScale: `The neuron died at epoch {0}: a step overshot and left every sample inactive, so the gradient is 0 and training cannot move any more. ${ADVICE_SCALE}`,
  divergedNonFiniteScaleOnly: `Training diverged at epoch {0}: the loss stopped being a finite number. ${ADVICE_SCALE_ONLY}`,
  divergedExplodedScaleOnly: `Training diverged at epoch {0}: the loss grew more than 10¹² times its starting value. ${ADVICE_SCALE_ONLY}`,
  diedScaleOnly: `The neuron died at epoch {0}: a step overshot and left every sample inactive, so the gradient is 0 and training cannot move any more. ${ADVICE_SCALE_ONLY}`,
  rowsSkipped: '{0, plural, one {# row skipped} other {# rows skipped}} — see Problems',
} as const;
