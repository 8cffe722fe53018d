/**
 * Drives a real VS Code (code-server 4.100.3 = VS Code 1.100.3) through headless Chromium.
 *
 * code-server is installed by `scripts/install-code-server.sh` into `.vscode-test/code-server/`
 * (override with env CODE_SERVER_DIR); Chromium comes from Debian (`scripts/install-system-deps.sh`).
 * Every wait here is bounded and fails with a message naming what it waited for.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

/** The code-server release pinned by scripts/install-code-server.sh (VS Code 1.100.3). */
export const CODE_SERVER_VERSION = '4.100.3';

/** Debian's Chromium; playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** User settings that keep a run quiet and offline; merged under the caller's settings. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 100,
  // VS Code in a browser saves after a delay by default; desktop VS Code does not. Tests must see
  // unsaved edits stay unsaved (and must never write to the fixtures).
  'files.autoSave': 'off',
};

/** Folders code-server keeps its state in; fresh temporary ones make a run independent of others. */
export interface CodeServerDirs {
  userDataDir: string;
  extensionsDir: string;
}

/** Options of {@link startCodeServer}. */
export interface StartOptions extends CodeServerDirs {
  /** Folder (or .code-workspace file) to open. */
  workspace?: string;
  /** User settings, written over {@link QUIET_SETTINGS}. */
  settings?: Record<string, unknown>;
  /** How long to wait for the "HTTP server listening" line; default 60 s. */
  startTimeoutMs?: number;
  /** Also append code-server's own output to this file. */
  logFile?: string;
  /** Called with each line code-server prints (its server log, extension host launches and exits). */
  onLine?: (line: string) => void;
  /** More command-line flags, e.g. `['--locale', 'ru']`. */
  args?: string[];
  /** Port to listen on (default: a free one). */
  port?: number;
}

/** A running code-server. */
export interface CodeServer {
  port: number;
  /** The workbench URL, opening `workspace` when one was given. */
  url: string;
  /** Last lines code-server printed (for error messages). */
  output(): string;
  /** Kills code-server's whole process group (extension host and all); idempotent. */
  stop(): Promise<void>;
}

/** Fails with `Timed out after N ms waiting for <what>` unless `promise` settles first. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Makes a fresh `{ userDataDir, extensionsDir }` under the OS temp folder. */
export function makeTempDirs(prefix = 'vscode-test-'): CodeServerDirs & { root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = { root, userDataDir: path.join(root, 'user-data'), extensionsDir: path.join(root, 'extensions') };
  fs.mkdirSync(dirs.userDataDir, { recursive: true });
  fs.mkdirSync(dirs.extensionsDir, { recursive: true });
  return dirs;
}

/**
 * Path of code-server's `out/node/entry.js`: under `$CODE_SERVER_DIR`, else in the first
 * `.vscode-test/code-server` found walking up from the current directory or from this file.
 */
export function codeServerEntry(): string {
  const rel = path.join('node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (process.env.CODE_SERVER_DIR) {
    const entry = path.resolve(process.env.CODE_SERVER_DIR, rel);
    if (fs.existsSync(entry)) return entry;
    throw new Error(`code-server not found at ${entry} (CODE_SERVER_DIR); run: bash scripts/install-code-server.sh`);
  }
  // __dirname exists when this file runs as CommonJS (tsx's default here); guarded for ESM.
  const starts = [process.cwd(), ...(typeof __dirname === 'string' ? [__dirname] : [])];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const entry = path.join(dir, '.vscode-test', 'code-server', rel);
      if (fs.existsSync(entry)) return entry;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('code-server not found in .vscode-test/code-server (nor CODE_SERVER_DIR set); run: bash scripts/install-code-server.sh');
}

/** The environment for code-server: without variables that would redirect it (PORT, VSCODE_*), offline. */
function codeServerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === 'PORT' || key === 'PASSWORD' || key === 'HASHED_PASSWORD' || key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') {
      delete env[key];
    }
  }
  // No extension gallery: nothing tries to reach open-vsx.org (offline here, and slow where DNS hangs).
  env.EXTENSIONS_GALLERY = '{}';
  return env;
}

