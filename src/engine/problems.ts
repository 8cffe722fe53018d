/**
 * What can be wrong in a dataset text, and where: one type for the CSV reader (csv.ts), the `# @key`
 * lines (settings.ts) and the incremental document (dataset.ts).
 */
import { formatTemplate } from './format';

/** Stable identifiers for every kind of problem (shown as the diagnostic's code). */
export type ProblemCode =
  | 'empty-file'
  | 'constant-feature'
  | 'header-only'
  | 'header-too-few-columns'
  | 'header-empty-name'
  | 'header-duplicate-name'
  | 'headerless'
  | 'text-column'
  | 'unknown-column'
  | 'target-left-out'
  | 'no-features'
  | 'wrong-field-count'
  | 'empty-field'
  | 'not-a-number'
  | 'not-finite'
  | 'missing-value'
  | 'missing-value-mean'
  | 'more-rows-like-this'
  | 'unknown-setting'
  | 'duplicate-setting'
  | 'setting-without-value'
  | 'setting-not-a-number'
  | 'setting-not-an-integer'
  | 'setting-out-of-range'
  | 'setting-bad-init'
  | 'init-wrong-count';

/** One problem in the dataset text. Lines and columns count from 1, columns in UTF-16 units. */
export interface DatasetProblem {
  line: number;
  column: number;
  /** How many characters the problem spans (at least 1). */
  length: number;
  code: ProblemCode;
  severity: 'error' | 'warning';
  /** The English sentence with `{0}`… placeholders: the key its translations are looked up by. */
  template: string;
  args: string[];
  /** The template with its arguments filled in (English). */
  message: string;
}

/** A problem at 0-based line `line0` and column `column0`, its message filled in from `template`. */
export function datasetProblem(
  line0: number,
  column0: number,
  length: number,
  code: ProblemCode,
  template: string,
  args: string[] = [],
  severity: 'error' | 'warning' = 'error',
): DatasetProblem {
  return {
    line: line0 + 1,
    column: column0 + 1,
    length: Math.max(1, length),
    code,
    severity,
    template,
    args,
    message: formatTemplate(template, args),
  };
}

/** The codes of problems that skip their row (a missing value in `@missing mean` mode does not). */
const ROW_SKIPPING = new Set<ProblemCode>(['wrong-field-count', 'empty-field', 'not-a-number', 'not-finite', 'missing-value']);

/** Whether a problem stands for a data row that was skipped. */
export function skipsRow(p: Pick<DatasetProblem, 'code'>): boolean {
  return ROW_SKIPPING.has(p.code);
}
