/**
 * What the end-to-end suites share: the packaged VSIX (built once per mocha run), the command-line
 * trainer as the independent reference for every number on screen, the dataset's own rows as a user
 * reads them, a console watcher that hears the webview frames too, and screenshots.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, ConsoleMessage, FrameLocator, Locator, Page } from 'playwright-core';
import {
  type CodeServer,
  type CodeServerDirs,
  installVsix,
  launchBrowser,
  makeTempDirs,
  openWorkbench,
  startCodeServer,
  waitFor,
  waitVisible,
  webviewFrame,
} from '../harness/codeServer';

export const root = path.resolve(__dirname, '../..');
/** Screenshots of every run (git-ignored). */
export const shots = path.join(root, 'test-results', 'e2e');
/** The README's pictures, rewritten only when UPDATE_DOCS_IMAGES=1. */
export const docsImages = path.join(root, 'docs', 'images');
export const vsix = path.join(root, '.vscode-test', 'relu-neuron-explorer.vsix');

let packaged = false;
/** Builds the VSIX the way `npm run package` does, once per mocha process (every suite installs it). */
export function ensurePackaged(): void {
  if (packaged) return;
  const built = spawnSync(process.execPath, [path.join(root, 'node_modules', '.bin', 'tsx'), 'scripts/start.ts', '--package-only'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, `packaging failed:\n${built.stdout}\n${built.stderr}`);
  packaged = true;
}

export interface CliPoint {
  epoch: number;
  loss: number;
  w: number[];
  b: number;
  gradW: number[];
  gradB: number;
  active: number;
}

export interface CliRun {
  samples: number;
  features: string[];
  target: string;
  settings: { learningRate: number; epochs: number; reluGradAtZero: 0 | 1 };
  trajectory: CliPoint[];
}

/**
 * The CLI's JSON for `text` (`node dist/cli.js train FILE --json`), which every number on screen is
 * compared with. The CLI runs the same engine, so this checks the wiring (editor → worker → panel), not
 * the math: finite differences, TensorFlow.js and PyTorch check that, in the unit tests.
 */
export function cli(text: string): CliRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-e2e-cli-'));
  const file = path.join(dir, 'data.csv');
  fs.writeFileSync(file, text);
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'train', file, '--json'], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as CliRun;
}

export const lastPoint = (run: CliRun): CliPoint => run.trajectory[run.trajectory.length - 1];

/** One data row of a one-feature CSV as the user wrote it: its 1-based line and its numbers. */
export interface DataRow {
  line: number;
  text: string;
  x: number;
  y: number;
}

/**
 * The usable data rows of a simple one-feature, comma-separated dataset, read the way a person reads
 * the file: comment lines (`#`) and the header skipped, rows whose fields are not numbers left out.
 */
export function dataRows(text: string): DataRow[] {
  const rows: DataRow[] = [];
  let headerSeen = false;
  text.split('\n').forEach((raw, k) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!headerSeen) {
      headerSeen = true;
      return;
    }
    const [x, y] = line.split(',').map(Number);
    if (Number.isFinite(x) && Number.isFinite(y)) rows.push({ line: k + 1, text: line, x, y });
  });
  return rows;
}

/** The 1-based line of the first line of `text` that is exactly `content`. */
export function lineOf(text: string, content: string): number {
  const k = text.split('\n').indexOf(content);
  assert.ok(k >= 0, `no line "${content}" in the dataset`);
  return k + 1;
}

const CSP = /Content[- ]Security[- ]Policy|Refused to/i;
/** Where webviews are served from in code-server: the host frame and the extension's #active-frame. */
const WEBVIEW_URL = /\/contrib\/webview\/browser\/pre\//;

/**
 * Collects the page's console errors and CSP reports. Playwright's `page.on('console')` also hears
 * the workbench's iframes, the webview host frame and its `#active-frame` (verified by a deliberate
 * violation in the panel suite). The workbench itself logs errors that are none of the extension's
 * business here (no gallery, no `vsda`), so errors are told apart by the frame that logged them.
 */
export class ConsoleWatch {
  readonly errors: Array<{ text: string; url: string }> = [];
  readonly csp: string[] = [];
  readonly pageErrors: string[] = [];

  constructor(page: Page) {
    page.on('console', (m: ConsoleMessage) => {
      const text = m.text();
      if (m.type() === 'error') this.errors.push({ text, url: m.location().url });
      if (CSP.test(text)) this.csp.push(text);
    });
    page.on('pageerror', (e) => this.pageErrors.push(String(e.stack ?? e)));
  }

  /** CSP reports other than those containing `except` (a deliberate probe). */
  violations(except?: string): string[] {
    return this.csp.filter((t) => !except || !t.includes(except));
  }

  /** Errors logged by a webview frame (the panel), other than those containing `except`. */
  webviewErrors(except?: string): string[] {
    return this.errors
      .filter((e) => WEBVIEW_URL.test(e.url) && (!except || !e.text.includes(except)))
      .map((e) => `${e.text} (at ${e.url})`);
  }
}