/** Runs the code-server CLI to completion (for extension management); throws with its output on failure. */
function runCli(args: string[], timeoutMs: number): string {
  const res = spawnSync(process.execPath, [codeServerEntry(), ...args], {
    env: codeServerEnv(),
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.error || res.status !== 0) {
    throw new Error(`code-server ${args.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`}):\n${out}`);
  }
  return out;
}

/**
 * Installs a .vsix into `dirs` exactly as a user would (`code-server --install-extension`).
 * Returns the CLI's output; throws if the install fails or takes over `timeoutMs` (default 2 min).
 */
export function installVsix(vsixPath: string, dirs: CodeServerDirs, timeoutMs = 120_000): string {
  if (!fs.existsSync(vsixPath)) throw new Error(`VSIX not found: ${vsixPath}`);
  return runCli(
    ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--force', '--install-extension', path.resolve(vsixPath)],
    timeoutMs,
  );
}

/** Lists `publisher.name@version` of the extensions installed in `dirs`. */
export function listExtensions(dirs: CodeServerDirs, timeoutMs = 60_000): string[] {
  const out = runCli(
    ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--list-extensions', '--show-versions'],
    timeoutMs,
  );
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
}

/** Writes `userDataDir/User/settings.json`: the file's current content, then QUIET_SETTINGS, then `settings`. */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown> = {}): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // missing or not plain JSON: start afresh
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...current, ...QUIET_SETTINGS, ...settings }, null, 2));
}

const running = new Set<ChildProcess>();

/**
 * Signals a child's whole process group (it was spawned detached, so it leads one), even after the
 * leader itself exited: its extension host may still be running.
 */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

let exitHooksInstalled = false;
/** Makes sure no code-server outlives this process, however it ends. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => running.forEach((c) => killGroup(c, 'SIGKILL')));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      running.forEach((c) => killGroup(c, 'SIGKILL'));
      process.exit(128 + (os.constants.signals[sig] ?? 1));
    });
  }
}

/**
 * Starts code-server on 127.0.0.1 with a random free port, no auth, no telemetry or update checks,
 * and the quiet user settings (plus `settings`) in `userDataDir`. Resolves once it listens.
 */
export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  writeUserSettings(opts.userDataDir, opts.settings);
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  // An explicit config file, so that ~/.config/code-server/config.yaml is neither read nor written.
  const config = path.join(opts.userDataDir, 'code-server.yaml');
  fs.writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');

  const args = [
    entry,
    '--config',
    config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${opts.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    opts.userDataDir,
    '--extensions-dir',
    opts.extensionsDir,
  ];
  args.push(...(opts.args ?? []));
  if (opts.workspace) args.push(path.resolve(opts.workspace));

  installExitHooks();
  const child = spawn(process.execPath, args, { env: codeServerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child); // until stop(): the group may outlive its leader

  const lines: string[] = [];
  const log = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  const output = (): string => lines.slice(-60).join('\n');

  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString();
        log?.write(text);
        for (const line of text.split('\n')) {
          if (!line.trim()) continue;
          lines.push(line);
          opts.onLine?.(line);
          const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
          if (m) resolve(Number(m[1]));
        }
        if (lines.length > 2000) lines.splice(0, lines.length - 1000);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('error', reject);
      child.on('exit', (code, signal) => reject(new Error(`code-server exited (${signal ?? code}) before listening`)));
    }),
    opts.startTimeoutMs ?? 60_000,
    'code-server to listen',
  ).catch((err: unknown) => {
    killGroup(child, 'SIGKILL');
    throw new Error(`${err instanceof Error ? err.message : String(err)}; code-server printed:\n${output()}`);
  });

  let url = `http://127.0.0.1:${port}/`;
  if (opts.workspace) url += `?folder=${encodeURIComponent(path.resolve(opts.workspace))}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child, 'SIGTERM');
      await withTimeout(exited, 5_000, 'code-server to stop').catch(() => killGroup(child, 'SIGKILL'));
    }
    killGroup(child, 'SIGKILL'); // leftovers of the group (extension host, watchers)
    running.delete(child);
    log?.end();
  };
  return { port, url, output, stop };
}

/** Launches headless Debian Chromium through playwright-core with the flags that keep it offline and quiet. */
export async function launchBrowser(opts: { headless?: boolean; timeoutMs?: number } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; run: bash scripts/install-system-deps.sh`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: opts.headless ?? true,
    timeout: opts.timeoutMs ?? 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Opens `url` in a new 1400x900 page and waits (default 90 s) until the workbench is up and its
 * explorer shows the opened folder (or, without a folder, the status bar is there).
 */
export async function openWorkbench(browser: Browser, url: string, timeoutMs = 90_000): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.goto(url, { timeout: timeoutMs });
  await waitVisible(page.locator('.monaco-workbench .part.statusbar'), timeoutMs, 'the workbench status bar');
  if (url.includes('folder=')) {
    await waitVisible(page.locator('.explorer-folders-view .monaco-list-row').first(), timeoutMs, 'the explorer to list the workspace');
  }
  return page;
}

/** Waits until `locator` is visible, failing with `Timed out after N ms waiting for <what>`. */
export async function waitVisible(locator: Locator, timeoutMs: number, what: string): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

/** Polls `fn` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Opens the quick input with `key` and waits for it. The pointer is parked in the empty title bar
 * first: resting on a list row, it would raise a tooltip over the quick input, in the way of a click.
 */
async function openQuickInput(page: Page, key: string, timeoutMs: number): Promise<Locator> {
  await page.mouse.move(1, 1);
  await page.keyboard.press('Escape');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press(key);
  await waitVisible(input, timeoutMs, `the quick input (${key})`);
  return input;
}

/**
 * Runs a command the way a user does: F1, type `title` (as shown in the palette, e.g.
 * "ReLU: Open Explorer"), click its row: the row labelled exactly `title` if there is one, else the
 * first whose label contains it. Fails if no such row appears in `timeoutMs`.
 */
export async function runCommandFromPalette(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  const input = await openQuickInput(page, 'F1', timeoutMs);
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await waitVisible(rows.filter({ hasText: title }).first(), timeoutMs, `command "${title}" in the command palette`);
  const exact = rows.and(page.locator(`[aria-label=${JSON.stringify(title)}]`));
  await ((await exact.count()) > 0 ? exact.first() : rows.filter({ hasText: title }).first()).click();
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden', timeout: timeoutMs })
    .catch(() => undefined);
}

/**
 * Moves the cursor of the active editor to a 1-based line (Ctrl+G), which also scrolls it into view;
 * resolves once the editor has the focus and its cursor is on that line.
 */
export async function goToLine(page: Page, line: number, timeoutMs = 10_000): Promise<void> {
  const input = await openQuickInput(page, 'Control+G', timeoutMs);
  await input.fill(`:${line}`);
  // Enter only once the highlighted row offers this line ("Go to line N.", in any display language).
  const offer = new RegExp(`(^|\\D)${line}(\\D|$)`);
  await waitFor(
    async () => ((await highlightedRow(page).allInnerTexts()).some((t) => offer.test(t)) ? true : undefined),
    timeoutMs,
    `Go to Line to offer line ${line}`,
  );
  await page.keyboard.press('Enter');
  await waitVisible(
    focusedEditor(page).locator('.line-numbers.active-line-number', { hasText: new RegExp(`^${line}$`) }),
    timeoutMs,
    `the cursor on line ${line} of the focused editor`,
  );
}

/** The row of the quick input that Enter would accept (the highlighted one). */
function highlightedRow(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused').first();
}

/** The text editor that has the keyboard focus, in the active editor group. */
export function focusedEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor.focused').first();
}

