import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DatasetDocument, parseDataset, splitLines } from '../../src/engine';

/** Applies an edit given in (line, character) coordinates to LF-joined text, by offsets. */
function applyByOffsets(text: string, e: { startLine: number; startCharacter: number; endLine: number; endCharacter: number; text: string }): string {
  const lines = text.split('\n');
  const offset = (line: number, ch: number) => lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + ch;
  return text.slice(0, offset(e.startLine, e.startCharacter)) + e.text + text.slice(offset(e.endLine, e.endCharacter));
}

const alphabet = fc.constantFrom('1', '2', '-', '.', ',', ';', '\n', '\r\n', '"', '#', ' @lr 0.1', ' @epochs 5', 'x', 'y', 'a', 'NaN', '\t', ' ');
const textArb = fc.array(alphabet, { maxLength: 80 }).map((a) => a.join(''));

describe('DatasetDocument: incremental re-parsing', () => {
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
          const endCharacter = endLine === startLine ? startCharacter + (d % (lines[endLine].length - startCharacter + 1)) : d % (lines[endLine].length + 1);
          const edit = { startLine, startCharacter, endLine, endCharacter, text: insert };
          assert.ok(doc.applyEdit(edit));
          text = applyByOffsets(text, edit).split(/\r\n|\r|\n/).join('\n');
        }
        assert.equal(doc.text(), text);
        assert.deepEqual(doc.dataset(), parseDataset(text));
      }),
      { numRuns: 1500 },
    );
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
