/**
 * Footprint: the extension's activation time (its bundle loaded and `activate` run, with a stand-in
 * `vscode` module, so that only our own code is timed), the VSIX's size, and the bundles' sizes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(__dirname, '..');

/** A stand-in for any `vscode` API: every property, call and `new` gives another stand-in. */
function standIn(): unknown {
  const target = function () {} as unknown as object;
  const proxy: unknown = new Proxy(target, {
    get: (_t, key) => {
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => '';
      if (key === 'then') return undefined; // not a promise
      return proxy;
    },
    set: () => true,
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

/** Milliseconds to load dist/extension.js and run `activate`, fresh each time (best of `rounds`). */
export function activationMs(rounds = 7): { loadMs: number; activateMs: number; totalMs: number; firstTotalMs: number } {
  const bundle = path.join(root, 'dist', 'extension.js');
  const moduleApi = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const load = moduleApi._load;
  // esbuild's interop copies the module's own properties onto an object whose prototype is the module's
  // prototype: with a stand-in as the prototype, every name the bundle reads (`vscode.CodeActionKind`…)
  // is a stand-in, including names added after this was written.
  const vscode = Object.create(standIn() as object) as object;
  moduleApi._load = (request, parent, isMain) => (request === 'vscode' ? vscode : load(request, parent, isMain));
  let best = { loadMs: Infinity, activateMs: Infinity, totalMs: Infinity };
  let firstTotalMs = 0;
  try {
    for (let k = 0; k < rounds; k++) {
      delete require.cache[require.resolve(bundle)];
      const t0 = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load of the bundle is what is timed
      const ext = require(bundle) as { activate: (context: unknown) => unknown };
      const t1 = performance.now();
      ext.activate(standIn());
      const t2 = performance.now();
      if (k === 0) firstTotalMs = t2 - t0;
      if (t2 - t0 < best.totalMs) best = { loadMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0 };
    }
  } finally {
    moduleApi._load = load;
  }
  return { ...best, firstTotalMs };
}

/** Sizes in bytes: the VSIX (packaged fresh) and the production bundles. */
export function sizes(): {
  vsixBytes: number;
  extensionBytes: number;
  workerBytes: number;
  webviewJsBytes: number;
  webviewCssBytes: number;
  fontsBytes: number;
} {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', '.bin', 'tsx'), 'scripts/start.ts', '--package-only'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`packaging failed: ${r.stderr}`);
  const size = (p: string) => fs.statSync(path.join(root, p)).size;
  const fonts = fs.readdirSync(path.join(root, 'dist/webview/fonts')).reduce((sum, f) => sum + size(`dist/webview/fonts/${f}`), 0);
  return {
    vsixBytes: size('.vscode-test/relu-neuron-explorer.vsix'),
    extensionBytes: size('dist/extension.js'),
    workerBytes: size('dist/trainingWorker.js'),
    webviewJsBytes: size('dist/webview/webview.js'),
    webviewCssBytes: size('dist/webview/webview.css'),
    fontsBytes: fonts,
  };
}
