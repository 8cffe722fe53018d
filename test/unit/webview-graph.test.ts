// The Graph tab's layout and words (webview/graphLayout.ts), and the reducer's chosen step: boxes
// that never overlap for d = 1 … 8 and collapse above 8, arrow keys that reach every node, the chain
// rule written with the numbers that multiply to the gradient shown.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, mergeSettings } from '../../src/engine';
import { runJob } from '../../src/training/job';
import { epochMessage } from '../../src/panel/viewModel';
import {
  MAX_EXPANDED,
  backwardOrder,
  chainText,
  layoutGraph,
  neighbour,
  nodeLabel,
  nodeLines,
  overlap,
  stopSentence,
} from '../../webview/graphLayout';
import { initialPanelState, sanitizeViewState, step } from '../../webview/state';

const graphOf = (text: string, epoch: number, sample: number | null) => {
  const r = runJob({ text, base: mergeSettings(DEFAULT_SETTINGS, { epochs: 5 }), overrides: {} })!;
  return epochMessage({ result: r, runId: 1, epoch, selectedSample: sample, playing: false, withGraph: true }).graph!;
};
const course = readFileSync(join(__dirname, '../../examples/course.csv'), 'utf8');
/** A file with d features and 3 rows. */
const wide = (d: number) =>
  `${Array.from({ length: d }, (_, j) => `f${j}`).join(',')},y\n` +
  [0, 1, 2].map((i) => `${Array.from({ length: d }, (_, j) => ((i + 1) * (j + 2)) % 5).join(',')},${i + 1}`).join('\n');

describe('the Graph tab: layout', () => {
  for (let d = 1; d <= 12; d++) {
    it(`draws d = ${d} with no two boxes overlapping, ${d > MAX_EXPANDED ? 'the features collapsed into vectors' : 'one box per feature and weight'}`, () => {
      for (const expanded of [false, true]) {
        const layout = layoutGraph(d, expanded);
        const collapsed = d > MAX_EXPANDED && !expanded;
        assert.equal(layout.collapsed, collapsed);
        const inputs = layout.nodes.filter((n) => n.id.startsWith('w:') || n.id.startsWith('x:')).map((n) => n.id);
        assert.deepEqual(
          inputs.sort(),
          (collapsed ? ['w:*', 'x:*'] : Array.from({ length: d }, (_, j) => [`w:${j}`, `x:${j}`]).flat()).sort(),
        );
        assert.equal(layout.nodes.length, inputs.length + 8);
        for (let a = 0; a < layout.nodes.length; a++)
          for (let b = a + 1; b < layout.nodes.length; b++)
            assert.ok(!overlap(layout.nodes[a], layout.nodes[b]), `${layout.nodes[a].id} and ${layout.nodes[b].id} overlap (d = ${d})`);
        for (const n of layout.nodes) assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.w <= layout.width && n.y + n.h <= layout.height, n.id);
        // Every edge runs up toward l, or across from beside: from an input to the operation that uses it.
        const rowOf = new Map(layout.nodes.map((n) => [n.id, n.row]));
        for (const e of layout.edges) assert.ok(rowOf.get(e.from)! >= rowOf.get(e.to)!, `${e.from}→${e.to}`);
        // The feature rows: w_j on the left, x_ij on the right, one row each.
        if (!collapsed) for (let j = 0; j < d; j++) assert.equal(rowOf.get(`w:${j}`), rowOf.get(`x:${j}`));
        assert.equal(layout.edges.length, inputs.length + 7);
      }
    });
  }

  it('reaches every node by arrow keys from l, and moves along the data flow', () => {
    const layout = layoutGraph(3);
    const seen = new Set(['l']);
    const queue = ['l'];
    while (queue.length > 0) {
      const id = queue.shift()!;
      for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']) {
        const next = neighbour(layout, id, key);
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    assert.deepEqual([...seen].sort(), layout.nodes.map((n) => n.id).sort());
    assert.equal(neighbour(layout, 'l', 'ArrowDown'), 'sq');
    assert.equal(neighbour(layout, 'z', 'ArrowDown'), 'u');
    assert.equal(neighbour(layout, 'r', 'ArrowRight'), 'y');
    assert.equal(neighbour(layout, 'u', 'ArrowRight'), 'b');
    assert.equal(neighbour(layout, 'w:0', 'ArrowDown'), 'w:1');
    assert.equal(neighbour(layout, 'w:1', 'ArrowRight'), 'x:1');
    assert.equal(neighbour(layout, 'l', 'ArrowUp'), 'l');
    assert.equal(neighbour(layout, 'w:0', 'Home'), 'l');
    assert.equal(neighbour(layout, 'l', 'End'), 'x:2');
  });
});

