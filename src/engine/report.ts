/** Reports of a run: the CLI's JSON document and text trace, and the CSV export. */
import type { Dataset } from './dataset';
import { DERIVATION_NOTES, STEP_TITLES, derivationAt, pointOf } from './derivation';
import { formatNumber, formatTemplate, latexToText } from './format';
import { skipsRow } from './problems';
import { type FeatureScaling, computeScaling, scaleSamples, toFileUnits } from './scaling';
import { describeInitialization } from './settings';
import { type TrainingRun, gradWAt, weightsAt } from './train';

/** The scaling as the JSON document gives it: the method, μ_j, σ_j (1/N), min_j, max_j, the constant features. */
export function scalingToJson(data: Pick<Dataset, 'features'>, scaling: FeatureScaling | null): unknown {
  if (scaling === null) return { method: 'none' };
  return {
    method: scaling.method,
    mean: Array.from(scaling.mean),
    sd: Array.from(scaling.sd),
    min: Array.from(scaling.min),
    max: Array.from(scaling.max),
    constant: scaling.constant.map((j) => data.features[j]),
  };
}

/**
 * The `--json` document (keys may be added, never renamed). The trajectory holds the parameters the
 * neuron trained (on x̃ when `run.settings.scale` is not `none`); `final.fileUnits` gives the last
 * ones in the file's units.
 */
export function runToJson(data: Dataset, run: TrainingRun, timing: { parseMs: number; trainMs: number }): unknown {
  const scaling = computeScaling(data, run.settings.scale);
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
    skipped: data.problems
      .filter((p) => skipsRow(p) || p.severity === 'error')
      .map((p) => ({ line: p.line, column: p.column, message: p.message, code: p.code })),
    warnings: data.problems
      .filter((p) => !skipsRow(p) && p.severity === 'warning')
      .map((p) => ({ line: p.line, column: p.column, message: p.message, code: p.code })),
    settings: {
      learningRate: run.settings.learningRate,
      epochs: run.settings.epochs,
      initialization: describeInitialization(run.settings.initialization),
      reluGradAtZero: run.settings.reluGradAtZero,
      scale: run.settings.scale,
    },
    scaling: scalingToJson(data, scaling),
    final: finalToJson(run, scaling),
    trajectory,
    stopped: run.stopped && {
      reason: run.stopped.reason,
      epoch: run.stopped.epoch,
      message: run.stopped.message,
      suggestedLearningRate: run.stopped.suggestedLearningRate,
      scalingAdvised: run.stopped.scalingAdvised,
    },
    timing,
  };
}

/** The last entry's parameters as trained and in the file's units (the same without scaling); null without entries. */
function finalToJson(run: TrainingRun, scaling: FeatureScaling | null): unknown {
  const t = run.trajectory;
  const last = t.length - 1;
  if (last < 0) return null;
  const w = Array.from(weightsAt(t, last));
  const fileUnits = scaling === null ? { w, b: t.b[last] } : toFileUnits(scaling, w, t.b[last]);
  return { epoch: last, w, b: t.b[last], loss: t.loss[last], fileUnits };
}

/**
 * The readable trace: derivation at epoch 0, a short loss table, the final parameters (with scaling,
 * both as trained on x̃ and in the file's units). The scaling is recomputed from `data` (O(N·d)).
 */
export function runToText(data: Dataset, run: TrainingRun): string {
  const scaling = computeScaling(data, run.settings.scale);
  const t = run.trajectory;
  const out: string[] = [];
  const s = run.settings;
  out.push(
    `Dataset: ${data.n} samples, features (${data.features.join(', ')}), target ${data.target}` +
      (data.skippedRows ? `, ${data.skippedRows} rows skipped` : ''),
  );
  out.push(
    `Settings: learning rate ${s.learningRate}, epochs ${s.epochs}, init ${describeInitialization(s.initialization)}, ReLU'(0) = ${s.reluGradAtZero}` +
      (s.scale === 'none' ? '' : `, scale ${s.scale}`),
  );
  if (scaling !== null) {
    const stat = (name: string, v: Float64Array) => `${name} = (${Array.from(v, (x) => formatNumber(x, 6)).join(', ')})`;
    const stats =
      scaling.method === 'standard'
        ? [stat('μ', scaling.mean), stat('σ', scaling.sd)]
        : [stat('min', scaling.min), stat('max', scaling.max)];
    out.push(
      `Scaling: ${scaling.method}, ${stats.join(', ')}${scaling.method === 'standard' ? ' (σ with 1/N)' : ''}; the neuron trains on the scaled features x̃`,
    );
  }
  out.push('');
  if (t.length > 0) {
    out.push('Derivation at epoch 0 (sample 1 substituted):');
    const samples = scaling === null ? data : scaleSamples(data, scaling);
    const steps = derivationAt(samples, pointOf(t, 0, s), 0, scaling && { scaling, raw: data });
    const first = steps[0]?.id === 'scale' ? 0 : 1;
    steps.forEach((step, k) => {
      out.push(`${k + first}. ${STEP_TITLES[step.id]}`);
      out.push(`   rule:    ${latexToText(step.rule)}`);
      out.push(`   here:    ${latexToText(step.applied)}`);
      for (const c of step.cases ?? [])
        out.push(`   ${c.taken ? '▸' : ' '} case:  ${latexToText(c.result)}  if ${latexToText(c.condition)}`);
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
    out.push(
      `${String(e).padStart(5)}  ${formatNumber(t.loss[e], 6).padStart(14)}  ${formatNumber(g, 4).padStart(12)}  ${String(t.active[e]).padStart(6)}/${data.n}`,
    );
  }
  out.push('');
  if (last >= 0) {
    const w = weightsAt(t, last);
    const params = (ws: ArrayLike<number>, b: number) =>
      `${data.features.map((name, j) => `w[${name}] = ${formatNumber(ws[j], 8)}`).join(', ')}, b = ${formatNumber(b, 8)}`;
    out.push(
      `Final (epoch ${last})${scaling === null ? '' : ', on the scaled features x̃'}: ${params(w, t.b[last])}, loss = ${formatNumber(t.loss[last], 8)}`,
    );
    if (scaling !== null) {
      const file = toFileUnits(scaling, w, t.b[last]);
      out.push(`In the file's units (w_j / f_j, b − Σ_j w_j s_j / f_j): ${params(file.w, file.b)}`);
    }
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
