// The VSIX ships exactly what runs: the production bundles, the webview's assets, the manifest and
// its translations, the READMEs, CHANGELOG, LICENSE and the examples — no source maps, sources, tests
// or node_modules. Checked with `vsce ls` on a production build made in a copy of the work tree, so
// the test never touches this tree's dist/.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
/** What the build and the packager never read, or make themselves. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test', 'test-results', 'bench-results']);

describe('the VSIX', function () {
  this.timeout(60_000);
  let copy = '';
  let files: string[] = [];

  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'relu-vsix-'));
    cpSync(root, copy, { recursive: true, filter: (src) => !NOT_COPIED.has(src.slice(root.length + 1).split(/[\\/]/)[0]) });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'junction');
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: copy, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const ls = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: copy, encoding: 'utf8' });
    assert.equal(ls.status, 0, ls.stderr);
    files = ls.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
  });

  after(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('holds exactly the bundles, the webview assets, the manifest, translations, docs and examples', () => {
    const fonts = readdirSync(join(copy, 'dist/webview/fonts')).map((f) => `dist/webview/fonts/${f}`);
    assert.ok(fonts.length > 0 && fonts.every((f) => f.endsWith('.woff2')), fonts.join());
    const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.csv')).map((f) => `examples/${f}`);
    const expected = [
      'package.json',
      'package.nls.json',
      'package.nls.ru.json',
      'README.md',
      'README.ru.md',
      'CHANGELOG.md',
      'LICENSE',
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
    const stray = files.filter((f) => /\.map$|^(src|webview|test|scripts|node_modules|out|bench|docs)\//.test(f));
    assert.deepEqual(stray, []);
  });
});
