import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DatasetDocument, parseDataset, parseHeader, parseRowInGeneral, plainRow, splitLines, withRoles } from '../../src/engine';

/** Applies an edit given in (line, character) coordinates to LF-joined text, by offsets. */
function applyByOffsets(
  text: string,
  e: { startLine: number; startCharacter: number; endLine: number; endCharacter: number; text: string },
): string {
  const lines = text.split('\n');
  const offset = (line: number, ch: number) => lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + ch;
  return text.slice(0, offset(e.startLine, e.startCharacter)) + e.text + text.slice(offset(e.endLine, e.endCharacter));
}

const alphabet = fc.constantFrom(
  '1',
  '2',
  '-',
  '.',
  ',',
  ';',
  '\n',
  '\r\n',
  '"',
  '#',
  ' @lr 0.1',
  ' @epochs 5',
  'x',
  'y',
  'a',
  'NaN',
  '\t',
  ' ',
  // Column roles and missing values (columns.ts): each can change how every row is read.
  ' @target a',
  ' @ignore x',
  ' @features a, "y"',
  ' @missing mean',
  ' @missing skip',
  'NA',
  '?',
  'text',
);
const textArb = fc.array(alphabet, { maxLength: 80 }).map((a) => a.join(''));

describe('DatasetDocument: incremental re-parsing', () => {
  it('past the first 100 rows, keeps the roles for a row edit and decides them again for a role line added or removed', () => {
    // 150 rows, a text column: the roles come from the header and the first 100 rows (plus any role line).
    const rows = Array.from({ length: 150 }, (_, i) => `${i % 7},name${i},${(i * 3) % 11}`);
    const start = `x,label,y\n${rows.join('\n')}\n# @note end\n`;
    const edits = [
      { startLine: 140, startCharacter: 0, endLine: 140, endCharacter: 1, text: '9' }, // a row past the window
      { startLine: 151, startCharacter: 0, endLine: 151, endCharacter: 11, text: '# @ignore x' }, // a role line added there
      { startLine: 145, startCharacter: 0, endLine: 146, endCharacter: 0, text: '' }, // rows above it removed: it moves
      { startLine: 150, startCharacter: 0, endLine: 150, endCharacter: 11, text: '# @note end' }, // and removed again
      { startLine: 120, startCharacter: 0, endLine: 120, endCharacter: 0, text: 'broken,row\n' }, // a row added, one broken
    ];
    const doc = new DatasetDocument(start);
    let text = start;
    for (const edit of edits) {
      assert.ok(doc.applyEdit(edit));
      text = applyByOffsets(text, edit);
      assert.deepEqual(doc.dataset(), parseDataset(text), JSON.stringify(edit));
    }
    assert.deepEqual(parseDataset(text).features, ['x'], 'the text column is left out after all the edits');
  });

  it('decides the roles again when an edit inside the first 100 rows turns a column into text', () => {
    // "code" holds 55 numbers and 45 words in the first 100 rows: a feature. Twenty more words make it text.
    const rows = Array.from({ length: 120 }, (_, i) => `${i % 5},${i < 55 ? i : 'w' + i},${i % 3}`);
    const start = `x,code,y\n${rows.join('\n')}\n`;
    const doc = new DatasetDocument(start);
    assert.deepEqual(doc.dataset().features, ['x', 'code']);
    const replaced = rows.slice(0, 20).map((_, i) => `${i % 5},word${i},${i % 3}`);
    const edit = { startLine: 1, startCharacter: 0, endLine: 20, endCharacter: rows[19].length, text: replaced.join('\n') };
    assert.ok(doc.applyEdit(edit));
    const text = applyByOffsets(start, edit);
    assert.deepEqual(doc.dataset(), parseDataset(text));
    assert.deepEqual(doc.dataset().features, ['x']);
  });

  it('gives exactly what a full parse gives, after any sequence of edits', () => {
    fc.assert(
      fc.property(textArb, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(), textArb), { maxLength: 6 }), (start, edits) => {
        const doc = new DatasetDocument(start);
        let text = splitLines(start).join('\n');
        for (const [a, b, c, d, insert] of edits) {
          const lines = text.split('\n');
          const startLine = a % lines.length;
          const endLine = startLine + (c % (lines.length - startLine));
          const startCharacter = b % (lines[startLine].length + 1);
          const endCharacter =
            endLine === startLine ? startCharacter + (d % (lines[endLine].length - startCharacter + 1)) : d % (lines[endLine].length + 1);
          const edit = { startLine, startCharacter, endLine, endCharacter, text: insert };
          assert.ok(doc.applyEdit(edit));
          text = applyByOffsets(text, edit)
            .split(/\r\n|\r|\n/)
            .join('\n');
        }
        assert.equal(doc.text(), text);
        assert.deepEqual(doc.dataset(), parseDataset(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps X, y and the sample lines right edit after edit in a long table (rows added, removed, broken, mended)', () => {
    const cell = fc.constantFrom('1', '-2.5', '0', '7e1', 'x', '', '3');
    const row = fc.tuple(cell, cell, cell).map((c) => c.join(','));
    const rows = fc.array(fc.oneof(row, row, row, fc.constantFrom('', '# note', '# @lr 0.1', '1,2')), { minLength: 0, maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 20, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), rows), { minLength: 1, maxLength: 12 }),
        (body, edits) => {
          const start = ['# @epochs 3', 'a,b,y', ...body].join('\n');
          const doc = new DatasetDocument(start);
          let lines = start.split('\n');
          for (const [a, b, inserted] of edits) {
            // Replace whole lines [startLine, endLine] below the header by `inserted`.
            const startLine = 2 + (a % (lines.length - 2));
            const endLine = startLine + (b % Math.min(4, lines.length - startLine));
            const text = inserted.join('\n');
            assert.ok(doc.applyEdit({ startLine, startCharacter: 0, endLine, endCharacter: lines[endLine].length, text }));
            lines = [...lines.slice(0, startLine), ...text.split('\n'), ...lines.slice(endLine + 1)];
            assert.deepEqual(doc.dataset(), parseDataset(lines.join('\n')));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('re-decides the roles when an edit changes the first rows or a role line, in a table longer than the rows that decide', () => {
    const cell = fc.constantFrom('1', '-2.5', '0', 'x', 'NA', '', 'word');
    const row = fc.tuple(cell, cell, cell).map((c) => c.join(','));
    const numeric = fc.tuple(fc.constantFrom('1', '2'), fc.constantFrom('3', '4'), fc.constantFrom('5', '6')).map((c) => c.join(','));
    const inserted = fc.array(
      fc.oneof(row, numeric, fc.constantFrom('', '# @ignore b', '# @target a', '# @missing mean', '# @features c', 'w,w,w', '# @lr 1')),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(
        fc.array(numeric, { minLength: 95, maxLength: 130 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), inserted), { minLength: 1, maxLength: 8 }),
        (body, edits) => {
          const start = ['a,b,c', ...body].join('\n');
          const doc = new DatasetDocument(start);
          let lines = start.split('\n');
          for (const [p, q, rows] of edits) {
            const startLine = 1 + (p % (lines.length - 1));
            const endLine = startLine + (q % Math.min(3, lines.length - startLine));
            const text = rows.join('\n');
            assert.ok(doc.applyEdit({ startLine, startCharacter: 0, endLine, endCharacter: lines[endLine].length, text }));
            lines = [...lines.slice(0, startLine), ...text.split('\n'), ...lines.slice(endLine + 1)];
            assert.deepEqual(doc.dataset(), parseDataset(lines.join('\n')));
          }
        },
      ),
      { numRuns: 250 },
    );
  });

  it('leaves a column out as soon as its first rows turn to text, and takes it back when they are mended', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},${i},${2 * i}`);
    const doc = new DatasetDocument(['a,b,y', ...rows].join('\n'));
    for (let line = 1; line <= 6; line++) doc.applyEdit({ startLine: line, startCharacter: 0, endLine: line, endCharacter: 1, text: 'n' });
    assert.deepEqual(doc.dataset().features, ['b']);
    for (let line = 1; line <= 6; line++) doc.applyEdit({ startLine: line, startCharacter: 0, endLine: line, endCharacter: 1, text: '7' });
    assert.deepEqual(doc.dataset().features, ['a', 'b']);
    doc.applyEdit({ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: '# @ignore b\n' });
    assert.deepEqual(doc.dataset().features, ['a']);
  });

  it('hands out copies: a dataset taken earlier does not change with later edits', () => {
    const doc = new DatasetDocument('x,y\n1,2\n3,4\n');
    const before = doc.dataset();
    doc.applyEdit({ startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 3, text: '9,9\n8,8' });
    assert.deepEqual([...before.x, ...before.y], [1, 3, 2, 4]);
    assert.deepEqual([...doc.dataset().x], [9, 8, 3]);
  });

  it('moves the line numbers of problems and samples below an inserted line', () => {
    const doc = new DatasetDocument('x,y\n1,2\n3,oops\n5,6\n');
    doc.applyEdit({ startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 0, text: '0,0\n' });
    const d = doc.dataset();
    assert.deepEqual(Array.from(d.sampleLines), [1, 2, 4]);
    assert.equal(d.problems[0].line, 4);
  });

  it('re-reads every row when the header changes', () => {
    const doc = new DatasetDocument('x,y\n1,2\n');
    doc.applyEdit({ startLine: 0, startCharacter: 1, endLine: 0, endCharacter: 1, text: '1,x2' });
    const d = doc.dataset();
    assert.deepEqual(d.features, ['x1', 'x2']);
    assert.equal(d.problems[0].code, 'wrong-field-count');
  });

  it('refuses an edit outside the text and keeps the text as it was', () => {
    const doc = new DatasetDocument('x,y\n1,2');
    assert.equal(doc.applyEdit({ startLine: 5, startCharacter: 0, endLine: 5, endCharacter: 0, text: 'a' }), false);
    assert.equal(doc.applyEdit({ startLine: 1, startCharacter: 9, endLine: 1, endCharacter: 9, text: 'a' }), false);
    assert.equal(doc.text(), 'x,y\n1,2');
  });
});

describe('the plain fast way of reading a row', () => {
  const schema = (delimiter: ',' | ';', columns = 3) =>
    parseHeader(Array.from({ length: columns }, (_, k) => `c${k}`).join(delimiter), 0, [])!;
  const fieldAlphabet = fc.constantFrom('0', '1', '2', '5', '9', '-', '+', '.', ',', ' ', 'e', '"', '00000000');
  const noise = fc.array(fieldAlphabet, { maxLength: 6 }).map((a) => a.join(''));
  const decimal = fc
    .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,9}$/), fc.constantFrom('', '.', ','), fc.stringMatching(/^\d{0,9}$/))
    .map((p) => p.join(''));
  const field = fc.oneof({ arbitrary: decimal, weight: 5 }, { arbitrary: noise, weight: 1 });

  it('reads exactly what the general way reads, to the bit (and declines what it cannot)', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.constantFrom<',' | ';'>(',', ';'), fc.array(field, { minLength: 2, maxLength: 4 }), (delimiter, fields) => {
        const line = fields.join(delimiter);
        const s = schema(delimiter);
        const fast = plainRow(line, s);
        if (fast === null) return;
        taken++;
        const general = parseRowInGeneral(line, 0, s);
        assert.ok(general.ok, `the general way refuses "${line}"`);
        if (!general.ok || !fast.ok) return;
        assert.ok(
          [...fast.features, fast.target].every((v, k) => Object.is(v, [...general.features, general.target][k])),
          `"${line}"`,
        );
      }),
      { numRuns: 20_000 },
    );
    assert.ok(taken > 100, `the fast way read only ${taken} lines`);
  });

  it('skips left-out columns as the general way does, whatever they hold', () => {
    const text = fc.constantFrom('abc', '', '"q"', '1', 'x y', '2012-01-01');
    let taken = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<'feature' | 'ignored'>('feature', 'ignored'), decimal, text), { minLength: 2, maxLength: 5 }),
        (cols) => {
          const header = parseHeader(cols.map((_, k) => `c${k}`).join(','), 0, [])!;
          const roles = cols.map(([r], k) => (k === cols.length - 1 ? 'target' : r));
          const s = withRoles(header, roles, 'skip');
          const line = cols.map(([, num, t], k) => (roles[k] === 'ignored' ? t : num || '0')).join(',');
          const fast = plainRow(line, s);
          const general = parseRowInGeneral(line, 0, s);
          if (fast === null) return;
          taken++;
          assert.deepEqual(fast, general, line);
        },
      ),
      { numRuns: 5000 },
    );
    assert.ok(taken > 500, `the fast way read only ${taken} lines`);
  });

  it('gives the double Number() gives for decimals of up to 15 digits', () => {
    const s = schema(',', 2);
    let checked = 0;
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.integer({ min: 0, max: 12 }),
        (v, places) => {
          const text = v.toFixed(places);
          const fast = plainRow(`${text},1`, s);
          if (fast === null) return; // more than 15 digits
          checked++;
          assert.ok(fast.ok && Object.is(fast.features[0], Number(text)), text);
        },
      ),
      { numRuns: 20_000 },
    );
    // About 98% of the decimals have at most 15 digits; a fast way that declined them all would pass above.
    assert.ok(checked > 15_000, `the fast way read only ${checked} of 20000 decimals`);
  });
});
