/**
 * Runs the same extension-host suite as runIntegration.ts, but in desktop VS Code through
 * `@vscode/test-electron` — for machines that can download VS Code (it does so into .vscode-test/).
 * The suite follows the convention documented in runIntegration.ts (`run()` + `result.json`).
 *
 *   tsx test/harness/runElectron.ts --extension-dev-path . --tests out/test/integration/index.js \
 *       --workspace test/fixtures/workspace [--vscode-version 1.100.3]
 *
 * Prints VS Code's output (the suite's console lines included), then `N passed, N failed`; exits
 * non-zero on a failure, on zero tests, or when VS Code cannot run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

/** Command-line entry: parses the flags, runs VS Code, prints the summary line, returns the exit code. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'extension-dev-path': { type: 'string', default: '.' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      'vscode-version': { type: 'string', default: '1.100.3' },
    },
  });
  if (!values.tests) {
    console.error('usage: tsx test/harness/runElectron.ts --extension-dev-path DIR --tests FILE.js [--workspace DIR] [--vscode-version V]');
    return 2;
  }
  const extensionTestsPath = path.resolve(values.tests);
  const resultFile = path.join(path.dirname(extensionTestsPath), 'result.json');
  fs.rmSync(resultFile, { force: true });

  let runError: unknown;
  try {
    await runTests({
      version: values['vscode-version'],
      extensionDevelopmentPath: path.resolve(values['extension-dev-path']),
      extensionTestsPath,
      launchArgs: [
        ...(values.workspace ? [path.resolve(values.workspace)] : []),
        '--disable-extensions', // other installed extensions stay off; the one under development loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (err) {
    runError = err; // a failing suite rejects too: the result file tells which case this is
  }

  let passed = 0;
  let failed = 0;
  try {
    ({ passed, failed } = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { passed: number; failed: number });
  } catch {
    console.error(`no result from the suite (${resultFile})${runError ? `: ${String(runError)}` : ''}`);
    failed = 1;
  }
  if (passed + failed === 0) console.error('no tests ran');
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
