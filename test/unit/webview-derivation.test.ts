import { strict as assert } from 'node:assert';
import { DEFAULT_SETTINGS, STEP_TITLES, derivationAt, mergeSettings, parseDataset, pointOf, trainNeuron } from '../../src/engine';
import {
  blockFormulas,
  INACTIVE_LISTED,
  planDerivation,
  planStep,
  sameShape,
  type Block,
  type PlanContext,
} from '../../webview/derivationPlan';

/** The derivation at an epoch of a small run where samples 1 and 2 (0-based) are inactive. */
function derivation(reluGradAtZero: 0 | 1, selected: number | null) {
  const ds = parseDataset('x,y\n1,2\n-3,1\n-2,0\n2,5\n');
  const settings = mergeSettings(DEFAULT_SETTINGS, { epochs: 20, reluGradAtZero });
  const tr = trainNeuron(ds, settings).trajectory;
  const e = 20;
  const point = pointOf(tr, e, settings);
  return { steps: derivationAt(ds, point, selected), active: tr.active[e], n: ds.n };
}

const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  selectedSample: null,
  reluGradAtZero: 1,
  samples: 4,
  active: 2,
  inactiveKnown: [1, 2],
  ...over,
});
const kinds = (blocks: Block[]) => blocks.map((b) => (b.kind === 'math' || b.kind === 'lines' ? `${b.kind}:${b.role}` : b.kind));

describe('what the Derivation tab renders for a step', () => {
  it("shows the document's steps in order, each titled as the engine names it", () => {
    const { steps } = derivation(1, null);
    const plans = planDerivation(steps, ctx());
    assert.deepEqual(
      plans.map((p) => p.id),
      ['sum', 'dot', 'max', 'loss', 'chain', 'update'],
    );
    for (const p of plans) assert.equal(p.title, STEP_TITLES[p.id]);
  });

  it("gives every step its rule, the rule applied, the whole dataset's numbers and the result", () => {
    const { steps } = derivation(1, null);
    for (const plan of planDerivation(steps, ctx())) {
      const k = kinds(plan.blocks);
      assert.equal(k[0], 'math:rule');
      assert.equal(k[1], 'math:applied');
      assert.ok(k.includes('lines:dataset'), plan.id);
      assert.equal(k[k.length - 1], 'value');
      assert.ok(!k.includes('lines:sample'), 'no sample lines without a chosen sample');
    }
  });

  it("adds the chosen sample's lines, labelled with its 1-based number", () => {
    const { steps } = derivation(1, 2);
    const plan = planStep(steps[0], ctx({ selectedSample: 2 }));
    const sample = plan.blocks.find((b) => b.kind === 'lines' && b.role === 'sample');
    assert.ok(sample && sample.kind === 'lines');
    assert.deepEqual(sample.label, { text: 'Sample {0}', args: [3] });
    assert.deepEqual(sample.latex, steps[0].sample);
  });

  it('shows both branches of max(0, ·) and marks the one the chosen sample takes', () => {
    const { steps } = derivation(1, 1);
    const max = planStep(
      steps.find((s) => s.id === 'max')!,
      ctx({ selectedSample: 1 }),
    );
    const cases = max.blocks.find((b) => b.kind === 'cases');
    assert.ok(cases && cases.kind === 'cases');
    assert.equal(cases.cases.length, 2);
    assert.deepEqual(
      cases.cases.map((c) => c.taken),
      [true, false],
      'sample 2 (x = −3) is inactive',
    );
  });

  it("names the ReLU'(0) in force at the max step as a convention, with the other choice beside it", () => {
    for (const r of [0, 1] as const) {
      const { steps } = derivation(r, null);
      const max = planStep(
        steps.find((s) => s.id === 'max')!,
        ctx({ reluGradAtZero: r }),
      );
      const note = max.blocks.find((b) => b.kind === 'note' && b.tone === 'convention' && /ReLU/.test(b.sentence.text));
      assert.ok(note && note.kind === 'note');
      assert.match(note.sentence.text, /^Convention: ReLU has no derivative at u = 0/);
      assert.match(note.sentence.text, new RegExp(`here ReLU'\\(0\\) = ${r}`));
      assert.match(note.sentence.text, r === 1 ? /PyTorch chooses 0/ : /max rule gives 1/);
    }
  });

  it('lists the inactive samples by number and puts the indicator inside the sum', () => {
    const { steps, active, n } = derivation(1, null);
    const chain = planStep(
      steps.find((s) => s.id === 'chain')!,
      ctx({ active, samples: n }),
    );
    const inactive = chain.blocks.find((b) => b.kind === 'inactive');
    assert.ok(inactive && inactive.kind === 'inactive');
    assert.deepEqual(inactive.samples, [1, 2]);
    assert.deepEqual(inactive.label.args, [n - active, n]);
    assert.ok(chain.blocks.some((b) => b.kind === 'note' && /inside the sum/.test(b.sentence.text)));
  });

  it('says "and N more" past the first few inactive samples, and says so when all are active', () => {
    const { steps } = derivation(1, null);
    const chain = steps.find((s) => s.id === 'chain')!;
    const many = planStep(chain, ctx({ samples: 100, active: 0, inactiveKnown: Array.from({ length: 100 }, (_, i) => i) }));
    const block = many.blocks.find((b) => b.kind === 'inactive');
    assert.ok(block && block.kind === 'inactive');
    assert.equal(block.samples.length, INACTIVE_LISTED);
    assert.equal(block.more, 100 - INACTIVE_LISTED);
    const all = planStep(chain, ctx({ samples: 4, active: 4, inactiveKnown: [] }));
    assert.ok(all.blocks.some((b) => b.kind === 'note' && /Every sample is active/.test(b.sentence.text)));
  });
});

