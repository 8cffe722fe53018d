import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, decodeDatasetBytes, parseDataset } from '../../src/engine';
import { READ_CHUNK, readDataset, runDiskJob } from '../../src/training/fromDisk';
import { runJob } from '../../src/training/job';
import { TrainingClient } from '../../src/training/trainingClient';

/** A worker entry in `dir` that runs src/trainingWorker.ts through tsx (the bundle is not built for unit tests). */
function workerShim(dir: string): string {
  const file = path.join(dir, 'worker.js');
  fs.writeFileSync(
    file,
    `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(path.resolve(__dirname, '../../src/trainingWorker.ts'))});\n`,
  );
  return file;
}

/** CSV text of `rows` rows with CRLF line ends, a quoted field and a Cyrillic column name, about 20 bytes a row. */
function csv(rows: number, extra = ''): string {
  const lines = ['# @epochs 4', 'рост,"вес, кг",y'];
  for (let i = 0; i < rows; i++) lines.push(`${((i % 991) / 500 - 1).toFixed(4)},"${(i % 7) / 4}",${((i % 13) / 6).toFixed(3)}`);
  return `${lines.join('\r\n')}\r\n${extra}`;
}

/** Windows-1251 bytes of text made of ASCII and Cyrillic а…я, А…Я (U+0410…U+044F → 0xC0…0xFF). */
function cp1251(text: string): Uint8Array {
  return Uint8Array.from([...text].map((c) => (c.charCodeAt(0) < 128 ? c.charCodeAt(0) : c.charCodeAt(0) - 0x410 + 0xc0)));
}

describe('from disk: a file read in chunks in the worker', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-disk-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: string | Uint8Array) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };

  it('reads a file of several chunks (a BOM, CRLF, quoted fields) as parseDataset reads its text', async () => {
    const text = csv(130_000); // ~2.6 MB: three chunks of READ_CHUNK bytes
    const bytes = Buffer.from(`\ufeff${text}`, 'utf8');
    assert.ok(bytes.length > 2 * READ_CHUNK);
    const r = await readDataset({ path: write('big.csv', bytes) });
    assert.ok(r !== 'superseded');
    assert.equal(r.encoding, 'utf-8');
    assert.equal(r.bytes, bytes.length);
    assert.equal(r.passes, 1);
    assert.deepStrictEqual(r.dataset, parseDataset(text));
    assert.deepStrictEqual(r.dataset.features, ['рост', 'вес, кг']);
  });

  it('reads bytes that are not UTF-8 as Windows-1251, also when the first such byte is in a later chunk', async () => {
    const head = csv(100_000); // ASCII rows past the first chunk, then a Cyrillic comment
    const text = `${head}# Данные: рост и вес\r\n1,2,3\r\n`;
    const bytes = cp1251(text);
    assert.ok(bytes.indexOf(0xc4) > READ_CHUNK, 'the first byte that is not UTF-8 is past the first chunk');
    for (const source of [{ path: write('cp1251.csv', bytes) }, { bytes }]) {
      const r = await readDataset(source);
      assert.ok(r !== 'superseded');
      assert.equal(r.encoding, 'windows-1251');
      assert.equal(r.passes, 2);
      assert.equal(decodeDatasetBytes(bytes).encoding, 'windows-1251');
      assert.deepStrictEqual(r.dataset, parseDataset(text));
    }
  });

  it('takes a second pass for a role line at the end, and trains as the whole text does', async () => {
    const text = csv(500, '# @target рост\r\n');
    const p = write('roles.csv', text);
    const r = await runDiskJob({ source: { path: p }, version: 3, base: DEFAULT_SETTINGS, overrides: { epochs: 5 } });
    assert.ok(r !== 'superseded');
    assert.equal(r.passes, 2);
    assert.equal(r.version, 3);
    assert.equal(r.dataset.target, 'рост');
    const want = runJob({ text, base: DEFAULT_SETTINGS, overrides: { epochs: 5 } })!;
    assert.deepStrictEqual(Array.from(r.trajectory!.loss), Array.from(want.trajectory!.loss));
    assert.deepStrictEqual(r.stopped, want.stopped);
  });

  it('stops reading when a newer job supersedes it', async () => {
    let calls = 0;
    const r = await readDataset({ bytes: new Uint8Array(Buffer.from(csv(200_000))) }, {}, () => ++calls === 2);
    assert.equal(r, 'superseded');
    assert.equal(calls, 2);
  });

  it('runs in the worker thread through TrainingClient.runFromDisk, and reports a file that cannot be read', async () => {
    const client = new TrainingClient(workerShim(dir));
    try {
      const text = csv(3_000);
      const r = await client.runFromDisk({
        source: { path: write('client.csv', text) },
        version: 1,
        base: DEFAULT_SETTINGS,
        overrides: {},
      });
      assert.ok(client.usesWorker);
      assert.ok(r);
      const want = runJob({ text, base: DEFAULT_SETTINGS, overrides: {} })!;
      assert.equal(r.dataset.n, 3_000);
      assert.deepStrictEqual(Array.from(r.trajectory!.loss), Array.from(want.trajectory!.loss));
      await assert.rejects(
        client.runFromDisk({ source: { path: path.join(dir, 'missing.csv') }, version: 2, base: DEFAULT_SETTINGS, overrides: {} }),
        /ENOENT/,
      );
    } finally {
      client.dispose();
    }
  });
});
