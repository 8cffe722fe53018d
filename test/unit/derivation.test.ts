// The derivation a student checks by hand: every term of every sum, each term's value, the sum of
// the terms equal to the total shown, ∂l/∂z_i with its numbers — computed here from the formulas of
// the course document (u = w·x + b, z = max(0, u), l = (1/N) Σ (z − y)²), not from the engine.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_TERMS_UP_TO,
  DEFAULT_SETTINGS,
  type Dataset,
  type DerivationStep,
  derivationAt,
  latexToText,
  mergeSettings,
  parseDataset,
  pointOf,
  trainNeuron,
} from '../../src/engine';

const course = parseDataset(readFileSync(join(__dirname, '../../examples/course.csv'), 'utf8'));
const courseSettings = mergeSettings(DEFAULT_SETTINGS, course.settings);
const courseRun = trainNeuron(course, courseSettings);

/** A number as the derivation writes it in LaTeX (`-1.5`, `(−2)`, `3 \cdot 10^{-5}`). */
const NUMBER = String.raw`\(?-?\d+(?:\.\d+)?(?: \\cdot 10\^\{-?\d+\})?\)?`;
function parseNumber(tex: string): number {
  const m = /^\(?(-?\d+(?:\.\d+)?)(?: \\cdot 10\^\{(-?\d+)\})?\)?$/.exec(tex.trim());
  assert.ok(m, `not a number: ${tex}`);
  return Number(m[1]) * 10 ** Number(m[2] ?? 0);
}

