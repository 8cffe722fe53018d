/**
 * The derivation at one epoch as Markdown with LaTeX (`$…$`, `$$…$$`), which VS Code's built-in
 * Markdown preview renders with KaTeX: a page a teacher can hand out or a student can keep.
 */
import { DERIVATION_NOTES, type DerivationStep, EVERY_SAMPLE_ACTIVE, STEP_TITLES, derivationAt, pointOf } from '../derivation';
import { formatNumber, formatTemplate, latexNumber } from '../format';
import { indicator, preActivation } from '../reference';
import { toFileUnits } from '../scaling';
import { describeInitialization } from '../settings';
import { gradWAt, weightsAt } from '../train';
import { type RunExport, lastEntry, trainedSamples } from './run';

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
  scaling: 'Feature scaling',
  scalingStandard: 'standard: x̃_j = (x_j − μ_j)/σ_j, with σ_j the population standard deviation (1/N)',
  scalingMinmax: 'minmax: x̃_j = (x_j − min_j)/(max_j − min_j), from 0 to 1',
  onScaledParameters: 'These act on the scaled features x̃.',
  fileUnitsParameters: "In the file's units (the same neuron on the file's numbers):",
  rule: 'Rule',
  applied: 'Applied to this neuron',
  casesAny: 'Cases (taken by at least one sample)',
  casesSample: 'Cases (the one this sample takes is marked)',
  if: 'if',
  taken: 'taken',
  inactive: 'Inactive samples (a_i = 0): {0} of {1}',
  allActive: EVERY_SAMPLE_ACTIVE,
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
  const scaled = run.settings.scale !== 'none';
  const wx = data.d === 1 ? (scaled ? 'w \\tilde x' : 'w x') : scaled ? '\\vec w \\cdot \\tilde{\\vec x}' : '\\vec w \\cdot \\vec x';
  out.push(display([`z = \\max(0,\\ ${wx} + b),\\qquad l = \\frac{1}{N} \\sum_{i=1}^{N} (z_i - y_i)^2,\\qquad N = ${data.n}`]), '');

  out.push(`## ${t(T.settings)}`, '');
  out.push(`- ${t(T.learningRate)}: $\\alpha = ${latexNumber(s.learningRate, 17)}$`);
  out.push(`- ${t(T.epochs)}: ${s.epochs}`);
  out.push(`- ${t(T.initialisation)}: ${escapeMarkdown(describeInitialization(s.initialization))}`);
  out.push(`- ${t(s.reluGradAtZero === 1 ? DERIVATION_NOTES.reluAtZero1 : DERIVATION_NOTES.reluAtZero0)}`);
  const { samples, scaling } = trainedSamples(src);
  if (scaling) out.push(`- ${t(T.scaling)}: ${t(scaling.method === 'standard' ? T.scalingStandard : T.scalingMinmax)}`);
  out.push('');

  out.push(`## ${t(T.parameters, e)}`, '');
  if (scaling) out.push(t(T.onScaledParameters), '');
  data.features.forEach((_, j) => out.push(`- $${weightName(data.d, j)} = ${latexNumber(point.w[j], 8)}$ (${names[j]})`));
  out.push(`- $b = ${latexNumber(point.b, 8)}$`, `- $l = ${latexNumber(point.loss, 8)}$`, '');
  if (scaling) {
    const file = toFileUnits(scaling, point.w, point.b);
    out.push(t(T.fileUnitsParameters), '');
    data.features.forEach((_, j) => out.push(`- $${weightName(data.d, j)} = ${latexNumber(file.w[j], 8)}$ (${names[j]})`));
    out.push(`- $b = ${latexNumber(file.b, 8)}$`, '');
  }

  const inactive: number[] = [];
  for (let i = 0; i < data.n && inactive.length < INACTIVE_LISTED; i++) {
    if (indicator(preActivation(samples, i, point.w, point.b), s.reluGradAtZero) === 0) inactive.push(i + 1);
  }
  const steps = derivationAt(samples, point, chosen, scaling && { scaling, raw: data });
  const first = steps[0]?.id === 'scale' ? 0 : 1;
  steps.forEach((step, k) => out.push(...stepMarkdown(step, k + first, { chosen, n: data.n, active: point.active, inactive }, t)));

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
    if (e > previous + 1)
      out.push(
        `| … |${header
          .slice(1)
          .map(() => ' ')
          .join('|')}|`,
      );
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