describe('the Graph tab: what it says', () => {
  it('writes the chain rule to u with the numbers that multiply to the gradient shown', () => {
    // course.csv at epoch 1, sample 3 (x = 2, y = 5): computed here from the formulas.
    const N = 4;
    const data = [
      [1, 2],
      [-3, 1],
      [2, 5],
      [3, 6],
    ];
    const gW = (2 / N) * data.reduce((s, [x, y]) => s + (0 - y) * x, 0);
    const gB = (2 / N) * data.reduce((s, [, y]) => s + (0 - y), 0);
    const w = -0.05 * gW;
    const b = -0.05 * gB;
    const u = w * 2 + b;
    const r = Math.max(0, u) - 5;
    const g = graphOf(course, 1, 2);
    const node = g.nodes.find((n) => n.id === 'u')!;
    const four = (v: number) => String(Number(v.toPrecision(4)));
    const factor = (v: number) => (v < 0 ? `(${four(v)})` : four(v));
    assert.equal(chainText(node), `∂l/∂u₃ = 1/N · 2(z₃ − y₃) · 1 · a₃ = 0.25 · ${factor(2 * r)} · 1 · 1 = ${four((2 / N) * r)}`);
    assert.deepEqual(nodeLines(g, 'u'), ['u₃ = w·x₃ + b', `= ${four(u)}`, `∂l/∂u₃ = ${four((2 / N) * r)}`]);
    // ∂l/∂w at epoch 1 over every sample, a_i = [u_i ≥ 0].
    const gW1 = (2 / N) * data.reduce((s, [x, y]) => s + (w * x + b >= 0 ? 1 : 0) * (Math.max(0, w * x + b) - y) * x, 0);
    assert.deepEqual(nodeLines(g, 'w:0'), ['w', `= ${four(w)}`, `∂l/∂w = ${four(gW1)}`, `this sample: ${four((2 / N) * r * 2)}`]);
    assert.equal(chainText(g.nodes.find((n) => n.id === 'l')!), '∂l/∂l = 1');
    assert.match(nodeLabel(g, 'u', 'Derivative of a sum'), /^u₃ = w·x₃ \+ b; = .*; ∂l\/∂u₃ = .*\. Step: Derivative of a sum$/);
  });

  it('says where an inactive sample stops the gradient, and the backward pass visits each drawn node once', () => {
    const inactive = graphOf(course, 1, 1);
    assert.equal(stopSentence(inactive), 'a = 0: the gradient stops here');
    assert.match(nodeLabel(inactive, 'u', 'x'), /The gradient does not reach it \(a = 0\)\./);
    assert.equal(stopSentence(graphOf(course, 1, 2)), null);
    assert.deepEqual(backwardOrder(inactive, false), ['l', 'sq', 'r', 'z', 'y', 'u', 'b', 'dot', 'w:0', 'x:0']);
    const g10 = graphOf(wide(10), 2, 0);
    assert.deepEqual(backwardOrder(g10, true), ['l', 'sq', 'r', 'z', 'y', 'u', 'b', 'dot', 'w:*', 'x:*']);
    assert.equal(backwardOrder(g10, false).length, 8 + 20);
    assert.equal(nodeLines(g10, 'w:*')[0], 'w⃗ ∈ ℝ¹⁰');
    assert.match(nodeLines(g10, 'x:*')[1], /^= \(.*, …\)$/);
  });
});

describe('the Graph tab: the chosen step in the reducer', () => {
  it('highlights a step chosen on a node, and opens the other tab when asked', () => {
    const s0 = initialPanelState(sanitizeViewState({ tab: 'graph' }));
    const a = step(s0, { type: 'focusStep', step: 'max', node: 'z', open: null });
    assert.deepEqual(a.state.focus, { step: 'max', node: 'z' });
    assert.deepEqual(a.effects, [{ kind: 'showFocus', focus: { step: 'max', node: 'z' } }]);
    const b = step(a.state, { type: 'focusStep', step: 'max', node: 'z', open: 'derivation' });
    assert.equal(b.state.place.tab, 'derivation');
    const kinds = b.effects.map((e) => e.kind);
    assert.ok(kinds.indexOf('selectTab') < kinds.indexOf('showFocus'), kinds.join());
    assert.ok(b.effects.some((e) => e.kind === 'post' && e.msg.type === 'showTab' && e.msg.tab === 'derivation'));
    const c = step(b.state, { type: 'focusStep', step: 'loss', node: null, open: 'graph' });
    assert.equal(c.state.place.tab, 'graph');
    assert.deepEqual(c.state.focus, { step: 'loss', node: null });
    // Rebuilt with the translations, the view shows the chosen step again.
    const d = step(c.state, { type: 'host', msg: { type: 'strings', locale: 'ru', strings: {} } });
    assert.ok(d.effects.some((e) => e.kind === 'showFocus' && e.focus?.step === 'loss'));
  });
});
