/**
 * The neuron as a computation graph for one sample, in the course document's decomposition:
 *
 *   x_i, w → dot: w·x_i → + b: u_i → max(0, ·): z_i → z_i − y_i → square → mean over the samples: l
 *
 * Each node carries its forward value and ∂l/∂(node) along this sample's path; each edge its local
 * derivative. `chain` on a node lists the local derivatives from l down to it, so their product is the
 * node's gradient (what "step through the backward pass" shows). Pure and O(d): built from the point on
 * display (w, b, ∇l, l) and the sample's `SampleDetail`, never from a trajectory.
 */
import type { DerivationStepId } from './derivationText';
import type { SampleDetail } from './neuron';
import type { ReluGradAtZero } from './settings';

/** What a node is: data, a parameter, an operation, or the loss. */
export type GraphNodeKind = 'feature' | 'weight' | 'bias' | 'target' | 'dot' | 'sum' | 'max' | 'residual' | 'square' | 'mean';

/** One local derivative on the way from l down to a node: its symbol and its value. */
export interface GraphFactor {
  /** Plain Unicode math (no LaTeX), e.g. `2(z₂ − y₂)`. */
  symbol: string;
  value: number;
}

/** One node of the graph. */
export interface GraphNode {
  /** `l`, `sq`, `r`, `z`, `y`, `u`, `b`, `dot`, `w:j`, `x:j` (j 0-based). */
  id: string;
  kind: GraphNodeKind;
  /** Its name in plain Unicode math: `u₂`, `w₁`, `x₂,₁`, `l`. */
  name: string;
  /** What it computes, e.g. `max(0, u₂)`; for data and parameters, its name. */
  formula: string;
  /** j (0-based) for a feature or a weight. */
  j?: number;
  /** The forward value. */
  value: number;
  /** ∂l/∂(node) along this sample's path (for w and b: this sample's share of the gradient). */
  grad: number;
  /** For w_j and b: the whole gradient ∂l/∂θ over every sample. */
  total?: number;
  /** The derivation step the node belongs to (derivation.ts). */
  step: DerivationStepId;
  /** The local derivatives from l down to this node; their product is `grad` (empty for l). */
  chain: GraphFactor[];
  /** Whether the gradient reaches the node: false upstream of max(0, ·) when a_i = 0. */
  reached: boolean;
}

/** One edge, from an input to the operation that uses it, with the local derivative ∂(to)/∂(from). */
export interface GraphEdge {
  from: string;
  to: string;
  local: GraphFactor;
  /** The step whose rule gives the local derivative (that of the node it enters). */
  step: DerivationStepId;
  /** Whether no gradient passes back along it (upstream of an inactive max, or the max edge itself). */
  blocked: boolean;
}

