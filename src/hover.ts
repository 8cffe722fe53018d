/**
 * Hovering a data row shows that sample at the epoch on display: u = w·x + b with its numbers, z, y,
 * the residual, whether it is active and why, and its part of ∇l. Over a number of the row (x_ij or
 * y_i), also how l responds to that number (∂l/∂x_ij, ∂l/∂y_i). Hovering a header cell shows that
 * parameter's value and gradient. With `# @scale`, the neuron acts on x̃: the row shows the file's x
 * beside x̃, and the weight is also given in the file's units.
 */
import * as vscode from 'vscode';
import {
  type DatasetSchema,
  type SampleDetail,
  dataDerivatives,
  escapeMarkdown,
  formatNumber,
  isMissing,
  sampleDetail,
  sampleFeatures,
  splitFields,
  toFileUnits,
} from './engine';
import type { DatasetTracker, TrackedDataset } from './datasetTracker';
import { pointAt } from './panel/viewModel';

const DIGITS = 6;
const num = (v: number) => formatNumber(v, DIGITS);
const signed = (v: number) => (v < 0 ? `(${num(v)})` : num(v));

/** Why sample i is active or not, in a sentence. */
export function activityReason(s: Pick<SampleDetail, 'u' | 'active'>, reluGradAtZero: 0 | 1): string {
  if (s.u > 0) return vscode.l10n.t('active: u > 0, so ∂z/∂u = 1');
  if (s.u < 0) return vscode.l10n.t('inactive: u < 0, so ∂z/∂u = 0 and this sample adds nothing to the gradient');
  return reluGradAtZero === 1
    ? vscode.l10n.t(
        "active: u is exactly 0, where ReLU has no derivative; the convention ReLU'(0) = 1 (the document's max rule, which takes ∂g when f ≤ g) counts the sample as active",
      )
    : vscode.l10n.t(
        "inactive: u is exactly 0, where ReLU has no derivative; the convention ReLU'(0) = 0 (PyTorch's) counts the sample as inactive",
      );
}

/** A number of a data row: feature j (0-based) or the target. */
export type DataCell = { kind: 'x'; j: number } | { kind: 'y' };

/** The feature or target value under column `character` (0-based) of a data row, or null. */
export function cellAt(schema: DatasetSchema, lineText: string, character: number): DataCell | null {
  const fields = splitFields(lineText, schema.delimiter);
  const k = fields.findIndex((f) => character >= f.start && character <= f.end);
  if (k < 0 || isMissing(fields[k].text.trim().replace(/^"|"$/g, ''))) return null;
  if (k === schema.targetColumn) return { kind: 'y' };
  const j = schema.featureColumns.indexOf(k);
  return j < 0 ? null : { kind: 'x', j };
}

/** The change of l for a raise of 0.1 in a data value (∂l/∂v · 0.1). */
const RAISE = 0.1;

/** How l responds to the number under the pointer: ∂l/∂y_i or ∂l/∂x_ij, and a sentence. */
function dataDerivativeText(t: TrackedDataset, index: number, cell: DataCell, s: SampleDetail): string {
  const r = t.result!;
  const p = pointAt(r, t.display.epoch);
  const g = dataDerivatives(r.samples, index, p.w, p.b, p.reluGradAtZero, r.scaling);
  const n = r.dataset.n;
  const i = index + 1;
  const lines: string[] = [];
  let value: number;
  if (cell.kind === 'y') {
    value = g.y;
    lines.push(`∂l/∂y${i} = −(2/N)(z − y) = −(2/${n})·${signed(s.residual)} = **${num(value)}**`);
  } else {
    const j = cell.j;
    const sub = r.dataset.d === 1 ? `${i}` : `${i},${j + 1}`;
    const wj = signed(p.w[j]);
    const wName = r.dataset.d === 1 ? 'w' : `w${j + 1}`;
    value = g.x[j];
    if (r.scaling) {
      const f = r.scaling.factor[j];
      lines.push(
        `∂l/∂x${sub} = (2/N)(z − y)·a·${wName} / ${r.scaling.method === 'standard' ? 'σ' : '(max − min)'} = (2/${n})·${signed(s.residual)}·${s.active}·${wj} / ${num(f)} = **${num(value)}**`,
      );
      lines.push(
        r.scaling.method === 'standard'
          ? vscode.l10n.t(
              'With # @scale, the neuron reads x̃ = (x − μ)/σ: this is the chain through x̃ with μ and σ held fixed (a convention: they are computed from every x of the column, so they move a little too).',
            )
          : vscode.l10n.t(
              "With # @scale, the neuron reads x̃ = (x − min)/(max − min): this is the chain through x̃ with min and max held fixed (a convention: a column's extreme values move them too).",
            ),
      );
    } else {
      lines.push(`∂l/∂x${sub} = (2/N)(z − y)·a·${wName} = (2/${n})·${signed(s.residual)}·${s.active}·${wj} = **${num(value)}**`);
    }
  }
  lines.push(vscode.l10n.t('Raising this value by {0} would change the loss by about {1}.', RAISE, num(RAISE * value)));
  return lines.join('\n\n');
}

