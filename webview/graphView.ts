/**
 * The Graph tab: the chosen sample's computation graph (src/engine/graph.ts), drawn as SVG from the
 * layout in graphLayout.ts. Every node shows its value and ∂l/∂(node), every edge its local derivative;
 * choosing a node (click, or arrow keys and Enter) highlights its derivation step, and "Step through
 * the backward pass" walks the gradient from l back to w and b one node at a time, writing the chain
 * rule so far. The SVG is rebuilt only when the layout changes; otherwise texts and classes update.
 */
import type { ComputationGraph, GraphEdge } from '../src/engine/graph';
import { STEP_TITLES, type DerivationStepId } from '../src/engine/derivationText';
import type { EpochMessage } from '../src/shared/protocol';
import { h, replaceChildren, setText } from './dom';
import { t } from './i18n';
import {
  backwardOrder,
  chainText,
  drawnId,
  layoutGraph,
  MAX_EXPANDED,
  membersOf,
  neighbour,
  nodeLabel,
  nodeLines,
  num,
  stopSentence,
  type GraphLayout,
} from './graphLayout';
import { makeButton, type ButtonHandle } from './toolkit';

export interface GraphActions {
  /** The student chose a sample (prev, next). */
  selectSample(index: number | null): void;
  /** The student chose a node (its step), or asked to read the step in the Derivation tab. */
  focus(step: DerivationStepId, node: string | null, open: 'derivation' | null): void;
}

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

interface NodeView {
  g: SVGGElement;
  lines: SVGTSpanElement[];
}

interface EdgeView {
  g: SVGGElement;
  label: SVGTextElement;
  from: string;
  to: string;
}

/** The step title as the Derivation tab writes it. */
const stepTitle = (id: DerivationStepId) => t(STEP_TITLES[id]);

export class GraphView {
  readonly el = h('div', { className: 'graph' });
  private readonly caption = h('p', { className: 'graph-caption' });
  private readonly canvas = h('div', { className: 'graph-canvas' });
  private readonly live = h('p', { className: 'graph-chain', attrs: { 'aria-live': 'polite', role: 'status' } });
  private readonly details = h('div', { className: 'graph-details' });
  private readonly detailsText = h('p', { className: 'graph-step' });
  private readonly expand: ButtonHandle;
  private readonly stepButton: ButtonHandle;
  private readonly backButton: ButtonHandle;
  private readonly resetButton: ButtonHandle;
  private readonly readButton: ButtonHandle;
  private graph: ComputationGraph | null = null;
  private layout: GraphLayout | null = null;
  private layoutKey = '';
  private expanded = false;
  private samples = 0;
  private root: SVGSVGElement | null = null;
  private nodes = new Map<string, NodeView>();
  private edges: EdgeView[] = [];
  private stopText: SVGTextElement | null = null;
  /** The node that has the keyboard's tab stop. */
  private cursor = 'l';
  private focusStep: DerivationStepId | null = null;
  private focusNode: string | null = null;
  /** How far the backward pass has gone: −1 before it starts, else an index into `backwardOrder`. */
  private passAt = -1;

  constructor(private readonly actions: GraphActions) {
    const prev = makeButton({ label: t('Previous'), icon: 'prev', onClick: () => this.move(-1) });
    const next = makeButton({ label: t('Next'), icon: 'next', onClick: () => this.move(1) });
    this.expand = makeButton({ label: t('Show every feature'), onClick: () => this.toggleExpanded() });
    this.stepButton = makeButton({ label: t('Step through the backward pass'), appearance: 'primary', onClick: () => this.pass(1) });
    this.backButton = makeButton({ label: t('Step back'), onClick: () => this.pass(-1) });
    this.resetButton = makeButton({ label: t('Start over'), onClick: () => this.pass(0) });
    this.readButton = makeButton({
      label: t('Read it in the Derivation tab'),
      onClick: () => this.focusStep && this.actions.focus(this.focusStep, this.focusNode, 'derivation'),
    });
    this.expand.el.hidden = true;
    this.details.hidden = true;
    this.details.append(this.detailsText, this.readButton.el);
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.el.append(
      h(
        'div',
        { className: 'toolbar', attrs: { role: 'group', 'aria-label': t('Sample') } },
        prev.el,
        next.el,
        this.caption,
        this.expand.el,
      ),
      h(
        'div',
        { className: 'toolbar', attrs: { role: 'group', 'aria-label': t('Backward pass') } },
        this.stepButton.el,
        this.backButton.el,
        this.resetButton.el,
      ),
      this.live,
      this.canvas,
      this.details,
      h('p', {
        className: 'hint',
        text: t(
          "Each box: the value, then ∂l/∂ of it along this sample's path; each arrow: the local derivative. Choose a box (click, or arrow keys and Enter) to see its step of the derivation.",
        ),
      }),
    );
    this.updatePassButtons();
  }

