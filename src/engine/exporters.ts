/**
 * Two more ways to take a run out of the editor, beside report.ts's JSON and CSV:
 * - the derivation at one epoch as Markdown with LaTeX (`$…$`, `$$…$$`), which VS Code's built-in
 *   Markdown preview renders with KaTeX: a page a teacher can hand out or a student can keep;
 * - a standalone PyTorch script that trains the same neuron on the same data from the same θ₀ with
 *   the same α, epochs and ReLU'(0), prints the trajectory in the CSV export's columns, and checks
 *   that it ends where this run ended.
 * Pure functions of the parsed dataset and the run; no `vscode`.
 */
import type { Dataset } from './dataset';
import { DERIVATION_NOTES, type DerivationStep, STEP_TITLES, derivationAt, pointOf } from './derivation';
import { formatNumber, formatTemplate, latexNumber } from './format';
import { isActive } from './neuron';
import { describeInitialization } from './settings';
import { type TrainingRun, gradWAt, initialParameters, weightsAt } from './train';

/** A run to export, with the name of the file it was trained on (as the user sees it). */
export interface RunExport {
  fileName: string;
  dataset: Dataset;
  run: TrainingRun;
}

/** Looks a `{0}`-template sentence up in the display language (the extension passes `vscode.l10n.t`). */
export type Translate = (template: string, ...args: Array<string | number>) => string;

/** English: the templates with their arguments filled in. */
export const english: Translate = (template, ...args) => formatTemplate(template, args.map(String));

/**
 * Every sentence of the Markdown export, in English (the key of its translation). Most are the
 * panel's own words, so the page reads like the Derivation tab.
 */
export const MARKDOWN_TEXT = {
  title: 'ReLU neuron: the derivation at epoch {0}',
  dataset: 'Dataset {0}: {1} samples; features {2}; target {3}.',
  model: 'Model and loss',
  settings: 'Training settings',
  learningRate: 'Learning rate α',
  epochs: 'Epochs',
  initialisation: 'Initialisation',
  parameters: 'Parameters at epoch {0}',
  rule: 'Rule',
  applied: 'Applied to this neuron',
  casesAny: 'Cases (taken by at least one sample)',
  casesSample: 'Cases (the one this sample takes is marked)',
  if: 'if',
  taken: 'taken',
  inactive: 'Inactive samples (a_i = 0): {0} of {1}',
  allActive: '{0, plural, =1 {The only sample is active (a_1 = 1).} other {Every sample is active (a_i = 1 for all # samples).}}',
  inactiveNumbers: 'their numbers: {0}',
  andMore: 'and {0} more',
  wholeDataset: 'Whole dataset',
  sample: 'Sample {0}',
  result: 'Result',
  trajectory: 'Trajectory: the first and last epochs',
  epoch: 'Epoch',
  activeSamples: 'active samples',
  shownEpoch: 'The epoch of this derivation is in bold.',
  stopped: 'The run stopped early: {0}',
  footer: 'Exported from ReLU Neuron Explorer. Open the Markdown preview to see the formulas.',
} as const;

/** Escapes text from the dataset (file and column names) so Markdown shows it literally, math included. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&$]/g, (c) => `\\${c}`);
}

/** How many inactive samples are listed by number, and how many epochs open and close the table. */
const INACTIVE_LISTED = 12;
const TABLE_EDGE = 5;
/** Weight columns in the trajectory table before an ellipsis column. */
const TABLE_WEIGHTS = 6;

/** The weight's name as the panel writes it: `w` with one feature, `w_{j}` with several. */
function weightName(d: number, j: number): string {
  return d === 1 ? 'w' : `w_{${j + 1}}`;
}

function lastEntry(src: RunExport): number {
  const last = src.run.trajectory.length - 1;
  if (last < 0) throw new RangeError('The run has no recorded epoch to export.');
  return last;
}

/** A display-math block; several lines are stacked with `gathered`. */
function display(lines: readonly string[]): string {
  const body = lines.length === 1 ? lines[0] : `\\begin{gathered}\n${lines.join(' \\\\\n')}\n\\end{gathered}`;
  return `$$\n${body}\n$$`;
}

