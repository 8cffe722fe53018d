import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { type ColumnChoice, type Dataset, DatasetDecoder, DatasetStream, decodeDatasetBytes, parseDataset } from '../../src/engine';

/** Cuts `text` at the given offsets (any order, duplicates allowed) into chunks. */
function cut<T extends string | Uint8Array>(whole: T, at: number[]): T[] {
  const points = [...new Set(at.map((a) => Math.min(whole.length, Math.max(0, a))))].sort((a, b) => a - b);
  const out: T[] = [];
  let from = 0;
  for (const p of [...points, whole.length]) {
    out.push(whole.slice(from, p) as T);
    from = p;
  }
  return out;
}

/** Reads chunks as the from-disk path does: one pass, and a second one when the first asks for it. */
function readChunks(chunks: string[], choice: ColumnChoice = {}): { dataset: Dataset; passes: number } {
  const first = new DatasetStream(choice);
  for (const c of chunks) first.push(c);
  const end = first.end();
  if ('dataset' in end) return { dataset: end.dataset, passes: 1 };
  const second = new DatasetStream(choice, end.again);
  for (const c of chunks) second.push(c);
  const again = second.end();
  if (!('dataset' in again)) throw new Error('a second pass asked for a third');
  return { dataset: again.dataset, passes: 2 };
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
  '\r',
  '"',
  '""',
  '#',
  ' @lr 0.1',
  ' @epochs 5',
  ' @target a',
  ' @ignore x',
  ' @features a, "y"',
  ' @missing mean',
  'x',
  'y',
  'a',
  'NA',
  '\t',
  ' ',
  '\ufeff',
  'я',
  '€',
  '\u{1d465}', // a character outside the BMP: two UTF-16 units
);

