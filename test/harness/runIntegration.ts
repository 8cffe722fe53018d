/**
 * Runs an extension-host test suite (the `@vscode/test-electron` kind) inside a real VS Code 1.100.3:
 * code-server's Node extension host, driven by headless Chromium. No desktop VS Code, no download.
 *
 *   tsx test/harness/runIntegration.ts --extension-dev-path . --tests out/test/integration/index.js \
 *       --workspace test/fixtures/workspace [--timeout 300] [--screenshot FILE] [--verbose]
 *
 * The suite's convention (shared with runElectron.ts, which runs the same suite in desktop VS Code):
 * - `--tests` names a CommonJS module exporting `run(): Promise<void>` that runs mocha and rejects
 *   when a test fails.
 * - Before settling, `run()` writes its result to `result.json` in the module's own folder
 *   (`path.join(__dirname, 'result.json')`, so `out/test/integration/result.json` here):
 *     { "passed": N, "failed": N, "skipped"?: N, "failures"?: [{ "title": "...", "error": "..." }] }
 *   and it may also log the same JSON as a console line `[integration] result {...}`. The launcher
 *   takes whichever it sees first. (Environment variables of this launcher do not reach code-server's
 *   extension host, so the result travels through the file system and the console.)
 * - The extension host's console.* calls reach the workbench page's console (mixed with the
 *   workbench's own log). The launcher echoes the lines that start with `[integration] ` (prefix
 *   removed), so the suite routes mocha's reporter there:
 *     Mocha.reporters.Base.consoleLog = (...a) => console.log('[integration] ' + util.format(...a));
 *   `--verbose` echoes everything else too (the extension's own logs, workbench errors).
 *
 * Output: the suite's lines, then a last line exactly `N passed, N failed`. Exit code 0 only when at
 * least one test ran and none failed; a timeout, a crash or zero tests exit 1 (a timeout or a crash
 * counts as one failure in the last line).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format, parseArgs } from 'node:util';
import type { ConsoleMessage } from 'playwright-core';
import { launchBrowser, makeTempDirs, startCodeServer, type CodeServer } from './codeServer.js';

/** What the suite reports (see the convention above). */
export interface SuiteResult {
  passed: number;
  failed: number;
  skipped?: number;
  failures?: { title: string; error: string }[];
}

/** Options of {@link runIntegration}; paths may be relative to the current directory. */
export interface IntegrationOptions {
  extensionDevPath: string;
  tests: string;
  workspace?: string;
  timeoutMs?: number;
  /** Where to save a screenshot of the workbench when the run fails. */
  screenshot?: string;
  /** Also echo the workbench's own console messages. */
  verbose?: boolean;
  /** Receives each line the suite logs (default: stdout). */
  print?: (line: string) => void;
}

/** Messages that mean the suite can never start. */
const FATAL = [/No extension host found that can launch the test runner/];

/**
 * The workbench URL that makes code-server's extension host load the extension under development
 * and run its tests: both paths as `vscode-remote://` URIs of this server, in the `payload` query.
 */
export function workbenchUrl(port: number, extensionDevPath: string, testsPath: string, workspace?: string): string {
  const remote = (p: string): string =>
    `vscode-remote://127.0.0.1:${port}${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevPath)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  const query = [`payload=${encodeURIComponent(JSON.stringify(payload))}`];
  if (workspace) query.unshift(`folder=${encodeURIComponent(path.resolve(workspace))}`);
  return `http://127.0.0.1:${port}/?${query.join('&')}`;
}

/**
 * The text of a workbench console message, printf-formatted. The extension host's console.* calls
 * arrive through the workbench's log service as console.log('%c INFO', 'color: …', format, ...args).
 */
async function consoleText(msg: ConsoleMessage): Promise<string> {
  try {
    const args = await Promise.all(msg.args().map((a) => a.jsonValue() as Promise<unknown>));
    if (typeof args[0] === 'string' && args[0].startsWith('%c')) args.splice(0, 2);
    return args.length ? format(...args) : msg.text();
  } catch {
    return msg.text();
  }
}

