// Runs before `npm start` and `npm test` (their `pre` scripts): on a fresh clone, installs the npm
// dependencies first (`npm ci`), so that each of the two commands does everything by itself.
// Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/.bin/tsx') || !existsSync('node_modules/.bin/esbuild')) {
  console.log('[setup] installing the npm dependencies (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