/** The graph of one sample at one point (w, b). */
export interface ComputationGraph {
  /** The sample (0-based). */
  sample: number;
  /** Whether the student chose it (otherwise the first sample is shown). */
  chosen: boolean;
  n: number;
  d: number;
  active: 0 | 1;
  /** u_i is exactly 0, where ReLU'(0) decides a_i. */
  atKink: boolean;
  reluGradAtZero: ReluGradAtZero;
  /** Whether the features are the scaled x̃ (`# @scale`). */
  scaled: boolean;
  /** In the order the backward pass reaches them: l first, the data last. */
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The point a graph is drawn at: the builder's inputs, whatever point is on display. */
export interface GraphPoint {
  w: ArrayLike<number>;
  b: number;
  loss: number;
  gradW: ArrayLike<number>;
  gradB: number;
  reluGradAtZero: ReluGradAtZero;
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** A non-negative integer in subscript digits: 12 → ₁₂. */
export function subscript(k: number): string {
  return String(k)
    .split('')
    .map((c) => SUBSCRIPTS[Number(c)] ?? c)
    .join('');
}

/** The product of the chain's values, left to right. */
export function chainProduct(chain: readonly GraphFactor[]): number {
  let p = 1;
  for (const f of chain) p *= f.value;
  return p;
}

/**
 * The computation graph of sample `detail.index` among `n` samples at point `p`; `chosen` says
 * whether the student picked it, `scaled` whether x is the scaled x̃ (then x belongs to step 0).
 */
export function computationGraph(p: GraphPoint, n: number, detail: SampleDetail, chosen: boolean, scaled = false): ComputationGraph {
  const d = detail.x.length;
  const k = subscript(detail.index + 1);
  const a = detail.active;
  const r = detail.residual;
  const wName = (j: number) => (d === 1 ? 'w' : `w${subscript(j + 1)}`);
  const xName = (j: number) => (d === 1 ? `x${k}` : `x${k},${subscript(j + 1)}`);
  const xVec = d === 1 ? `x${k}` : `x⃗${k}`;
  const wVec = d === 1 ? 'w' : 'w⃗';

  // The local derivatives, l down to each node.
  const dSq: GraphFactor = { symbol: '1/N', value: 1 / n };
  const dR: GraphFactor = { symbol: `2(z${k} − y${k})`, value: 2 * r };
  const dZ: GraphFactor = { symbol: '1', value: 1 };
  const dY: GraphFactor = { symbol: '−1', value: -1 };
  const dU: GraphFactor = { symbol: `a${k}`, value: a };
  const dDot: GraphFactor = { symbol: '1', value: 1 };
  const dB: GraphFactor = { symbol: '1', value: 1 };
  const dW = (j: number): GraphFactor => ({ symbol: xName(j), value: detail.x[j] });
  const dX = (j: number): GraphFactor => ({ symbol: wName(j), value: p.w[j] });

  const toL: GraphFactor[] = [];
  const toSq = [dSq];
  const toR = [...toSq, dR];
  const toZ = [...toR, dZ];
  const toY = [...toR, dY];
  const toU = [...toZ, dU];
  const toB = [...toU, dB];
  const toDot = [...toU, dDot];

  // ∂l/∂z_i = (2/N)(z_i − y_i); past the max, (2/N) a_i (z_i − y_i) = contribB.
  const dLdz = (2 / n) * r;
  const passed = detail.contribB;
  const xStep: DerivationStepId = scaled ? 'scale' : 'dot';
  // w·x_i itself (u_i − b would lose bits when b is large against it).
  let dot = 0;
  for (let j = 0; j < d; j++) dot += p.w[j] * detail.x[j];
  const nodes: GraphNode[] = [
    { id: 'l', kind: 'mean', name: 'l', formula: '(1/N) Σ (z − y)²', value: p.loss, grad: 1, step: 'loss', chain: toL, reached: true },
    {
      id: 'sq',
      kind: 'square',
      name: `(z${k} − y${k})²`,
      formula: `(z${k} − y${k})²`,
      value: r * r,
      grad: 1 / n,
      step: 'loss',
      chain: toSq,
      reached: true,
    },
    {
      id: 'r',
      kind: 'residual',
      name: `z${k} − y${k}`,
      formula: `z${k} − y${k}`,
      value: r,
      grad: dLdz,
      step: 'loss',
      chain: toR,
      reached: true,
    },
    { id: 'z', kind: 'max', name: `z${k}`, formula: `max(0, u${k})`, value: detail.z, grad: dLdz, step: 'max', chain: toZ, reached: true },
    { id: 'y', kind: 'target', name: `y${k}`, formula: `y${k}`, value: detail.y, grad: -dLdz, step: 'loss', chain: toY, reached: true },
    {
      id: 'u',
      kind: 'sum',
      name: `u${k}`,
      formula: `${wVec}·${xVec} + b`,
      value: detail.u,
      grad: passed,
      step: 'sum',
      chain: toU,
      reached: a === 1,
    },
    {
      id: 'b',
      kind: 'bias',
      name: 'b',
      formula: 'b',
      value: p.b,
      grad: passed,
      total: p.gradB,
      step: 'chain',
      chain: toB,
      reached: a === 1,
    },
    {
      id: 'dot',
      kind: 'dot',
      name: `${wVec}·${xVec}`,
      formula: `${wVec}·${xVec}`,
      value: dot,
      grad: passed,
      step: 'dot',
      chain: toDot,
      reached: a === 1,
    },
  ];
  for (let j = 0; j < d; j++) {
    nodes.push({
      id: `w:${j}`,
      kind: 'weight',
      name: wName(j),
      formula: wName(j),
      j,
      value: p.w[j],
      grad: detail.contribW[j],
      total: p.gradW[j],
      step: 'chain',
      chain: [...toDot, dW(j)],
      reached: a === 1,
    });
  }
  for (let j = 0; j < d; j++) {
    nodes.push({
      id: `x:${j}`,
      kind: 'feature',
      name: xName(j),
      formula: xName(j),
      j,
      value: detail.x[j],
      grad: passed * p.w[j],
      step: xStep,
      chain: [...toDot, dX(j)],
      reached: a === 1,
    });
  }

  const blocked = a === 0;
  const edges: GraphEdge[] = [
    { from: 'sq', to: 'l', local: dSq, step: 'loss', blocked: false },
    { from: 'r', to: 'sq', local: dR, step: 'loss', blocked: false },
    { from: 'z', to: 'r', local: dZ, step: 'loss', blocked: false },
    { from: 'y', to: 'r', local: dY, step: 'loss', blocked: false },
    { from: 'u', to: 'z', local: dU, step: 'max', blocked },
    { from: 'dot', to: 'u', local: dDot, step: 'sum', blocked },
    { from: 'b', to: 'u', local: dB, step: 'sum', blocked },
  ];
  for (let j = 0; j < d; j++) edges.push({ from: `w:${j}`, to: 'dot', local: dW(j), step: 'dot', blocked });
  for (let j = 0; j < d; j++) edges.push({ from: `x:${j}`, to: 'dot', local: dX(j), step: 'dot', blocked });

  return {
    sample: detail.index,
    chosen,
    n,
    d,
    active: a,
    atKink: detail.atKink,
    reluGradAtZero: p.reluGradAtZero,
    scaled,
    nodes,
    edges,
  };
}
