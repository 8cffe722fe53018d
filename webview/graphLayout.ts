/**
 * Where the Graph tab draws each node and edge, and what it says: pure (no DOM), so it is tested in
 * Node. The topology is fixed, so the layout depends on d alone. The data flows up, as the panel is
 * tall and narrow: l at the top, then the square, z_i − y_i (y_i beside it), z_i, u_i (b beside it),
 * w·x_i, and under it one row per feature, w_j on the left and x_ij on the right. Above MAX_EXPANDED
 * features, w and x_i are one vector node each until the student expands them.
 */
import type { ComputationGraph, GraphNode } from '../src/engine/graph';
import { formatNumber } from '../src/engine/format';
import { t } from './i18n';

/** Most features drawn one node each without asking. */
export const MAX_EXPANDED = 8;
export const NODE_W = 170;
export const NODE_H = 76;
const COL_GAP = 28;
/** Room between rows for the edges' labels. */
const ROW_GAP = 34;
const PAD = 12;

/** A node's box. `id` is a graph node's id, or `w:*` / `x:*` for the collapsed vectors. */
export interface LayoutNode {
  id: string;
  row: number;
  col: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** An edge from its input to the operation that uses it: an SVG path, and where its label goes. */
export interface LayoutEdge {
  from: string;
  to: string;
  path: string;
  labelX: number;
  labelY: number;
  anchor: 'start' | 'middle' | 'end';
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Whether w and x_i are drawn as one vector node each. */
  collapsed: boolean;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Where the sentence "the gradient stops here" goes: beside the edge out of u_i (anchored at its end). */
  stop: { x: number; y: number };
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
  const nodes: LayoutNode[] = [];
  const add = (id: string, row: number, col: number) =>
    nodes.push({ id, row, col, x: PAD + col * (NODE_W + COL_GAP), y: PAD + row * (NODE_H + ROW_GAP), w: NODE_W, h: NODE_H });
  add('l', 0, 1);
  add('sq', 1, 1);
  add('r', 2, 1);
  add('y', 2, 2);
  add('z', 3, 1);
  add('u', 4, 1);
  add('b', 4, 2);
  add('dot', 5, 1);
  const pairs = collapsed ? [['w:*', 'x:*']] : Array.from({ length: d }, (_, j) => [`w:${j}`, `x:${j}`]);
  pairs.forEach(([w, x], j) => {
    add(w, 6 + j, 0);
    add(x, 6 + j, 2);
  });
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: LayoutEdge[] = [];
  const link = (from: string, to: string) => {
    const a = at.get(from)!;
    const b = at.get(to)!;
    if (a.row === b.row) {
      // Beside it (y_i into z_i − y_i, b into u_i): straight across, the label above.
      const x1 = a.x;
      const x2 = b.x + b.w;
      const y = a.y + a.h / 2;
      edges.push({ from, to, path: `M ${x1} ${y} L ${x2} ${y}`, labelX: (x1 + x2) / 2, labelY: y - 6, anchor: 'middle' });
      return;
    }
    const x2 = b.x + b.w / 2;
    const y2 = b.y + b.h;
    if (a.col !== b.col) {
      // A feature row into w·x_i: out of the box's inner side, then up the middle lane.
      const left = a.col < b.col;
      const x1 = left ? a.x + a.w : a.x;
      const y1 = a.y + a.h / 2;
      edges.push({
        from,
        to,
        path: `M ${x1} ${y1} Q ${x2} ${y1}, ${x2} ${y2}`,
        labelX: left ? x1 + 4 : x1 - 4,
        labelY: y1 - 6,
        anchor: left ? 'start' : 'end',
      });
      return;
    }
    // Straight below it: up from the input's top to the operation's bottom, the label on the right.
    const y1 = a.y;
    edges.push({ from, to, path: `M ${x2} ${y1} L ${x2} ${y2}`, labelX: x2 + 6, labelY: (y1 + y2) / 2 + 4, anchor: 'start' });
  };
  for (const [w, x] of pairs) {
    link(w, 'dot');
    link(x, 'dot');
  }
  link('dot', 'u');
  link('b', 'u');
  link('u', 'z');
  link('z', 'r');
  link('y', 'r');
  link('r', 'sq');
  link('sq', 'l');
  const width = Math.max(...nodes.map((n) => n.x + n.w)) + PAD;
  const height = Math.max(...nodes.map((n) => n.y + n.h)) + PAD;
  const z = at.get('z')!;
  return { width, height, collapsed, nodes, edges, stop: { x: z.x + z.w / 2 - 8, y: z.y + z.h + ROW_GAP / 2 + 4 } };
}

/** Whether two boxes overlap (touching edges do not). */
export function overlap(a: Pick<LayoutNode, 'x' | 'y' | 'w' | 'h'>, b: Pick<LayoutNode, 'x' | 'y' | 'w' | 'h'>): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * The node a key moves to from `id`: Up toward l, Down toward the inputs (the nearest node in the
 * next row), Left and Right within the row, Home to l, End to the last input. The same id when there
 * is none that way.
 */
export function neighbour(layout: GraphLayout, id: string, key: string): string {
  const from = layout.nodes.find((n) => n.id === id);
  if (!from) return 'l';
  const inRow = (row: number) => layout.nodes.filter((n) => n.row === row).sort((a, b) => a.x - b.x);
  const nearest = (row: number) => {
    const options = inRow(row);
    if (options.length === 0) return id;
    return options.reduce((best, n) => (Math.abs(n.x - from.x) < Math.abs(best.x - from.x) ? n : best)).id;
  };
  switch (key) {
    case 'ArrowUp':
      return nearest(from.row - 1);
    case 'ArrowDown':
      return nearest(from.row + 1);
    case 'ArrowLeft':
    case 'ArrowRight': {
      const row = inRow(from.row);
      const k = row.findIndex((n) => n.id === id) + (key === 'ArrowLeft' ? -1 : 1);
      return row[k]?.id ?? id;
    }
    case 'Home':
      return 'l';
    case 'End':
      return layout.nodes[layout.nodes.length - 1].id;
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
export const partial = (name: string): string => (name === 'l' ? '∂l/∂l' : `∂l/∂${/[ ·]/.test(name) ? `(${name})` : name}`);

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