  private move(delta: number): void {
    if (this.samples === 0 || !this.graph) return;
    const from = this.graph.chosen ? this.graph.sample : delta > 0 ? -1 : this.samples;
    this.actions.selectSample(Math.max(0, Math.min(this.samples - 1, from + delta)));
  }

  private toggleExpanded(): void {
    this.expanded = !this.expanded;
    if (this.graph) this.draw(this.graph);
  }

  /** The graph at the epoch (or point) on display; a message without one leaves the last drawn. */
  show(msg: EpochMessage, samples: number): void {
    this.samples = samples;
    if (!msg.graph) return;
    this.draw(msg.graph);
  }

  private draw(graph: ComputationGraph): void {
    const sameSample = this.graph?.sample === graph.sample;
    this.graph = graph;
    const layout = layoutGraph(graph.d, this.expanded);
    const key = `${graph.d}:${layout.collapsed}`;
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      this.layout = layout;
      this.build(layout);
      this.passAt = -1;
    }
    if (!sameSample) this.passAt = -1;
    const k = graph.sample + 1;
    setText(
      this.caption,
      graph.chosen
        ? t('Sample {0} of {1}.', k, graph.n)
        : t('Sample {0} of {1} (none chosen: choose one here, in the Gradients table or on the Fit plot).', k, graph.n),
    );
    this.expand.el.hidden = graph.d <= MAX_EXPANDED;
    this.expand.setLabel(this.expanded ? t('Collapse the features') : t('Show every feature'));
    this.root?.setAttribute('aria-label', t('Computation graph of sample {0}', k));
    this.update();
  }

  /** Builds the SVG for a layout: edges under nodes, one tab stop among the nodes. */
  private build(layout: GraphLayout): void {
    this.nodes.clear();
    this.edges = [];
    const root = svg('svg', { viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'group' });
    // As wide as the tab allows, never wider than drawn, nor narrower than the text can bear.
    root.style.maxWidth = `${layout.width}px`;
    root.style.minWidth = `${Math.round(layout.width * 0.7)}px`;
    const defs = svg('defs');
    const marker = svg('marker', {
      id: 'graph-arrow',
      viewBox: '0 0 10 10',
      refX: 10,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto',
    });
    marker.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'graph-arrowhead' }));
    defs.appendChild(marker);
    root.appendChild(defs);
    const edgeLayer = svg('g', { 'aria-hidden': 'true' });
    for (const e of layout.edges) {
      const g = svg('g', { class: 'gedge' });
      g.appendChild(svg('path', { d: e.path, 'marker-end': 'url(#graph-arrow)' }));
      const label = svg('text', { x: e.labelX, y: e.labelY, class: 'gedge-label', 'text-anchor': e.anchor });
      g.appendChild(label);
      edgeLayer.appendChild(g);
      this.edges.push({ g, label, from: e.from, to: e.to });
    }
    root.appendChild(edgeLayer);
    for (const n of layout.nodes) {
      const g = svg('g', { class: 'gnode', role: 'button', tabindex: '-1', 'data-node': n.id, transform: `translate(${n.x} ${n.y})` });
      g.appendChild(svg('rect', { width: n.w, height: n.h, rx: 6 }));
      const text = svg('text', { x: 8, y: 4, 'aria-hidden': 'true' });
      const lines: SVGTSpanElement[] = [];
      for (let i = 0; i < 4; i++) {
        const span = svg('tspan', { x: 8, dy: i === 0 ? 16 : 17, class: i === 0 ? 'gnode-title' : 'gnode-line' });
        text.appendChild(span);
        lines.push(span);
      }
      g.appendChild(text);
      g.addEventListener('click', () => this.choose(n.id));
      g.addEventListener('focus', () => (this.cursor = n.id));
      root.appendChild(g);
      this.nodes.set(n.id, { g, lines });
    }
    this.stopText = svg('text', { x: layout.stop.x, y: layout.stop.y, class: 'graph-stop', 'text-anchor': 'end' });
    root.appendChild(this.stopText);
    this.root = root;
    if (!this.nodes.has(this.cursor)) this.cursor = 'l';
    replaceChildren(this.canvas, root);
  }

  /** Texts, labels and classes from the graph, the chosen step and the backward pass. */
  private update(): void {
    const graph = this.graph;
    const layout = this.layout;
    if (!graph || !layout) return;
    const collapsed = layout.collapsed;
    const order = backwardOrder(graph, collapsed);
    const passed = new Set(order.slice(0, this.passAt + 1));
    const current = this.passAt >= 0 ? order[this.passAt] : null;
    const edgeOf = new Map<string, GraphEdge>();
    for (const e of graph.edges) edgeOf.set(drawnId(e.from, collapsed), e);
    for (const [id, view] of this.nodes) {
      const members = membersOf(graph, id);
      if (members.length === 0) continue;
      const lines = nodeLines(graph, id);
      view.lines.forEach((span, i) => setText(span, lines[i] ?? ''));
      const step = members[0].step;
      const out = edgeOf.get(id);
      const local = out ? ` ${t('Local derivative into {0}: {1}', this.nameOf(out.to), this.localText(out, members.length > 1))}.` : '';
      view.g.setAttribute('aria-label', nodeLabel(graph, id, stepTitle(step)) + local);
      view.g.setAttribute('tabindex', id === this.cursor ? '0' : '-1');
      view.g.classList.toggle('blocked', !members[0].reached);
      view.g.classList.toggle('in-step', step === this.focusStep);
      view.g.classList.toggle('chosen', id === this.focusNode);
      view.g.classList.toggle('passed', passed.has(id));
      view.g.classList.toggle('current', id === current);
      if (id === this.focusNode) view.g.setAttribute('aria-pressed', 'true');
      else view.g.removeAttribute('aria-pressed');
    }
    for (const e of this.edges) {
      const data = graph.edges.find((g) => drawnId(g.from, collapsed) === e.from && g.to === e.to);
      if (!data) continue;
      setText(e.label, this.localText(data, e.from.endsWith('*')));
      e.g.classList.toggle('blocked', data.blocked);
      e.g.classList.toggle('in-step', data.step === this.focusStep);
      e.g.classList.toggle('passed', passed.has(e.from));
      e.g.classList.toggle('flowing', e.from === current);
    }
    if (this.stopText) setText(this.stopText, stopSentence(graph) ?? '');
    if (current) {
      const chains = membersOf(graph, current).slice(0, 3).map(chainText);
      if (membersOf(graph, current).length > 3) chains.push('…');
      setText(this.live, `${t('Backward pass, {0} of {1}:', this.passAt + 1, order.length)} ${chains.join('; ')}`);
    } else setText(this.live, t('The backward pass starts at l, where ∂l/∂l = 1.'));
    this.updatePassButtons(order.length);
    if (this.focusStep) {
      this.details.hidden = false;
      const node = this.focusNode ? membersOf(graph, this.focusNode)[0] : null;
      setText(
        this.detailsText,
        node
          ? `${chainText(node)}. ${t('Step of the derivation: {0}', stepTitle(this.focusStep))}`
          : t('Step of the derivation: {0}', stepTitle(this.focusStep)),
      );
    } else this.details.hidden = true;
  }

  private nameOf(id: string): string {
    return this.graph?.nodes.find((n) => n.id === id)?.name ?? id;
  }

  /** An edge's label: its symbol and value (`a₂ = 1`), or the number alone (`1`, `−1`); a vector's: j-th. */
  private localText(e: GraphEdge, vector: boolean): string {
    if (vector) return e.from.startsWith('w') ? `x⃗` : `w⃗`;
    const plain = /^−?\d+$/.test(e.local.symbol);
    return plain ? e.local.symbol : `${e.local.symbol} = ${num(e.local.value)}`;
  }

  private updatePassButtons(length = 0): void {
    this.stepButton.setLabel(this.passAt < 0 ? t('Step through the backward pass') : t('Next node'));
    this.stepButton.setDisabled(length > 0 && this.passAt >= length - 1);
    this.backButton.setDisabled(this.passAt < 0);
    this.resetButton.setDisabled(this.passAt < 0);
  }

  /** One node further back (1), one node toward l again (−1), or back to the start (0). */
  private pass(delta: number): void {
    if (!this.graph || !this.layout) return;
    const length = backwardOrder(this.graph, this.layout.collapsed).length;
    this.passAt = delta === 0 ? -1 : Math.max(-1, Math.min(length - 1, this.passAt + delta));
    this.update();
  }

  private choose(id: string): void {
    const graph = this.graph;
    if (!graph) return;
    const node = membersOf(graph, id)[0];
    if (!node) return;
    this.cursor = id;
    this.actions.focus(node.step, id, null);
  }

  private onKey(e: KeyboardEvent): void {
    const layout = this.layout;
    const target = (e.target as Element | null)?.closest?.('.gnode');
    if (!layout || !target) return;
    const id = target.getAttribute('data-node') ?? this.cursor;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.choose(id);
      return;
    }
    const next = neighbour(layout, id, e.key);
    if (next === id && !['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    this.cursor = next;
    this.update();
    this.nodes.get(next)?.g.focus();
  }

  /** The tab was shown or hidden (the host sends the graph only while it is shown). */
  setVisible(visible: boolean): void {
    this.el.classList.toggle('graph-hidden', !visible);
  }

  /** The step chosen here or in the Derivation tab (and the node, when chosen here). */
  setFocus(step: DerivationStepId | null, node: string | null): void {
    this.focusStep = step;
    this.focusNode = node;
    this.update();
  }
}
