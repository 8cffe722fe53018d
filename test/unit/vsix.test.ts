// The VSIX ships exactly what runs: the production bundles, the webview's assets, the manifest and
// its translations, the READMEs, CHANGELOG, LICENSE and the examples — no source maps, sources, tests
// or node_modules — and a README whose pictures show in the Extensions view. Checked in the VSIX
// itself, packaged as `npm run package` packages it, in a copy of the work tree, so the test never
// touches this tree's dist/.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const root = join(__dirname, '../..');
/** What the build and the packager never read, or make themselves. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test', 'test-results', 'bench-results']);

/**
 * The entries of a zip archive by name, read from its central directory (stored or deflated entries,
 * which is all vsce writes).
 */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'no end-of-central-directory record');
  const entries = new Map<string, Buffer>();
  let at = zip.readUInt32LE(end + 16);
  for (let k = zip.readUInt16LE(end + 10); k > 0; k--) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    assert.ok(method === 0 || method === 8, `${name}: compression method ${method}`);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * The local pictures a README shows, as paths from the README's folder: inline `![alt](path)`,
 * reference definitions `[label]: path` used by a `![alt][label]`, and `<img src="path">`.
 */
function readmeImages(markdown: string): string[] {
  const definitions = new Map([...markdown.matchAll(/^\[([^\]]+)\]:\s*(\S+)/gm)].map((m) => [m[1].toLowerCase(), m[2]]));
  const targets = [
    ...[...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]),
    ...[...markdown.matchAll(/!\[[^\]]*\]\[([^\]]+)\]/g)].map(
      (m) => definitions.get(m[1].toLowerCase()) ?? `undefined reference [${m[1]}]`,
    ),
    ...[...markdown.matchAll(/<img[^>]+src=["']([^"']+)["']/g)].map((m) => m[1]),
  ];
  return [...new Set(targets.filter((t) => !/^[a-z][\w+.-]*:/i.test(t)).map((t) => posix.normalize(t)))].sort();
}

describe('the VSIX', function () {
  this.timeout(120_000);
  let copy = '';
  /** Entries under `extension/` (the installed folder), by path inside it. */
  let shipped = new Map<string, Buffer>();
  let files: string[] = [];

  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'relu-vsix-'));
    cpSync(root, copy, { recursive: true, filter: (src) => !NOT_COPIED.has(src.slice(root.length + 1).split(/[\\/]/)[0]) });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'junction');
    const packaged = spawnSync(process.execPath, [join(root, 'node_modules/.bin/tsx'), 'scripts/start.ts', '--package-only'], {
      cwd: copy,
      encoding: 'utf8',
    });
    assert.equal(packaged.status, 0, `${packaged.stdout}\n${packaged.stderr}`);
    assert.doesNotMatch(`${packaged.stdout}\n${packaged.stderr}`, /WARNING|repository/i, 'vsce packages without a warning');
    const zip = readZip(readFileSync(join(copy, '.vscode-test/relu-neuron-explorer.vsix')));
    shipped = new Map(
      [...zip].filter(([name]) => name.startsWith('extension/')).map(([name, data]) => [name.slice('extension/'.length), data]),
    );
    files = [...shipped.keys()].sort();
  });

  after(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('holds exactly the bundles, the webview assets, the manifest, translations, docs and examples', () => {
    const fonts = readdirSync(join(copy, 'dist/webview/fonts')).map((f) => `dist/webview/fonts/${f}`);
    assert.ok(fonts.length > 0 && fonts.every((f) => f.endsWith('.woff2')), fonts.join());
    const examples = readdirSync(join(root, 'examples'))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => `examples/${f}`);
    const expected = [
      'package.json',
      'package.nls.json',
      'package.nls.ru.json',
      // vsce's own names for these three
      'readme.md',
      'README.ru.md',
      'changelog.md',
      'LICENSE.txt',
      'media/icon.png',
      'l10n/bundle.l10n.ru.json',
      'dist/extension.js',
      'dist/trainingWorker.js',
      'dist/cli.js',
      'dist/webview/webview.js',
      'dist/webview/webview.css',
      ...fonts,
      ...examples,
    ].sort();
    assert.deepEqual(files, expected);
  });

  it('ships no source map, source, test or dependency', () => {
    const stray = files.filter((f) => /\.map$|^(src|webview|test|scripts|node_modules|out|bench)\/|^docs\//.test(f));
    assert.deepEqual(stray, []);
  });

  it('ships a README that shows every picture of README.md inlined (data: URIs, byte for byte), and is README.md otherwise', () => {
    // The Extensions view allows only https: and data: pictures in a README, and there is no https
    // address to point at.
    const source = readFileSync(join(root, 'README.md'), 'utf8');
    const images = readmeImages(source);
    assert.ok(images.length > 0, 'README.md shows no picture: the check would be empty');
    let expected = source;
    for (const image of images) {
      const uri = `data:image/png;base64,${readFileSync(join(root, image)).toString('base64')}`;
      assert.ok(image.endsWith('.png'), image);
      expected = expected.split(`]: ${image}\n`).join(`]: ${uri}\n`).split(`](${image})`).join(`](${uri})`);
    }
    const shippedReadme = shipped.get('readme.md')?.toString('utf8') ?? '';
    assert.deepEqual(readmeImages(shippedReadme), [], 'no picture left at a relative path');
    assert.ok(shippedReadme === expected, 'the shipped README is README.md with its pictures inlined, nothing else changed');
  });

  it('ships README.ru.md as written: its links are not rewritten to a repository', () => {
    assert.equal(shipped.get('README.ru.md')?.toString('utf8'), readFileSync(join(root, 'README.ru.md'), 'utf8'));
  });

  it('names no repository in its manifest (there is none to name, and no placeholder either)', () => {
    const manifest = JSON.parse(shipped.get('package.json')!.toString('utf8')) as Record<string, unknown>;
    assert.equal(manifest.repository, undefined);
    assert.doesNotMatch(JSON.stringify(manifest), /example\.(invalid|com|org)/);
  });
});
