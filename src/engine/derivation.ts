/**
 * The course document's derivation as data: its steps in order (sum, dot product, max, loss, chain
 * rule, update), each with the rule in LaTeX and the same with this run's numbers substituted, for the
 * whole dataset and for one chosen sample. The webview renders the LaTeX; the CLI prints it as text.
 */
import { type Samples, type SampleDetail, sampleDetail } from './neuron';
import type { ReluGradAtZero, TrainingSettings } from './settings';
import { type Trajectory, gradWAt, weightsAt } from './train';
import { latexFactor as f, latexNumber as num } from './format';
import type { DerivationStepId } from './stepTitles';

export { STEP_TITLES, type DerivationStepId } from './stepTitles';

/** One branch of a case split, and whether the chosen sample (or, without one, any sample) takes it. */
export interface DerivationCase {
  result: string;
  condition: string;
  taken: boolean;
}

/** One step of the derivation. All strings are LaTeX built from numbers only (never dataset text). */
export interface DerivationStep {
  id: DerivationStepId;
  /** The rule as the document states it. */
  rule: string;
  /** The rule applied to this neuron. */
  applied: string;
  /** The branches of the max rule (step `max` only), with the one taken marked. */
  cases?: DerivationCase[];
  /** The rule with the whole dataset's numbers (long sums shortened with \dots). */
  dataset: string[];
  /** The rule with the chosen sample's numbers, or empty without a chosen sample. */
  sample: string[];
  /** What the step yields. */
  value: string;
}

/** The point of the trajectory a derivation is written at. */
export interface DerivationPoint {
  epoch: number;
  w: ArrayLike<number>;
  b: number;
  loss: number;
  gradW: ArrayLike<number>;
  gradB: number;
  active: number;
  learningRate: number;
  reluGradAtZero: ReluGradAtZero;
}

/** The derivation point at entry `epoch` of a trajectory, trained with `settings`. */
export function pointOf(
  t: Trajectory,
  epoch: number,
  settings: Pick<TrainingSettings, 'learningRate' | 'reluGradAtZero'>,
): DerivationPoint & { w: Float64Array; gradW: Float64Array } {
  return {
    epoch,
    w: weightsAt(t, epoch),
    b: t.b[epoch],
    loss: t.loss[epoch],
    gradW: gradWAt(t, epoch),
    gradB: t.gradB[epoch],
    active: t.active[epoch],
    learningRate: settings.learningRate,
    reluGradAtZero: settings.reluGradAtZero,
  };
}

/** How many terms of a sum over samples, or entries of a vector, are written out before \dots. */
const TERMS = 3;
const ENTRIES = 6;

function vector(values: ArrayLike<number>, transpose = false): string {
  const shown = Array.from(values).slice(0, ENTRIES).map((v) => num(v));
  if (values.length > ENTRIES) shown.push('\\dots');
  return `(${shown.join(',\\ ')})${transpose ? '^T' : ''}`;
}

/** Sample indices start at 1 in the formulas, as in the document's Σ_i. */
const sub = (i: number) => `${i + 1}`;

/**
 * The derivation at one trajectory point; `sampleIndex` (0-based) picks the sample whose own numbers
 * are substituted, or null for none.
 */
