// `npm test`: every layer in order — type-check, lint, build, unit tests (Node), the extension-host
// suite in a real VS Code, the end-to-end user journey — then one closing line with the total:
// `Total: N passed, N failed`. Stops at the first layer that fails, and names it in that line. No layer
// is run twice: a test that passes only on a second try is failing, and is fixed where it races.
import { spawn } from 'node:child_process';

const layers = [
  { name: 'type-check', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'build', script: 'build' },
  { name: 'unit tests', script: 'test:unit' },
  { name: 'extension-host tests (VS Code 1.100.3)', script: 'test:integration' },
  { name: 'end-to-end tests (VS Code 1.100.3)', script: 'test:e2e' },
];

/** Runs `npm run script`, echoing its output; resolves with its exit code and what it printed. */
function run(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Passed and failed counts from mocha's summary or the launcher's `N passed, N failed` line. */
function counts(out) {
  const launcher = [...out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  if (launcher) return { passed: Number(launcher[1]), failed: Number(launcher[2]) };
  const passing = [...out.matchAll(/^\s*(\d+) passing/gm)].pop();
  const failing = [...out.matchAll(/^\s*(\d+) failing/gm)].pop();
  return { passed: passing ? Number(passing[1]) : 0, failed: failing ? Number(failing[1]) : 0 };
}

let passed = 0;
let failed = 0;
let exitCode = 0;
let failedLayer = '';
const started = Date.now();
for (const layer of layers) {
  console.log(`\n━━ ${layer.name} ━━`);
  const { code, out } = await run(layer.script);
  const c = counts(out);
  passed += c.passed;
  failed += c.failed;
  if (code !== 0) {
    if (c.failed === 0) failed += 1; // a layer that broke without counting still failed
    console.error(`\n${layer.name} failed (exit ${code}).`);
    exitCode = code;
    const skipped = layers.length - 1 - layers.indexOf(layer);
    failedLayer = `${layer.name} failed${skipped ? `; the ${skipped} layer(s) after it did not run` : ''}`;
    break;
  }
}
console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
if (passed + failed === 0) exitCode = exitCode || 1;
console.log(`Total: ${passed} passed, ${failed} failed${failedLayer ? ` (${failedLayer})` : ''}`);
process.exit(exitCode);