describe('redrawing a step for a new run', () => {
  /** The same step at two epochs of one run (other numbers, same layout). */
  function twoEpochs(selected: number | null) {
    const ds = parseDataset('x,y\n1,2\n-3,1\n-2,0\n2,5\n');
    const settings = mergeSettings(DEFAULT_SETTINGS, { epochs: 20 });
    const tr = trainNeuron(ds, settings).trajectory;
    const at = (e: number) => {
      const point = pointOf(tr, e, settings);
      return planDerivation(derivationAt(ds, point, selected), ctx({ selectedSample: selected, active: tr.active[e] }));
    };
    return [at(10), at(20)];
  }

  it('patches formulas in place when only numbers changed, and names them in drawing order', () => {
    const [a, b] = twoEpochs(null);
    const loss = (plans: typeof a) => plans.find((p) => p.id === 'loss')!.blocks;
    const [before, after] = [loss(a), loss(b)];
    before.forEach((block, k) => {
      if (block.kind === 'math' || block.kind === 'value' || block.kind === 'lines')
        assert.ok(sameShape(block, after[k]), `${block.kind} block ${k}`);
    });
    const dataset = after.find((x) => x.kind === 'lines');
    assert.ok(dataset && dataset.kind === 'lines');
    assert.deepEqual(blockFormulas(dataset), dataset.latex);
    const value = after.find((x) => x.kind === 'value');
    assert.ok(value && value.kind === 'value');
    assert.deepEqual(blockFormulas(value), [value.latex]);
  });

  it('rebuilds a block whose labels, kind or number of formulas changed', () => {
    const lines = (label: string, latex: string[]): Block => ({ kind: 'lines', role: 'sample', label: { text: label, args: [] }, latex });
    assert.equal(sameShape(lines('Sample {0}', ['a', 'b']), lines('Sample {0}', ['c', 'd'])), true);
    assert.equal(sameShape(lines('Sample {0}', ['a', 'b']), lines('Sample {0}', ['a'])), false);
    assert.equal(sameShape(lines('Sample {0}', ['a']), lines('Whole dataset', ['a'])), false);
    assert.equal(
      sameShape({ kind: 'math', role: 'rule', label: 'Rule', latex: 'x' }, { kind: 'math', role: 'applied', label: 'Rule', latex: 'x' }),
      false,
    );
    assert.equal(
      sameShape({ kind: 'value', label: 'Result', latex: 'x' }, { kind: 'math', role: 'rule', label: 'Result', latex: 'x' }),
      false,
    );
    // Cases, notes and chips carry more than formulas: always rebuilt.
    const note: Block = { kind: 'note', tone: 'info', sentence: { text: 'x', args: [] } };
    assert.equal(sameShape(note, note), false);
    assert.deepEqual(blockFormulas(note), []);
  });

  it('keeps the shape of every step when a sample is chosen at another epoch', () => {
    const [a, b] = twoEpochs(1);
    a.forEach((plan, i) => {
      const next = b[i];
      assert.equal(plan.blocks.length, next.blocks.length);
      plan.blocks.forEach((block, k) => {
        if (block.kind === 'lines') assert.ok(sameShape(block, next.blocks[k]), `${plan.id}: lines ${k}`);
      });
    });
  });
});
