import { strict as assert } from 'node:assert';
import { MAX_FEATURES_LISTED, type SampleRow } from '../../src/shared/protocol';
import { setStrings } from '../../webview/i18n';
import { featureColumns, featureLabel, weightPartTitle, weightedSumTitle } from '../../webview/tableColumns';

/** A table row of a scaled run with its x and x̃. */
const row = (x: number[], xScaled: number[]): SampleRow => ({
  index: 0,
  line: 2,
  u: 0,
  z: 0,
  y: 0,
  residual: 0,
  active: 1,
  contribW: x.map(() => 0),
  contribB: 0,
  share: 0,
  x,
  xScaled,
});

describe("the sample table's feature columns", () => {
  afterEach(() => setStrings('en', {}));

  it('adds none without scaling, so the table stays as it was', () => {
    assert.deepEqual(featureColumns(['year'], 'none'), []);
    assert.equal(weightedSumTitle('none'), 'Weighted sum u_i = w·x_i + b');
    assert.ok(weightPartTitle('∂l/∂w', 'none').endsWith('x_ij'));
  });

  it("shows each feature's x as in the file beside x̃, in that order", () => {
    // year: μ = 1950, σ = 40 → x = 2010 is x̃ = 1.5; co2: μ = 350, σ = 25 → x = 300 is x̃ = −2.
    const x = [2010, 300];
    const xScaled = [(2010 - 1950) / 40, (300 - 350) / 25];
    const cols = featureColumns(['year', 'co2'], 'standard');
    assert.deepEqual(
      cols.map((c) => c.label),
      ['x₁', 'x̃₁', 'x₂', 'x̃₂'],
    );
    assert.deepEqual(
      cols.map((c) => c.value(row(x, xScaled))),
      ['2010', '1.5', '300', '-2'],
    );
    assert.equal(cols[0].title, 'year as in the file');
    assert.match(cols[1].title, /^year: x̃ = \(x − μ\) \/ σ/);
    assert.match(featureColumns(['year'], 'minmax')[1].title, /\(max − min\)/);
    assert.deepEqual(
      featureColumns(['year'], 'standard').map((c) => c.label),
      ['x', 'x̃'],
    );
    assert.equal(featureLabel(2, 3, true), 'x̃₃');
    assert.ok(weightedSumTitle('standard').includes('x̃_i'));
    assert.ok(weightPartTitle('∂l/∂w', 'minmax').endsWith('x̃_ij'));
  });

  it('lists at most MAX_FEATURES_LISTED features, and leaves a cell empty when a row has no x', () => {
    const names = Array.from({ length: MAX_FEATURES_LISTED + 3 }, (_, j) => `f${j}`);
    assert.equal(featureColumns(names, 'standard').length, 2 * MAX_FEATURES_LISTED);
    const bare = row([], []);
    delete bare.x;
    assert.equal(featureColumns(['year'], 'standard')[0].value(bare), '');
  });

  it('titles the columns in the display language', () => {
    setStrings('ru', { '{0} as in the file': '{0}, как в файле' });
    assert.equal(featureColumns(['год'], 'standard')[0].title, 'год, как в файле');
  });
});
