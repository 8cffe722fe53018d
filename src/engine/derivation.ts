/**
 * The course document's derivation as data: its steps in order (sum, dot product, max, loss, chain
 * rule, update), each with the rule in LaTeX and the same with this run's numbers substituted, for the
 * whole dataset and for one chosen sample. The webview renders the LaTeX; the CLI prints it as text.
 *
 * Conventions, stated once: vectors are columns, and a derivative with respect to a vector is a
 * column of that vector's shape, so w⃗ − α ∂l/∂w⃗ subtracts like from like. Sums over samples are
 * written out in full up to ALL_TERMS_UP_TO samples; above that, the first terms and the chosen
 * sample's are written and the rest is one braced sum with its value.
 */
import { type Samples, type SampleDetail, sampleDetail } from './neuron';
import type { ReluGradAtZero, TrainingSettings } from './settings';
import { type Trajectory, gradWAt, weightsAt } from './train';
import { latexFactor as f, latexNumber as num } from './format';
import type { DerivationNote, DerivationStepId } from './derivationText';
import type { FeatureMatrix, FeatureScaling } from './scaling';

export {
  DERIVATION_NOTES,
  EVERY_SAMPLE_ACTIVE,
  STEP_TITLES,
  type DerivationNote,
  type DerivationNoteId,
  type DerivationStepId,
} from './derivationText';

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
  /** The rule with the whole dataset's numbers. */
  dataset: string[];
  /** The rule with the chosen sample's numbers, or empty without a chosen sample. */
  sample: string[];
  /** What the step yields. */
  value: string;
  /** Conventions, the document's slips corrected, and what was left out. */
  notes: DerivationNote[];
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

/** Up to this many samples, every term of a sum over i is written out (small enough to check by hand). */
export const ALL_TERMS_UP_TO = 8;
/** Above it, the first this many terms are written (and the chosen sample's); the rest is braced. */
const HEAD_TERMS = 3;
/** Entries of a feature vector written before \dots. */
const ENTRIES = 6;

/** A column vector: `(v_1,\ v_2)^T`; one entry is written as the number itself. */
function column(values: ArrayLike<number>, entry: (v: number) => string = num): string {
  if (values.length === 1) return entry(values[0]);
  const shown = Array.from(values)
    .slice(0, ENTRIES)
    .map((v) => entry(v));
  if (values.length > ENTRIES) shown.push('\\dots');
  return `(${shown.join(',\\ ')})^T`;
}

/** Sample indices start at 1 in the formulas, as in the document's Σ_i. */
const sub = (i: number) => `${i + 1}`;

/**
 * Which samples a sum writes out: all of them up to ALL_TERMS_UP_TO, else the first HEAD_TERMS and
 * the chosen one (0-based, ascending).
 */
export function writtenSamples(n: number, chosen: number | null): number[] {
  if (n <= ALL_TERMS_UP_TO) return Array.from({ length: n }, (_, i) => i);
  const written = Array.from({ length: HEAD_TERMS }, (_, i) => i);
  if (chosen !== null && chosen >= HEAD_TERMS && chosen < n) written.push(chosen);
  return written;
}

/**
 * `t_1 + t_2 + … + \underbrace{\sum_{i ∉ written} general_i}_{= rest}`: the written terms, then the
 * others as one sum whose value is `total` minus the written ones (so the line adds up as shown).
 */
function sumOf(
  n: number,
  written: readonly number[],
  term: (i: number) => string,
  value: (i: number) => number,
  general: string,
  total: number,
): string {
  const parts = written.map(term);
  if (written.length < n) {
    let rest = total;
    for (const i of written) rest -= value(i);
    const from = HEAD_TERMS + 1;
    const skip = written.filter((i) => i >= HEAD_TERMS).map(sub);
    const range = skip.length > 0 ? `i=${from},\\ i \\neq ${skip.join(',\\ ')}` : `i=${from}`;
    parts.push(`\\underbrace{\\sum_{${range}}^{${n}} ${general}}_{=\\,${num(rest)}}`);
  }
  return parts.join(' + ');
}