/** Agreement to the 4 significant digits the derivation writes. */
function near(actual: number, expected: number, what: string): void {
  const tolerance = 6e-4 * Math.max(Math.abs(expected), 1e-9);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≠ ${expected}`);
}

/** u_i, z_i, a_i and z_i − y_i at (w, b), by the document's formulas (ReLU'(0) = 1: a_i = [u_i ≥ 0]). */
function byHand(data: Dataset, w: ArrayLike<number>, b: number) {
  return Array.from({ length: data.n }, (_, i) => {
    let u = b;
    for (let j = 0; j < data.d; j++) u += w[j] * data.x[i * data.d + j];
    const z = Math.max(0, u);
    return { u, z, a: u >= 0 ? 1 : 0, r: z - data.y[i], x: Array.from(data.x.subarray(i * data.d, i * data.d + data.d)), y: data.y[i] };
  });
}

const step = (steps: DerivationStep[], id: DerivationStep['id']) => steps.find((s) => s.id === id)!;

/** The parts of `l = \frac{1}{N} \big(t_1 + … \big) = total`, and of the same for ∂l/∂θ with \frac{2}{N}. */
function sumParts(line: string): { scale: string; terms: string[]; total: number } {
  const m = /^(.*?) = \\frac\{(\d)\}\{(\d+)\} \\big\((.*)\\big\) = (\S+(?: \\cdot 10\^\{-?\d+\})?)$/.exec(line);
  assert.ok(m, `not a sum: ${line}`);
  return { scale: `${m[2]}/${m[3]}`, terms: splitTerms(m[4]), total: parseNumber(m[5]) };
}

/** Splits `a + b + \underbrace{…}_{…}` at the top-level ` + `. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '{' || s[k] === '(') depth++;
    else if (s[k] === '}' || s[k] === ')') depth--;
    else if (depth === 0 && s.startsWith(' + ', k)) {
      out.push(s.slice(from, k));
      from = k + 3;
    }
  }
  out.push(s.slice(from));
  return out;
}

describe('the derivation of course.csv, term by term', () => {
  for (const epoch of [0, 1, 100]) {
    describe(`at epoch ${epoch}`, () => {
      const point = pointOf(courseRun.trajectory, epoch, courseSettings);
      const hand = byHand(course, point.w, point.b);
      const steps = derivationAt(course, point, null);
      const n = course.n;

      it('writes all four terms of the loss, each with its numbers, adding up to the l shown', () => {
        const { scale, terms, total } = sumParts(step(steps, 'loss').dataset[0].replace(/^l = \\frac\{1\}/, 'l = \\frac{1}'));
        assert.equal(scale, `1/${n}`);
        assert.equal(terms.length, n, 'one term per sample, none hidden');
        let sum = 0;
        terms.forEach((term, i) => {
          const m = new RegExp(`^\\((${NUMBER}) - (${NUMBER})\\)\\^2$`).exec(term);
          assert.ok(m, term);
          near(parseNumber(m[1]), hand[i].z, `z_${i + 1}`);
          near(parseNumber(m[2]), hand[i].y, `y_${i + 1}`);
          sum += (parseNumber(m[1]) - parseNumber(m[2])) ** 2;
        });
        near(sum / n, total, 'the terms add up to the total');
        near(total, hand.reduce((acc, s) => acc + s.r ** 2, 0) / n, 'l');
      });

      it('gives ∂l/∂z_i = (2/N)(z_i − y_i) for every sample, with its numbers', () => {
        const loss = step(steps, 'loss');
        assert.match(loss.applied, /\\frac\{\\partial l\}\{\\partial z_i\} = \\frac\{2\}\{N\} \(z_i - y_i\)/);
        hand.forEach((s, i) => {
          const line = loss.dataset.find((l) => l.startsWith(`\\frac{\\partial l}{\\partial z_{${i + 1}}}`));
          assert.ok(line, `∂l/∂z_${i + 1} is shown`);
          const m = new RegExp(`= \\\\frac\\{2\\}\\{${n}\\} \\\\cdot (${NUMBER}) = (${NUMBER})$`).exec(line);
          assert.ok(m, line);
          near(parseNumber(m[1]), s.r, `z_${i + 1} − y_${i + 1}`);
          near(parseNumber(m[2]), (2 / n) * s.r, `∂l/∂z_${i + 1}`);
        });
      });

      it('writes all four terms of ∂l/∂w and ∂l/∂b as a_i · (z_i − y_i) · x_i, adding up to the gradient shown', () => {
        const [gradW, gradB] = step(steps, 'chain').dataset;
        const w = sumParts(gradW);
        const b = sumParts(gradB);
        assert.deepEqual([w.terms.length, b.terms.length], [n, n]);
        let sumW = 0;
        let sumB = 0;
        hand.forEach((s, i) => {
          const mw = new RegExp(`^([01]) \\\\cdot (${NUMBER}) \\\\cdot (${NUMBER})$`).exec(w.terms[i]);
          const mb = new RegExp(`^([01]) \\\\cdot (${NUMBER})$`).exec(b.terms[i]);
          assert.ok(mw && mb, `${w.terms[i]} | ${b.terms[i]}`);
          assert.equal(Number(mw[1]), s.a, `a_${i + 1}`);
          near(parseNumber(mw[2]), s.r, `z_${i + 1} − y_${i + 1}`);
          near(parseNumber(mw[3]), s.x[0], `x_${i + 1}`);
          sumW += Number(mw[1]) * parseNumber(mw[2]) * parseNumber(mw[3]);
          sumB += Number(mb[1]) * parseNumber(mb[2]);
        });
        near((2 / n) * sumW, w.total, '∂l/∂w adds up');
        near((2 / n) * sumB, b.total, '∂l/∂b adds up');
        near(w.total, (2 / n) * hand.reduce((acc, s) => acc + s.a * s.r * s.x[0], 0), '∂l/∂w');
        near(b.total, (2 / n) * hand.reduce((acc, s) => acc + s.a * s.r, 0), '∂l/∂b');
      });

      it('lists u_i for every sample and leaves nothing out', () => {
        const sum = step(steps, 'sum');
        assert.equal(sum.dataset.length, n);
        hand.forEach((s, i) => near(parseNumber(sum.dataset[i].split(' = ').pop()!), s.u, `u_${i + 1}`));
        for (const st of steps) assert.ok(!st.notes.some((note) => note.id === 'termsCut' || note.id === 'samplesCut'), st.id);
      });
    });
  }

  it('shows at epoch 0 the numbers a student computes first: l = 16.5 and ∂l/∂z_1 = 2/4 · (−2) = −1', () => {
    const steps = derivationAt(course, pointOf(courseRun.trajectory, 0, courseSettings), 0);
    const loss = step(steps, 'loss');
    assert.equal(loss.dataset[0], 'l = \\frac{1}{4} \\big((0 - 2)^2 + (0 - 1)^2 + (0 - 5)^2 + (0 - 6)^2\\big) = 16.5');
    assert.ok(
      loss.sample.includes('\\frac{\\partial l}{\\partial z_{1}} = \\frac{2}{4} (z_{1} - y_{1}) = \\frac{2}{4} \\cdot (-2) = -1'),
      loss.sample.join('\n'),
    );
  });
});

describe('the derivation of a dataset too long to write out', () => {
  const rows = Array.from({ length: 40 }, (_, i) => `${((i * 7) % 11) - 3},${(i * 5) % 9}`);
  const data = parseDataset(`x,y\n${rows.join('\n')}\n`);
  const settings = mergeSettings(DEFAULT_SETTINGS, { epochs: 30, learningRate: 0.01 });
  const run = trainNeuron(data, settings);
  const point = pointOf(run.trajectory, 30, settings);
  const hand = byHand(data, point.w, point.b);

  for (const chosen of [null, 16]) {
    it(`says how many terms are left out and what they add up to (sample ${chosen === null ? 'none' : chosen + 1} chosen)`, () => {
      const steps = derivationAt(data, point, chosen);
      const written = chosen === null ? [0, 1, 2] : [0, 1, 2, chosen];
      const omitted = data.n - written.length;
      const loss = step(steps, 'loss');
      assert.deepEqual(
        loss.notes.filter((n) => n.id === 'termsCut').map((n) => n.args),
        [[omitted, data.n]],
        'the cut is stated with the count of hidden terms',
      );
      const { terms, total } = sumParts(loss.dataset[0]);
      assert.equal(terms.length, written.length + 1, 'the written terms, then one braced sum');
      const brace = terms[terms.length - 1];
      const range = chosen === null ? 'i=4' : `i=4,\\ i \\neq ${chosen + 1}`;
      assert.ok(brace.startsWith(`\\underbrace{\\sum_{${range}}^{40} (z_i - y_i)^2}_{=\\,`), brace);
      const hidden = parseNumber(/_\{=\\,(.*)\}$/.exec(brace)![1]);
      const expected = hand.filter((_, i) => !written.includes(i)).reduce((acc, s) => acc + s.r ** 2, 0);
      near(hidden, expected, 'the hidden terms add up to the value under the brace');
      let shown = 0;
      for (const term of terms.slice(0, -1)) {
        const m = new RegExp(`^\\((${NUMBER}) - (${NUMBER})\\)\\^2$`).exec(term)!;
        shown += (parseNumber(m[1]) - parseNumber(m[2])) ** 2;
      }
      near((shown + hidden) / data.n, total, 'written and hidden terms add up to l');
      const sumStep = step(steps, 'sum');
      assert.equal(sumStep.dataset.length, written.length + 1, 'listed u_i, then ⋮');
      assert.equal(sumStep.dataset[sumStep.dataset.length - 1], '\\vdots');
      assert.deepEqual(sumStep.notes.find((n) => n.id === 'samplesCut')?.args, [omitted, data.n]);
      const chain = step(steps, 'chain');
      const bias = sumParts(chain.dataset[1]);
      const hiddenB = parseNumber(/_\{=\\,(.*)\}$/.exec(bias.terms[bias.terms.length - 1])![1]);
      near(
        hiddenB,
        hand.filter((_, i) => !written.includes(i)).reduce((acc, s) => acc + s.a * s.r, 0),
        'the hidden terms of ∂l/∂b',
      );
    });
  }

  it(`writes every term up to ${ALL_TERMS_UP_TO} samples`, () => {
    const small = parseDataset(`x,y\n${rows.slice(0, ALL_TERMS_UP_TO).join('\n')}\n`);
    const r = trainNeuron(small, settings);
    const steps = derivationAt(small, pointOf(r.trajectory, 5, settings), null);
    assert.equal(sumParts(step(steps, 'loss').dataset[0]).terms.length, ALL_TERMS_UP_TO);
    assert.ok(steps.every((s) => s.notes.every((n) => n.id !== 'termsCut')));
  });

  it('prints the braced sum as text for the CLI', () => {
    const steps = derivationAt(data, point, null);
    assert.match(latexToText(step(steps, 'loss').dataset[0]), /\[Σ_\(i=4\)\^40 \(z_i - y_i\)\^2 = [-\d.]+\]\) = /);
  });
});

describe('the conventions, named as conventions', () => {
  it("writes a sample exactly at u = 0 as [0 ≥ 0] = 1 under the document's rule, and [0 > 0] = 0 under PyTorch's", () => {
    for (const r of [1, 0] as const) {
      const s = mergeSettings(courseSettings, { reluGradAtZero: r });
      const steps = derivationAt(course, pointOf(trainNeuron(course, s).trajectory, 0, s), 1);
      const max = step(steps, 'max');
      assert.equal(max.sample[0], r === 1 ? 'a_{2} = [u_{2} \\geq 0] = [0 \\geq 0] = 1' : 'a_{2} = [u_{2} > 0] = [0 > 0] = 0');
      assert.ok(max.notes.some((n) => n.tone === 'convention' && n.id === (r === 1 ? 'reluAtZero1' : 'reluAtZero0')));
    }
  });

  it("puts the general chain rule as the rule and the neuron's gradient as its application", () => {
    const chain = step(derivationAt(course, pointOf(courseRun.trajectory, 0, courseSettings), null), 'chain');
    assert.match(
      chain.rule,
      /\\frac\{\\partial l\}\{\\partial z_i\} \\frac\{\\partial z_i\}\{\\partial u_i\} \\frac\{\\partial u_i\}\{\\partial \\theta\}/,
    );
    assert.match(chain.applied, /a_i \(z_i - y_i\)/);
  });

  it('writes −α c_k as a column in parentheses', () => {
    const update = step(derivationAt(course, pointOf(courseRun.trajectory, 1, courseSettings), 1), 'update');
    assert.match(update.sample[0], /^-\\alpha\\, c_\{2\} = -0\.05 \\cdot \(\S+,\\ \S+\)\^T = \(\S+,\\ \S+\)\^T$/);
  });
});