/**
 * The active tab of the editor group showing `fileName`. Its label starts with the name: the panel's
 * tab ("ReLU neuron: course.csv"), active in its own group, contains the name too but must not match.
 */
export function activeEditorTab(page: Page, fileName: string): Locator {
  return page
    .locator('.tabs-container .tab.active')
    .filter({ hasText: tabLabel(fileName) })
    .first();
}

/** A tab's text that starts with `fileName`. */
function tabLabel(fileName: string): RegExp {
  return new RegExp(`^\\s*${fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P), by its path relative to the workspace
 * (e.g. "data/iris.csv"), as a user does: types the path, presses Enter once the highlighted row is
 * that file, and waits until its tab is the active one of the active group and its editor has the
 * focus. (Quick Open answers the typed text asynchronously: until it has, the highlighted row is the
 * most recently opened file, and Enter would open that one.)
 */
export async function openFile(page: Page, relPath: string, timeoutMs = 20_000): Promise<void> {
  const base = path.posix.basename(relPath);
  const folder = path.posix.dirname(relPath);
  const input = await openQuickInput(page, 'Control+P', timeoutMs);
  await input.fill(relPath);
  const row = highlightedRow(page);
  await waitFor(
    async () => {
      const [name] = await row.locator('.label-name').allInnerTexts();
      const [description = ''] = await row.locator('.label-description').allInnerTexts();
      return name?.trim() === base && description.trim() === (folder === '.' ? '' : folder) ? true : undefined;
    },
    timeoutMs,
    `"${relPath}" highlighted in Quick Open`,
  );
  await page.keyboard.press('Enter');
  const tab = page
    .locator('.editor-group-container.active .tabs-container .tab.active')
    .filter({ hasText: tabLabel(base) })
    .first();
  await waitVisible(tab, timeoutMs, `the editor tab of ${relPath}, active in the active group`);
  await waitVisible(focusedEditor(page), timeoutMs, `the editor of ${relPath} to have the focus`);
}

/**
 * The first rendered, visible text-editor line (of any editor group) that contains `lineText`. Click it
 * with `clickLine`: its box is as wide as the file's longest line, and a click at its centre can scroll
 * the editor sideways, out of sight of the text.
 */
export function editorLine(page: Page, lineText: string): Locator {
  return page.locator('.editor-instance .monaco-editor .view-line').filter({ hasText: lineText, visible: true }).first();
}

/**
 * Clicks the editor line containing `lineText` where a user sees it: at the left edge of the editor's
 * visible text area, halfway down the line. A plain click lets Playwright scroll the line "into view",
 * which in Monaco can scroll the editor sideways or under its breadcrumbs.
 */
export async function clickLine(page: Page, lineText: string, timeoutMs = 10_000): Promise<void> {
  const line = editorLine(page, lineText);
  await waitVisible(line, timeoutMs, `the line "${lineText}" in the editor`);
  const point = await line.evaluate((el) => {
    const area = el.closest('.editor-scrollable')?.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    if (!area) return null;
    const y = box.top + box.height / 2;
    return y > area.top && y < area.bottom ? { x: Math.max(box.left, area.left) + 2, y } : null;
  });
  if (!point) throw new Error(`the line "${lineText}" is not in the editor's visible area`);
  await page.mouse.click(point.x, point.y);
}

/** Whether the focused text editor's cursor is in its rendered line containing `lineText`. */
async function cursorInLine(page: Page, lineText: string): Promise<boolean> {
  const editor = focusedEditor(page);
  if ((await editor.count()) === 0) return false;
  // Runs in the page (no named inner functions: see pointInLine).
  return editor.evaluate((el, text) => {
    const cursor = el.querySelector('.cursors-layer .cursor')?.getBoundingClientRect();
    if (!cursor) return false;
    const middle = cursor.top + cursor.height / 2;
    for (const line of Array.from(el.querySelectorAll('.view-line'))) {
      const r = line.getBoundingClientRect();
      if ((line.textContent ?? '').replace(/\u00a0/g, ' ').includes(text) && middle >= r.top && middle <= r.bottom) return true;
    }
    return false;
  }, lineText);
}

/**
 * Screen coordinates of the middle of `target` (default: the whole text) inside the rendered
 * editor line containing `lineText`. Monaco renders only visible lines: scroll there first.
 */
async function pointInLine(page: Page, lineText: string, target: string | undefined, timeoutMs: number): Promise<{ x: number; y: number }> {
  const line = editorLine(page, lineText);
  await waitVisible(line, timeoutMs, `an editor line containing "${lineText}" (is the file open and the line scrolled into view?)`);
  // Runs in the page. No named inner functions in here: tsx (esbuild keepNames) would wrap them in
  // a `__name` helper that does not exist in the browser.
  const rect = await line.evaluate(
    (el, args) => {
      const text = (el.textContent ?? '').replace(/\u00a0/g, ' '); // Monaco renders spaces as U+00A0
      const lineStart = text.indexOf(args.lineText);
      const inLine = args.target ? args.lineText.indexOf(args.target) : 0;
      if (lineStart < 0 || inLine < 0) return null;
      const start = lineStart + inLine;
      const len = args.target ? args.target.length : args.lineText.length;
      // Map the character range onto text nodes and measure it.
      // (via ownerDocument, 4 = NodeFilter.SHOW_TEXT: this also compiles without the DOM lib)
      const walker = el.ownerDocument.createTreeWalker(el, 4);
      const range = el.ownerDocument.createRange();
      let offset = 0;
      let startSet = false;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const n = node.textContent?.length ?? 0;
        if (!startSet && start < offset + n) {
          range.setStart(node, start - offset);
          startSet = true;
        }
        if (startSet && start + len <= offset + n) {
          range.setEnd(node, start + len - offset);
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        offset += n;
      }
      return null;
    },
    { lineText, target },
  );
  if (!rect) throw new Error(`could not locate "${target ?? lineText}" in the editor line containing "${lineText}"`);
  return rect;
}

/**
 * Hovers the mouse over `target` (default: the middle of `lineText`) on the editor line containing
 * `lineText`, and returns the text of the hover widget (`.monaco-hover`) once it shows — and, when
 * `expect` is given, once it contains that text.
 */
export async function hoverText(
  page: Page,
  lineText: string,
  opts: { target?: string; expect?: string | RegExp; timeoutMs?: number } = {},
): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let at = await pointInLine(page, lineText, opts.target, timeoutMs);
  // Leave first, so that a hover already showing is replaced.
  await page.mouse.move(1, 1);
  await page
    .locator('.monaco-hover')
    .filter({ visible: true })
    .first()
    .waitFor({ state: 'hidden', timeout: 3_000 })
    .catch(() => undefined);
  await page.mouse.move(at.x, at.y, { steps: 3 });
  const hover = page.locator('.monaco-editor .monaco-hover').filter({ visible: true }).first();
  const what = `the hover over "${opts.target ?? lineText}"${opts.expect ? ` to contain ${String(opts.expect)}` : ''}`;
  let nudge = 1;
  return waitFor(
    async () => {
      // The text may move under the pointer (a CodeLens appearing above it after a run): follow it,
      // and read a hover only while the pointer is over the line.
      const now = await pointInLine(page, lineText, opts.target, timeoutMs);
      if (Math.abs(now.x - at.x) > 1 || Math.abs(now.y - at.y) > 1) {
        at = now;
        await page.mouse.move(at.x, at.y, { steps: 3 });
        return undefined;
      }
      if (!(await hover.isVisible())) {
        nudge = -nudge;
        await page.mouse.move(at.x + nudge, at.y); // hovers start on mouse *moves*
        return undefined;
      }
      const text = (await hover.innerText()).trim();
      if (!text || /^Loading\.\.\.$/.test(text)) return undefined;
      if (opts.expect && !(typeof opts.expect === 'string' ? text.includes(opts.expect) : opts.expect.test(text))) return undefined;
      return text;
    },
    timeoutMs,
    what,
    250,
  );
}

