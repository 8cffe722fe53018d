/**
 * The extension-host suite: mocha running inside a real VS Code, loaded as `extensionTestsPath` by
 * either launcher (test/harness/runIntegration.ts for code-server, runElectron.ts for desktop).
 * Writes its result to result.json beside this file and logs `[integration] …` lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function log(line: string): void {
  console.log(`[integration] ${line}`);
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  // The spec reporter writes to stdout, which the extension host does not forward; print through console.
  const write = process.stdout.write.bind(process.stdout);
  let buffered = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      log(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
    return true;
  }) as typeof process.stdout.write;
  for (const f of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const failures: { title: string; error: string }[] = [];
    let passed = 0;
    const runner = mocha.run(() => {
      process.stdout.write = write;
      const result = { passed, failed: failures.length, failures };
      fs.writeFileSync(path.join(__dirname, 'result.json'), JSON.stringify(result));
      log(`result ${JSON.stringify(result)}`);
      if (failures.length > 0) reject(new Error(`${failures.length} tests failed`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', (test, err: Error) => failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) }));
  });
}