/**
 * Significant digits for a value of the file or a statistic of it in step 0: at least 4, and two
 * decimals beyond its integer part, so that x − μ can be checked by hand (2000 − 1951.5, not 2000 − 1952).
 */
function dataDigits(v: number): number {
  const a = Math.abs(v);
  return a >= 1 && a < 1e6 ? Math.max(4, Math.floor(Math.log10(a)) + 3) : 4;
}
const dataNum = (v: number) => num(v, dataDigits(v));
const dataFactor = (v: number) => f(v, dataDigits(v));

/** The samples as in the file and how they were scaled, when the run trained on x̃ (`# @scale`). */
export interface ScaledFrom {
  scaling: FeatureScaling;
  raw: FeatureMatrix;
}

/**
 * Step 0, scaling the features: the rule, μ_j and σ_j (or min_j and max_j), the parameters in the
 * file's units, and the chosen sample's x and x̃ with numbers.
 */
function scaleStep(from: ScaledFrom, p: DerivationPoint, chosen: number | null): DerivationStep {
  const { scaling, raw } = from;
  const d = raw.d;
  const standard = scaling.method === 'standard';
  const shown = Math.min(d, ENTRIES);
  const jj = (j: number) => (d === 1 ? '' : `${j + 1}`);
  const at = (j: number) => (d === 1 ? '' : `_{${j + 1}}`);
  const shiftOf = (j: number) => (standard ? `\\mu${at(j)}` : `\\min${at(j)}`);
  const factorOf = (j: number) => (standard ? `\\sigma${at(j)}` : `\\max${at(j)} - \\min${at(j)}`);
  const xi = (i: string, j: string) => (d === 1 ? `x_{${i}}` : `x_{${i},${j}}`);
  const xt = (i: string, j: string) => (d === 1 ? `\\tilde x_{${i}}` : `\\tilde x_{${i},${j}}`);
  const constant = new Set(scaling.constant);
  const rule = standard
    ? '\\tilde x_{ij} = \\frac{x_{ij} - \\mu_j}{\\sigma_j},\\quad \\mu_j = \\frac{1}{N} \\sum_{i} x_{ij},\\quad \\sigma_j = \\sqrt{\\frac{1}{N} \\sum_{i} (x_{ij} - \\mu_j)^2}'
    : '\\tilde x_{ij} = \\frac{x_{ij} - \\min_j}{\\max_j - \\min_j},\\quad \\min_j = \\min_i x_{ij},\\quad \\max_j = \\max_i x_{ij}';
  const [sSym, fSym] = standard ? ['\\mu_j', '\\sigma_j'] : ['\\min_j', '\\max_j - \\min_j'];
  const applied = `u_i = \\sum_{j} w_j \\tilde x_{ij} + b = \\sum_{j} \\frac{w_j}{${fSym}}\\, x_{ij} + \\Big(b - \\sum_{j} \\frac{w_j ${sSym}}{${fSym}}\\Big)`;
  const dataset: string[] = [];
  for (let j = 0; j < shown; j++) {
    const stats = standard
      ? `\\mu${at(j)} = ${dataNum(scaling.mean[j])},\\quad \\sigma${at(j)} = ${dataNum(scaling.sd[j])}`
      : `\\min${at(j)} = ${dataNum(scaling.min[j])},\\quad \\max${at(j)} = ${dataNum(scaling.max[j])}`;
    dataset.push(constant.has(j) ? `${stats}\\;\\Rightarrow\\; ${xt('i', jj(j))} = ${xi('i', jj(j))}` : stats);
  }
  if (d > ENTRIES) dataset.push('\\dots');
  const fileW = Array.from({ length: d }, (_, j) => p.w[j] / scaling.factor[j]);
  let fileB = p.b;
  for (let j = 0; j < d; j++) fileB -= (p.w[j] * scaling.shift[j]) / scaling.factor[j];
  // The parameters in the file's units (the note `fileUnits` says why).
  const wFile = d === 1 ? `\\frac{w}{${factorOf(0)}}` : `\\Big(\\frac{w_j}{${fSym}}\\Big)_j`;
  const bFile = d === 1 ? `b - \\frac{w ${shiftOf(0)}}{${factorOf(0)}}` : `b - \\sum_{j} \\frac{w_j ${sSym}}{${fSym}}`;
  dataset.push(`${wFile} = ${column(fileW)},\\quad ${bFile} = ${num(fileB)}`);
  const sample: string[] = [];
  let value = standard
    ? `\\vec\\mu = ${column(scaling.mean, dataNum)},\\quad \\vec\\sigma = ${column(scaling.sd, dataNum)}`
    : `\\min = ${column(scaling.min, dataNum)},\\quad \\max = ${column(scaling.max, dataNum)}`;
  if (chosen !== null) {
    const k = sub(chosen);
    const x = Array.from(raw.x.subarray(chosen * d, chosen * d + d));
    const xs = x.map((v, j) => (v - scaling.shift[j]) / scaling.factor[j]);
    const xVec = d === 1 ? `x_{${k}}` : `\\vec x_{${k}}`;
    const xtVec = d === 1 ? `\\tilde x_{${k}}` : `\\tilde{\\vec x}_{${k}}`;
    sample.push(`${xVec} = ${column(x, dataNum)}`);
    for (let j = 0; j < shown; j++) {
      if (constant.has(j)) sample.push(`${xt(k, jj(j))} = ${xi(k, jj(j))} = ${num(xs[j])}`);
      else
        sample.push(
          `${xt(k, jj(j))} = \\frac{${xi(k, jj(j))} - ${shiftOf(j)}}{${factorOf(j)}} = \\frac{${dataFactor(x[j])} - ${dataFactor(scaling.shift[j])}}{${dataNum(scaling.factor[j])}} = ${num(xs[j])}`,
        );
    }
    if (d > ENTRIES) sample.push('\\dots');
    value = `${xtVec} = ${column(xs)}`;
  }
  const notes: DerivationNote[] = [{ id: standard ? 'standardSd' : 'minmaxRange', tone: 'info', args: [] }];
  if (scaling.constant.length > 0) notes.push({ id: 'constantColumns', tone: 'info', args: [scaling.constant.length] });
  notes.push({ id: 'fileUnits', tone: 'info', args: [] });
  return { id: 'scale', rule, applied, dataset, sample, value, notes };
}

