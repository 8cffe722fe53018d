// Real public datasets (test/fixtures/data, sources in its README) train as a student would run them:
// the file as downloaded plus at most one settings line. That line is "# @scale standard", the one the
// failure message advises: every file then trains at the default rate 0.05, where on its raw numbers
// (years, grams, pounds, dollars) it dies or diverges, or would need a rate such as 1e-7 or 1e-9.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ColumnChoice,
  DEFAULT_SETTINGS,
  type Dataset,
  decodeDatasetBytes,
  mergeSettings,
  parseDataset,
  scaleFeatures,
  toFileUnits,
  trainNeuron,
} from '../../src/engine';

const dir = join(__dirname, '../fixtures/data');
const read = (name: string) => decodeDatasetBytes(readFileSync(join(dir, name)));

const STANDARDIZE = '# @scale standard';

/**
 * Trains `line` + the file at the defaults, scaled as the file says (as the extension and the CLI
 * do); returns the dataset and l at epoch 0 and at the end. Checks that the parameters in the file's
 * units give the same z on the raw x as the trained ones on x̃.
 */
function train(name: string, line: string, choice: ColumnChoice = {}): { data: Dataset; first: number; last: number } {
  const { text } = read(name);
  const data = parseDataset(`${line}\n${text}`, choice);
  const settings = mergeSettings(DEFAULT_SETTINGS, data.settings);
  const { samples, scaling } = scaleFeatures(data, settings.scale);
  const run = trainNeuron(samples, settings);
  assert.equal(run.stopped, null, run.stopped?.message);
  const t = run.trajectory;
  const e = t.length - 1;
  if (scaling) {
    const file = toFileUnits(scaling, t.w.subarray(e * data.d), t.b[e]);
    for (let i = 0; i < data.n; i++) {
      let uRaw = file.b;
      let uScaled = t.b[e];
      for (let j = 0; j < data.d; j++) {
        uRaw += file.w[j] * data.x[i * data.d + j];
        uScaled += t.w[e * data.d + j] * samples.x[i * data.d + j];
      }
      assert.ok(
        Math.abs(Math.max(0, uRaw) - Math.max(0, uScaled)) <= 1e-9 * Math.max(1, Math.abs(uScaled)),
        `${name} sample ${i + 1}: z ${uRaw} on x, ${uScaled} on x̃`,
      );
    }
  }
  return { data, first: t.loss[0], last: t.loss[e] };
}

/** The file as downloaded, at the defaults: its run stops, and the message advises `# @scale standard` first. */
function failsRaw(name: string, choice: ColumnChoice = {}): void {
  const data = parseDataset(read(name).text, choice);
  const run = trainNeuron(data, mergeSettings(DEFAULT_SETTINGS, data.settings));
  assert.ok(run.stopped, `${name} trains raw`);
  assert.equal(run.stopped.scalingAdvised, true);
  assert.match(run.stopped.message, /Standardize the features( first)?: add the line "# @scale standard"/);
}

function falls(r: { first: number; last: number }, factor: number): void {
  assert.ok(Number.isFinite(r.last), `final loss ${r.last}`);
  assert.ok(r.last < r.first / factor, `loss ${r.first} → ${r.last}`);
}

describe('real data', () => {
  it('Seattle weather (a date and a category column): both left out with one warning each; wind from the rest', () => {
    // Temperatures up to 35 and rain up to 55 mm: raw, the default rate 0.05 lets the loss grow.
    const r = train('seattle-weather.csv', STANDARDIZE);
    assert.deepEqual([r.data.features, r.data.target, r.data.n], [['precipitation', 'temp_max', 'temp_min'], 'wind', 1461]);
    assert.deepEqual(
      r.data.problems.map((p) => [p.code, p.args[0]]),
      [
        ['text-column', 'date'],
        ['text-column', 'weather'],
      ],
    );
    falls(r, 3);
  });

  it('cars (a name, a date and a region; missing mpg and horsepower): 14 rows skipped with a warning each', () => {
    // Weights near 3000 lbs: raw, 2/λ_max ≈ 1.4e-7 and the default rate kills the neuron.
    failsRaw('cars.csv');
    const r = train('cars.csv', STANDARDIZE);
    assert.equal(r.data.target, 'Acceleration');
    assert.deepEqual(r.data.features, ['Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs']);
    assert.deepEqual([r.data.n, r.data.skippedRows, r.data.skippedByCause], [392, 14, { 'missing-value': 14 }]);
    assert.deepEqual(
      new Set(r.data.problems.filter((p) => p.code === 'missing-value').map((p) => p.args[0])),
      new Set(['Miles_per_Gallon', 'Horsepower']),
    );
    falls(r, 5);
  });

  it('cars with @missing mean keeps every row', () => {
    const { text } = read('cars.csv');
    const mean = parseDataset(`# @missing mean\n${text}`);
    assert.deepEqual([mean.n, mean.imputedRows, mean.skippedRows], [406, 14, 0]);
    assert.ok(mean.x.every(Number.isFinite));
  });

  it('penguins (names with spaces and brackets, NA values): body mass from beak and flipper', () => {
    // Body mass ≈ 4000 g from lengths ≈ 200 mm: raw, 2/λ_max ≈ 2.4e-5.
    failsRaw('penguins.csv');
    const r = train('penguins.csv', STANDARDIZE);
    assert.deepEqual([r.data.target, r.data.n, r.data.skippedRows], ['Body Mass (g)', 342, 2]);
    assert.deepEqual(r.data.features, ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)']);
    falls(r, 10);
    // A quoted name in a role line, in any case.
    const flipper = parseDataset(`# @target "flipper length (mm)"\n${read('penguins.csv').text}`);
    assert.deepEqual([flipper.target, flipper.features], ['Flipper Length (mm)', ['Beak Length (mm)', 'Beak Depth (mm)', 'Body Mass (g)']]);
  });

  it('Gapminder (country and region names; population in the billions): health from income and population', () => {
    // Health is named the target as the CLI's `--target health` does (the last numeric column is
    // population). Raw, population ≈ 10⁹ would need a rate below the smallest allowed; standardized,
    // it is a feature like any other.
    failsRaw('gapminder-health-income.csv', { target: 'health' });
    const r = train('gapminder-health-income.csv', STANDARDIZE, { target: 'health' });
    assert.deepEqual([r.data.features, r.data.target, r.data.n], [['income', 'population'], 'health', 187]);
    falls(r, 10);
  });

  it('global temperatures by year: years ≈ 1900 die raw at the default rate, and train standardized', () => {
    failsRaw('global-temp.csv');
    const r = train('global-temp.csv', STANDARDIZE);
    assert.deepEqual([r.data.features, r.data.target, r.data.n], [['year'], 'temp', 144]);
    falls(r, 3);
  });

  it('a Russian Excel file (Windows-1251, semicolons, decimal commas) reads as its UTF-8 twin and trains', () => {
    const cp1251 = read('gapminder-ru.cp1251.csv');
    const utf8 = read('gapminder-ru.utf8.csv');
    assert.equal(cp1251.encoding, 'windows-1251');
    assert.equal(utf8.encoding, 'utf-8');
    assert.equal(cp1251.text, utf8.text);
    const r = train('gapminder-ru.cp1251.csv', STANDARDIZE);
    assert.deepEqual([r.data.features, r.data.target, r.data.n], [['доход'], 'продолжительность жизни', 60]);
    assert.equal(r.data.y[0], 57.63);
    falls(r, 2);
  });
});
