import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  type DatasetProblem,
  DatasetDocument,
  PROBLEMS_PER_GROUP,
  choiceFromStorage,
  nextColumnChoice,
  decodeDatasetBytes,
  groupRowProblems,
  datasetProblem,
  isMissing,
  parseDataset,
  splitNames,
} from '../../src/engine';
import { skippedCauses } from '../../src/shared/protocol';

function only(problems: DatasetProblem[], code: string): DatasetProblem {
  const hits = problems.filter((p) => p.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got ${JSON.stringify(problems.map((p) => p.message))}`);
  return hits[0];
}

/** A weather file as students download it: a date, three numbers and a category. */
function weather(rows: number): string {
  const kinds = ['rain', 'sun', 'fog'];
  const lines = ['date,precipitation,temp_max,wind,weather'];
  for (let i = 0; i < rows; i++)
    lines.push(`2012-01-${String((i % 28) + 1).padStart(2, '0')},${i % 7},${10 + (i % 5)},${(i % 4) + 0.5},${kinds[i % 3]}`);
  return lines.join('\n');
}

describe('column roles', () => {
  describe('by default', () => {
    it('leaves a text column out with one warning on its header cell, never one per row', () => {
      const d = parseDataset(weather(1461));
      assert.deepEqual(d.features, ['precipitation', 'temp_max']);
      assert.equal(d.target, 'wind'); // the last column holding numbers
      assert.equal(d.n, 1461);
      assert.equal(d.problems.length, 2, JSON.stringify(d.problems.map((p) => p.message)));
      const date = d.problems.find((p) => p.args[0] === 'date')!;
      assert.deepEqual([date.code, date.line, date.column, date.length, date.severity], ['text-column', 1, 1, 4, 'warning']);
      assert.equal(date.message, 'The column "date" holds text, not numbers (e.g. "2012-01-01"), so it is left out.');
      const kind = d.problems.find((p) => p.args[0] === 'weather')!;
      assert.deepEqual([kind.column, kind.length, kind.args[1]], [34, 7, 'rain']);
      // x_i = (precipitation, temp_max) of row i, y_i its wind.
      assert.deepEqual(Array.from(d.x.slice(0, 4)), [0, 10, 1, 11]);
      assert.deepEqual(Array.from(d.y.slice(0, 2)), [0.5, 1.5]);
    });

    it('takes the column named y (any case) as the target, even among text columns', () => {
      const d = parseDataset('name,Y,a\nAnn,1,2\nBob,3,4\n');
      assert.equal(d.target, 'Y');
      assert.deepEqual(d.features, ['a']);
      assert.deepEqual(Array.from(d.y), [1, 3]);
    });

    it('keeps a column with a few bad values as a feature and reports those rows', () => {
      const d = parseDataset('a,b\n1,2\nx,3\n4,5\n');
      assert.deepEqual(d.features, ['a']);
      assert.equal(only(d.problems, 'not-a-number').line, 3);
    });

    it('keeps text columns when leaving them out would leave no feature: their rows say what is wrong', () => {
      const d = parseDataset('x,y\nfoo,1\nbar,2\n');
      assert.deepEqual(d.features, ['x']);
      assert.equal(d.problems.filter((p) => p.code === 'not-a-number').length, 2);
      assert.equal(d.problems.filter((p) => p.code === 'text-column').length, 0);
    });

    it('decides from the first 100 rows: text further down is a problem of its row', () => {
      const rows = Array.from({ length: 150 }, (_, i) => (i < 120 ? `${i},${i}` : `n${i},${i}`));
      const d = parseDataset(`a,y\n${rows.join('\n')}`);
      assert.deepEqual(d.features, ['a']);
      assert.equal(d.skippedRows, 30);
    });
  });

  describe('a file without a header', () => {
    it('reads the first line as data, names the columns x1 … xd, y and says so once', () => {
      const d = parseDataset('1,2,3\n4,5,6\n');
      assert.deepEqual([d.features, d.target, d.n], [['x1', 'x2'], 'y', 2]);
      assert.deepEqual(Array.from(d.sampleLines), [0, 1]);
      assert.deepEqual(Array.from(d.x), [1, 2, 4, 5]);
      const p = only(d.problems, 'headerless');
      assert.equal(p.message, 'The first line holds only numbers, so the file is read without a header: its columns are called x1, x2, y.');
      assert.equal(d.problems.length, 1);
    });

    it('takes role lines by those names, and semicolons with decimal commas', () => {
      const d = parseDataset('# @target x1\n1,5;2;3\n4;5;6\n');
      assert.deepEqual([d.features, d.target], [['x2', 'y'], 'x1']);
      assert.deepEqual(Array.from(d.y), [1.5, 4]);
    });
  });

  describe('said by the file', () => {
    it('@target, @features and @ignore, in any case, with quoted names', () => {
      const file =
        '# @target "Body Mass (g)"\n# @features beak length, "Flipper, mm"\nBeak Length,Depth,"Flipper, mm",Body Mass (g)\n1,2,3,4\n5,6,7,8\n';
      const d = parseDataset(file);
      assert.deepEqual([d.features, d.target], [['Beak Length', 'Flipper, mm'], 'Body Mass (g)']);
      assert.deepEqual(Array.from(d.x), [1, 3, 5, 7]);
      assert.deepEqual(Array.from(d.y), [4, 8]);
      assert.deepEqual(d.problems, []);
      const ignored = parseDataset('# @ignore B\na,b,c\n1,x,3\n');
      assert.deepEqual([ignored.features, ignored.target, ignored.n], [['a'], 'c', 1]);
      assert.deepEqual(ignored.problems, []);
      assert.deepEqual(ignored.schema!.roles, ['feature', 'ignored', 'target']);
    });

    it('lets options (the CLI flags) win over the lines', () => {
      const text = '# @target a\n# @ignore b\na,b,c\n1,2,3\n';
      const d = parseDataset(text, { target: 'c', ignore: [] });
      assert.deepEqual([d.features, d.target], [['a', 'b'], 'c']);
      assert.deepEqual(parseDataset(text, { features: ['b'] }).features, ['b']);
    });

    it('reports a name that is no column where it is written, and trains on the rest', () => {
      const d = parseDataset('# @ignore c, nope\n# @target wat\na,b,c\n1,2,3\n');
      const unknown = d.problems.filter((p) => p.code === 'unknown-column');
      assert.deepEqual(
        unknown.map((p) => [p.line, p.column, p.length, p.args[0]]),
        [
          [1, 14, 4, 'nope'],
          [2, 11, 3, 'wat'],
        ],
      );
      assert.match(unknown[0].message, /There is no column "nope"; the columns are a, b, c\./);
      assert.deepEqual([d.features, d.target, d.n], [['a'], 'b', 1]);
      const flag = parseDataset('a,b\n1,2\n', { features: ['zz'] });
      assert.equal(only(flag.problems, 'unknown-column').line, 1);
    });

    it('keeps a target that is also left out or listed as a feature, and says so', () => {
      const ignored = parseDataset('# @target b\n# @ignore b\na,b\n1,2\n');
      assert.deepEqual([ignored.target, ignored.features], ['b', ['a']]);
      assert.deepEqual([only(ignored.problems, 'target-left-out').line, only(ignored.problems, 'target-left-out').column], [2, 11]);
      const listed = parseDataset('# @features a, b\na,b\n1,2\n');
      assert.deepEqual([listed.target, listed.features], ['b', ['a']]);
      only(listed.problems, 'target-left-out');
    });

    it('reports a file where no feature is left as an error, with no samples', () => {
      const d = parseDataset('# @ignore a\na,b\n1,2\n');
      assert.equal(only(d.problems, 'no-features').severity, 'error');
      assert.equal(d.n, 0);
    });

    it("notes which roles the file's own lines name, whatever the panel chose, and follows edits of those lines", () => {
      const named = (text: string, choice = {}) => parseDataset(text, choice).schema?.roleLines;
      assert.deepEqual(named('a,b,c\n1,2,3\n'), { target: false, features: false });
      assert.deepEqual(named('# @target a\na,b,c\n1,2,3\n'), { target: true, features: false });
      assert.deepEqual(named('# @ignore c\na,b,c\n1,2,3\n'), { target: false, features: true });
      // The panel's choice wins over the lines, but the lines are still there to mark.
      assert.deepEqual(named('# @features a\na,b,c\n1,2,3\n', { target: 'b', features: ['c'] }), { target: false, features: true });
      const doc = new DatasetDocument('a,b,c\n1,2,3\n');
      doc.applyEdit({ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: '# @target a\n' });
      assert.deepEqual(doc.dataset().schema?.roleLines, { target: true, features: false });
      assert.equal(doc.dataset().target, 'a');
      doc.applyEdit({ startLine: 0, startCharacter: 0, endLine: 1, endCharacter: 0, text: '' });
      assert.deepEqual(doc.dataset().schema?.roleLines, { target: false, features: false });
      assert.equal(doc.dataset().target, 'c');
    });

    it('takes the first of repeated role lines and warns about the others', () => {
      const d = parseDataset('# @target a\n# @target b\na,b,c\n1,2,3\n');
      assert.equal(d.target, 'a');
      assert.equal(only(d.problems, 'duplicate-setting').line, 2);
    });
  });

  it('splits a list of names at commas outside quotes, with where each starts', () => {
    assert.deepEqual(splitNames(' a ,"b, c" ,, d', 10), [
      { name: 'a', at: 11 },
      { name: 'b, c', at: 15 },
      { name: 'd', at: 24 },
    ]);
  });
});

describe('missing values', () => {
  it('knows the usual spellings, and nothing else', () => {
    for (const t of ['', 'NA', 'na', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?', '-']) assert.ok(isMissing(t), t);
    for (const t of ['0', 'none', '--', 'n', 'inf', 'x']) assert.ok(!isMissing(t), t);
  });

  it('skips the row with a warning naming the column, and counts the skipped rows by cause', () => {
    const d = parseDataset('a,b,y\n1,NA,3\n4,5,6\n7,8,?\n1,x,2\n"",1,2\n');
    const missing = d.problems.filter((p) => p.code === 'missing-value');
    assert.deepEqual(
      missing.map((p) => [p.line, p.column, p.severity, p.args[0]]),
      [
        [2, 3, 'warning', 'b'],
        [4, 5, 'warning', 'y'],
        [6, 1, 'warning', 'a'],
      ],
    );
    assert.match(missing[0].message, /The value of "b" is missing, so this row is skipped\./);
    assert.match(missing[1].message, /The target "y" is missing/);
    assert.deepEqual(d.skippedByCause, { 'missing-value': 3, 'not-a-number': 1 });
    assert.equal(d.skippedRows, 4);
    assert.equal(d.n, 1);
  });

  it("with @missing mean gives a missing feature its column's mean over the rows that have it", () => {
    const d = parseDataset('# @missing mean\na,b,y\n1,NA,3\n3,4,6\nnull,8,9\n5,,1\n2,2,-\n');
    // Column a over the rows kept: 1, 3, 5 → 3; column b: 4, 8 → 6. The row whose target is missing is skipped.
    assert.deepEqual(Array.from(d.x), [1, 6, 3, 4, 3, 8, 5, 6]);
    assert.deepEqual(Array.from(d.y), [3, 6, 9, 1]);
    assert.equal(d.imputedRows, 3);
    assert.equal(d.problems.filter((p) => p.code === 'missing-value-mean').length, 3);
    assert.deepEqual(d.skippedByCause, { 'missing-value': 1 });
  });

  it('keeps the skipped rows by cause and the rows given a mean up to date as rows are edited', () => {
    // Each row's cause, by what its fields hold: a missing value, a word, too few fields, or none.
    const rows = ['1,2,3', '4,NA,6', '7,8,9', 'x,1,2', '5,6', '?,1,1'];
    const doc = new DatasetDocument(`# @missing mean\na,b,y\n${rows.join('\n')}\n`);
    const expected = (rs: string[]) => {
      const skipped: Record<string, number> = {};
      let imputed = 0;
      for (const r of rs) {
        const f = r.split(',');
        const cause =
          f.length !== 3
            ? 'wrong-field-count'
            : f.some((v) => /[a-z]/i.test(v) && v !== 'NA')
              ? 'not-a-number'
              : f[2] === '?' || f[2] === 'NA'
                ? 'missing-value'
                : null;
        if (cause) skipped[cause] = (skipped[cause] ?? 0) + 1;
        else if (f.some((v) => v === 'NA' || v === '?')) imputed++;
      }
      return { skipped, imputed };
    };
    const check = () => {
      const d = doc.dataset();
      const want = expected(rows);
      assert.deepEqual([d.skippedByCause, d.imputedRows], [want.skipped, want.imputed], rows.join(' | '));
      assert.deepEqual(d.skippedByCause, parseDataset(doc.text()).skippedByCause);
    };
    check();
    const edit = (k: number, text: string) => {
      doc.applyEdit({ startLine: k + 2, startCharacter: 0, endLine: k + 2, endCharacter: rows[k].length, text });
      rows[k] = text;
      check();
    };
    edit(0, '1,2,NA');
    edit(2, 'y,8,9');
    edit(3, '3,1,2');
    edit(4, '5,6,7');
    edit(1, '4,5,6');
    assert.deepEqual(doc.dataset().skippedByCause, { 'missing-value': 1, 'not-a-number': 1 });
    assert.deepEqual(skippedCauses(doc.dataset().skippedByCause), [
      { code: 'missing-value', rows: 1 },
      { code: 'not-a-number', rows: 1 },
    ]);
    assert.deepEqual(skippedCauses({ 'not-a-number': 2, 'missing-value': 5, 'empty-field': 0 }), [
      { code: 'missing-value', rows: 5 },
      { code: 'not-a-number', rows: 2 },
    ]);
  });

  it("reads the panel's stored column choice back, dropping what is damaged and never the run", () => {
    assert.deepEqual(choiceFromStorage({ target: 'b', features: ['a', 'c d'] }), { target: 'b', features: ['a', 'c d'] });
    assert.deepEqual(choiceFromStorage({ target: 3, features: [] }), {});
    assert.deepEqual(choiceFromStorage({ target: '', features: ['a', 7] }), {});
    assert.deepEqual(choiceFromStorage({ features: 'a' }), {});
    for (const raw of [undefined, null, 'b', 42, []]) assert.deepEqual(choiceFromStorage(raw), {});
    // What is read back chooses the same roles as the choice that was stored.
    const text = 'a,b,c\n1,2,3\n4,5,6\n';
    const stored = JSON.parse(JSON.stringify({ target: 'a', features: ['c'] })) as unknown;
    const d = parseDataset(text, choiceFromStorage(stored));
    assert.deepEqual([d.features, d.target], [['c'], 'a']);
  });

  it("changes the panel's column choice: named fields replace, a new target leaves the chosen features", () => {
    assert.deepEqual(nextColumnChoice({}, { target: 'b' }), { target: 'b' });
    assert.deepEqual(nextColumnChoice({ target: 'b' }, { features: ['a'] }), { target: 'b', features: ['a'] });
    // The new target was a chosen feature (in the panel, or by the file's lines): it leaves them.
    assert.deepEqual(nextColumnChoice({ features: ['a', 'b'] }, { target: 'b' }), { target: 'b', features: ['a'] });
    assert.deepEqual(nextColumnChoice({}, { target: 'a' }, ['a', 'c']), { target: 'a', features: ['c'] });
    assert.deepEqual(nextColumnChoice({ features: ['a'] }, { target: 'a' }), { target: 'a' });
    assert.deepEqual(nextColumnChoice({ target: 'y' }, { target: 'c' }, ['a', 'b']), { target: 'c' });
    // What it chooses reads as it says, with no warning about a target listed as a feature.
    const d = parseDataset('a,b,c,y\n1,2,3,4\n5,6,7,8\n', nextColumnChoice({ features: ['a', 'b', 'c'] }, { target: 'b' }));
    assert.deepEqual([d.features, d.target, d.problems], [['a', 'c'], 'b', []]);
  });

  it('reports an @missing value that is neither skip nor mean, and skips', () => {
    const d = parseDataset('# @missing average\nx,y\nNA,1\n2,3\n');
    assert.match(only(d.problems, 'setting-out-of-range').message, /@missing must be skip or mean; got "average"/);
    assert.equal(d.n, 1);
  });

  it('does not look at left-out columns: a missing value there costs nothing', () => {
    const d = parseDataset('name,a,y\nAnn,1,2\n,3,4\nNA,5,6\n');
    assert.equal(d.n, 3);
    assert.deepEqual(
      d.problems.map((p) => p.code),
      ['text-column'],
    );
  });
});