/**
 * The derivation at one trajectory point; `sampleIndex` (0-based) picks the sample whose own numbers
 * are substituted, or null for none. `s` holds what was trained on; with `scaled` (the run trained on
 * x̃), a step 0 shows the scaling first and every later step says it is about x̃.
 */
export function derivationAt(
  s: Samples,
  p: DerivationPoint,
  sampleIndex: number | null,
  scaled: ScaledFrom | null = null,
): DerivationStep[] {
  const { n, d } = s;
  const chosenIndex = sampleIndex !== null && sampleIndex >= 0 && sampleIndex < n ? sampleIndex : null;
  const written = writtenSamples(n, chosenIndex);
  const detail = new Map<number, SampleDetail>();
  const at = (i: number): SampleDetail => {
    let sd = detail.get(i);
    if (!sd) detail.set(i, (sd = sampleDetail(s, i, p.w, p.b, p.reluGradAtZero, p.gradW, p.gradB)));
    return sd;
  };
  const first = written.map(at);
  const chosen = chosenIndex === null ? null : at(chosenIndex);
  const omitted = n - written.length;
  const listCut: DerivationNote[] = omitted > 0 ? [{ id: 'samplesCut', tone: 'info', args: [omitted, n] }] : [];
  const sumCut: DerivationNote[] = omitted > 0 ? [{ id: 'termsCut', tone: 'info', args: [omitted, n] }] : [];
  const listed = (lines: string[]) => (omitted > 0 ? lines.concat(['\\vdots']) : lines);

  const k = chosen ? sub(chosen.index) : 'i';
  const wVec = d === 1 ? 'w' : '\\vec w';
  const xVec = (i: string) => (d === 1 ? `x_{${i}}` : `\\vec x_{${i}}`);
  const zeroW = d === 1 ? '0' : '\\vec 0';
  const half = n / 2;
  const scaleTex = `\\frac{2}{${n}}`;
  const nextW = Array.from(p.w, (wj, j) => wj - p.learningRate * p.gradW[j]);
  const nextB = p.b - p.learningRate * p.gradB;
  const uTerms = (x: number[]) =>
    x
      .map((xj, j) => `${f(p.w[j])} \\cdot ${f(xj)}`)
      .slice(0, ENTRIES)
      .join(' + ') + (d > ENTRIES ? ' + \\dots' : '');
  const relation = p.reluGradAtZero === 1 ? '\\geq' : '>';

  const steps: DerivationStep[] = [];
  if (scaled) steps.push(scaleStep(scaled, p, chosenIndex));

  steps.push({
    id: 'sum',
    rule: '\\frac{\\partial}{\\partial \\vec x} \\sum_{i} k_i x_i = (k_1, k_2, \\dots, k_n)^T',
    applied: 'u_i = \\sum_{j} w_j x_{ij} + b \\;\\Rightarrow\\; \\frac{\\partial u_i}{\\partial b} = 1',
    dataset: listed(first.map((sd) => `u_{${sub(sd.index)}} = ${uTerms(sd.x)} + ${f(p.b)} = ${num(sd.u)}`)),
    sample: chosen ? [`u_{${k}} = ${uTerms(chosen.x)} + ${f(p.b)} = ${num(chosen.u)}`, `\\frac{\\partial u_{${k}}}{\\partial b} = 1`] : [],
    value: chosen
      ? `u_{${k}} = ${num(chosen.u)},\\quad \\frac{\\partial u_{${k}}}{\\partial b} = 1`
      : '\\frac{\\partial u_i}{\\partial b} = 1',
    notes: [{ id: 'columns', tone: 'convention', args: [] }, ...listCut],
  });

  steps.push({
    id: 'dot',
    rule: '\\frac{\\partial}{\\partial \\vec w} \\sum_{j} w_j x_j = (x_1, x_2, \\dots, x_d)^T = \\vec x',
    applied: `\\frac{\\partial u_i}{\\partial ${wVec}} = ${xVec('i')}`,
    dataset: [`${wVec} = ${column(p.w)}`].concat(
      listed(first.map((sd) => `\\frac{\\partial u_{${sub(sd.index)}}}{\\partial ${wVec}} = ${column(sd.x)}`)),
    ),
    sample: chosen ? [`\\frac{\\partial u_{${k}}}{\\partial ${wVec}} = ${xVec(k)} = ${column(chosen.x)}`] : [],
    value: chosen
      ? `\\frac{\\partial u_{${k}}}{\\partial ${wVec}} = ${column(chosen.x)}`
      : `\\frac{\\partial u_i}{\\partial ${wVec}} = ${xVec('i')}`,
    notes: listCut,
  });

  const zeroCounts = p.reluGradAtZero === 1;
  const activeFlags = Array.from({ length: Math.min(n, ALL_TERMS_UP_TO) }, (_, i) => at(i).active);
  steps.push({
    id: 'max',
    rule: '\\frac{\\partial}{\\partial x} \\max(f, g) = \\begin{cases} \\frac{\\partial f}{\\partial x}, & f > g \\\\ \\frac{\\partial g}{\\partial x}, & f \\leq g \\end{cases}',
    applied: `z_i = \\max(0, u_i),\\quad \\frac{\\partial z_i}{\\partial u_i} = a_i = [u_i ${relation} 0],\\quad \\frac{\\partial z_i}{\\partial ${wVec}} = a_i\\, ${xVec('i')},\\quad \\frac{\\partial z_i}{\\partial b} = a_i`,
    cases: [
      {
        result: `a_{${k}} = 0:\\ \\frac{\\partial z_{${k}}}{\\partial ${wVec}} = ${zeroW},\\ \\frac{\\partial z_{${k}}}{\\partial b} = 0`,
        condition: zeroCounts ? `0 > u_{${k}}` : `0 \\geq u_{${k}}`,
        taken: chosen ? chosen.active === 0 : p.active < n,
      },
      {
        result: `a_{${k}} = 1:\\ \\frac{\\partial z_{${k}}}{\\partial ${wVec}} = ${xVec(k)},\\ \\frac{\\partial z_{${k}}}{\\partial b} = 1`,
        condition: zeroCounts ? `0 \\leq u_{${k}}` : `0 < u_{${k}}`,
        taken: chosen ? chosen.active === 1 : p.active > 0,
      },
    ],
    dataset: [
      `\\vec a = (${activeFlags.join(',\\ ')}${n > ALL_TERMS_UP_TO ? ',\\ \\dots' : ''})^T,\\quad \\sum_i a_i = ${p.active},\\quad N = ${n}`,
    ],
    sample: chosen
      ? [
          `a_{${k}} = [u_{${k}} ${relation} 0] = [${num(chosen.u)} ${relation} 0] = ${chosen.active}`,
          `z_{${k}} = \\max(0, ${num(chosen.u)}) = ${num(chosen.z)}`,
        ]
      : [],
    value: chosen ? `a_{${k}} = ${chosen.active},\\quad z_{${k}} = ${num(chosen.z)}` : `\\sum_i a_i = ${p.active}`,
    notes: [
      { id: 'iverson', tone: 'info', args: [] },
      { id: zeroCounts ? 'reluAtZero1' : 'reluAtZero0', tone: 'convention', args: [] },
      { id: 'scalarZero', tone: 'document', args: [] },
    ],
  });

  const dLdz = (sd: SampleDetail) =>
    `\\frac{\\partial l}{\\partial z_{${sub(sd.index)}}} = ${scaleTex} \\cdot ${f(sd.residual)} = ${num(sd.residual / half)}`;
  const lossLine =
    n > 0
      ? `l = \\frac{1}{${n}} \\big(${sumOf(
          n,
          written,
          (i) => `(${num(at(i).z)} - ${f(at(i).y)})^2`,
          (i) => at(i).residual ** 2,
          '(z_i - y_i)^2',
          n * p.loss,
        )}\\big) = ${num(p.loss)}`
      : 'l = 0';
  steps.push({
    id: 'loss',
    rule: '\\frac{\\partial l}{\\partial \\theta} = \\frac{1}{N} \\sum_{i} 2 (z_i - y_i) \\frac{\\partial z_i}{\\partial \\theta}',
    applied: 'l = \\frac{1}{N} \\sum_{i} (z_i - y_i)^2 \\;\\Rightarrow\\; \\frac{\\partial l}{\\partial z_i} = \\frac{2}{N} (z_i - y_i)',
    dataset: [lossLine].concat(listed(first.map(dLdz))),
    sample: chosen
      ? [
          `z_{${k}} - y_{${k}} = ${num(chosen.z)} - ${f(chosen.y)} = ${num(chosen.residual)}`,
          `\\frac{\\partial l}{\\partial z_{${k}}} = ${scaleTex} (z_{${k}} - y_{${k}}) = ${scaleTex} \\cdot ${f(chosen.residual)} = ${num(chosen.residual / half)}`,
          `\\frac{(z_{${k}} - y_{${k}})^2}{N} = ${num(chosen.lossTerm)}`,
        ]
      : [],
    value: chosen
      ? `\\frac{\\partial l}{\\partial z_{${k}}} = ${num(chosen.residual / half)},\\quad l = ${num(p.loss)}`
      : `\\frac{\\partial l}{\\partial z_i} = \\frac{2}{N} (z_i - y_i),\\quad l = ${num(p.loss)}`,
    notes: [{ id: 'squareOrder', tone: 'document', args: [] }, ...sumCut],
  });

  const gradLines: string[] = [];
  for (let j = 0; j < Math.min(d, ENTRIES); j++) {
    const name = d === 1 ? 'w' : `w_{${j + 1}}`;
    const terms = sumOf(
      n,
      written,
      (i) => `${at(i).active} \\cdot ${f(at(i).residual)} \\cdot ${f(at(i).x[j])}`,
      (i) => at(i).active * at(i).residual * at(i).x[j],
      `a_i (z_i - y_i)\\, x_{i${d === 1 ? '' : `,${j + 1}`}}`,
      half * p.gradW[j],
    );
    gradLines.push(`\\frac{\\partial l}{\\partial ${name}} = ${scaleTex} \\big(${terms}\\big) = ${num(p.gradW[j])}`);
  }
  if (d > ENTRIES) gradLines.push('\\dots');
  const biasTerms = sumOf(
    n,
    written,
    (i) => `${at(i).active} \\cdot ${f(at(i).residual)}`,
    (i) => at(i).active * at(i).residual,
    'a_i (z_i - y_i)',
    half * p.gradB,
  );
  gradLines.push(`\\frac{\\partial l}{\\partial b} = ${scaleTex} \\big(${biasTerms}\\big) = ${num(p.gradB)}`);
  const gradNorm = Math.hypot(...Array.from(p.gradW), p.gradB);
  const c = chosen ? Array.from(chosen.contribW).concat([chosen.contribB]) : [];
  steps.push({
    id: 'chain',
    rule: '\\frac{\\partial l}{\\partial \\theta} = \\sum_i \\frac{\\partial l}{\\partial z_i} \\frac{\\partial z_i}{\\partial u_i} \\frac{\\partial u_i}{\\partial \\theta}',
    applied: `\\frac{\\partial l}{\\partial ${wVec}} = \\frac{2}{N} \\sum_{i} a_i (z_i - y_i)\\, ${xVec('i')},\\quad \\frac{\\partial l}{\\partial b} = \\frac{2}{N} \\sum_{i} a_i (z_i - y_i)`,
    dataset: n > 0 ? gradLines : [`\\frac{\\partial l}{\\partial ${wVec}} = ${zeroW},\\quad \\frac{\\partial l}{\\partial b} = 0`],
    sample: chosen
      ? [
          `${scaleTex}\\, a_{${k}} (z_{${k}} - y_{${k}})\\, ${xVec(k)} = ${scaleTex} \\cdot ${chosen.active} \\cdot ${f(chosen.residual)} \\cdot ${d === 1 ? f(chosen.x[0]) : column(chosen.x)} = ${column(chosen.contribW)}`,
          `${scaleTex}\\, a_{${k}} (z_{${k}} - y_{${k}}) = ${num(chosen.contribB)}`,
          `c_{${k}} = ${column(c)}`,
          `\\frac{c_{${k}} \\cdot \\nabla l}{|\\nabla l|^2} = ${num(chosen.share * 100, 3)}\\,\\%`,
        ]
      : [],
    value: `\\nabla l = ${column(Array.from(p.gradW).concat([p.gradB]))},\\quad |\\nabla l| = ${num(gradNorm)}`,
    notes: [
      { id: 'indicatorInside', tone: 'info', args: [] },
      { id: 'biasLabel', tone: 'document', args: [] },
      ...(chosen ? [{ id: 'share', tone: 'info', args: [] } as DerivationNote] : []),
      ...sumCut,
    ],
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
      ? [`-\\alpha\\, c_{${k}} = -${num(p.learningRate)} \\cdot ${column(c)} = ${column(c.map((v) => -p.learningRate * v))}`]
      : [],
    value: `${wVec}_{${p.epoch + 1}} = ${column(nextW)},\\quad b_{${p.epoch + 1}} = ${num(nextB)}`,
    notes: [{ id: 'updateBias', tone: 'document', args: [] }],
  });

  if (scaled) for (const step of steps) if (step.id !== 'scale') step.notes.unshift({ id: 'onScaled', tone: 'info', args: [] });
  return steps;
}
