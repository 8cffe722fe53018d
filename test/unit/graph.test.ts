// The computation graph of one sample (src/engine/graph.ts), checked against the course document's
// formulas computed here: u = w·x + b, z = max(0, u), a = [u ≥ 0], l = (1/N) Σ (z − y)²,
// ∂l/∂z_i = (2/N)(z_i − y_i), ∂l/∂u_i = (2/N)(z_i − y_i) a_i, ∂l/∂w = (2/N) Σ a_i (z_i − y_i) x_i.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ComputationGraph, DEFAULT_SETTINGS, chainProduct, mergeSettings, subscript } from '../../src/engine';
import { runJob } from '../../src/training/job';
import { epochMessage } from '../../src/panel/viewModel';

const courseText = readFileSync(join(__dirname, '../../examples/course.csv'), 'utf8');
const run = runJob({ text: courseText, base: mergeSettings(DEFAULT_SETTINGS, {}), overrides: {} })!;

/** course.csv's samples and learning rate, read here (x,y after the comments; # @lr 0.05). */
const DATA = [
  { x: 1, y: 2 },
  { x: -3, y: 1 },
  { x: 2, y: 5 },
  { x: 3, y: 6 },
];
const N = DATA.length;
const LR = 0.05;

/** Everything at (w, b) by the formulas, ReLU'(0) = 1. */
function byHand(w: number, b: number) {
  const rows = DATA.map(({ x, y }) => {
    const u = w * x + b;
    const z = Math.max(0, u);
    const a = u >= 0 ? 1 : 0;
    return { x, y, u, z, a, r: z - y };
  });
  const loss = rows.reduce((s, q) => s + q.r ** 2, 0) / N;
  const gradW = (2 / N) * rows.reduce((s, q) => s + q.a * q.r * q.x, 0);
  const gradB = (2 / N) * rows.reduce((s, q) => s + q.a * q.r, 0);
  return { rows, loss, gradW, gradB };
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

const graphAt = (epoch: number, sample: number | null): ComputationGraph =>
  epochMessage({ result: run, runId: 1, epoch, selectedSample: sample, playing: false, withGraph: true }).graph!;

const node = (g: ComputationGraph, id: string) => {
  const found = g.nodes.find((v) => v.id === id);
  assert.ok(found, `node ${id}`);
  return found;
};

describe('the computation graph of one sample', () => {
  // Epoch 0 at w = 0, b = 0; epoch 1 one gradient step later, both computed here.
  const at0 = byHand(0, 0);
  const w1 = 0 - LR * at0.gradW;
  const b1 = 0 - LR * at0.gradB;
  const points = [
    { epoch: 0, w: 0, b: 0, hand: at0 },
    { epoch: 1, w: w1, b: b1, hand: byHand(w1, b1) },
  ];

  for (const { epoch, w, b, hand } of points) {
    for (let i = 0; i < N; i++) {
      it(`has the forward values and ∂l/∂(node) of course.csv's sample ${i + 1} at epoch ${epoch}`, () => {
        const g = graphAt(epoch, i);
        const q = hand.rows[i];
        assert.equal(g.sample, i);
        assert.equal(g.chosen, true);
        assert.equal(g.active, q.a);
        const dLdz = (2 / N) * q.r;
        const expected: Record<string, [number, number]> = {
          l: [hand.loss, 1],
          sq: [q.r ** 2, 1 / N],
          r: [q.r, dLdz],
          z: [q.z, dLdz],
          y: [q.y, -dLdz],
          u: [q.u, dLdz * q.a],
          dot: [w * q.x, dLdz * q.a],
          b: [b, dLdz * q.a],
          'w:0': [w, dLdz * q.a * q.x],
          'x:0': [q.x, dLdz * q.a * w],
        };
        assert.deepEqual(g.nodes.map((v) => v.id).sort(), Object.keys(expected).sort());
        for (const [id, [value, grad]] of Object.entries(expected)) {
          near(node(g, id).value, value, `${id} at epoch ${epoch}`);
          near(node(g, id).grad, grad, `∂l/∂${id} at epoch ${epoch}`);
        }
        near(node(g, 'w:0').total!, hand.gradW, 'total ∂l/∂w');
        near(node(g, 'b').total!, hand.gradB, 'total ∂l/∂b');
        // Upstream of max(0, ·) the gradient arrives only when the sample is active.
        for (const id of ['u', 'dot', 'b', 'w:0', 'x:0']) assert.equal(node(g, id).reached, q.a === 1, id);
        for (const e of g.edges)
          assert.equal(e.blocked, q.a === 0 && ['u', 'dot', 'b', 'w:0', 'x:0'].includes(e.from), `${e.from}→${e.to}`);
      });
    }
  }

  it('has, on each edge, the local derivative the issue lists', () => {
    const g = graphAt(1, 2);
    const q = points[1].hand.rows[2];
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)!.local;
    near(edge('w:0', 'dot').value, q.x, '∂(w·x)/∂w = x');
    near(edge('x:0', 'dot').value, w1, '∂(w·x)/∂x = w');
    near(edge('u', 'z').value, q.a, '∂z/∂u = a');
    near(edge('r', 'sq').value, 2 * q.r, '∂(z − y)²/∂(z − y) = 2(z − y)');
    near(edge('sq', 'l').value, 1 / N, '∂l/∂(term) = 1/N');
    near(edge('y', 'r').value, -1, '∂(z − y)/∂y = −1');
    assert.equal(edge('r', 'sq').symbol, '2(z₃ − y₃)');
    assert.equal(edge('u', 'z').symbol, 'a₃');
  });

  it('multiplies the local derivatives along each path to the gradient shown', () => {
    for (const { epoch } of points) {
      for (let i = 0; i < N; i++) {
        const g = graphAt(epoch, i);
        const edges = new Map(g.edges.map((e) => [e.from, e]));
        for (const v of g.nodes) {
          near(chainProduct(v.chain), v.grad, `chain to ${v.id}, sample ${i + 1}, epoch ${epoch}`);
          // The chain is the edges' local derivatives from l down to the node, in order.
          const path: number[] = [];
          for (let at = v.id; at !== 'l'; at = edges.get(at)!.to) path.unshift(edges.get(at)!.local.value);
          assert.deepEqual(
            v.chain.map((f) => f.value),
            path,
            `path to ${v.id}`,
          );
        }
      }
    }
  });

  it('stops the gradient at the max node for sample 2 (x = −3) after the first step, and says where it comes from at the kink', () => {
    const g1 = graphAt(1, 1);
    assert.equal(points[1].hand.rows[1].a, 0, 'the test data: sample 2 is inactive at epoch 1');
    assert.equal(g1.active, 0);
    assert.ok(node(g1, 'u').grad === 0, 'no gradient past the max');
    assert.notEqual(node(g1, 'z').grad, 0);
    const g0 = graphAt(0, 1);
    assert.equal(g0.atKink, true, 'u = 0 at w = 0, b = 0');
    assert.equal(g0.active, 1, "ReLU'(0) = 1");
  });

  it('shows the first sample, not chosen, when none is chosen, and only when asked for', () => {
    const g = graphAt(1, null);
    assert.equal(g.sample, 0);
    assert.equal(g.chosen, false);
    assert.equal(epochMessage({ result: run, runId: 1, epoch: 1, selectedSample: 0, playing: false }).graph, null);
  });

  it('names the derivation step of every node', () => {
    const g = graphAt(1, 0);
    const steps = Object.fromEntries(g.nodes.map((v) => [v.id, v.step]));
    assert.deepEqual(steps, {
      l: 'loss',
      sq: 'loss',
      r: 'loss',
      y: 'loss',
      z: 'max',
      u: 'sum',
      dot: 'dot',
      'x:0': 'dot',
      b: 'chain',
      'w:0': 'chain',
    });
  });

  it('has one weight and one feature node per feature, with subscripts', () => {
    const r = runJob({ text: 'a,b,c,y\n1,2,3,4\n0,1,-1,2\n', base: mergeSettings(DEFAULT_SETTINGS, { epochs: 3 }), overrides: {} })!;
    const g = epochMessage({ result: r, runId: 1, epoch: 2, selectedSample: 1, playing: false, withGraph: true }).graph!;
    assert.equal(g.d, 3);
    assert.deepEqual(
      g.nodes.filter((v) => v.kind === 'weight').map((v) => v.name),
      ['w₁', 'w₂', 'w₃'],
    );
    assert.deepEqual(
      g.nodes.filter((v) => v.kind === 'feature').map((v) => v.name),
      ['x₂,₁', 'x₂,₂', 'x₂,₃'],
    );
    assert.equal(subscript(120), '₁₂₀');
  });
});
