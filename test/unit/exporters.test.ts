// The Markdown derivation and the PyTorch script a run is exported to.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import {
  DEFAULT_SETTINGS,
  MARKDOWN_TEXT,
  type RunExport,
  STEP_TITLES,
  type SettingsOverride,
  type Translate,
  derivationAt,
  derivationMarkdown,
  escapeMarkdown,
  fillTemplate,
  gradWAt,
  initialParameters,
  jsNumberPython,
  latexNumber,
  mergeSettings,
  parseDataset,
  pythonFloat,
  pythonString,
  pytorchScript,
  scaleFeatures,
  toFileUnits,
  trainNeuron,
  weightsAt,
} from '../../src/engine';

const root = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'relu-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Parses, scales (`@scale`) and trains `text` with its own settings and `override`, as the extension does. */
function exported(text: string, fileName = 'data.csv', override: SettingsOverride = {}): RunExport {
  const dataset = parseDataset(text);
  const settings = mergeSettings(DEFAULT_SETTINGS, dataset.settings, override);
  return { fileName, dataset, run: trainNeuron(scaleFeatures(dataset, settings.scale).samples, settings) };
}
const course = () => exported(readFileSync(join(root, 'examples/course.csv'), 'utf8'), 'course.csv');

/** The math of a Markdown text: display blocks between `$$` lines, inline spans between single `$`. */
function mathOf(markdown: string): { display: string[]; inline: string[]; prose: string } {
  const display: string[] = [];
  const inline: string[] = [];
  const prose: string[] = [];
  const lines = markdown.split('\n');
  for (let k = 0; k < lines.length; k++) {
    if (lines[k] === '$$') {
      const end = lines.indexOf('$$', k + 1);
      assert.ok(end > k, `unclosed $$ at line ${k + 1}`);
      display.push(lines.slice(k + 1, end).join('\n'));
      k = end;
      continue;
    }
    // `\$` is an escaped dollar (dataset text); any other `$` opens or closes inline math.
    const rest = lines[k].replace(/(^|[^\\])\$((?:[^$\\]|\\.)+?)\$/g, (_m, before: string, tex: string) => {
      inline.push(tex);
      return `${before}⟨math⟩`;
    });
    prose.push(rest);
  }
  return { display, inline, prose: prose.join('\n') };
}

