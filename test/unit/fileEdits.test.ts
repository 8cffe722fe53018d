import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  type QuickFix,
  type StopReason,
  type TextEdit,
  problemFixes,
  quickFixEdit,
  stopFixes,
  commentLinesOf,
  commentOutRowEdit,
  findSettingLine,
  ignoreColumnEdit,
  learningRateEdit,
  listName,
  parseDataset,
  settingsInsertLine,
  standardizeEdit,
  targetColumnEdit,
  textLines,
} from '../../src/engine';

/** `text` with `edit` applied, counting lines and characters the way VS Code does (any line break). */
function apply(text: string, edit: TextEdit | null): string {
  assert.ok(edit, 'an edit');
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  const offset = (line: number, ch: number) => starts[line] + ch;
  return text.slice(0, offset(edit.startLine, edit.startCharacter)) + edit.text + text.slice(offset(edit.endLine, edit.endCharacter));
}

/** The roles the engine reads from `text`: feature names, target name, left-out names. */
function roles(text: string): { features: string[]; target: string; ignored: string[] } {
  const d = parseDataset(text);
  const s = d.schema!;
  return { features: d.features, target: d.target, ignored: s.columns.filter((_, k) => s.roles[k] === 'ignored') };
}

const COUNTRIES =
  'country,income,health,population\nAfghanistan,1925,57.63,32526562\nAlbania,10620,76,2896679\nAlgeria,13434,76.5,39666519\n';

