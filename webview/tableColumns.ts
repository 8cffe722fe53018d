/**
 * The sample table's columns that depend on the run's features: with `# @scale`, each feature's x
 * as in the file beside x̃ as trained on (x₁, x̃₁, x₂, x̃₂, …), and the titles of u and of the
 * contributions, which then act on x̃. Pure: no DOM.
 */
import type { SampleRow, SortKey } from '../src/shared/protocol';
import { MAX_FEATURES_LISTED } from '../src/shared/protocol';
import type { ScaleMethod } from '../src/engine/settings';
import { formatNumber } from '../src/engine/format';
import { t } from './i18n';
import { subscript } from './series';

/** One column of the sample table. */
export interface Column {
  label: string;
  title: string;
  width: number;
  sort: SortKey | null;
  value(row: SampleRow): string;
  className?: string;
}

const num = (v: number) => formatNumber(v, 5);

/** x_j's name in the table: x for one feature, x₁, x₂, … for more; `scaled` puts the tilde on. */
export function featureLabel(j: number, d: number, scaled: boolean): string {
  const x = scaled ? 'x̃' : 'x';
  return d === 1 ? x : `${x}${subscript(j + 1)}`;
}

/**
 * With scaling, two columns per feature (at most MAX_FEATURES_LISTED features): x_ij as in the file,
 * then x̃_ij as trained on; without, none (the table is as it always was).
 */
export function featureColumns(features: readonly string[], scale: ScaleMethod): Column[] {
  if (scale === 'none') return [];
  const d = features.length;
  const rule =
    scale === 'standard'
      ? t('x̃ = (x − μ) / σ, as the neuron is trained on it')
      : t('x̃ = (x − min) / (max − min), as the neuron is trained on it');
  const cols: Column[] = [];
  for (let j = 0; j < Math.min(d, MAX_FEATURES_LISTED); j++) {
    cols.push(
      {
        label: featureLabel(j, d, false),
        title: t('{0} as in the file', features[j]),
        width: 96,
        sort: null,
        value: (r) => (r.x && j < r.x.length ? num(r.x[j]) : ''),
        className: 'num',
      },
      {
        label: featureLabel(j, d, true),
        title: `${features[j]}: ${rule}`,
        width: 88,
        sort: null,
        value: (r) => (r.xScaled && j < r.xScaled.length ? num(r.xScaled[j]) : ''),
        className: 'num',
      },
    );
  }
  return cols;
}

/** The title of the u column: u acts on x̃ when the features are scaled. */
export function weightedSumTitle(scale: ScaleMethod): string {
  return scale === 'none' ? t('Weighted sum u_i = w·x_i + b') : t('Weighted sum u_i = w·x̃_i + b');
}

/** The title of the column with a sample's part of ∂l/∂w_j (`name`): it multiplies x̃_ij when scaled. */
export function weightPartTitle(name: string, scale: ScaleMethod): string {
  return scale === 'none'
    ? t("This sample's part of {0}: (2/N) a_i (z_i − y_i) x_ij", name)
    : t("This sample's part of {0}: (2/N) a_i (z_i − y_i) x̃_ij", name);
}