/** Saves a screenshot of the whole window under test-results/e2e/ and, with UPDATE_DOCS_IMAGES=1, as docs/images/`docsName`. */
export async function screenshot(
  page: Page,
  name: string,
  opts: { docsName?: string; clip?: { x: number; y: number; width: number; height: number } } = {},
): Promise<string> {
  fs.mkdirSync(shots, { recursive: true });
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file, clip: opts.clip, animations: 'disabled', caret: 'hide' });
  if (opts.docsName && process.env.UPDATE_DOCS_IMAGES === '1') {
    fs.mkdirSync(docsImages, { recursive: true });
    fs.copyFileSync(file, path.join(docsImages, opts.docsName));
  }
  return file;
}

/** Call in `afterEach`: a failed test leaves test-results/e2e/failed-<suite>-<test>.png behind. */
export async function screenshotIfFailed(ctx: Mocha.Context, page: Page | undefined, suite: string): Promise<void> {
  const test = ctx.currentTest;
  if (!page || test?.state !== 'failed') return;
  const slug = test.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  await screenshot(page, `failed-${suite}-${slug}`).catch(() => undefined);
}

/**
 * Runs a command that asks something in the quick input (a theme picker, a file dialog): F1, its
 * title, a click on its row; resolves once the palette's ">title" text has given way to the command's
 * own question. Returns the quick input's text box. (`runCommandFromPalette` waits for the widget to
 * close, which these commands never do.)
 */
export async function startCommandFromPalette(page: Page, title: string, timeoutMs = 45_000): Promise<Locator> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const command = rows.filter({ hasText: new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first();
  // Some commands (the Extensions view's, say) are registered a while after the workbench appears:
  // ask the palette again until the command is there.
  await page.mouse.move(1, 1); // no tooltip over the palette (see openQuickInput)
  await waitFor(
    async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await waitVisible(input, 10_000, 'the command palette');
      await input.fill(`>${title}`);
      return (await command.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      ))
        ? true
        : undefined;
    },
    timeoutMs,
    `"${title}" in the command palette`,
    500,
  );
  await command.click();
  await waitFor(
    async () => ((await input.isVisible()) && !(await input.inputValue()).startsWith('>') ? true : undefined),
    timeoutMs,
    `"${title}" to ask its question`,
  );
  return input;
}

/**
 * Chooses a colour theme the way a user does: "Preferences: Color Theme" from the palette, then the
 * theme by its label (e.g. "Dark Modern"); waits until the workbench wears it (`vs` / `vs-dark`).
 * (Writing `workbench.colorTheme` into the running code-server's settings.json was not picked up in
 * this environment: the workbench never re-read the file.)
 */
export async function chooseColorTheme(page: Page, label: string, kind: 'vs' | 'vs-dark', timeoutMs = 15_000): Promise<void> {
  const input = await startCommandFromPalette(page, 'Preferences: Color Theme', timeoutMs);
  await input.fill(label);
  const themeRow = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ hasText: `Default ${label}` })
    .first();
  await waitVisible(themeRow, timeoutMs, `the theme "${label}" in the theme picker`);
  await themeRow.click();
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden', timeout: timeoutMs })
    .catch(() => undefined);
  await waitFor(
    async () => ((await page.locator('.monaco-workbench').first().getAttribute('class'))?.split(/\s+/).includes(kind) ? true : undefined),
    timeoutMs,
    `the workbench to switch to the ${label} theme (${kind})`,
  );
}

/** A real VS Code for one suite: code-server with the packaged VSIX, a copy of examples/, a page. */
export interface VsCodeSession {
  dirs: CodeServerDirs & { root: string };
  workspace: string;
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** The explorer panel's document, two frames deep. */
  panel: FrameLocator;
  /** Stops the browser and code-server and removes the folders. */
  close(): Promise<void>;
}

/**
 * Installs the VSIX into fresh folders, copies examples/ to a workspace (after `prepare`, e.g. to add
 * files), starts code-server on it with `settings` (autosave off: a desktop user's edits stay unsaved,
 * and tests must see them so) and `args`, and opens the workbench, accepting any dialog.
 */
export async function openSession(opts: {
  prefix: string;
  settings?: Record<string, unknown>;
  args?: string[];
  prepare?: (workspace: string, root: string) => void;
}): Promise<VsCodeSession> {
  ensurePackaged();
  const dirs = makeTempDirs(opts.prefix);
  const workspace = path.join(dirs.root, 'workspace');
  fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  opts.prepare?.(workspace, dirs.root);
  installVsix(vsix, dirs);
  const server = await startCodeServer({ ...dirs, workspace, settings: { 'files.autoSave': 'off', ...opts.settings }, args: opts.args });
  const browser = await launchBrowser();
  const page = await openWorkbench(browser, server.url);
  page.on('dialog', (d) => void d.accept());
  return {
    dirs,
    workspace,
    server,
    browser,
    page,
    panel: webviewFrame(page),
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.stop();
      fs.rmSync(dirs.root, { recursive: true, force: true });
    },
  };
}