/** Runs Python 3 on `code` with `input` on stdin; null when there is no python3. */
function python(code: string, input = '', executable = 'python3'): { status: number | null; stdout: string; stderr: string } | null {
  const r = spawnSync(executable, ['-c', code], { input, encoding: 'utf8', timeout: 60_000 });
  if (r.error) return null;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the Markdown export of the derivation', () => {
  it('has a title, the settings, and every step of derivationAt in order, with the chosen sample', () => {
    const src = course();
    const md = derivationMarkdown(src, 1, 0);
    assert.match(md, /^# ReLU neuron: the derivation at epoch 1\n/);
    assert.match(md, /Dataset course\\\.csv: 4 samples; features x; target y\./);
    assert.match(md, /Learning rate α: \$\\alpha = 0\.05\$/);
    assert.match(md, /Epochs: 100/);
    assert.match(md, /Initialisation: zeros/);
    assert.match(md, /^- Convention: ReLU has no derivative at u = 0 .*here ReLU'\(0\) = 1/m);
    const titles = [...md.matchAll(/^## \d\. (.*)$/gm)].map((m) => m[1]);
    // Step 0 (scaling the features) only when scaling is on.
    assert.deepEqual(
      titles,
      Object.entries(STEP_TITLES)
        .filter(([id]) => id !== 'scale')
        .map(([, title]) => title),
    );

    const t = src.run.trajectory;
    const steps = derivationAt(
      src.dataset,
      {
        epoch: 1,
        w: weightsAt(t, 1),
        b: t.b[1],
        loss: t.loss[1],
        gradW: gradWAt(t, 1),
        gradB: t.gradB[1],
        active: t.active[1],
        learningRate: 0.05,
        reluGradAtZero: 1,
      },
      0,
    );
    const { display, inline } = mathOf(md);
    const blocks = display.join('\n');
    for (const step of steps) {
      for (const tex of [step.rule, step.applied, step.value, ...step.dataset, ...step.sample])
        assert.ok(blocks.includes(tex), `missing ${tex}`);
      for (const c of step.cases ?? []) assert.ok(inline.includes(c.result) && inline.includes(c.condition), c.result);
    }
    assert.equal((md.match(/^\*\*Sample 1\*\*$/gm) ?? []).length, 6, "each step has the chosen sample's lines");
    assert.match(md, /\$a_\{1\} = 1:.*\$ if \$0 \\leq u_\{1\}\$ — \*\*taken\*\*/);
    assert.match(md, /Inactive samples \(a_i = 0\): 1 of 4; their numbers: 2\./);
  });

  it("with scaling on, opens with step 0 and gives the parameters both as trained on x̃ and in the file's units", () => {
    const src = exported(`# @scale standard\n${readFileSync(join(root, 'examples/two-features.csv'), 'utf8')}`, 'two.csv');
    const md = derivationMarkdown(src, 5, 0);
    const titles = [...md.matchAll(/^## (\d)\. (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(titles.slice(0, 2), ['0 Scaling the features', '1 Derivative of a sum']);
    assert.equal(titles.length, 7);
    assert.match(md, /^- Feature scaling: standard: x̃_j = \(x_j − μ_j\)\/σ_j, with σ_j the population standard deviation \(1\/N\)$/m);
    assert.match(md, /^> Here x stands for the scaled features x̃ of step 0/m);
    const t = src.run.trajectory;
    const w = weightsAt(t, 5);
    const file = toFileUnits(scaleFeatures(src.dataset, 'standard').scaling!, w, t.b[5]);
    const at = md.indexOf("In the file's units");
    assert.ok(at > 0 && md.indexOf('These act on the scaled features x̃.') < at);
    const fileList = md.slice(at, md.indexOf('##', at));
    for (const v of [...file.w, file.b]) assert.ok(fileList.includes(latexNumber(v, 8)), `${v} in ${fileList}`);
  });

  it('leaves the sample out when none is chosen, and clamps the epoch to the run', () => {
    const src = course();
    const md = derivationMarkdown(src, 10_000, null);
    assert.match(md, /^# ReLU neuron: the derivation at epoch 100\n/);
    assert.doesNotMatch(md, /\*\*Sample/);
    assert.match(md, /Cases \(taken by at least one sample\)/);
    assert.match(derivationMarkdown(src, -5, 99), /the derivation at epoch 0\n/);
  });

  it('writes math that KaTeX renders without an error, and no stray LaTeX or dollar in the prose', () => {
    for (const [text, epoch, sample] of [
      [readFileSync(join(root, 'examples/two-features.csv'), 'utf8'), 3, 4],
      [readFileSync(join(root, 'examples/noisy.csv'), 'utf8'), 400, null],
      ['x1,x2,x3,x4,x5,x6,x7,x8,y\n' + '1,2,3,4,5,6,7,8,9\n'.repeat(3), 1, 2],
      [`# @scale standard\n${readFileSync(join(root, 'examples/two-features.csv'), 'utf8')}`, 3, 4],
      [`# @scale minmax\n${readFileSync(join(root, 'examples/course.csv'), 'utf8')}`, 2, 1],
      ['# @scale standard\nx1,x2,x3,x4,x5,x6,x7,x8,y\n' + '1,2,3,4,5,6,7,8,9\n2,2,3,4,5,6,7,9,9\n3,2,3,4,5,6,7,8,1\n', 1, 2],
    ] as const) {
      const md = derivationMarkdown(exported(text), epoch, sample);
      const { display, inline, prose } = mathOf(md);
      assert.ok(display.length > 20 && inline.length > 5);
      for (const tex of display) katex.renderToString(tex, { displayMode: true, throwOnError: true, strict: 'error' });
      for (const tex of inline) katex.renderToString(tex, { throwOnError: true, strict: 'error' });
      assert.doesNotMatch(prose.replace(/\\[$|.\-_*()[\]{}#+!<>~&`\\]/g, ''), /[$\\]/);
    }
  });

  it('escapes the file and column names, so dataset text never becomes markup or math', () => {
    const src = exported('"a*b_[c](d)",$x$|<img>,y\n1,2,3\n2,1,4\n', 'my_[data]$.csv');
    const md = derivationMarkdown(src, 0, 0);
    assert.ok(md.includes('Dataset my\\_\\[data\\]\\$\\.csv:'), md.slice(0, 300));
    assert.ok(md.includes('a\\*b\\_\\[c\\]\\(d\\), \\$x\\$\\|\\<img\\>'));
    assert.ok(md.includes('(a\\*b\\_\\[c\\]\\(d\\))'));
    assert.doesNotMatch(md, /<img>|\$x\$/);
    assert.equal(escapeMarkdown('x.1-2'), 'x\\.1\\-2');
    const { inline } = mathOf(md);
    for (const tex of inline) assert.doesNotMatch(tex, /img|a\*b/);
  });

  it('tables the first and last five epochs and the one on display, in bold, with "…" rows for the gaps', () => {
    const md = derivationMarkdown(course(), 50, null);
    const rows = md.split('\n').filter((l) => /^\| (\*\*)?\d+(\*\*)? \|/.test(l) || l.startsWith('| … |'));
    const epochs = rows.map((r) => r.split('|')[1].trim());
    assert.deepEqual(epochs, ['0', '1', '2', '3', '4', '…', '**50**', '…', '96', '97', '98', '99', '100']);
    assert.match(md, /^\| Epoch \| \$l\$ \| \$w\$ \(x\) \| \$b\$ \| \\\|∇l\\\| \| active samples \|$/m);
    assert.match(md, /^\| 0 \| 16\.5 \| 0 \| 0 \| 15\.2069 \| 4 \/ 4 \|$/m);
  });

  it('says why a run stopped early', () => {
    const md = derivationMarkdown(exported(readFileSync(join(root, 'examples/too-fast.csv'), 'utf8')), 3, null);
    assert.match(md, /^> The run stopped early: The neuron died at epoch 3: .*Try a learning rate of 0\.1,/m);
    assert.match(md, /Inactive samples \(a_i = 0\): 4 of 4/);
  });

  it('puts every sentence through the translation it is given', () => {
    const marked: Translate = (template, ...args) => `«${template.replace(/\{(\d+)\}/g, (_m, k: string) => String(args[Number(k)]))}»`;
    const md = derivationMarkdown(exported(readFileSync(join(root, 'examples/too-fast.csv'), 'utf8')), 2, 1, marked);
    const { prose } = mathOf(md);
    let words = prose;
    for (let k = 0; k < 3; k++) words = words.replace(/«[^«»]*»/g, '');
    // Left: math, numbers, Markdown punctuation, the dataset's own names, and the init value as written in `# @init`.
    words = words.replace(/⟨math⟩|\\\|∇l\\\||\d+ \/ \d+|zeros|[-\d.e]+|[|#*>:;,.()…—\s]|---:?|x|y|data\\\.csv/g, '');
    assert.equal(words, '', 'text outside the translation');
    assert.ok(md.includes('«Derivative of a sum»'));
    assert.ok(md.includes('«The run stopped early: «The neuron died at epoch 3:'));
  });

  it('has a Russian translation of every sentence, with the same placeholders', () => {
    const ru: Record<string, string> = JSON.parse(readFileSync(join(root, 'l10n/bundle.l10n.ru.json'), 'utf8'));
    const placeholders = (s: string) =>
      [...s.matchAll(/\{\d+\}/g)]
        .map((m) => m[0])
        .sort()
        .join();
    for (const s of Object.values(MARKDOWN_TEXT)) {
      assert.ok(s in ru, `no Russian for "${s}"`);
      assert.equal(placeholders(ru[s]), placeholders(s), s);
    }
  });
});

describe("the PyTorch script's template (pytorch.py)", () => {
  it('fills each placeholder once, so text put in is never read as a placeholder', () => {
    assert.equal(fillTemplate('a {{x}} b {{y}}\n', { x: '{{y}}', y: '1' }), 'a {{y}} b 1\n');
  });

  it('puts lines in place of a placeholder alone on its line, and drops the line for none', () => {
    assert.equal(fillTemplate('A\n{{rows}}\nB\n', { rows: ['1', '2'] }), 'A\n1\n2\nB\n');
    assert.equal(fillTemplate('A\n{{rows}}\nB\n', { rows: [] }), 'A\nB\n');
  });

  it('refuses a placeholder without a value, and lines inside a line', () => {
    assert.throws(() => fillTemplate('{{x}}\n', {}), /\{\{x\}\}/);
    assert.throws(() => fillTemplate('a {{rows}}\n', { rows: ['1'] }), /\{\{rows\}\}/);
  });

  it('leaves no placeholder unfilled in the script', () => {
    assert.doesNotMatch(pytorchScript(course()), /\{\{|\}\}/);
  });
});

describe('the PyTorch script', () => {
  const pythonExists = python('print(1)')?.stdout.trim() === '1';

  /** The script's constants, read by Python's own parser and written back as JSON (floats by repr, so exactly). */
  function constants(script: string): Record<string, unknown> {
    const r = python(
      [
        'import ast, json, math, sys',
        'tree = ast.parse(sys.stdin.read())',
        'out = {}',
        'for node in tree.body:',
        '    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper():',
        '        out[node.targets[0].id] = ast.literal_eval(node.value)',
        'print(json.dumps(out))',
      ].join('\n'),
      script,
    );
    assert.ok(r, 'python3 runs');
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  before(() => {
    assert.ok(pythonExists, 'python3 is installed (scripts/install-system-deps.sh)');
  });

  it('is valid Python', () => {
    for (const name of ['course.csv', 'two-features.csv', 'russian-locale.csv', 'too-fast.csv']) {
      const file = join(dir, `${name}.py`);
      writeFileSync(file, pytorchScript(exported(readFileSync(join(root, 'examples', name), 'utf8'), name)));
      const r = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1], encoding="utf-8").read())', file], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    }
  });

  it("embeds the data, θ₀, α, the epochs and the explorer's final numbers exactly", () => {
    // Values no short decimal holds, a seeded random start and ReLU'(0) = 0.
    const text = 'a,b,y\n0.1,0.2,0.30000000000000004\n1e-7,-3.5e5,2\n0.7,-0.3,0.1\n';
    const src = exported(text, 'exact.csv', {
      learningRate: 0.0123,
      epochs: 7,
      initialization: { kind: 'random', seed: 42 },
      reluGradAtZero: 0,
    });
    const c = constants(pytorchScript(src));
    const t = src.run.trajectory;
    const theta0 = initialParameters({ kind: 'random', seed: 42 }, 2);
    const same = (a: unknown, b: unknown, what: string) =>
      assert.ok(Object.is(JSON.stringify(a), JSON.stringify(b)), `${what}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
    same(
      c.X,
      [
        [0.1, 0.2],
        [1e-7, -3.5e5],
        [0.7, -0.3],
      ],
      'X',
    );
    same(c.Y, Array.from(src.dataset.y), 'Y');
    same(c.W0, Array.from(theta0.w), 'W0');
    same(c.B0, theta0.b, 'B0');
    assert.ok(theta0.b !== 0 && theta0.w[0] !== 0);
    same(c.LEARNING_RATE, 0.0123, 'LEARNING_RATE');
    same(c.EPOCHS, 7, 'EPOCHS');
    same(c.RELU_GRAD_AT_ZERO, 0, 'RELU_GRAD_AT_ZERO');
    same(c.EXPECTED_LOSS, t.loss[7], 'EXPECTED_LOSS');
    same(c.EXPECTED_W, Array.from(weightsAt(t, 7)), 'EXPECTED_W');
    same(c.EXPECTED_B, t.b[7], 'EXPECTED_B');
    assert.deepEqual([c.FEATURES, c.TARGET], [['a', 'b'], 'y']);
  });

  it("trains full-batch in float64 with the document's ReLU'(0) = 1 through its own autograd Function", () => {
    const script = pytorchScript(course());
    assert.match(script, /class ReLUDocument\(torch\.autograd\.Function\):/);
    assert.match(script, /return grad_z \* \(u >= 0\)\.to\(grad_z\.dtype\)/);
    assert.match(script, /torch\.relu cannot be used for this: its derivative at exactly 0 is 0/);
    assert.match(script, /return torch\.relu\(u\) {2}# PyTorch's own ReLU: ReLU'\(0\) = 0/);
    assert.match(script, /^RELU_GRAD_AT_ZERO = 1 /m);
    assert.match(script, /torch\.tensor\(X, dtype=torch\.float64\)/);
    assert.match(script, /loss = \(\(z - y\) \*\* 2\)\.mean\(\)/);
    assert.match(script, /w -= LEARNING_RATE \* w\.grad/);
    assert.match(script, /"# matches ReLU Neuron Explorer: " \+ \("yes" if same else "no"\)/);
    assert.match(script, /^EPOCHS = 100 /m);
    assert.match(script, /dataset: {3}course\.csv \(4 samples; features: x; target: y\)/);
  });

  it('runs only the epochs the explorer recorded when the run stopped, and says why', () => {
    const script = pytorchScript(exported(readFileSync(join(root, 'examples/too-fast.csv'), 'utf8'), 'too-fast.csv'));
    assert.match(script, /^# The explorer stopped this run at epoch 3 \(died\):$/m);
    assert.match(script, /^EPOCHS = 3 /m);
    assert.match(script, /Set EPOCHS = 100 to see what\n# follows/);
  });

  it('writes strings and floats Python reads back unchanged', () => {
    const strings = ['x', 'часы', 'a"b\\c', 'tab\there', 'line\u2028sep', '😀 emoji', '\u0000\u007f'];
    const floats = [
      0,
      -0,
      1,
      -2.5,
      0.1,
      1e-7,
      1e21,
      5e-324,
      1.7976931348623157e308,
      123456789.123,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    const code = `import json, math\nprint(json.dumps([${strings.map(pythonString).join(', ')}]))\nfor v in [${floats.map(pythonFloat).join(', ')}]:\n    print(repr(v), math.copysign(1.0, v) if v == 0 else "")`;
    const r = python(code)!;
    assert.equal(r.status, 0, r.stderr);
    const [json, ...reprs] = r.stdout.trim().split('\n');
    assert.deepEqual(JSON.parse(json), strings);
    assert.deepEqual(
      reprs.map((l) => l.trim()),
      [
        '0.0 1.0',
        '-0.0 -1.0',
        '1.0',
        '-2.5',
        '0.1',
        '1e-07',
        '1e+21',
        '5e-324',
        '1.7976931348623157e+308',
        '123456789.123',
        'nan',
        'inf',
        '-inf',
      ],
    );
  });

  it("prints numbers the way the CSV export does (JavaScript's String(v))", () => {
    const values = [
      0, -0, 1, -1, 2, 0.5, 0.1, 0.30000000000000004, 1e-6, 1.5e-7, -1e-7, 123456789012345680000, 1e21, 1.5e21, 1e300, 5e-324, -2.5e-5,
      4.05, 16.5, 6.495312499999999, 0.000001234, 1234.5678,
    ];
    for (let k = 0; k < 200; k++) values.push((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 60 - 30));
    const code = `import math, sys\nfrom decimal import Decimal\n${jsNumberPython()}\nfor line in sys.stdin.read().split():\n    print(js_number(float(line)))`;
    const r = python(code, values.map((v) => (Object.is(v, -0) ? '-0.0' : String(v))).join('\n'))!;
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), values.map(String));
  });

  it("reproduces the run in PyTorch (Debian's python3-torch)", function () {
    this.timeout(120_000);
    const interpreter = ['python3', '/usr/bin/python3'].find((p) => python('import torch', '', p)?.status === 0);
    assert.ok(interpreter, 'PyTorch is installed: scripts/install-system-deps.sh installs python3-torch');
    const cases = [
      ['course.csv', {}],
      ['course.csv', { reluGradAtZero: 0, initialization: { kind: 'random', seed: 3 } }],
      ['two-features.csv', {}],
      ['too-fast.csv', {}],
      ['two-features.csv', { scale: 'standard' }],
      ['course.csv', { scale: 'minmax', reluGradAtZero: 0, initialization: { kind: 'random', seed: 5 } }],
      ['../test/fixtures/data/cars.csv', { scale: 'standard' }],
      ['../test/fixtures/data/global-temp.csv', { scale: 'standard' }],
    ] as const;
    const runs = cases.map(([name, override], k) => {
      const src = exported(readFileSync(join(root, 'examples', name), 'utf8'), name, override as SettingsOverride);
      const file = join(dir, `torch-${k}.py`);
      writeFileSync(file, pytorchScript(src));
      return { name, src, file };
    });
    // One interpreter runs every script (importing torch once), as `python3 FILE` would.
    const runner = [
      'import contextlib, io, json, runpy, sys',
      'results = []',
      'for f in sys.argv[1:]:',
      '    out, code = io.StringIO(), 0',
      '    with contextlib.redirect_stdout(out):',
      '        try:',
      '            runpy.run_path(f, run_name="__main__")',
      '        except SystemExit as e:',
      '            code = e.code',
      '    results.append({"code": code, "out": out.getvalue()})',
      'print(json.dumps(results))',
    ].join('\n');
    const r = spawnSync(interpreter!, ['-c', runner, ...runs.map((x) => x.file)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const results: Array<{ code: number; out: string }> = JSON.parse(r.stdout);
    runs.forEach(({ name, src }, k) => {
      const lines = results[k].out.trim().split('\n');
      assert.equal(results[k].code, 0, `${name}: ${lines.slice(-3).join('\n')}`);
      assert.equal(lines[lines.length - 1], '# matches ReLU Neuron Explorer: yes');
      const names = src.dataset.features.map((_, j) => `w${j + 1}`);
      assert.equal(lines[0], ['epoch', 'loss', ...names, 'b', ...names.map((n) => `dl_d${n}`), 'dl_db', 'active'].join(','));
      assert.equal(lines.filter((l) => !l.startsWith('#')).length, src.run.trajectory.length + 1);
      // A scaled run: the script recomputes the scaling and gives the parameters in the file's units too.
      const fileLine = lines.find((l) => l.startsWith("# in the file's units"));
      assert.equal(fileLine !== undefined, src.run.settings.scale !== 'none', name);
      if (fileLine) {
        const last = src.run.trajectory.length - 1;
        const file = toFileUnits(
          scaleFeatures(src.dataset, src.run.settings.scale).scaling!,
          weightsAt(src.run.trajectory, last),
          src.run.trajectory.b[last],
        );
        const [, ws, bs] = /: w \[(.*)\], b (\S+)$/.exec(fileLine) ?? [];
        const numbers = [...ws.split(', ').map((v) => v.replace(/'/g, '')), bs].map(Number);
        assert.equal(numbers.length, file.w.length + 1, fileLine);
        [...file.w, file.b].forEach((v, j) =>
          assert.ok(Math.abs(numbers[j] - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${name}: ${numbers[j]} vs ${v}`),
        );
      }
    });
  });
});
