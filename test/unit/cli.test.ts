import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/engine';

/** Runs the built CLI (`npm run build` makes dist/cli.js) as a user would. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(__dirname, '../../dist/cli.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'relu-cli-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('the command-line trainer', () => {
  const course = file('course.csv', '# @lr 0.1\n# @epochs 3\nx,y\n1,2\n2,4\nbad,1\n');

  it('prints the documented JSON shape with entries 0 … E', () => {
    const r = cli('train', course, '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    for (const key of ['features', 'target', 'samples', 'skipped', 'trajectory', 'stopped', 'timing']) assert.ok(key in out, key);
    assert.deepEqual(out.features, ['x']);
    assert.equal(out.target, 'y');
    assert.equal(out.samples, 2);
    assert.deepEqual(
      out.skipped.map((s: { line: number; column: number }) => [s.line, s.column]),
      [[6, 1]],
    );
    assert.equal(out.trajectory.length, 4);
    assert.deepEqual(Object.keys(out.trajectory[0]).sort(), ['active', 'b', 'epoch', 'gradB', 'gradW', 'loss', 'w']);
    // Entry 0 at θ₀ = 0 with ReLU'(0) = 1: r = −2, −4; l = 10; ∂l/∂w = −10; ∂l/∂b = −6. Entry 1: θ₀ − 0.1∇l.
    assert.deepEqual(out.trajectory[0], { epoch: 0, w: [0], b: 0, loss: 10, gradW: [-10], gradB: -6, active: 2 });
    assert.deepEqual(out.trajectory[1].w, [1]);
    assert.equal(out.stopped, null);
    assert.ok(out.timing.parseMs >= 0 && out.timing.trainMs >= 0);
    assert.match(r.stderr, /course\.csv:6:1: .*not a number/);
  });

  it("lets flags override the file's settings", () => {
    const out = JSON.parse(cli('train', course, '--json', '--epochs', '1', '--lr=0.5', '--init', '1,0', '--relu-grad-at-zero', '0').stdout);
    assert.equal(out.trajectory.length, 2);
    assert.deepEqual([out.trajectory[0].w[0], out.trajectory[0].b], [1, 0]);
    assert.equal(out.settings.learningRate, 0.5);
    assert.equal(out.settings.reluGradAtZero, 0);
  });

  it("uses the extension's defaults when neither file nor flags say otherwise", () => {
    const out = JSON.parse(cli('train', file('plain.csv', 'x,y\n1,1\n'), '--json').stdout);
    assert.equal(out.trajectory.length, DEFAULT_SETTINGS.epochs + 1);
    assert.equal(out.settings.learningRate, DEFAULT_SETTINGS.learningRate);
  });

  it('prints a readable trace: the derivation, a loss table and the final parameters', () => {
    const r = cli('train', course);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Derivative of max\(0, ·\)/);
    assert.match(r.stdout, /∂l\/∂w = 2\/2 \(1 · \(-2\) · 1 \+ 1 · \(-4\) · 2\) = -10/);
    assert.match(r.stdout, /epoch +loss/);
    assert.match(r.stdout, /Final \(epoch 3\): w\[x\] = /);
    // The panel's notes: the indicator inside the sum and ReLU'(0) named as a convention.
    assert.match(r.stdout, /^ {3}note: {4}The indicator a_i sits inside the sum/m);
    assert.match(r.stdout, /^ {3}note: {4}Convention: ReLU has no derivative at u = 0 .*here ReLU'\(0\) = 1/m);
  });

  it('exits 0 with a reason when the run stops', () => {
    const r = cli('train', file('wild.csv', 'x,y\n1,3\n2,5\n3,7\n4,9\n'), '--json', '--lr', '100');
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout);
    assert.ok(['diverged', 'died'].includes(out.stopped.reason));
    assert.match(out.stopped.message, /Try a learning rate of 0\.1,/);
    assert.match(r.stderr, /learning rate/);
  });

  it('exits 2 on bad usage, a missing file, or a file with no usable rows', () => {
    assert.equal(cli().code, 2);
    assert.equal(cli('fit', course).code, 2);
    assert.equal(cli('train', course, '--lr', 'fast').code, 2);
    assert.match(cli('train', course, '--lr', 'fast').stderr, /not a number/);
    assert.equal(cli('train', course, '--bogus').code, 2);
    assert.equal(cli('train', join(dir, 'missing.csv')).code, 2);
    const empty = cli('train', file('empty.csv', 'x,y\nfoo,bar\n'));
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /empty\.csv:2:1: error/);
    assert.match(empty.stderr, /no usable data rows/);
  });

  it("takes the column roles from --target, --features and --ignore, over the file's lines", () => {
    const roles = file('roles.csv', '# @target a\nname,a,b,"c d"\nAnn,1,2,3\nBob,4,5,6\n');
    const byLine = JSON.parse(cli('train', roles, '--json', '--epochs', '1').stdout);
    assert.deepEqual([byLine.features, byLine.target], [['b', 'c d'], 'a']);
    const byFlag = JSON.parse(cli('train', roles, '--json', '--epochs', '1', '--target', 'B', '--features', '"C D"').stdout);
    assert.deepEqual([byFlag.features, byFlag.target], [['c d'], 'b']);
    const ignored = JSON.parse(cli('train', roles, '--json', '--epochs', '1', '--ignore=b').stdout);
    assert.deepEqual(ignored.features, ['c d']);
    const unknown = cli('train', roles, '--epochs', '1', '--ignore', 'zz');
    assert.equal(unknown.code, 0);
    assert.match(unknown.stderr, /roles\.csv:2:1: warning: There is no column "zz"; the columns are name, a, b, c d\./);
    assert.equal(cli('train', roles, '--target').code, 2);
  });

  it('reads a Windows-1251 file and says so; UTF-8 with a BOM silently', () => {
    const fixture = join(__dirname, '../fixtures/data/gapminder-ru.cp1251.csv');
    const r = cli('train', fixture, '--json', '--lr', '1e-9', '--epochs', '5');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /gapminder-ru\.cp1251\.csv: warning: The file is not valid UTF-8, so it was read as Windows-1251 \(Cyrillic\)\./,
    );
    assert.deepEqual(JSON.parse(r.stdout).features, ['доход']);
    const bom = join(dir, 'bom.csv');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('рост,вес\n1,2\n')]));
    const b = cli('train', bom, '--json', '--epochs', '1');
    assert.doesNotMatch(b.stderr, /Windows-1251/);
    assert.deepEqual(JSON.parse(b.stdout).features, ['рост']);
  });

  it("marks the rows a missing value skipped, and prints a group's count once", () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},NA`).join('\n');
    const r = cli('train', file('na.csv', `x,y\n1,2\n${rows}\n`), '--epochs', '1');
    assert.equal(r.code, 0);
    assert.equal(r.stderr.match(/warning: The target "y" is missing, so this row is skipped\. \(row skipped\)/g)?.length, 20);
    assert.match(r.stderr, /na\.csv:23:4: warning: … and 10 more rows like this in column "y"\.\n/);
  });
  it("scales with --scale (over the file's # @scale), and gives the scaling and both forms of the parameters", () => {
    // x = 1900, 1950, 2000: μ = 1950, σ = √(5000/3) (1/N), x̃ = ∓√(3/2), 0; y = 2x̃ + 3 is fitted exactly on x̃.
    const years = file('years.csv', '# @scale none\n# @epochs 400\nyear,y\n1900,0.550510257216822\n1950,3\n2000,5.449489742783178\n');
    const raw = JSON.parse(cli('train', years, '--json').stdout);
    assert.deepEqual(raw.scaling, { method: 'none' });
    assert.equal(raw.stopped.scalingAdvised, true);
    const r = cli('train', years, '--scale', 'standard', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.settings.scale, 'standard');
    assert.deepEqual(out.scaling, { method: 'standard', mean: [1950], sd: [Math.sqrt(5000 / 3)], min: [1900], max: [2000], constant: [] });
    assert.equal(out.stopped, null);
    const { w, b, fileUnits } = out.final;
    assert.ok(Math.abs(w[0] - 2) < 1e-6 && Math.abs(b - 3) < 1e-6, `${w} ${b}`);
    // In the file's units: w/σ and b − wμ/σ.
    assert.equal(fileUnits.w[0], w[0] / Math.sqrt(5000 / 3));
    assert.equal(fileUnits.b, b - (w[0] * 1950) / Math.sqrt(5000 / 3));
    const text = cli('train', years, '--scale=minmax');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Scaling: minmax, min = \(1900\), max = \(2000\)/m);
    assert.match(text.stdout, /^0\. Scaling the features$/m);
    assert.match(text.stdout, /^Final \(epoch 400\), on the scaled features x̃: w\[year\] = /m);
    assert.match(text.stdout, /^In the file's units \(w_j \/ f_j, b − Σ_j w_j s_j \/ f_j\): w\[year\] = /m);
    const bad = cli('train', years, '--scale', 'zscore');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--scale: @scale must be none, standard or minmax; got "zscore"\./);
  });
});
