/**
 * Where the Graph tab draws each node and edge, and what it says: pure (no DOM), so it is tested in
 * Node. The topology is fixed, so the layout depends on d alone: the inputs w_j, x_ij in the first
 * column, then w·x_i and b, u_i, z_i and y_i, z_i − y_i, the square, and l on the right. Above
 * MAX_EXPANDED features, w and x_i are one vector node each until the student expands them.
 */
import type { ComputationGraph, GraphNode } from '../src/engine/graph';
import { formatNumber } from '../src/engine/format';
import { t } from './i18n';

/** Most features drawn one node each without asking. */
export const MAX_EXPANDED = 8;
export const NODE_W = 150;
export const NODE_H = 76;
const COL_GAP = 56;
const ROW_GAP = 18;
const PAD = 12;
/** Room under the max node for the sentence that says the gradient stops there. */
const STOP_ROOM = 22;

/** A node's box. `id` is a graph node's id, or `w:*` / `x:*` for the collapsed vectors. */
export interface LayoutNode {
  id: string;
  col: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** An edge from the right side of `from` to the left side of `to`, and where its label goes. */
export interface LayoutEdge {
  from: string;
  to: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Whether w and x_i are drawn as one vector node each. */
  collapsed: boolean;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** Whether d features are drawn as vector nodes (unless expanded). */
export function collapses(d: number, expanded: boolean): boolean {
  return d > MAX_EXPANDED && !expanded;
}

/** The drawn id of a graph node: its own, or its vector's when collapsed. */
export function drawnId(id: string, collapsed: boolean): string {
  if (!collapsed) return id;
  if (id.startsWith('w:')) return 'w:*';
  if (id.startsWith('x:')) return 'x:*';
  return id;
}

/** The layout of the graph of d features. */
export function layoutGraph(d: number, expanded = false): GraphLayout {
  const collapsed = collapses(d, expanded);
  const pitch = NODE_H + ROW_GAP;
  const colX = (col: number) => PAD + col * (NODE_W + COL_GAP);
  const nodes: LayoutNode[] = [];
  const add = (id: string, col: number, y: number) => nodes.push({ id, col, x: colX(col), y, w: NODE_W, h: NODE_H });
  // Column 0: w_j above x_ij for each j (or the two vectors).
  const inputs = collapsed ? ['w:*', 'x:*'] : Array.from({ length: d }, (_, j) => [`w:${j}`, `x:${j}`]).flat();
  inputs.forEach((id, row) => add(id, 0, PAD + row * pitch));
  // The main line runs level with the middle of column 0.
  const mid = PAD + ((inputs.length - 1) * pitch) / 2;
  add('dot', 1, mid);
  add('b', 1, mid + pitch);
  add('u', 2, mid);
  add('z', 3, mid);
  add('y', 3, mid + pitch + STOP_ROOM);
  add('r', 4, mid);
  add('sq', 5, mid);
  add('l', 6, mid);
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: LayoutEdge[] = [];
  const link = (from: string, to: string) => {
    const a = at.get(from)!;
    const b = at.get(to)!;
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    const x2 = b.x;
    const y2 = b.y + b.h / 2;
    // The label sits a third of the way from the input, where the fan into w·x is widest.
    edges.push({ from, to, x1, y1, x2, y2, labelX: x1 + (x2 - x1) / 3, labelY: y1 + (y2 - y1) / 3 - 4 });
  };
  for (const id of inputs) link(id, 'dot');
  link('dot', 'u');
  link('b', 'u');
  link('u', 'z');
  link('z', 'r');
  link('y', 'r');
  link('r', 'sq');
  link('sq', 'l');
  const width = Math.max(...nodes.map((n) => n.x + n.w)) + PAD;
  const height = Math.max(...nodes.map((n) => n.y + n.h)) + PAD;
  return { width, height, collapsed, nodes, edges };
}

/** Whether two boxes overlap (touching edges do not). */
export function overlap(a: Pick<LayoutNode, 'x' | 'y' | 'w' | 'h'>, b: Pick<LayoutNode, 'x' | 'y' | 'w' | 'h'>): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * The node a key moves to from `id`: Left toward the inputs, Right toward l (the nearest node in the
 * next column), Up and Down within the column, Home to l, End to the last input. The same id when
 * there is none that way.
 */
export function neighbour(layout: GraphLayout, id: string, key: string): string {
  const from = layout.nodes.find((n) => n.id === id);
  if (!from) return layout.nodes.find((n) => n.id === 'l')?.id ?? id;
  const centre = (n: LayoutNode) => n.y + n.h / 2;
  const inCol = (col: number) => layout.nodes.filter((n) => n.col === col).sort((a, b) => a.y - b.y);
  const nearest = (col: number) => {
    const options = inCol(col);
    if (options.length === 0) return id;
    return options.reduce((best, n) => (Math.abs(centre(n) - centre(from)) < Math.abs(centre(best) - centre(from)) ? n : best)).id;
  };
  switch (key) {
    case 'ArrowLeft':
      return nearest(from.col - 1);
    case 'ArrowRight':
      return nearest(from.col + 1);
    case 'ArrowUp':
    case 'ArrowDown': {
      const column = inCol(from.col);
      const k = column.findIndex((n) => n.id === id) + (key === 'ArrowUp' ? -1 : 1);
      return column[k]?.id ?? id;
    }
    case 'Home':
      return 'l';
    case 'End': {
      const first = inCol(0);
      return first[first.length - 1]?.id ?? id;
    }
    default:
      return id;
  }
}

/** The drawn nodes in the order the backward pass reaches them (l first), each vector once. */
export function backwardOrder(graph: ComputationGraph, collapsed: boolean): string[] {
  const out: string[] = [];
  for (const node of graph.nodes) {
    const id = drawnId(node.id, collapsed);
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** The graph nodes a drawn node stands for (a vector node: every w_j or every x_ij). */
export function membersOf(graph: ComputationGraph, drawn: string): GraphNode[] {
  if (drawn === 'w:*') return graph.nodes.filter((n) => n.kind === 'weight');
  if (drawn === 'x:*') return graph.nodes.filter((n) => n.kind === 'feature');
  const node = graph.nodes.find((n) => n.id === drawn);
  return node ? [node] : [];
}

/** A number as the graph writes it: 4 significant digits, as the derivation does. */
export const num = (v: number): string => formatNumber(v, 4);
/** A factor in a product: negative numbers in parentheses. */
const factor = (v: number): string => (v < 0 || Object.is(v, -0) ? `(${num(v)})` : num(v));

/** A vector's first entries: `(0.5, −1, 2, …)`. */
export function vectorText(values: readonly number[], shown = 3): string {
  const head = values.slice(0, shown).map(num);
  if (values.length > shown) head.push('…');
  return `(${head.join(', ')})`;
}

/** `∂l/∂u₂`. */
export const partial = (name: string): string => (name === 'l' ? '∂l/∂l' : `∂l/∂${name.includes(' ') ? `(${name})` : name}`);

/**
 * The chain rule up to a node, as the step-through shows it:
 * `∂l/∂u₂ = 1/N · 2(z₂ − y₂) · 1 · a₂ = 0.25 · (−2) · 1 · 1 = −0.5`.
 */
export function chainText(node: GraphNode): string {
  if (node.chain.length === 0) return `${partial(node.name)} = 1`;
  const symbols = node.chain.map((f) => f.symbol).join(' · ');
  const values = node.chain.map((f) => factor(f.value)).join(' · ');
  return `${partial(node.name)} = ${symbols} = ${values} = ${num(node.grad)}`;
}

/** The lines a node box shows: its name and formula, its value, its gradient (and for w, b the whole one). */
export function nodeLines(graph: ComputationGraph, drawn: string): string[] {
  const members = membersOf(graph, drawn);
  if (members.length === 0) return [];
  if (members.length > 1 || drawn.endsWith('*')) {
    const name = drawn === 'w:*' ? 'w⃗' : `x⃗${members[0].name.slice(1).split(',')[0]}`;
    const lines = [`${name} ∈ ℝ${superscript(members.length)}`, `= ${vectorText(members.map((m) => m.value))}`];
    if (drawn === 'w:*') {
      lines.push(`${partial(name)} = ${vectorText(members.map((m) => m.total ?? 0))}`);
      lines.push(t('this sample: {0}', vectorText(members.map((m) => m.grad))));
    } else lines.push(`${partial(name)} = ${vectorText(members.map((m) => m.grad))}`);
    return lines;
  }
  const node = members[0];
  const title = node.formula === node.name ? node.name : `${node.name} = ${node.formula}`;
  const lines = [title, `= ${num(node.value)}`];
  if (node.total !== undefined) {
    lines.push(`${partial(node.name)} = ${num(node.total)}`);
    lines.push(t('this sample: {0}', num(node.grad)));
  } else lines.push(`${partial(node.name)} = ${num(node.grad)}`);
  return lines;
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (k: number) =>
  String(k)
    .split('')
    .map((c) => SUPERSCRIPTS[Number(c)])
    .join('');

/** What a screen reader says for a node: name, value, gradient, and the step it belongs to. */
export function nodeLabel(graph: ComputationGraph, drawn: string, stepTitle: string): string {
  const lines = nodeLines(graph, drawn);
  const members = membersOf(graph, drawn);
  const stopped = members.length > 0 && !members[0].reached ? ` ${t('The gradient does not reach it (a = 0).')}` : '';
  return `${lines.join('; ')}.${stopped} ${t('Step: {0}', stepTitle)}`;
}

/** The sentence under max(0, ·) for an inactive sample, or null when the gradient passes. */
export function stopSentence(graph: ComputationGraph): string | null {
  if (graph.active === 1) return null;
  return t('a = 0: the gradient stops here');
}
