import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { type DatasetProblem, formatTemplate, parseDataset } from '../../src/engine';

function only(problems: DatasetProblem[], code: string): DatasetProblem {
  const hits = problems.filter((p) => p.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got ${JSON.stringify(problems)}`);
  return hits[0];
}

describe('parseDataset reads CSV as a student types it', () => {
  it('reads a header and rows, the target being the last column', () => {
    const d = parseDataset('a,b,t\n1,2,3\n4,5,6\n');
    assert.deepEqual(d.features, ['a', 'b']);
    assert.equal(d.target, 't');
    assert.equal(d.n, 2);
    assert.deepEqual(Array.from(d.x), [1, 2, 4, 5]);
    assert.deepEqual(Array.from(d.y), [3, 6]);
    assert.deepEqual(Array.from(d.sampleLines), [1, 2]);
    assert.deepEqual(d.problems, []);
  });

  it('takes the column named y (any case) as the target wherever it stands', () => {
    const d = parseDataset('Y,x1,x2\n7,1,2\n');
    assert.deepEqual(d.features, ['x1', 'x2']);
    assert.equal(d.target, 'Y');
    assert.deepEqual(Array.from(d.x), [1, 2]);
    assert.deepEqual(Array.from(d.y), [7]);
  });

  it('accepts CRLF, a BOM, comments, blank lines, spaces and quoted numbers', () => {
    const d = parseDataset('\uFEFF# a comment\r\n x , y \r\n\r\n "1.5" , 2 \r\n# more\r\n3,"-4e1"\r\n');
    assert.equal(d.n, 2);
    assert.deepEqual(Array.from(d.x), [1.5, 3]);
    assert.deepEqual(Array.from(d.y), [2, -40]);
    assert.deepEqual(Array.from(d.sampleLines), [3, 5]);
    assert.deepEqual(d.problems, []);
  });

  it('detects semicolons and tabs, and accepts a decimal comma with them', () => {
    const semi = parseDataset('x;y\n1,5;2\n-0,25;3,75\n');
    assert.deepEqual(Array.from(semi.x), [1.5, -0.25]);
    assert.deepEqual(Array.from(semi.y), [2, 3.75]);
    const tab = parseDataset('x\ty\n1,5\t2\n');
    assert.deepEqual(Array.from(tab.x), [1.5]);
  });

  it('explains a decimal comma in a comma-separated file as a field-count problem on that line', () => {
    const d = parseDataset('x,y\n1,5,2\n');
    const p = only(d.problems, 'wrong-field-count');
    assert.equal(p.line, 2);
    assert.match(p.message, /Expected 2 fields/);
    assert.equal(d.skippedRows, 1);
  });

  it('reports a non-number with its line and column, skips the row and keeps the others', () => {
    const d = parseDataset('x,y\n1,2\n3,abc\n5,6\n');
    const p = only(d.problems, 'not-a-number');
    assert.deepEqual([p.line, p.column, p.length], [3, 3, 3]);
    assert.match(p.message, /"y".*"abc"/);
    assert.equal(d.n, 2);
    assert.equal(d.skippedRows, 1);
    assert.deepEqual(Array.from(d.y), [2, 6]);
  });

  it('reports Infinity and overflowing numbers as not finite, and reads NaN as a missing value', () => {
    const d = parseDataset('x,y\nNaN,1\n1,Infinity\n-inf,2\n1e400,3\n');
    assert.equal(d.problems.filter((p) => p.code === 'not-finite').length, 3);
    assert.equal(only(d.problems, 'missing-value').line, 2);
    assert.equal(d.n, 0);
  });

  it('reports an empty field as a missing value, with a warning, and skips the row', () => {
    const d = parseDataset('x,y\n1,\n2,3\n');
    const p = only(d.problems, 'missing-value');
    assert.deepEqual([p.line, p.column, p.severity], [2, 3, 'warning']);
    assert.equal(d.n, 1);
    assert.equal(d.skippedRows, 1);
  });

  it('reports too many fields at the first extra one', () => {
    const p = only(parseDataset('x,y\n1,2,3\n').problems, 'wrong-field-count');
    assert.deepEqual([p.line, p.column], [2, 4]);
  });

  it('reports an empty file and a file with only comments', () => {
    only(parseDataset('').problems, 'empty-file');
    only(parseDataset('# just a comment\n\n').problems, 'empty-file');
  });

  it('reports a header without rows', () => {
    const p = only(parseDataset('x,y\n').problems, 'header-only');
    assert.equal(p.line, 1);
  });

  it('reports a one-column header', () => {
    const d = parseDataset('x\n1\n');
    only(d.problems, 'header-too-few-columns');
    assert.equal(d.n, 0);
  });

  it('reports duplicate and missing column names but still trains', () => {
    const d = parseDataset('x,X,,y\n1,2,3,4\n');
    const dup = only(d.problems, 'header-duplicate-name');
    assert.deepEqual([dup.line, dup.column], [1, 3]);
    const empty = only(d.problems, 'header-empty-name');
    assert.deepEqual([empty.line, empty.column], [1, 5]);
    assert.equal(d.n, 1);
    assert.equal(d.d, 3);
  });

  it('reads a first line of numbers as data, with columns x1 … xd, y, and says so once', () => {
    const d = parseDataset('1,2\n3,4\n');
    assert.match(only(d.problems, 'headerless').message, /x1, y/);
    assert.deepEqual([d.n, d.features, d.target], [2, ['x1'], 'y']);
  });

  describe('settings in comment lines', () => {
    it('reads every setting', () => {
      const d = parseDataset('# @lr 0.1\n# @epochs = 30\n# @init: 0.5, -1\n# @relu-grad-at-zero 0\nx,y\n1,2\n');
      assert.deepEqual(d.settings, {
        learningRate: 0.1,
        epochs: 30,
        initialization: { kind: 'values', w: [0.5], b: -1 },
        reluGradAtZero: 0,
      });
      assert.deepEqual(d.problems, []);
    });

    it('combines @init random with @seed', () => {
      assert.deepEqual(parseDataset('# @init random\n# @seed 42\nx,y\n1,2\n').settings.initialization, { kind: 'random', seed: 42 });
      assert.deepEqual(parseDataset('# @init random 7\nx,y\n1,2\n').settings.initialization, { kind: 'random', seed: 7 });
    });

    it('leaves ordinary comments alone', () => {
      const d = parseDataset('# lr is the learning rate @ home\nx,y\n1,2\n');
      assert.deepEqual(d.settings, {});
      assert.deepEqual(d.problems, []);
    });

    it('reports an unknown setting at its key', () => {
      const p = only(parseDataset('# @rate 0.1\nx,y\n1,2\n').problems, 'unknown-setting');
      assert.deepEqual([p.line, p.column, p.length], [1, 4, 4]);
    });

    it('reports out-of-range and malformed values at the value', () => {
      const d = parseDataset('# @lr 0\n# @epochs 1000001\n# @epochs 1.5\n# @relu-grad-at-zero 2\nx,y\n1,2\n');
      const codes = d.problems.map((p) => p.code);
      assert.deepEqual(codes, ['setting-out-of-range', 'setting-out-of-range', 'duplicate-setting', 'setting-out-of-range']);
      assert.equal(d.problems[0].column, 7);
      assert.deepEqual(d.settings, {});
    });

    it('reports an @init with the wrong number of values for the header', () => {
      const d = parseDataset('# @init 1 2 3\nx,y\n1,2\n');
      only(d.problems, 'init-wrong-count');
      assert.equal(d.settings.initialization, undefined);
    });
  });

  describe('on any input', () => {
    it('never throws, and every problem points inside the text', () => {
      const alphabet = fc.constantFrom(
        '1',
        '2',
        '.',
        ',',
        ';',
        '\t',
        '\n',
        '\r',
        '"',
        '#',
        '@',
        ' ',
        '-',
        'e',
        'x',
        'y',
        'N',
        'a',
        '\uFEFF',
        'lr ',
      );
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.array(alphabet, { maxLength: 200 }).map((a) => a.join('')),
          ),
          (text) => {
            const d = parseDataset(text);
            assert.equal(d.x.length, d.n * d.d);
            assert.equal(d.y.length, d.n);
            const lineCount = text.split(/\r\n|\r|\n/).length;
            for (const p of d.problems) {
              assert.ok(p.line >= 1 && p.line <= lineCount, `line ${p.line} of ${lineCount}`);
              assert.ok(p.column >= 1 && p.length >= 1);
              assert.ok(p.message.length > 0);
              assert.equal(p.message, formatTemplate(p.template, p.args));
            }
            for (const v of d.x) assert.ok(Number.isFinite(v));
            for (const v of d.y) assert.ok(Number.isFinite(v));
          },
        ),
        { numRuns: 3000 },
      );
    });

    it('reads back any finite numbers written as CSV', () => {
      const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
      fc.assert(
        fc.property(fc.array(fc.tuple(finite, finite), { minLength: 1, maxLength: 30 }), (rows) => {
          const d = parseDataset(`x,y\n${rows.map(([a, b]) => `${a},${b}`).join('\n')}`);
          assert.equal(d.n, rows.length);
          assert.deepEqual(
            Array.from(d.x),
            rows.map((r) => r[0] + 0),
          );
        }),
      );
    });

    it('is linear: a 200,000-line file with a pathological quote parses quickly', () => {
      const text = `x,y\n"${'1,'.repeat(200_000)}\n`;
      const d = parseDataset(text);
      assert.equal(d.problems.length, 1);
    });
  });
});
