/** Reports of a run: the CLI's JSON document and text trace, and the CSV export. */
import type { Dataset } from './dataset';
import { DERIVATION_NOTES, STEP_TITLES, derivationAt, pointOf } from './derivation';
import { formatNumber, formatTemplate, latexToText } from './format';
import { skipsRow } from './problems';
import { describeInitialization } from './settings';
import { type TrainingRun, gradWAt, weightsAt } from './train';

/** The `--json` document (keys may be added, never renamed). */
export function runToJson(data: Dataset, run: TrainingRun, timing: { parseMs: number; trainMs: number }): unknown {
  const t = run.trajectory;
  const trajectory = [];
  for (let e = 0; e < t.length; e++) {
    trajectory.push({
      epoch: e,
      w: Array.from(weightsAt(t, e)),
      b: t.b[e],
      loss: t.loss[e],
      gradW: Array.from(gradWAt(t, e)),
      gradB: t.gradB[e],
      active: t.active[e],
    });
  }
  return {
    features: data.features,
    target: data.target,
    samples: data.n,
    skipped: data.problems.filter((p) => skipsRow(p) || p.severity === 'error').map((p) => ({ line: p.line, column: p.column, message: p.message, code: p.code })),
    warnings: data.problems.filter((p) => !skipsRow(p) && p.severity === 'warning').map((p) => ({ line: p.line, column: p.column, message: p.message, code: p.code })),
    settings: {
      learningRate: run.settings.learningRate,
      epochs: run.settings.epochs,
      initialization: describeInitialization(run.settings.initialization),
      reluGradAtZero: run.settings.reluGradAtZero,
    },
    trajectory,
    stopped: run.stopped && { reason: run.stopped.reason, epoch: run.stopped.epoch, message: run.stopped.message, suggestedLearningRate: run.stopped.suggestedLearningRate },
    timing,
  };
}

/** The readable trace: derivation at epoch 0, a short loss table, the final parameters. */
export function runToText(data: Dataset, run: TrainingRun): string {
  const t = run.trajectory;
  const out: string[] = [];
  const s = run.settings;
  out.push(`Dataset: ${data.n} samples, features (${data.features.join(', ')}), target ${data.target}` + (data.skippedRows ? `, ${data.skippedRows} rows skipped` : ''));
  out.push(`Settings: learning rate ${s.learningRate}, epochs ${s.epochs}, init ${describeInitialization(s.initialization)}, ReLU'(0) = ${s.reluGradAtZero}`);
  out.push('');
  if (t.length > 0) {
    out.push('Derivation at epoch 0 (sample 1 substituted):');
    const steps = derivationAt(data, pointOf(t, 0, s), 0);
    steps.forEach((step, k) => {
      out.push(`${k + 1}. ${STEP_TITLES[step.id]}`);
      out.push(`   rule:    ${latexToText(step.rule)}`);
      out.push(`   here:    ${latexToText(step.applied)}`);
      for (const c of step.cases ?? []) out.push(`   ${c.taken ? '▸' : ' '} case:  ${latexToText(c.result)}  if ${latexToText(c.condition)}`);
      for (const line of step.dataset) out.push(`   data:    ${latexToText(line)}`);
      for (const line of step.sample) out.push(`   sample:  ${latexToText(line)}`);
      for (const note of step.notes) out.push(`   note:    ${formatTemplate(DERIVATION_NOTES[note.id], note.args.map(String))}`);
    });
    out.push('');
  }
  out.push('epoch        loss          |∇l|      active');
  const rows = new Set<number>();
  const last = t.length - 1;
  for (let e = 0; e <= Math.min(5, last); e++) rows.add(e);
  for (let k = 1; k <= 5; k++) rows.add(Math.round((last * k) / 5));
  for (const e of [...rows].filter((e) => e >= 0).sort((a, b) => a - b)) {
    const g = Math.hypot(...gradWAt(t, e), t.gradB[e]);
    out.push(`${String(e).padStart(5)}  ${formatNumber(t.loss[e], 6).padStart(14)}  ${formatNumber(g, 4).padStart(12)}  ${String(t.active[e]).padStart(6)}/${data.n}`);
  }
  out.push('');
  if (last >= 0) {
    const w = weightsAt(t, last);
    out.push(`Final (epoch ${last}): ${data.features.map((name, j) => `w[${name}] = ${formatNumber(w[j], 8)}`).join(', ')}, b = ${formatNumber(t.b[last], 8)}, loss = ${formatNumber(t.loss[last], 8)}`);
  }
  if (run.stopped) out.push('', `Stopped: ${run.stopped.message}`);
  return out.join('\n');
}

/** The trajectory as CSV: one line per epoch with the loss, parameters, gradient and active count. */
export function runToCsv(data: Dataset, run: TrainingRun): string {
  const t = run.trajectory;
  const names = data.features.map((_, j) => j + 1);
  const header = ['epoch', 'loss', ...names.map((j) => `w${j}`), 'b', ...names.map((j) => `dl_dw${j}`), 'dl_db', 'active'];
  const lines = [header.join(',')];
  for (let e = 0; e < t.length; e++) {
    lines.push([e, t.loss[e], ...weightsAt(t, e), t.b[e], ...gradWAt(t, e), t.gradB[e], t.active[e]].map(String).join(','));
  }
  return `${lines.join('\n')}\n`;
}