/**
 * The derivation at `epoch` (clamped to the recorded ones) as Markdown: title, dataset, settings, the
 * parameters, each step of `derivationAt` with its rule, the rule applied to this neuron, the whole
 * dataset's numbers and the chosen sample's, then a table of the first and last epochs.
 */
export function derivationMarkdown(src: RunExport, epoch: number, selectedSample: number | null, t: Translate = english): string {
  const { dataset: data, run, fileName } = src;
  const tr = run.trajectory;
  const s = run.settings;
  const last = lastEntry(src);
  const e = Math.min(Math.max(0, Math.round(epoch)), last);
  const chosen = selectedSample !== null && selectedSample >= 0 && selectedSample < data.n ? selectedSample : null;
  const T = MARKDOWN_TEXT;
  const point = pointOf(tr, e, s);
  const names = data.features.map(escapeMarkdown);
  const out: string[] = [];

  out.push(`# ${t(T.title, e)}`, '');
  out.push(t(T.dataset, escapeMarkdown(fileName), data.n, names.join(', '), escapeMarkdown(data.target)), '');
  if (run.stopped) out.push(`> ${t(T.stopped, t(run.stopped.template, ...run.stopped.args))}`, '');

  out.push(`## ${t(T.model)}`, '');
  const wx = data.d === 1 ? 'w x' : '\\vec w \\cdot \\vec x';
  out.push(display([`z = \\max(0,\\ ${wx} + b),\\qquad l = \\frac{1}{N} \\sum_{i=1}^{N} (z_i - y_i)^2,\\qquad N = ${data.n}`]), '');

  out.push(`## ${t(T.settings)}`, '');
  out.push(`- ${t(T.learningRate)}: $\\alpha = ${latexNumber(s.learningRate, 17)}$`);
  out.push(`- ${t(T.epochs)}: ${s.epochs}`);
  out.push(`- ${t(T.initialisation)}: ${escapeMarkdown(describeInitialization(s.initialization))}`);
  out.push(`- ${t(s.reluGradAtZero === 1 ? DERIVATION_NOTES.reluAtZero1 : DERIVATION_NOTES.reluAtZero0)}`, '');

  out.push(`## ${t(T.parameters, e)}`, '');
  data.features.forEach((_, j) => out.push(`- $${weightName(data.d, j)} = ${latexNumber(point.w[j], 8)}$ (${names[j]})`));
  out.push(`- $b = ${latexNumber(point.b, 8)}$`, `- $l = ${latexNumber(point.loss, 8)}$`, '');

  const inactive: number[] = [];
  for (let i = 0; i < data.n && inactive.length < INACTIVE_LISTED; i++) {
    let u = point.b;
    for (let j = 0; j < data.d; j++) u += point.w[j] * data.x[i * data.d + j];
    if (!isActive(u, s.reluGradAtZero)) inactive.push(i + 1);
  }
  const steps = derivationAt(data, point, chosen);
  steps.forEach((step, k) => out.push(...stepMarkdown(step, k + 1, { chosen, n: data.n, active: point.active, inactive }, t)));

  out.push(...trajectoryTable(src, e, t));
  out.push('---', '', `*${t(T.footer)}*`, '');
  return out.join('\n');
}