/** The hover text for sample `index` of `t` at the epoch on display (and the number under the pointer). */
export function sampleHover(t: TrackedDataset, index: number, cell: DataCell | null = null): vscode.MarkdownString {
  const r = t.result!;
  const p = pointAt(r, t.display.epoch);
  const s = sampleDetail(r.samples, index, p.w, p.b, p.reluGradAtZero, p.gradW, p.gradB);
  const names = r.dataset.features;
  const md = new vscode.MarkdownString();
  md.isTrusted = { enabledCommands: ['reluNeuron.showPanel'] };
  md.appendMarkdown(`**${vscode.l10n.t('Sample {0}', index + 1)}** · ${vscode.l10n.t('epoch {0}', p.epoch)}\n\n`);
  const terms = s.x.map((xj, j) => `${signed(p.w[j])}·${signed(xj)}`).join(' + ');
  md.appendMarkdown('| | |\n|---|---|\n');
  const row = (label: string, value: string) => md.appendMarkdown(`| ${label} | ${value} |\n`);
  if (r.scaling) {
    const raw = sampleFeatures(r.dataset, r.scaling, index).x;
    row(vscode.l10n.t('x in the file → x̃ (scaled)'), raw.map((xj, j) => `${num(xj)} → ${num(s.x[j])}`).join(', '));
  }
  row(r.scaling ? 'u = w·x̃ + b' : 'u = w·x + b', `${terms} + ${signed(p.b)} = **${num(s.u)}**`);
  row('z = max(0, u)', `**${num(s.z)}**`);
  row(`y (${escapeMarkdown(r.dataset.target)})`, num(s.y));
  row(vscode.l10n.t('residual z − y'), `**${num(s.residual)}**`);
  row('a', `${s.active} — ${activityReason(s, p.reluGradAtZero)}`);
  row(vscode.l10n.t('contribution to ∂l/∂w'), names.length === 1 ? num(s.contribW[0]) : `(${s.contribW.map(num).join(', ')})`);
  row(vscode.l10n.t('contribution to ∂l/∂b'), num(s.contribB));
  row(vscode.l10n.t('share of the gradient'), `${formatNumber(s.share * 100, 4)} %`);
  md.appendMarkdown(
    `\n${vscode.l10n.t('(2/N)·a·(z − y)·x with N = {0}', r.dataset.n)} · [${vscode.l10n.t('Show panel')}](command:reluNeuron.showPanel)`,
  );
  if (cell) md.appendMarkdown(`\n\n---\n\n${dataDerivativeText(t, index, cell, s)}`);
  return md;
}

/** The hover text for header cell `column` (0-based among all columns). */
export function headerHover(t: TrackedDataset, column: number): vscode.MarkdownString {
  const r = t.result!;
  const schema = r.dataset.schema!;
  const p = pointAt(r, t.display.epoch);
  const md = new vscode.MarkdownString();
  const name = escapeMarkdown(schema.columns[column]);
  if (column === schema.targetColumn) {
    md.appendMarkdown(`**${name}** — ${vscode.l10n.t('the target y')}\n\n`);
    md.appendMarkdown(`l = ${num(p.loss)} · b = ${num(p.b)} · ∂l/∂b = ${num(p.gradB)} · ${vscode.l10n.t('epoch {0}', p.epoch)}`);
    return md;
  }
  const j = schema.featureColumns.indexOf(column);
  if (j < 0) {
    md.appendMarkdown(`**${name}** — ${vscode.l10n.t('left out: neither a feature nor the target')}`);
    return md;
  }
  md.appendMarkdown(`**${name}** — ${vscode.l10n.t('feature {0}, weight w{0}', j + 1)}\n\n`);
  md.appendMarkdown(`w${j + 1} = **${num(p.w[j])}** · ∂l/∂w${j + 1} = **${num(p.gradW[j])}** · ${vscode.l10n.t('epoch {0}', p.epoch)}`);
  if (r.scaling) {
    const file = toFileUnits(r.scaling, p.w, p.b);
    md.appendMarkdown(`\n\n${vscode.l10n.t("w{0} acts on the scaled x̃{0}; in the file's units, w{0} = {1}", j + 1, num(file.w[j]))}`);
  }
  return md;
}

/** Registers the hover for tracked datasets (whatever their language). */
export function registerHover(tracker: DatasetTracker): vscode.Disposable {
  return vscode.languages.registerHoverProvider([{ scheme: '*' }], {
    provideHover(document, position) {
      const t = tracker.get(document.uri);
      if (!t?.result?.trajectory || t.result.trajectory.length === 0 || t.resultVersion !== document.version) return undefined;
      const schema = t.result.dataset.schema;
      const lineRange = document.lineAt(position.line).range;
      if (schema && !schema.headerless && position.line === schema.headerLine) {
        let column = 0;
        schema.headerCellColumns.forEach((start, k) => {
          if (position.character + 1 >= start - 1) column = k;
        });
        return new vscode.Hover(headerHover(t, column), lineRange);
      }
      const index = t.sampleAtLine(position.line);
      if (index < 0) return undefined;
      const cell = schema ? cellAt(schema, document.lineAt(position.line).text, position.character) : null;
      return new vscode.Hover(sampleHover(t, index, cell), lineRange);
    },
  });
}
