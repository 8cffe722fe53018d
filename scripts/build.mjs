// One script builds every bundle: the extension host (Node, `vscode` external), the training worker,
// the CLI, the webview (browser), and the extension-host test suite.
//   node scripts/build.mjs             development build (source maps)
//   node scripts/build.mjs --production minified, no source maps (what the VSIX ships)
//   node scripts/build.mjs --watch      rebuild on change
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints esbuild's problems in the form the `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of [...result.errors, ...result.warnings]) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

// `.py` files are text: the PyTorch export's template (src/engine/export/pytorch.py).
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], loader: { '.py': 'text' } };

const contexts = [
  { ...node, entryPoints: { extension: 'src/extension.ts', trainingWorker: 'src/trainingWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist/webview',
    loader: { '.woff2': 'file', '.woff': 'empty', '.ttf': 'empty' },
    assetNames: 'fonts/[name]',
  },
];

// The extension-host suite (mocha runs inside VS Code); not shipped in the VSIX.
if (!production || process.argv.includes('--tests')) {
  const tests = readdirSync('test/integration')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test/integration', f));
  contexts.push({
    ...node,
    external: ['vscode', 'mocha'],
    entryPoints: ['test/integration/index.ts', ...tests],
    outdir: 'out/test/integration',
    sourcemap: true,
  });
}

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

const built = await Promise.all(contexts.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(built.map((ctx) => ctx.watch()));
} else {
  await Promise.all(built.map((ctx) => ctx.rebuild()));
  await Promise.all(built.map((ctx) => ctx.dispose()));
}
if (existsSync('media/codicons')) cpSync('media/codicons', 'dist/webview/codicons', { recursive: true });
