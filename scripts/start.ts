/**
 * `npm start`: builds the VSIX and opens it in a real VS Code with the examples workspace — desktop
 * VS Code when `code` is on the PATH, else the local code-server (its URL is printed).
 *
 *   npm start                  English UI
 *   npm start -- --locale ru   Russian UI (code-server only)
 *   npm run package            only build .vscode-test/relu-neuron-explorer.vsix
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { installVsix, startCodeServer } from '../test/harness/codeServer';

const root = path.resolve(__dirname, '..');

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * `vsce package`'s flags. The README's links stay as written (vsce would rewrite relative ones to a
 * repository, and there is none to name: no `repository` in package.json, hence the last flag,
 * without which vsce stops to ask).
 */
export const VSCE_PACKAGE_FLAGS = ['--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository'] as const;

/** Where packaging writes the README the VSIX ships (vsce takes it with `--readme-path`, relative to the root). */
export const VSIX_README = 'dist/vsix/README.md';

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
};

/**
 * The README for the Extensions view: every local picture it shows (`![alt](path)`, or a reference
 * definition `[label]: path`) inlined as a `data:` URI. VS Code (1.100) renders an extension's README
 * in a webview whose policy allows only `https:` and `data:` pictures, and resolves relative paths
 * against the webview's own address, not the extension's folder: shipped files would not show.
 * `read` returns a file's bytes by its path relative to the README.
 */
export function readmeWithInlinePictures(markdown: string, read: (relPath: string) => Buffer): string {
  const inline = (target: string): string => {
    const type = IMAGE_TYPES[path.extname(target).toLowerCase()];
    if (!type || /^[a-z][\w+.-]*:/i.test(target)) return target;
    return `data:${type};base64,${read(target).toString('base64')}`;
  };
  return markdown
    .replace(/(!\[[^\]]*\]\()([^)\s]+)/g, (_, head: string, target: string) => head + inline(target))
    .replace(/^(\[[^\]]+\]:[ \t]*)(\S+)/gm, (_, head: string, target: string) => head + inline(target));
}

/** Builds the production bundles and packages them; returns the VSIX's path. */
export function packageVsix(): string {
  const vsix = path.join(root, '.vscode-test', 'relu-neuron-explorer.vsix');
  fs.mkdirSync(path.dirname(vsix), { recursive: true });
  run(process.execPath, ['scripts/build.mjs', '--production']);
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  fs.mkdirSync(path.dirname(path.join(root, VSIX_README)), { recursive: true });
  fs.writeFileSync(
    path.join(root, VSIX_README),
    readmeWithInlinePictures(readme, (rel) => fs.readFileSync(path.join(root, rel))),
  );
  run(process.execPath, [
    path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    ...VSCE_PACKAGE_FLAGS,
    '--readme-path',
    VSIX_README,
    '--out',
    vsix,
  ]);
  return vsix;
}

/** Whether a desktop VS Code (not code-server) is on the PATH. */
function desktopCode(): boolean {
  const r = spawnSync('code', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && !/code-server/i.test(r.stdout);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { locale: { type: 'string' }, port: { type: 'string', default: '8080' }, 'package-only': { type: 'boolean', default: false } },
  });
  const vsix = packageVsix();
  if (values['package-only']) return;
  const examples = path.join(root, 'examples');
  if (desktopCode()) {
    run('code', ['--install-extension', vsix, '--force']);
    run('code', [examples, path.join(examples, 'course.csv')]);
    return;
  }
  run('bash', ['scripts/install-system-deps.sh']);
  run('bash', ['scripts/install-code-server.sh']);
  const state = path.join(root, '.vscode-test', 'demo');
  const dirs = { userDataDir: path.join(state, 'user-data'), extensionsDir: path.join(state, 'extensions') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  installVsix(vsix, dirs);
  const server = await startCodeServer({
    ...dirs,
    workspace: examples,
    port: Number(values.port),
    args: values.locale ? ['--locale', values.locale] : [],
  });
  console.log(`\nReLU Neuron Explorer is installed in VS Code ${'1.100.3'} (code-server). Open:\n\n  ${server.url}\n`);
  console.log('Then open course.csv and run "ReLU Neuron: Train ReLU neuron" (F1). Ctrl+C stops the server.');
  await new Promise<void>((resolve) => process.on('SIGINT', () => resolve()));
  await server.stop();
}

if (require.main === module) void main();