/** Parses a suite result; undefined when `text` is not one (yet). */
function parseResult(text: string): SuiteResult | undefined {
  try {
    const r = JSON.parse(text) as SuiteResult;
    return Number.isInteger(r.passed) && Number.isInteger(r.failed) ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts code-server and Chromium, runs the suite, and resolves with its result; rejects on a
 * timeout (default 5 min) or when the suite cannot start. Always stops code-server and the browser.
 */
export async function runIntegration(opts: IntegrationOptions): Promise<SuiteResult> {
  const print = opts.print ?? ((line: string) => console.log(line));
  const testsPath = path.resolve(opts.tests);
  const extensionDevPath = path.resolve(opts.extensionDevPath);
  for (const p of [testsPath, path.join(extensionDevPath, 'package.json')]) {
    if (!fs.existsSync(p)) throw new Error(`not found: ${p}`);
  }
  const resultFile = path.join(path.dirname(testsPath), 'result.json');
  fs.rmSync(resultFile, { force: true });
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const deadline = Date.now() + timeoutMs;

  const dirs = makeTempDirs('integration-');
  const errors: string[] = []; // the workbench's last error messages, shown when the run fails
  const remember = (text: string): void => {
    errors.push(text);
    if (errors.length > 20) errors.shift();
  };
  let server: CodeServer | undefined;
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } }).catch(async (err: unknown) => {
    await browser.close();
    throw err;
  });
  try {
    let hostExit: { line: string; at: number } | undefined;
    server = await startCodeServer({
      ...dirs,
      workspace: opts.workspace,
      onLine: (line) => {
        if (/Extension Host Process exited/.test(line)) hostExit ??= { line, at: Date.now() };
      },
    });

    let consoleResult: SuiteResult | undefined;
    let fatal: string | undefined;
    let queue = Promise.resolve(); // console messages are formatted asynchronously: keep their order
    page.on('console', (msg) => {
      queue = queue.then(async () => {
        const text = await consoleText(msg);
        if (FATAL.some((re) => re.test(text))) fatal = text;
        const m = /^\[integration\] ?([\s\S]*)$/.exec(text);
        if (!m) {
          if (opts.verbose) print(`[workbench ${msg.type()}] ${text}`);
          if (msg.type() === 'error') remember(text);
          return;
        }
        const r = /^result (\{.*\})\s*$/.exec(m[1]!);
        if (r) consoleResult = parseResult(r[1]!);
        else print(m[1]!.replace(/\n$/, ''));
      });
    });
    page.on('pageerror', (err) => {
      if (opts.verbose) print(`[workbench pageerror] ${err.message}`);
      remember(err.message);
    });

    const url = workbenchUrl(server.port, extensionDevPath, testsPath, opts.workspace);
    await page.goto(url, { timeout: Math.max(1_000, deadline - Date.now()) });

    // Wait for the result file or line; bail out on a fatal message, a closed page or the deadline.
    for (;;) {
      const fileResult = fs.existsSync(resultFile) ? parseResult(fs.readFileSync(resultFile, 'utf8')) : undefined;
      if (fileResult || consoleResult) {
        // The console lines travel asynchronously: give the rest of them (up to the result line) a moment.
        const until = Date.now() + 3_000;
        while (!consoleResult && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        await queue;
        return fileResult ?? consoleResult!;
      }
      if (fatal) throw new Error(`the suite could not start: ${fatal}`);
      if (page.isClosed()) throw new Error('the workbench page closed before the suite reported a result');
      if (hostExit && Date.now() - hostExit.at > 3_000) {
        throw new Error(`the extension host exited before the suite reported a result: ${hostExit.line}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for the suite's result (${resultFile})`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    if (errors.length) print(`the workbench's last errors:\n${errors.join('\n')}`);
    if (server) print(`code-server's last output:\n${server.output()}`);
    const shot = opts.screenshot ?? path.join(os.tmpdir(), 'integration-failure.png');
    if (
      !page.isClosed() &&
      (await page.screenshot({ path: shot, timeout: 10_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      print(`screenshot of the workbench: ${shot}`);
    }
    throw err;
  } finally {
    await browser.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(dirs.root, { recursive: true, force: true });
  }
}

/** Command-line entry: parses the flags, runs, prints the summary line, sets the exit code. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'extension-dev-path': { type: 'string', default: '.' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      timeout: { type: 'string', default: '300' },
      screenshot: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const timeoutSeconds = Number(values.timeout);
  if (!values.tests || !(timeoutSeconds > 0)) {
    console.error(
      'usage: tsx test/harness/runIntegration.ts --extension-dev-path DIR --tests FILE.js [--workspace DIR] [--timeout SECONDS] [--screenshot FILE] [--verbose]',
    );
    return 2;
  }
  const started = Date.now();
  let result: SuiteResult;
  try {
    result = await runIntegration({
      extensionDevPath: values['extension-dev-path'],
      tests: values.tests,
      workspace: values.workspace,
      timeoutMs: timeoutSeconds * 1000,
      screenshot: values.screenshot,
      verbose: values.verbose,
    });
  } catch (err) {
    console.error(`integration run failed: ${err instanceof Error ? err.message : String(err)}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  for (const f of result.failures ?? []) console.log(`FAILED: ${f.title}`); // details: mocha's output above
  if (result.passed + result.failed === 0) console.error('no tests ran');
  if (result.skipped) console.log(`${result.skipped} skipped`);
  console.log(`(real VS Code run took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  return result.failed === 0 && result.passed > 0 ? 0 : 1;
}

if (/runIntegration\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