describe('Quick Fix edits of the dataset text', () => {
  describe('where a new `# @` line goes', () => {
    it('at the top when the file has no `# @` lines above the header', () => {
      assert.equal(settingsInsertLine(textLines('x,y\n1,2\n')), 0);
      assert.equal(settingsInsertLine(textLines('# a plain comment\n\nx,y\n1,2\n')), 0);
      assert.equal(settingsInsertLine(textLines('1,2\n3,4\n')), 0); // headerless: the data starts at once
    });

    it('after the last `# @` line above the header, past plain comments and blank lines between them', () => {
      assert.equal(settingsInsertLine(textLines('# @lr 0.1\nx,y\n1,2\n')), 1);
      assert.equal(settingsInsertLine(textLines('# Weather\n# @epochs 30\n\n# @lr 0.1\n# source: Seattle\nx,y\n')), 4);
      // A `# @` line below the header does not move the place (it is not part of the file's opening lines).
      assert.equal(settingsInsertLine(textLines('# @lr 0.1\nx,y\n1,2\n# @epochs 5\n3,4\n')), 1);
    });
  });

  describe('"Leave out column X"', () => {
    it('adds `# @ignore X` after the settings, and the engine then leaves X out without a warning', () => {
      const text = '# @epochs 30\n' + COUNTRIES;
      const edited = apply(text, ignoreColumnEdit(textLines(text), 'country'));
      assert.equal(edited, '# @epochs 30\n# @ignore country\n' + COUNTRIES);
      assert.deepEqual(roles(edited).ignored, ['country']);
      assert.deepEqual(
        parseDataset(edited).problems.map((p) => p.code),
        [],
      );
      assert.deepEqual(
        parseDataset(text).problems.map((p) => p.code),
        ['text-column'],
      );
    });

    it('extends an existing `# @ignore a` to `# @ignore a, b`, keeping what follows the line', () => {
      const text = '# @ignore population  \n' + COUNTRIES;
      const edited = apply(text, ignoreColumnEdit(textLines(text), 'country'));
      assert.equal(edited.split('\n')[0], '# @ignore population, country');
      assert.deepEqual(roles(edited), { features: ['income'], target: 'health', ignored: ['country', 'population'] });
      assert.deepEqual(
        parseDataset(edited).problems.map((p) => p.code),
        [],
      );
      const empty = '# @ignore\n' + COUNTRIES;
      assert.equal(apply(empty, ignoreColumnEdit(textLines(empty), 'health')).split('\n')[0], '# @ignore health');
    });

    it('offers nothing when `# @ignore` already names the column (any case)', () => {
      const text = '# @ignore Health\n' + COUNTRIES;
      assert.equal(ignoreColumnEdit(textLines(text), 'health'), null);
    });

    it('quotes names with spaces, commas and quotes so that the engine reads the same column back (property)', () => {
      const nameChar = fc.constantFrom('a', 'b', 'Z', ' ', ',', '"', 'é', '1', '-');
      const name = fc
        .array(nameChar, { minLength: 1, maxLength: 8 })
        .map((cs) => cs.join('').trim())
        .filter((n) => n.length > 0 && !/^\d/.test(n) && n.toLowerCase() !== 'y');
      fc.assert(
        fc.property(name, fc.boolean(), (n, existing) => {
          const cell = `"${n.replace(/"/g, '""')}"`;
          const text = `${existing ? '# @ignore other\n' : ''}${cell},other,keep,out\n1,2,3,4\n5,6,7,8\n`;
          const edited = apply(text, ignoreColumnEdit(textLines(text), n));
          const r = roles(edited);
          assert.ok(r.ignored.includes(n), `${JSON.stringify(n)} in ${JSON.stringify(edited)}: ${JSON.stringify(r)}`);
          assert.deepEqual(
            parseDataset(edited).problems.map((p) => p.code),
            [],
          );
        }),
        { numRuns: 300 },
      );
      assert.equal(listName('GDP, per capita'), '"GDP, per capita"');
      assert.equal(listName('say "hi"'), '"say ""hi"""');
      assert.equal(listName('income'), 'income');
    });
  });

  describe('"Use column X as the target"', () => {
    it('adds `# @target X` at the top, or replaces the value of the first `# @target` line', () => {
      const edited = apply(COUNTRIES, targetColumnEdit(textLines(COUNTRIES), 'health'));
      assert.equal(edited, '# @target health\n' + COUNTRIES);
      assert.equal(roles(edited).target, 'health');
      const wrong = '# @target helth\n# @epochs 30\n' + COUNTRIES;
      const fixed = apply(wrong, targetColumnEdit(textLines(wrong), 'health'));
      assert.equal(fixed, '# @target health\n# @epochs 30\n' + COUNTRIES);
      assert.deepEqual(
        parseDataset(fixed).problems.map((p) => p.code),
        ['text-column'],
      );
    });

    it('writes names with spaces, commas and quotes so that the engine reads the same target back', () => {
      for (const n of ['life expectancy', 'GDP, per capita', '"quoted"', 'a "b" c']) {
        const text = `country,"${n.replace(/"/g, '""')}",income\nA,1,2\nB,3,4\n`;
        const edited = apply(text, targetColumnEdit(textLines(text), n));
        assert.equal(roles(edited).target, n, edited);
      }
    });
  });

  describe('"Use learning rate α" and "Standardize the features"', () => {
    it('replaces the value of an existing `# @lr` line (or its alias), else adds one; the engine reads α back', () => {
      const text = '# Years\n# @learning-rate 0.05\n# @epochs 100\nyear,temp\n1900,1\n1901,2\n';
      const edited = apply(text, learningRateEdit(textLines(text), 5e-7));
      assert.equal(edited, '# Years\n# @lr 5e-7\n# @epochs 100\nyear,temp\n1900,1\n1901,2\n');
      assert.equal(parseDataset(edited).settings.learningRate, 5e-7);
      const bare = 'year,temp\n1900,1\n1901,2\n';
      const added = apply(bare, learningRateEdit(textLines(bare), 0.0002));
      assert.equal(added, '# @lr 0.0002\n' + bare);
      assert.equal(parseDataset(added).settings.learningRate, 0.0002);
    });

    it('writes any suggested rate 1, 2, 5 × 10^k as the engine reads it back (property)', () => {
      fc.assert(
        fc.property(fc.constantFrom(1, 2, 5), fc.integer({ min: -9, max: 1 }), (m, k) => {
          const rate = Number(`${m}e${k}`);
          if (rate < 1e-9 || rate > 100) return;
          const edited = apply('x,y\n1,2\n3,4\n', learningRateEdit(textLines('x,y\n1,2\n3,4\n'), rate));
          assert.equal(parseDataset(edited).settings.learningRate, rate, edited);
          assert.ok(!edited.split('\n')[0].includes('000000'), edited);
        }),
      );
    });

    it('adds `# @scale standard`, or sets an existing `# @scale` line to it', () => {
      const text = '# @lr 0.05\nyear,temp\n1900,1\n';
      assert.equal(apply(text, standardizeEdit(textLines(text))), '# @lr 0.05\n# @scale standard\nyear,temp\n1900,1\n');
      const none = '# @scale: none\n# @lr 0.05\nyear,temp\n1900,1\n';
      assert.equal(apply(none, standardizeEdit(textLines(none))), '# @scale standard\n# @lr 0.05\nyear,temp\n1900,1\n');
    });
  });

  describe('"Comment out this row"', () => {
    it('puts `# ` in front of the row, and the engine then skips it without a problem', () => {
      const text = 'x,y\n1,2\n3,oops\n5,6\n';
      assert.deepEqual(
        parseDataset(text).problems.map((p) => p.code),
        ['not-a-number'],
      );
      const edited = apply(text, commentOutRowEdit(2));
      assert.equal(edited, 'x,y\n1,2\n# 3,oops\n5,6\n');
      const d = parseDataset(edited);
      assert.deepEqual([d.n, d.problems.length], [2, 0]);
    });
  });

  describe('which fixes a problem offers', () => {
    /** The fixes of each problem of `text`, by problem code, and `text` with each fix applied. */
    const fixesOf = (text: string) => {
      const d = parseDataset(text);
      return d.problems.map((p) => ({ code: p.code, fixes: problemFixes(p, d.schema, textLines(text)) }));
    };
    const applied = (text: string, f: QuickFix) => apply(text, quickFixEdit(textLines(text), f));

    it('a text column: leave it out (the preferred fix), and the warning goes', () => {
      const [w] = fixesOf(COUNTRIES);
      assert.deepEqual(w, { code: 'text-column', fixes: [{ kind: 'ignore', column: 'country', preferred: true }] });
      assert.deepEqual(parseDataset(applied(COUNTRIES, w.fixes[0])).problems, []);
    });

    it('a value that is no number in a feature: leave the column out, or comment the row out; either clears the error', () => {
      const text = 'a,b,y\n1,2,3\n4,x,6\n7,8,9\n';
      const [e] = fixesOf(text);
      assert.deepEqual(e, {
        code: 'not-a-number',
        fixes: [
          { kind: 'ignore', column: 'b', preferred: false },
          { kind: 'comment-out', line0: 2 },
        ],
      });
      for (const f of e.fixes) assert.deepEqual(parseDataset(applied(text, f)).problems, [], f.kind);
      assert.equal(parseDataset(applied(text, e.fixes[0])).n, 3);
    });

    it('never offers to leave out the target, or the last feature (nothing would be left to train on)', () => {
      assert.deepEqual(fixesOf('a,y\n1,2\n3,oops\n5,6\n'), [{ code: 'not-a-number', fixes: [{ kind: 'comment-out', line0: 2 }] }]);
      assert.deepEqual(fixesOf('x,y\nfoo,1\n2,3\n4,5\n'), [{ code: 'not-a-number', fixes: [{ kind: 'comment-out', line0: 1 }] }]);
      assert.deepEqual(fixesOf('a,b,y\n1,2,3\n4,5\n'), [{ code: 'wrong-field-count', fixes: [{ kind: 'comment-out', line0: 2 }] }]);
    });

    it('a `# @target` naming no column: each column not left out, as the target; a wrong `# @ignore` name: nothing', () => {
      const text = '# @target helth\n# @ignore populaton\n' + COUNTRIES;
      const byCode = fixesOf(text);
      const target = byCode.find((p) => p.code === 'unknown-column' && p.fixes.length > 0)!;
      assert.deepEqual(
        target.fixes,
        ['income', 'health', 'population'].map((column) => ({ kind: 'target', column })),
      );
      assert.equal(byCode.filter((p) => p.code === 'unknown-column' && p.fixes.length === 0).length, 1);
      const fixed = applied(text, target.fixes[1]);
      assert.equal(parseDataset(fixed).target, 'health');
      assert.deepEqual(
        parseDataset(fixed)
          .problems.map((p) => p.code)
          .sort(),
        ['text-column', 'unknown-column'],
      );
    });

    it('the count of more rows like this in a column: leave the column out (it is no row of its own)', () => {
      const rows = Array.from({ length: 90 }, (_, i) => `${i},${i % 3 ? i : 'n/a?'},${i}`).join('\n');
      const text = `a,b,y\n${rows}\n`;
      const more = fixesOf(text).find((p) => p.code === 'more-rows-like-this')!;
      assert.deepEqual(more.fixes, [{ kind: 'ignore', column: 'b', preferred: false }]);
    });
  });

  describe('which fixes a stopped run offers', () => {
    const stop = (rate: number, scalingAdvised = true): StopReason => ({
      reason: 'diverged',
      epoch: 3,
      message: '',
      template: '',
      args: [],
      stabilityBound: 2 * rate,
      suggestedLearningRate: rate,
      scalingAdvised,
    });
    const bare = textLines('year,temp\n1900,1\n');

    it('standardizing first, then the suggested α; nothing when the run did not stop', () => {
      assert.deepEqual(stopFixes(null, bare, false), []);
      assert.deepEqual(stopFixes(stop(5e-7), bare, false), [{ kind: 'standardize' }, { kind: 'learning-rate', rate: 5e-7 }]);
      assert.deepEqual(
        stopFixes(stop(0.1, false), bare, false),
        [{ kind: 'learning-rate', rate: 0.1 }, { kind: 'standardize' }],
        'the rate first where scaling is not the trouble',
      );
    });

    it('no standardizing when the file already says `# @scale standard`; no α when none was found or the panel sets α', () => {
      assert.deepEqual(stopFixes(stop(5e-7), textLines('# @scale Standard\nyear,temp\n1900,1\n'), false), [
        { kind: 'learning-rate', rate: 5e-7 },
      ]);
      assert.deepEqual(stopFixes(stop(0), bare, false), [{ kind: 'standardize' }]);
      assert.deepEqual(stopFixes(stop(5e-7), bare, true), [{ kind: 'standardize' }]);
    });
  });

  describe('a long document', () => {
    it('finds a `# @key` line among the comment lines alone when the caller knows them, as a full read does', () => {
      const rows = Array.from({ length: 5000 }, (_, i) => `${i},${2 * i}`);
      const text = ['# data', 'x,y', ...rows.slice(0, 2500), '# @lr 0.01', '  # @ignore x', ...rows.slice(2500)].join('\n');
      const full = textLines(text);
      let reads = 0;
      const known = { ...full, lineAt: (i: number) => (reads++, full.lineAt(i)), commentLines: commentLinesOf(full) };
      assert.deepEqual(known.commentLines, [0, 2502, 2503]);
      for (const key of ['lr', 'ignore', 'target']) assert.equal(findSettingLine(known, key), findSettingLine(full, key), key);
      assert.ok(reads <= 9, `${reads} lines read`);
      assert.deepEqual(learningRateEdit(known, 0.5), learningRateEdit(full, 0.5));
      assert.deepEqual(ignoreColumnEdit(known, 'y'), ignoreColumnEdit(full, 'y'));
    });
  });

  describe('CRLF files', () => {
    it('write new lines with \\r\\n and touch no other line break', () => {
      const text = '# @epochs 30\r\ncountry,income,health,pop\r\nA,1,2,3\r\nB,3,4,5\r\n';
      const edited = apply(text, ignoreColumnEdit(textLines(text), 'country'));
      assert.equal(edited, '# @epochs 30\r\n# @ignore country\r\ncountry,income,health,pop\r\nA,1,2,3\r\nB,3,4,5\r\n');
      const lr = apply(edited, learningRateEdit(textLines(edited), 0.001));
      assert.equal(lr, '# @epochs 30\r\n# @ignore country\r\n# @lr 0.001\r\ncountry,income,health,pop\r\nA,1,2,3\r\nB,3,4,5\r\n');
      const extended = apply(lr, ignoreColumnEdit(textLines(lr), 'income'));
      assert.equal(extended.split('\r\n')[1], '# @ignore country, income');
      assert.equal(extended.replace(/\r\n/g, '').includes('\n'), false);
      assert.equal(parseDataset(extended).settings.learningRate, 0.001);
      assert.deepEqual(roles(extended).features, ['health']);
    });

    it('add a line after the last line of a file without a final line break', () => {
      const text = '# @epochs 30';
      assert.equal(apply(text, learningRateEdit(textLines(text), 0.5)), '# @epochs 30\n# @lr 0.5');
    });
  });
});
