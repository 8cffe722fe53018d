/**
 * A standalone PyTorch script that trains the same neuron on the same data from the same θ₀ with the
 * same α, epochs and ReLU'(0), prints the trajectory in the CSV export's columns, and checks that it
 * ends where this run ended. The script is pytorch.py beside this file, with `{{name}}` placeholders
 * this module fills in.
 */
import { describeInitialization } from '../settings';
import { initialParameters, weightsAt } from '../train';
import { type RunExport, lastEntry } from './run';

/**
 * The script's template and `js_number`'s definition, as text. esbuild bundles the .py files as
 * strings (the text loader in scripts/build.mjs); under mocha, test/unit/textFiles.ts reads them the
 * same way. Required on first use, so that code run by tsx that never exports needs no text loader.
 */
function pytorchTemplate(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./pytorch.py') as string;
}

/**
 * `js_number(v)`: a float as JavaScript's `String(v)` writes it (the CSV export's format), from the
 * shortest repr Python also computes. Its own file (js_number.py), so a test can run it alone; it
 * needs `math` and `decimal.Decimal` imported.
 */
export function jsNumberPython(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./js_number.py') as string;
}

/**
 * Fills each `{{name}}` of `template` from `values`, in one pass (inserted text is not read again). A
 * placeholder alone on its line may take a list of lines; an empty list removes that line.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string | readonly string[]>>): string {
  return template.replace(/^\{\{(\w+)\}\}\n|\{\{(\w+)\}\}/gm, (_m, line: string | undefined, inline: string | undefined) => {
    const name = line ?? inline ?? '';
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) throw new Error(`No value for {{${name}}} in the template.`);
    if (typeof value === 'string') return line === undefined ? value : `${value}\n`;
    if (line === undefined) throw new Error(`{{${name}}} takes lines: it must stand alone on its line.`);
    return value.map((l) => `${l}\n`).join('');
  });
}

/** A double as a Python float literal that reads back to the same bits. */
export function pythonFloat(v: number): string {
  if (Number.isNaN(v)) return 'float("nan")';
  if (!Number.isFinite(v)) return v > 0 ? 'float("inf")' : '-float("inf")';
  if (Object.is(v, -0)) return '-0.0';
  const s = JSON.stringify(v); // the shortest text that round-trips, as Python's repr also writes it
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** A string as a Python literal: printable text as it is, everything else escaped. */
export function pythonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0xa0) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff) || c === 0xfeff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const pyList = (values: ArrayLike<number>) => `[${Array.from(values, pythonFloat).join(', ')}]`;

/** A comment line's text with nothing that could end the comment (newlines) or confuse a reader. */
const commentText = (s: string) => s.replace(/[\r\n\u2028\u2029]/g, ' ');

/**
 * A standalone PyTorch script reproducing the run: the same samples (every double written in full),
 * θ₀ as `initialParameters` gives it (so a seeded random start is the same numbers, not the same
 * seed), α, the recorded number of epochs, full-batch gradient descent on the mean squared error in
 * float64, the run's ReLU'(0), and its feature scaling (recomputed from X in the script, to the same bits). It prints one line per epoch in the CSV export's columns and ends
 * with "# matches ReLU Neuron Explorer: yes" (exit code 0) or "… no" (exit code 1).
 */
export function pytorchScript(src: RunExport): string {
  const { dataset: data, run, fileName } = src;
  const s = run.settings;
  const tr = run.trajectory;
  const last = lastEntry(src);
  const theta0 = initialParameters(s.initialization, data.d);
  const rows: string[] = [];
  for (let i = 0; i < data.n; i++) rows.push(`    ${pyList(data.x.subarray(i * data.d, i * data.d + data.d))},`);
  const stopped = run.stopped
    ? [
        `# The explorer stopped this run at epoch ${run.stopped.epoch} (${run.stopped.reason}):`,
        `#   ${commentText(run.stopped.message)}`,
        `# so this script runs only the ${last} updates the explorer recorded. Set EPOCHS = ${s.epochs} to see what`,
        '# follows (the comparison at the end then says no).',
      ]
    : [];
  return fillTemplate(pytorchTemplate(), {
    file_name: commentText(fileName),
    samples: String(data.n),
    feature_names: commentText(data.features.join(', ')),
    target_name: commentText(data.target),
    learning_rate_as_set: String(s.learningRate),
    epochs_as_set: String(s.epochs),
    initialization: commentText(describeInitialization(s.initialization)),
    relu_grad_at_zero: String(s.reluGradAtZero),
    scale: s.scale,
    features: `[${data.features.map(pythonString).join(', ')}]`,
    target: pythonString(data.target),
    rows,
    y: pyList(data.y),
    w0: pyList(theta0.w),
    b0: pythonFloat(theta0.b),
    learning_rate: pythonFloat(s.learningRate),
    stopped,
    epochs: String(last),
    expected_loss: pythonFloat(tr.loss[last]),
    expected_w: pyList(weightsAt(tr, last)),
    expected_b: pythonFloat(tr.b[last]),
    js_number: jsNumberPython().trimEnd().split('\n'),
  });
}