describe('grouped problems', () => {
  it(`lists at most ${PROBLEMS_PER_GROUP} rows with one problem in one column, then one line for the rest`, () => {
    const rows = Array.from({ length: 1461 }, (_, i) => `${i},${i % 2 ? 'oops' : 'NA'}`);
    const d = parseDataset(`a,y\n${rows.join('\n')}`);
    const byCode = (c: string) => d.problems.filter((p) => p.code === c);
    assert.equal(byCode('not-a-number').length, 20);
    assert.equal(byCode('missing-value').length, 20);
    const more = byCode('more-rows-like-this');
    assert.deepEqual(more.map((p) => p.message).sort(), [
      '… and 710 more rows like this in column "y".',
      '… and 711 more rows like this in column "y".',
    ]);
    // Each summary stands where the first row it counts is, so it is listed after the 20 it follows.
    const summary = more.find((p) => p.args[0] === '710')!;
    assert.equal(summary.line, 2 + 2 * 20 + 1);
    assert.equal(summary.severity, 'error');
    assert.equal(d.skippedRows, 1461);
    assert.deepEqual(d.skippedByCause, { 'missing-value': 731, 'not-a-number': 730 });
  });

  it('groups per column, and wrong field counts on their own', () => {
    const rows = [
      ...Array.from({ length: 25 }, () => 'x,1,1'),
      ...Array.from({ length: 25 }, () => '1,x,1'),
      ...Array.from({ length: 21 }, () => '1'),
    ];
    const d = parseDataset(`a,b,y\n1,1,1\n${rows.join('\n')}`);
    const more = d.problems.filter((p) => p.code === 'more-rows-like-this').map((p) => p.message);
    assert.deepEqual(more, [
      '… and 5 more rows like this in column "a".',
      '… and 5 more rows like this in column "b".',
      '… and 1 more row like this.',
    ]);
    assert.equal(d.problems.length, 3 * 20 + 3);
  });

  it('keeps every problem and adds one count per group, whatever the rows (property)', () => {
    const code = fc.constantFrom<'not-a-number' | 'missing-value' | 'wrong-field-count'>(
      'not-a-number',
      'missing-value',
      'wrong-field-count',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(code, fc.constantFrom('a', 'b')), { maxLength: 120 }), (kinds) => {
        const problems = kinds.map(([c, col], i) => datasetProblem(i, 0, 1, c, 'm {0}', [col]));
        const out = groupRowProblems(problems);
        const key = (p: DatasetProblem) => `${p.code}/${p.code === 'wrong-field-count' ? '' : p.args[0]}`;
        const counts = new Map<string, number>();
        for (const p of problems) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
        const listed = out.filter((p) => p.code !== 'more-rows-like-this');
        // The first 20 of each group, in order; then each group's rest as one count.
        for (const [k, n] of counts) assert.equal(listed.filter((p) => key(p) === k).length, Math.min(n, PROBLEMS_PER_GROUP));
        const summed = out.filter((p) => p.code === 'more-rows-like-this').reduce((s, p) => s + Number(p.args[0]), 0);
        assert.equal(listed.length + summed, problems.length);
        assert.equal(out.length - listed.length, [...counts.values()].filter((n) => n > PROBLEMS_PER_GROUP).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodings', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it('reads UTF-8 with or without a byte-order mark', () => {
    assert.deepEqual(decodeDatasetBytes(utf8('рост,вес\n1,2\n')), { text: 'рост,вес\n1,2\n', encoding: 'utf-8' });
    assert.deepEqual(decodeDatasetBytes(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8('x,y\n'))), { text: 'x,y\n', encoding: 'utf-8' });
  });

  it('reads bytes that are not UTF-8 as Windows-1251', () => {
    // "рост;вес" in Windows-1251: р = F0, о = EE, с = F1, т = F2, в = E2, е = E5.
    const bytes = Uint8Array.of(0xf0, 0xee, 0xf1, 0xf2, 0x3b, 0xe2, 0xe5, 0xf1, 0x0a, 0x31, 0x3b, 0x32);
    const r = decodeDatasetBytes(bytes);
    assert.deepEqual(r, { text: 'рост;вес\n1;2', encoding: 'windows-1251' });
    assert.deepEqual(parseDataset(r.text).features, ['рост']);
  });

  it('gives any UTF-8 text back unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const r = decodeDatasetBytes(utf8(s));
        assert.equal(r.encoding, 'utf-8');
        assert.equal(r.text, s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);
      }),
      { numRuns: 500 },
    );
  });
});
