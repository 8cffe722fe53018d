import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DERIVATION_NOTES, MESSAGES, scaleFeatures } from '../../src/engine';
import { planDerivation } from '../../webview/derivationPlan';
import { derivationAt } from '../../src/engine/derivation';
import { setStrings, t } from '../../webview/i18n';
import { VIEW_STRINGS } from '../../src/shared/viewStrings';
import {
  columnControls,
  deadNeuronSentence,
  featuresAfterToggle,
  problemsSentence,
  settingProblem,
  settingSource,
  settingText,
} from '../../webview/viewText';
import { type RunColumns, type RunSettings, stopFixKinds } from '../../src/shared/protocol';

const dir = join(__dirname, '../../webview');
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));

describe("the view's words", () => {
  afterEach(() => setStrings('en', {}));

  it("looks each English string up in the host's dictionary, falling back to the English", () => {
    assert.equal(t('Epoch {0} of {1}', 3, 200), 'Epoch 3 of 200');
    setStrings('ru', { 'Epoch {0} of {1}': 'Эпоха {0} из {1}' });
    assert.equal(t('Epoch {0} of {1}', 3, 200), 'Эпоха 3 из 200');
    assert.equal(t('Play'), 'Play');
  });

  it("lists every t('…') string of the webview in VIEW_STRINGS, so the host can translate it", () => {
    const listed = new Set(VIEW_STRINGS);
    const used: string[] = [];
    for (const { text } of sources) {
      for (const m of text.matchAll(/\bt\(\s*(['"])((?:\\.|(?!\1)[^\\])*)\1/g)) used.push(m[2].replace(/\\(['"\\])/g, '$1'));
    }
    assert.ok(used.length > 80, `found only ${used.length}`);
    assert.deepEqual(
      used.filter((s) => !listed.has(s)),
      [],
    );
  });

  it('lists every sentence and label the derivation plan can produce', () => {
    const listed = new Set(VIEW_STRINGS);
    const texts: string[] = [];
    for (const reluGradAtZero of [0, 1] as const)
      for (const n of [3, 12])
        for (const selected of [null, 1, 10]) {
          for (const active of [0, 2, 3]) {
            const samples = {
              n,
              d: 1,
              x: Float64Array.from({ length: n }, (_, i) => i - 1),
              y: Float64Array.from({ length: n }, (_, i) => i % 3),
            };
            const steps = derivationAt(
              samples,
              { epoch: 0, w: [0.5], b: 0, loss: 1, gradW: [0.1], gradB: 0.1, active, learningRate: 0.1, reluGradAtZero },
              selected,
            );
            for (const plan of planDerivation(steps, {
              selectedSample: selected,
              reluGradAtZero,
              samples: n,
              active,
              inactiveKnown: [1],
            })) {
              texts.push(plan.title);
              for (const b of plan.blocks) {
                if (b.kind === 'math' || b.kind === 'value' || b.kind === 'cases') texts.push(b.label);
                if (b.kind === 'lines' || b.kind === 'inactive') texts.push(b.label.text);
                if (b.kind === 'note') texts.push(b.sentence.text);
              }
            }
          }
        }
    // With scaling on (standard and minmax, one feature constant): step 0 and the notes about x̃.
    const ids = new Set<string>();
    for (const method of ['standard', 'minmax'] as const)
      for (const selected of [null, 1]) {
        const raw = { n: 3, d: 2, x: Float64Array.from([1, 5, 2, 5, 4, 5]), y: Float64Array.from([1, 2, 3]) };
        const { samples, scaling } = scaleFeatures(raw, method);
        const steps = derivationAt(
          samples,
          { epoch: 0, w: [0.5, 0.1], b: 0, loss: 1, gradW: [0.1, 0], gradB: 0.1, active: 3, learningRate: 0.1, reluGradAtZero: 1 },
          selected,
          { scaling: scaling!, raw },
        );
        for (const plan of planDerivation(steps, {
          selectedSample: selected,
          reluGradAtZero: 1,
          samples: 3,
          active: 3,
          inactiveKnown: [],
        })) {
          ids.add(plan.id);
          texts.push(plan.title);
          for (const b of plan.blocks) {
            if (b.kind === 'math' || b.kind === 'value' || b.kind === 'cases') texts.push(b.label);
            if (b.kind === 'lines' || b.kind === 'inactive') texts.push(b.label.text);
            if (b.kind === 'note') texts.push(b.sentence.text);
          }
        }
      }
    assert.ok(ids.has('scale'));
    for (const note of ['standardSd', 'minmaxRange', 'constantColumns', 'fileUnits', 'onScaled'] as const)
      assert.ok(texts.includes(DERIVATION_NOTES[note]), note);
    assert.deepEqual(
      [...new Set(texts)].filter((s) => !listed.has(s)),
      [],
    );
  });
});

describe("the panel's sentences", () => {
  it('says how many rows were skipped, pointing to Problems', () => {
    assert.equal(problemsSentence({ skippedRows: 1, problemCount: 1 }), '1 row skipped — see Problems');
    assert.equal(problemsSentence({ skippedRows: 2, problemCount: 3 }), '2 rows skipped — see Problems');
    assert.equal(problemsSentence({ skippedRows: 0, problemCount: 1 }), 'Problems reported for this file: 1');
    assert.equal(problemsSentence({ skippedRows: 0, problemCount: 0 }), null);
  });

  it('counts skipped rows by cause, with plural forms, and the rows given a mean', () => {
    const by = (skippedByCause: Array<{ code: string; rows: number }>, imputedRows = 0) =>
      problemsSentence({ skippedRows: skippedByCause.reduce((s, c) => s + c.rows, 0), problemCount: 9, skippedByCause, imputedRows });
    assert.equal(
      by([
        { code: 'missing-value', rows: 3 },
        { code: 'not-a-number', rows: 1 },
      ]),
      'Skipped: 3 rows with a missing value, 1 row with a text value — see Problems',
    );
    assert.equal(
      by([
        { code: 'wrong-field-count', rows: 1 },
        { code: 'empty-field', rows: 2 },
        { code: 'not-finite', rows: 1 },
        { code: 'header-only', rows: 1441 },
      ]),
      'Skipped: 1 row with the wrong number of fields, 2 rows with an empty field, 1 row with a value that is not finite, ' +
        '1441 rows for another reason — see Problems',
    );
    assert.equal(by([], 1), "1 row kept with a missing feature set to its column's mean");
    assert.equal(
      by([{ code: 'missing-value', rows: 1 }], 4),
      "Skipped: 1 row with a missing value — see Problems. 4 rows kept with a missing feature set to its column's mean",
    );
  });

  it('counts skipped rows by cause in Russian: one, few, many', () => {
    const ru = JSON.parse(readFileSync(join(__dirname, '../../l10n/bundle.l10n.ru.json'), 'utf8')) as Record<string, string>;
    setStrings('ru', ru);
    try {
      const sentence = (rows: number) =>
        problemsSentence({ skippedRows: rows, problemCount: 1, skippedByCause: [{ code: 'missing-value', rows }], imputedRows: 0 });
      assert.equal(sentence(1), 'Пропущены: 1 строка с пропущенным значением — см. «Проблемы»');
      assert.equal(sentence(3), 'Пропущены: 3 строки с пропущенным значением — см. «Проблемы»');
      assert.equal(sentence(5), 'Пропущены: 5 строк с пропущенным значением — см. «Проблемы»');
      assert.equal(sentence(21), 'Пропущены: 21 строка с пропущенным значением — см. «Проблемы»');
    } finally {
      setStrings('en', {});
    }
  });

  it('shows the columns: every one but the target as a box, ticked when it is a feature, the last feature kept', () => {
    const c: RunColumns = {
      names: ['country', 'year', 'gdp', 'y'],
      roles: ['ignored', 'feature', 'feature', 'target'],
      fromFile: ['target'],
      fromPanel: ['features'],
    };
    const shown = columnControls(c);
    assert.equal(shown.target, 'y');
    assert.deepEqual(
      shown.targetOptions.map((o) => o.value),
      c.names,
    );
    assert.deepEqual(shown.features, [
      { name: 'country', checked: false, disabled: false },
      { name: 'year', checked: true, disabled: false },
      { name: 'gdp', checked: true, disabled: false },
    ]);
    assert.equal(shown.targetSource, 'set in the file');
    assert.equal(shown.featuresSource, 'set in this panel');
    assert.deepEqual(featuresAfterToggle(c, 'year', false), ['gdp']);
    assert.deepEqual(featuresAfterToggle(c, 'country', true), ['country', 'year', 'gdp']);
    const one = columnControls({ ...c, roles: ['ignored', 'feature', 'ignored', 'target'], fromFile: [], fromPanel: [] });
    assert.deepEqual(
      one.features.map((f) => [f.name, f.checked, f.disabled]),
      [
        ['country', false, false],
        ['year', true, true],
        ['gdp', false, false],
      ],
    );
    assert.equal(one.targetSource, '');
  });

  it("offers a stopped run's fixes, first the one its message advises", () => {
    assert.deepEqual(stopFixKinds({ suggestedLearningRate: 0.01, scalingAdvised: true }, 'none'), ['standardize', 'learning-rate']);
    assert.deepEqual(stopFixKinds({ suggestedLearningRate: 0.01, scalingAdvised: true }, 'standard'), ['learning-rate']);
    assert.deepEqual(stopFixKinds({ suggestedLearningRate: 0.01, scalingAdvised: false }, 'none'), ['learning-rate']);
    assert.deepEqual(stopFixKinds({ suggestedLearningRate: 0, scalingAdvised: true }, 'minmax'), ['standardize']);
    assert.deepEqual(stopFixKinds({ suggestedLearningRate: 0, scalingAdvised: false }, 'none'), []);
  });

  it("explains a dead neuron, and the zero-initialisation trap of ReLU'(0) = 0", () => {
    assert.match(deadNeuronSentence({ w: [0.5], b: -3 }, 1), /no sample is active/);
    assert.doesNotMatch(deadNeuronSentence({ w: [0.5], b: -3 }, 0), /w = 0, b = 0/);
    assert.match(deadNeuronSentence({ w: [0, 0], b: 0 }, 0), /w = 0, b = 0 every u_i is exactly 0/);
  });

  it('says where a setting comes from: the panel over the file', () => {
    const s = {
      learningRate: 0.05,
      epochs: 200,
      initialization: 'zeros',
      reluGradAtZero: 1 as const,
      scale: 'standard' as const,
      fromFile: ['learningRate', 'epochs', 'scale'] as RunSettings['fromFile'],
      fromPanel: ['epochs'] as RunSettings['fromPanel'],
    };
    assert.equal(settingSource(s, 'epochs'), 'set in this panel');
    assert.equal(settingSource(s, 'learningRate'), 'set in the file');
    assert.equal(settingSource(s, 'initialization'), '');
    assert.equal(settingSource(s, 'scale'), 'set in the file');
    assert.equal(settingSource({ ...s, fromPanel: ['scale'] }, 'scale'), 'set in this panel');
  });

  it("shows settings as typed and checks typed text with the engine's parsers", () => {
    const s = {
      learningRate: 0.05,
      epochs: 200,
      initialization: 'random 42',
      reluGradAtZero: 0 as const,
      scale: 'minmax' as const,
      fromFile: [],
      fromPanel: [],
    };
    assert.equal(settingText(s, 'learningRate'), '0.05');
    assert.equal(settingText(s, 'initialization'), 'random 42');
    assert.equal(settingText(s, 'reluGradAtZero'), '0');
    assert.equal(settingText(s, 'scale'), 'minmax');
    assert.equal(settingProblem('scale', 'minmax'), null);
    assert.equal(settingProblem('learningRate', '0.1'), null);
    assert.equal(settingProblem('learningRate', 'fast'), MESSAGES.learningRateNotANumber.replace('{0}', 'fast'));
    assert.equal(settingProblem('epochs', '1.5'), MESSAGES.epochsNotAnInteger.replace('{0}', '1.5'));
    assert.equal(settingProblem('initialization', 'ones'), MESSAGES.badInitialization.replace('{0}', 'ones'));
  });
});
