// The bench's footprint loads the built bundle (dist/extension.js, from `npm run build`) with a stand-in
// `vscode` and runs `activate`: every VS Code name the extension uses must resolve, or `npm run bench`
// stops at its footprint table.
import { strict as assert } from 'node:assert';
import { activationMs } from '../../bench/footprint';

describe('the bench’s footprint (bench/footprint.ts)', () => {
  it('loads dist/extension.js and runs activate with the stand-in vscode, and times both', () => {
    const t = activationMs(1);
    for (const ms of [t.loadMs, t.activateMs, t.totalMs, t.firstTotalMs]) assert.ok(Number.isFinite(ms) && ms >= 0, JSON.stringify(t));
    assert.ok(Math.abs(t.totalMs - (t.loadMs + t.activateMs)) < 1e-6, JSON.stringify(t));
  });
});