/**
 * Puts the cursor on the editor line containing `lineText` — at its end (default), at its start, or
 * with the whole line selected (`replace`, so typing replaces it) — and types `text`.
 */
export async function typeIntoLine(
  page: Page,
  lineText: string,
  text: string,
  opts: { at?: 'end' | 'start' | 'replace'; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  // Type only once the cursor blinks in that line of a focused editor. A click lands where the line
  // was measured; if the text moved meanwhile (a CodeLens appearing above it after a run), the cursor
  // is elsewhere, and the line is clicked again where it now is, as a user would.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { x, y } = await pointInLine(page, lineText, undefined, timeoutMs);
    await page.mouse.click(x, y);
    if (await waitFor(async () => ((await cursorInLine(page, lineText)) ? true : undefined), 1_000, '').catch(() => false)) break;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for the cursor in the editor line "${lineText}"`);
  }
  const at = opts.at ?? 'end';
  await page.keyboard.press(at === 'start' ? 'Home' : 'End');
  if (at === 'replace') {
    await page.keyboard.press('Home');
    await page.keyboard.press('Home'); // the first Home may stop at the indentation
    await page.keyboard.press('Shift+End');
  }
  await page.keyboard.type(text);
}

/**
 * Saves the active editor (Ctrl+S) and waits until its tab no longer shows the dirty mark, which
 * VS Code clears once the file is written. Does nothing if the tab does not turn dirty within 2 s.
 */
export async function saveActiveEditor(page: Page, timeoutMs = 10_000): Promise<void> {
  const dirty = page.locator('.tabs-container .tab.active.dirty');
  // The mark follows the edit asynchronously: without this wait a save could be "done" before it began.
  if (
    !(await dirty.waitFor({ state: 'visible', timeout: 2_000 }).then(
      () => true,
      () => false,
    ))
  )
    return;
  await page.keyboard.press('Control+S');
  await dirty.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => {
    throw new Error(`Timed out after ${timeoutMs} ms waiting for the active editor to save`);
  });
}

/**
 * Shows the Problems panel and returns the text of its rows, e.g. `["data.csv 2", "Tiny: bad value
 * [Ln 2, Col 1]", …]` (a file row, then its markers), after waiting until there are at least
 * `minRows` (default 1; 0 returns at once). The list is virtual: only rows in view are rendered.
 */
export async function problemsRows(page: Page, opts: { minRows?: number; timeoutMs?: number } = {}): Promise<string[]> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const minRows = opts.minRows ?? 1;
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await runCommandFromPalette(page, 'View: Focus Problems', timeoutMs);
  await waitVisible(panel, timeoutMs, 'the Problems panel');
  const rows = panel.locator('.monaco-list-row');
  return waitFor(
    async () => {
      const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      return texts.length >= minRows ? texts : undefined;
    },
    timeoutMs,
    `at least ${minRows} row(s) in the Problems panel`,
  );
}

/** Texts of the notification toasts now showing. */
export async function notifications(page: Page): Promise<string[]> {
  return (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/**
 * The content of the visible webview: webviews are an `iframe.webview` (the host) holding the
 * extension's document in `iframe#active-frame`.
 */
export function webviewFrame(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').filter({ visible: true }).first().contentFrame().frameLocator('#active-frame');
}