export function derivationAt(s: Samples, p: DerivationPoint, sampleIndex: number | null): DerivationStep[] {
  const { n, d } = s;
  const shown = Math.min(n, TERMS);
  const first: SampleDetail[] = [];
  for (let i = 0; i < shown; i++) first.push(sampleDetail(s, i, p.w, p.b, p.reluGradAtZero, p.gradW, p.gradB));
  const chosen =
    sampleIndex !== null && sampleIndex >= 0 && sampleIndex < n
      ? sampleDetail(s, sampleIndex, p.w, p.b, p.reluGradAtZero, p.gradW, p.gradB)
      : null;
  const more = n > shown ? ' + \\dots' : '';
  const k = chosen ? sub(chosen.index) : 'i';
  const wVec = d === 1 ? 'w' : '\\vec w';
  const xVecT = (i: string) => (d === 1 ? `x_{${i}}` : `\\vec x_{${i}}^T`);
  const zeroW = d === 1 ? '0' : '\\vec 0';
  const nextW = Array.from(p.w, (wj, j) => wj - p.learningRate * p.gradW[j]);
  const nextB = p.b - p.learningRate * p.gradB;

  const uTerms = (x: number[]) => x.map((xj, j) => `${f(p.w[j])} \\cdot ${f(xj)}`).slice(0, ENTRIES).join(' + ') + (d > ENTRIES ? ' + \\dots' : '');

  const steps: DerivationStep[] = [];

  steps.push({
    id: 'sum',
    rule: '\\frac{\\partial}{\\partial \\vec x} \\sum_{i} k_i x_i = (k_1, k_2, \\dots, k_n)',
    applied: `u_i = \\sum_{j} w_j x_{ij} + b \\;\\Rightarrow\\; \\frac{\\partial u_i}{\\partial b} = 1`,
    dataset: first.map((sd) => `u_{${sub(sd.index)}} = ${uTerms(sd.x)} + ${f(p.b)} = ${num(sd.u)}`).concat(more ? ['\\dots'] : []),
    sample: chosen ? [`u_{${k}} = ${uTerms(chosen.x)} + ${f(p.b)} = ${num(chosen.u)}`, `\\frac{\\partial u_{${k}}}{\\partial b} = 1`] : [],
    value: chosen ? `u_{${k}} = ${num(chosen.u)}` : '\\frac{\\partial u_i}{\\partial b} = 1',
  });

  steps.push({
    id: 'dot',
    rule: '\\frac{\\partial}{\\partial \\vec w} \\sum_{j} w_j x_j = (x_1, x_2, \\dots, x_d)^T',
    applied: `\\frac{\\partial u_i}{\\partial ${wVec}} = ${xVecT('i')}`,
    dataset: [`${wVec} = ${d === 1 ? num(p.w[0]) : vector(p.w)}`].concat(
      first.map((sd) => `\\frac{\\partial u_{${sub(sd.index)}}}{\\partial ${wVec}} = ${d === 1 ? num(sd.x[0]) : vector(sd.x, true)}`),
    ),
    sample: chosen ? [`\\frac{\\partial u_{${k}}}{\\partial ${wVec}} = ${xVecT(k)} = ${d === 1 ? num(chosen.x[0]) : vector(chosen.x, true)}`] : [],
    value: `\\frac{\\partial u_i}{\\partial ${wVec}} = ${xVecT('i')}`,
  });

  const zeroCounts = p.reluGradAtZero === 1;
  const inactiveCond = zeroCounts ? `0 > u_{${k}}` : `0 \\geq u_{${k}}`;
  const activeCond = zeroCounts ? `0 \\leq u_{${k}}` : `0 < u_{${k}}`;
  const activeFlags: number[] = [];
  for (let i = 0; i < Math.min(n, ENTRIES); i++) {
    const u = sampleDetail(s, i, p.w, p.b, p.reluGradAtZero, p.gradW, p.gradB);
    activeFlags.push(u.active);
  }
  steps.push({
    id: 'max',
    rule: '\\frac{\\partial}{\\partial x} \\max(f, g) = \\begin{cases} \\frac{\\partial f}{\\partial x}, & f > g \\\\ \\frac{\\partial g}{\\partial x}, & f \\leq g \\end{cases}',
    applied: `z_i = \\max(0, u_i),\\quad \\frac{\\partial z_i}{\\partial ${wVec}} = a_i\\, ${xVecT('i')},\\quad \\frac{\\partial z_i}{\\partial b} = a_i,\\quad a_i = [u_i ${zeroCounts ? '\\geq' : '>'} 0]`,
    cases: [
      {
        result: `a_{${k}} = 0:\\ \\frac{\\partial z_{${k}}}{\\partial ${wVec}} = ${zeroW},\\ \\frac{\\partial z_{${k}}}{\\partial b} = 0`,
        condition: inactiveCond,
        taken: chosen ? chosen.active === 0 : p.active < n,
      },
      {
        result: `a_{${k}} = 1:\\ \\frac{\\partial z_{${k}}}{\\partial ${wVec}} = ${xVecT(k)},\\ \\frac{\\partial z_{${k}}}{\\partial b} = 1`,
        condition: activeCond,
        taken: chosen ? chosen.active === 1 : p.active > 0,
      },
    ],
    dataset: [
      `\\vec a = (${activeFlags.join(',\\ ')}${n > ENTRIES ? ',\\ \\dots' : ''}),\\quad \\sum_i a_i = ${p.active},\\quad N = ${n}`,
      `\\text{ReLU}'(0) = ${p.reluGradAtZero}`,
    ],
    sample: chosen
      ? [
          `u_{${k}} = ${num(chosen.u)} ${chosen.u > 0 ? '>' : chosen.u < 0 ? '<' : '='} 0 \\;\\Rightarrow\\; a_{${k}} = ${chosen.active}`,
          `z_{${k}} = \\max(0, ${num(chosen.u)}) = ${num(chosen.z)}`,
        ]
      : [],
    value: `\\sum_i a_i = ${p.active}`,
  });

  const lossTerms = first.map((sd) => `(${num(sd.z)} - ${f(sd.y)})^2`).join(' + ') + more;
  steps.push({
    id: 'loss',
    rule: '\\frac{\\partial l}{\\partial \\theta} = \\frac{1}{N} \\sum_{i} 2 (z_i - y_i) \\frac{\\partial z_i}{\\partial \\theta}',
    applied: 'l = \\frac{1}{N} \\sum_{i} (z_i - y_i)^2',
    dataset: [n > 0 ? `l = \\frac{1}{${n}} \\big(${lossTerms}\\big) = ${num(p.loss)}` : 'l = 0'],
    sample: chosen
      ? [
          `z_{${k}} - y_{${k}} = ${num(chosen.z)} - ${f(chosen.y)} = ${num(chosen.residual)}`,
          `\\frac{(z_{${k}} - y_{${k}})^2}{N} = ${num(chosen.lossTerm)}`,
        ]
      : [],
    value: `l = ${num(p.loss)}`,
  });

  const scaleTex = `\\frac{2}{${n}}`;
  const gradLines: string[] = [];
  for (let j = 0; j < Math.min(d, ENTRIES); j++) {
    const terms = first.map((sd) => `${sd.active} \\cdot ${f(sd.residual)} \\cdot ${f(sd.x[j])}`).join(' + ') + more;
    gradLines.push(`\\frac{\\partial l}{\\partial w_{${d === 1 ? '' : j + 1}}} = ${scaleTex} \\big(${terms}\\big) = ${num(p.gradW[j])}`.replace('w_{}', 'w'));
  }
  if (d > ENTRIES) gradLines.push('\\dots');
  gradLines.push(`\\frac{\\partial l}{\\partial b} = ${scaleTex} \\big(${first.map((sd) => `${sd.active} \\cdot ${f(sd.residual)}`).join(' + ')}${more}\\big) = ${num(p.gradB)}`);
  const gradNorm = Math.hypot(...Array.from(p.gradW), p.gradB);
  steps.push({
    id: 'chain',
    rule: `\\frac{\\partial l}{\\partial ${wVec}} = \\frac{2}{N} \\sum_{i} a_i (z_i - y_i)\\, ${xVecT('i')},\\quad \\frac{\\partial l}{\\partial b} = \\frac{2}{N} \\sum_{i} a_i (z_i - y_i)`,
    applied: '\\frac{\\partial l}{\\partial \\theta} = \\sum_i \\frac{\\partial l}{\\partial z_i} \\frac{\\partial z_i}{\\partial u_i} \\frac{\\partial u_i}{\\partial \\theta}',
    dataset: n > 0 ? gradLines : [`\\nabla l = ${zeroW}`],
    sample: chosen
      ? [
          `${scaleTex}\\, a_{${k}} (z_{${k}} - y_{${k}})\\, ${xVecT(k)} = ${scaleTex} \\cdot ${chosen.active} \\cdot ${f(chosen.residual)} \\cdot ${d === 1 ? f(chosen.x[0]) : vector(chosen.x, true)} = ${d === 1 ? num(chosen.contribW[0]) : vector(chosen.contribW, true)}`,
          `${scaleTex}\\, a_{${k}} (z_{${k}} - y_{${k}}) = ${num(chosen.contribB)}`,
          `\\frac{c_{${k}} \\cdot \\nabla l}{|\\nabla l|^2} = ${num(chosen.share * 100, 3)}\\%`,
        ]
      : [],
    value: `|\\nabla l| = ${num(gradNorm)}`,
  });

  const updateLines: string[] = [];
  for (let j = 0; j < Math.min(d, ENTRIES); j++) {
    const name = d === 1 ? 'w' : `w_{${j + 1}}`;
    updateLines.push(`${name} \\leftarrow ${num(p.w[j])} - ${num(p.learningRate)} \\cdot ${f(p.gradW[j])} = ${num(nextW[j])}`);
  }
  if (d > ENTRIES) updateLines.push('\\dots');
  updateLines.push(`b \\leftarrow ${num(p.b)} - ${num(p.learningRate)} \\cdot ${f(p.gradB)} = ${num(nextB)}`);
  steps.push({
    id: 'update',
    rule: `${wVec}_{t+1} = ${wVec}_t - \\alpha \\frac{\\partial l}{\\partial ${wVec}},\\quad b_{t+1} = b_t - \\alpha \\frac{\\partial l}{\\partial b}`,
    applied: `t = ${p.epoch},\\quad \\alpha = ${num(p.learningRate)}`,
    dataset: updateLines,
    sample: chosen
      ? [`-\\alpha\\, c_{${k}} = ${d === 1 ? num(-p.learningRate * chosen.contribW[0]) : vector(chosen.contribW.map((c) => -p.learningRate * c))},\\ ${num(-p.learningRate * chosen.contribB)}`]
      : [],
    value: `${wVec}_{${p.epoch + 1}} = ${d === 1 ? num(nextW[0]) : vector(nextW)},\\quad b_{${p.epoch + 1}} = ${num(nextB)}`,
  });

  return steps;
}