function stepMarkdown(
  step: DerivationStep,
  number: number,
  ctx: { chosen: number | null; n: number; active: number; inactive: number[] },
  t: Translate,
): string[] {
  const T = MARKDOWN_TEXT;
  const out = [`## ${number}. ${t(STEP_TITLES[step.id])}`, ''];
  out.push(`**${t(T.rule)}**`, '', display([step.rule]), '');
  out.push(`**${t(T.applied)}**`, '', display([step.applied]), '');
  if (step.cases && step.cases.length > 0) {
    out.push(`**${t(ctx.chosen === null ? T.casesAny : T.casesSample)}**`, '');
    for (const c of step.cases) out.push(`- $${c.result}$ ${t(T.if)} $${c.condition}$${c.taken ? ` — **${t(T.taken)}**` : ''}`);
    out.push('');
  }
  if (step.id === 'max' || step.id === 'chain') {
    const inactive = ctx.n - ctx.active;
    if (inactive > 0) {
      const listed = ctx.inactive.join(', ');
      const more = inactive - ctx.inactive.length;
      out.push(`${t(T.inactive, inactive, ctx.n)}; ${t(T.inactiveNumbers, listed)}${more > 0 ? ` ${t(T.andMore, more)}` : ''}.`, '');
    } else {
      out.push(t(T.allActive, ctx.n), '');
    }
  }
  for (const note of step.notes) out.push(`> ${t(DERIVATION_NOTES[note.id], ...note.args)}`, '');
  if (step.dataset.length > 0) out.push(`**${t(T.wholeDataset)}**`, '', display(step.dataset), '');
  if (ctx.chosen !== null && step.sample.length > 0) out.push(`**${t(T.sample, ctx.chosen + 1)}**`, '', display(step.sample), '');
  out.push(`**${t(T.result)}**`, '', display([step.value]), '');
  return out;
}