describe('DatasetStream: text in chunks', () => {
  it('gives what parseDataset gives for the whole text, cut anywhere (property)', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), fc.array(fc.nat(400), { maxLength: 12 }), (parts, at) => {
        const text = parts.join('');
        assert.deepStrictEqual(readChunks(cut(text, at)).dataset, parseDataset(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('a longer file: rows past the ones that decide the roles, role lines anywhere, cut anywhere (property)', () => {
    const row = fc.oneof(
      fc
        .tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: -9, max: 9 }))
        .map(([a, b, c]) => `${a}.${b},"${c}",${a - c}`),
      fc.constantFrom(
        '1,NA,2',
        'x,1,2',
        '1,2',
        '"1\r\n2",3,4',
        '# a comment',
        '',
        '# @missing mean',
        '# @target b',
        '# @ignore c',
        '3,4,5,6',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 90, maxLength: 260 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(6000), { maxLength: 40 }),
        (rows, eol, at) => {
          const text = ['a,b,c', ...rows].join(eol);
          const read = readChunks(cut(text, at));
          assert.deepStrictEqual(read.dataset, parseDataset(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('one chunk per character, and the whole text as one chunk, give the same', () => {
    const text = '\ufeff# @lr 0.1\r\nx;"y"\r\n1,5;2\r\n"3";NA\r\n4;x\r\n';
    const expected = parseDataset(text);
    assert.deepStrictEqual(readChunks([...text]).dataset, expected);
    assert.deepStrictEqual(readChunks([text]).dataset, expected);
    assert.equal(expected.n, 1); // "3";NA is a missing target, 4;x not a number
    assert.equal(expected.skippedRows, 2);
  });

  it('a CRLF cut between CR and LF is one line break', () => {
    const { dataset } = readChunks(['x,y\r', '\n1,2\r', '\n3,4\r', '', '\n']);
    assert.equal(dataset.n, 2);
    assert.deepStrictEqual(Array.from(dataset.sampleLines), [1, 2]);
    assert.deepStrictEqual(Array.from(dataset.y), [2, 4]);
  });

  it('a role line below the rows that decided the roles takes a second pass, and then wins', () => {
    const rows = Array.from({ length: 150 }, (_, i) => `${i},${2 * i},${i % 7}`);
    const text = ['a,b,c', ...rows, '# @target b'].join('\n');
    const read = readChunks(cut(text, [5, 700, 701, 1500]));
    assert.equal(read.passes, 2);
    assert.equal(read.dataset.target, 'b');
    assert.deepStrictEqual(read.dataset.features, ['a', 'c']);
    assert.deepStrictEqual(read.dataset, parseDataset(text));
  });

  it('keeps the rows and the few lines that decide, not the text', () => {
    const s = new DatasetStream();
    s.push('x,y\n1,2\n3,');
    assert.equal(s.linesRead, 2);
    s.push('4\n');
    assert.equal(s.linesRead, 3);
    const end = s.end();
    assert.ok('dataset' in end);
    assert.deepStrictEqual(Array.from(end.dataset.x), [1, 3]);
    assert.throws(() => s.end());
  });
});

/** Decodes chunks as the from-disk path does: as UTF-8, and again as Windows-1251 at the first invalid byte. */
function decodeChunks(chunks: Uint8Array[]): { text: string; encoding: string } {
  for (const encoding of ['utf-8', 'windows-1251'] as const) {
    const decoder = new DatasetDecoder(encoding);
    const texts: string[] = [];
    let ok = true;
    for (const c of chunks) {
      const t = decoder.push(c);
      if (t === null) {
        ok = false;
        break;
      }
      texts.push(t);
    }
    const last = ok ? decoder.end() : null;
    if (last !== null) return { text: texts.join('') + last, encoding };
  }
  throw new Error('Windows-1251 failed');
}

describe('DatasetDecoder: bytes in chunks', () => {
  const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

  it('a character split between chunks is UTF-8, not an invalid byte', () => {
    // я = D1 8F, € = E2 82 AC, 𝑥 = F0 9D 91 A5: cut inside each.
    const bytes = utf8('я,€,𝑥\n');
    for (let k = 1; k < bytes.length; k++) {
      const r = decodeChunks(cut(bytes, [k, k + 1]));
      assert.deepStrictEqual(r, { text: 'я,€,𝑥\n', encoding: 'utf-8' }, `cut at ${k}`);
    }
  });

  it('a BOM is dropped, also when cut; a BOM alone is no text', () => {
    const bytes = utf8('\ufeffx,y\n');
    for (let k = 0; k <= 4; k++) assert.deepStrictEqual(decodeChunks(cut(bytes, [k])), { text: 'x,y\n', encoding: 'utf-8' });
    assert.deepStrictEqual(decodeChunks([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf])]), { text: '', encoding: 'utf-8' });
  });

  it('Windows-1251 bytes (Russian Excel) are read as Windows-1251, wherever the first invalid byte falls', () => {
    // "рост,вес" in Windows-1251: р=F0 о=EE с=F1 т=F2, в=E2 е=E5 с=F1.
    const cp1251 = new Uint8Array([0xf0, 0xee, 0xf1, 0xf2, 0x2c, 0xe2, 0xe5, 0xf1, 0x0a, 0x31, 0x2c, 0x32, 0x0a]);
    for (let k = 0; k <= cp1251.length; k++) {
      assert.deepStrictEqual(decodeChunks(cut(cp1251, [k])), { text: 'рост,вес\n1,2\n', encoding: 'windows-1251' });
    }
    // Valid UTF-8 up to a cut, an invalid byte long after it.
    const late = new Uint8Array([...utf8('x,y\n'.repeat(1000)), 0xe9, 0x0a]);
    assert.equal(decodeChunks(cut(late, [100, 2000, 3999])).encoding, 'windows-1251');
    // A character cut short by the end of the file is not UTF-8.
    assert.equal(decodeChunks([utf8('x,y\n'), new Uint8Array([0xd1])]).encoding, 'windows-1251');
  });

  it('joined, equals decodeDatasetBytes of all the bytes, cut anywhere (property)', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 6 }).map(utf8),
      fc.uint8Array({ maxLength: 4 }),
      fc.constant(new Uint8Array([0xef, 0xbb, 0xbf])),
      fc.constant(utf8('я€\r\n')),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(60), { maxLength: 8 }), (pieces, at) => {
        const bytes = new Uint8Array(pieces.flatMap((p) => Array.from(p)));
        assert.deepStrictEqual(decodeChunks(cut(bytes, at)), decodeDatasetBytes(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});