/** The first and last `TABLE_EDGE` epochs and the one on display, with "…" rows for the gaps. */
function trajectoryTable(src: RunExport, shown: number, t: Translate): string[] {
  const T = MARKDOWN_TEXT;
  const { dataset: data, run } = src;
  const tr = run.trajectory;
  const last = tr.length - 1;
  const weights = Math.min(data.d, TABLE_WEIGHTS);
  const num = (v: number) => formatNumber(v, 6);
  const header = [t(T.epoch), `$l$`];
  for (let j = 0; j < weights; j++) header.push(`$${weightName(data.d, j)}$ (${escapeMarkdown(data.features[j])})`);
  if (data.d > weights) header.push('…');
  header.push('$b$', '\\|∇l\\|', t(T.activeSamples));
  const rows = new Set<number>([shown]);
  for (let e = 0; e < Math.min(TABLE_EDGE, tr.length); e++) rows.add(e);
  for (let e = Math.max(0, last - TABLE_EDGE + 1); e <= last; e++) rows.add(e);
  const out = [`## ${t(T.trajectory)}`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---:').join('|')}|`];
  let previous = -1;
  for (const e of [...rows].sort((a, b) => a - b)) {
    if (e > previous + 1) out.push(`| … |${header.slice(1).map(() => ' ').join('|')}|`);
    previous = e;
    const w = weightsAt(tr, e);
    const g = Math.hypot(...gradWAt(tr, e), tr.gradB[e]);
    const cells = [e === shown ? `**${e}**` : String(e), num(tr.loss[e])];
    for (let j = 0; j < weights; j++) cells.push(num(w[j]));
    if (data.d > weights) cells.push('…');
    cells.push(num(tr.b[e]), num(g), `${tr.active[e]} / ${data.n}`);
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('', t(T.shownEpoch), '');
  return out;
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
 * float64, and the run's ReLU'(0). It prints one line per epoch in the CSV export's columns and ends
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
  const features = `[${data.features.map(pythonString).join(', ')}]`;
  const stopped = run.stopped
    ? [
        `# The explorer stopped this run at epoch ${run.stopped.epoch} (${run.stopped.reason}):`,
        `#   ${commentText(run.stopped.message)}`,
        `# so this script runs only the ${last} updates the explorer recorded. Set EPOCHS = ${s.epochs} to see what`,
        '# follows (the comparison at the end then says no).',
      ]
    : [];
  const lines = [
    '#!/usr/bin/env python3',
    "# Reproduces a ReLU Neuron Explorer run in PyTorch: the same samples, the same starting point, the",
    "# same learning rate and number of epochs, full-batch gradient descent on the mean squared error in",
    "# float64, and the same derivative of ReLU at 0.",
    '#',
    `#   dataset:   ${commentText(fileName)} (${data.n} samples; features: ${commentText(data.features.join(', '))}; target: ${commentText(data.target)})`,
    '#   model:     z = max(0, w·x + b),  loss l = (1/N) Σ (z_i − y_i)²',
    `#   settings:  learning rate ${s.learningRate}, ${s.epochs} epochs, init ${commentText(describeInitialization(s.initialization))}, ReLU'(0) = ${s.reluGradAtZero}`,
    '#',
    '# Run it with python3 (PyTorch needed: pip install torch). It prints one line per epoch with the',
    "# columns of the explorer's CSV export (epoch,loss,w1,…,b,dl_dw1,…,dl_db,active; the line of epoch t",
    '# holds θ_t and l, ∇l at θ_t), then compares the last epoch with the explorer\'s numbers and prints',
    '# "# matches ReLU Neuron Explorer: yes" (exit code 0) or "… no" (exit code 1). The lines that are not',
    '# data start with "#", so pandas.read_csv(..., comment="#") reads the output as it is.',
    'import math',
    'import sys',
    'from decimal import Decimal',
    '',
    'try:',
    '    import torch',
    'except ImportError:',
    '    sys.exit("This script needs PyTorch: pip install torch")',
    '',
    '# The samples exactly as the explorer read them: X is N × d (one row per sample), Y has N targets.',
    `FEATURES = ${features}`,
    `TARGET = ${pythonString(data.target)}`,
    'X = [',
    ...rows,
    ']',
    `Y = ${pyList(data.y)}`,
    '',
    `# θ₀, the parameters before the first step, as the explorer's initialisation "${commentText(describeInitialization(s.initialization))}" gave them.`,
    `W0 = ${pyList(theta0.w)}`,
    `B0 = ${pythonFloat(theta0.b)}`,
    '',
    `LEARNING_RATE = ${pythonFloat(s.learningRate)}  # α in θ_{t+1} = θ_t − α ∇l(θ_t)`,
    ...stopped,
    `EPOCHS = ${last}  # updates; the trajectory has entries 0 … EPOCHS`,
    `RELU_GRAD_AT_ZERO = ${s.reluGradAtZero}  # ReLU'(0): 1 is the course document's rule, 0 is PyTorch's`,
    '',
    `# The explorer's numbers at epoch ${last}, to compare with.`,
    `EXPECTED_LOSS = ${pythonFloat(tr.loss[last])}`,
    `EXPECTED_W = ${pyList(weightsAt(tr, last))}`,
    `EXPECTED_B = ${pythonFloat(tr.b[last])}`,
    '# PyTorch adds the samples in another order than the explorer, so the last bits of a sum may differ.',
    'REL_TOL = 1e-9',
    'ABS_TOL = 1e-12',
    '',
    '',
    'class ReLUDocument(torch.autograd.Function):',
    '    """z = max(0, u) with ReLU\'(0) = 1: the course document\'s max rule takes ∂g when f ≤ g, so a',
    '    sample with u = 0 exactly counts as active and passes its gradient on.',
    '',
    "    torch.relu cannot be used for this: its derivative at exactly 0 is 0 (PyTorch's convention). At",
    '    w = 0, b = 0 every u is 0, so torch.relu would pass no gradient at all and the neuron would never',
    '    move. Hence this autograd Function, whose backward pass uses the mask u >= 0 instead of u > 0.',
    '    """',
    '',
    '    @staticmethod',
    '    def forward(ctx, u):',
    '        ctx.save_for_backward(u)',
    '        return u.clamp(min=0)',
    '',
    '    @staticmethod',
    '    def backward(ctx, grad_z):',
    '        (u,) = ctx.saved_tensors',
    '        return grad_z * (u >= 0).to(grad_z.dtype)',
    '',
    '',
    'def relu(u):',
    '    """max(0, u) with the run\'s ReLU\'(0)."""',
    '    if RELU_GRAD_AT_ZERO == 1:',
    '        return ReLUDocument.apply(u)',
    "    return torch.relu(u)  # PyTorch's own ReLU: ReLU'(0) = 0",
    '',
    '',
    'def active_count(u):',
    '    """How many samples pass gradient: a_i = [u_i >= 0] with ReLU\'(0) = 1, [u_i > 0] with 0."""',
    '    return int((u >= 0).sum()) if RELU_GRAD_AT_ZERO == 1 else int((u > 0).sum())',
    '',
    '',
    ...JS_NUMBER_PY,
    '',
    '',
    'def csv_line(values):',
    '    return ",".join(str(v) if isinstance(v, int) else js_number(v) for v in values)',
    '',
    '',
    'def main():',
    '    x = torch.tensor(X, dtype=torch.float64)',
    '    y = torch.tensor(Y, dtype=torch.float64)',
    '    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)',
    '    b = torch.tensor(B0, dtype=torch.float64, requires_grad=True)',
    '    d = len(W0)',
    '    names = [f"w{j + 1}" for j in range(d)]',
    '    print(",".join(["epoch", "loss", *names, "b", *[f"dl_d{n}" for n in names], "dl_db", "active"]))',
    '    for epoch in range(EPOCHS + 1):',
    '        u = x @ w + b  # u_i = w·x_i + b',
    '        z = relu(u)  # z_i = max(0, u_i)',
    '        loss = ((z - y) ** 2).mean()  # l = (1/N) Σ (z_i − y_i)²',
    '        w.grad = None',
    '        b.grad = None',
    '        loss.backward()  # ∂l/∂w = (2/N) Σ a_i (z_i − y_i) x_i,  ∂l/∂b = (2/N) Σ a_i (z_i − y_i)',
    '        print(csv_line([epoch, loss.item(), *w.tolist(), b.item(), *w.grad.tolist(), b.grad.item(), active_count(u)]))',
    '        if epoch == EPOCHS:',
    '            break',
    '        with torch.no_grad():  # θ_{t+1} = θ_t − α ∇l(θ_t)',
    '            w -= LEARNING_RATE * w.grad',
    '            b -= LEARNING_RATE * b.grad',
    '',
    '    def close(a, e):',
    '        return math.isclose(a, e, rel_tol=REL_TOL, abs_tol=ABS_TOL)',
    '',
    '    final_w, final_b, final_loss = w.tolist(), b.item(), loss.item()',
    '    same = close(final_loss, EXPECTED_LOSS) and close(final_b, EXPECTED_B) and all(close(a, e) for a, e in zip(final_w, EXPECTED_W))',
    '    print(f"# PyTorch at epoch {EPOCHS}: loss {js_number(final_loss)}, w {[js_number(v) for v in final_w]}, b {js_number(final_b)}")',
    '    print(f"# explorer at epoch {EPOCHS}: loss {js_number(EXPECTED_LOSS)}, w {[js_number(v) for v in EXPECTED_W]}, b {js_number(EXPECTED_B)}")',
    '    print("# matches ReLU Neuron Explorer: " + ("yes" if same else "no"))',
    '    return 0 if same else 1',
    '',
    '',
    'if __name__ == "__main__":',
    '    sys.exit(main())',
    '',
  ];
  return lines.join('\n');
}

/**
 * `js_number(v)`: a float as JavaScript's `String(v)` writes it (the CSV export's format), from the
 * shortest repr Python also computes. Kept as its own block so a test can run it alone.
 */
export const JS_NUMBER_PY: readonly string[] = [
  'def js_number(v):',
  '    """v as JavaScript\'s String(v) writes it, so these lines read like the explorer\'s CSV export."""',
  '    if math.isnan(v):',
  '        return "NaN"',
  '    if math.isinf(v):',
  '        return "Infinity" if v > 0 else "-Infinity"',
  '    if v == 0:',
  '        return "0"',
  '    sign, digits, exponent = Decimal(repr(v)).normalize().as_tuple()',
  '    s = "".join(map(str, digits))',
  '    k = len(s)',
  '    n = exponent + k  # the decimal point sits after n digits',
  '    if k <= n <= 21:',
  '        text = s + "0" * (n - k)',
  '    elif 0 < n <= 21:',
  '        text = s[:n] + "." + s[n:]',
  '    elif -6 < n <= 0:',
  '        text = "0." + "0" * -n + s',
  '    else:',
  '        e = n - 1',
  '        text = s[0] + ("." + s[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))',
  '    return ("-" if sign else "") + text',
];
