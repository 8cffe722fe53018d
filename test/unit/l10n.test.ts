import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, LIMITS, MESSAGES, STEP_TITLES } from '../../src/engine';
import { VIEW_STRINGS } from '../../src/shared/viewStrings';

const root = join(__dirname, '../..');
const json = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8'));
/** The first argument of every `l10n.t('…')` call with a literal in the `.ts` files under `dir`. */
function l10nKeys(dir: string): string[] {
  const keys: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) keys.push(...l10nKeys(p));
    else if (p.endsWith('.ts')) {
      for (const m of readFileSync(p, 'utf8').matchAll(/l10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) keys.push(m[2].replace(/\\(['"`\\])/g, '$1'));
    }
  }
  return keys;
}

const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();

describe('English and Russian', () => {
  const ru: Record<string, string> = json('l10n/bundle.l10n.ru.json');

  it('translates every sentence the engine, the host and the view say, keeping the placeholders', () => {
    const hostKeys = l10nKeys(join(root, 'src'));
    assert.ok(hostKeys.length > 30, `found only ${hostKeys.length} l10n.t calls`);
    const keys = [...Object.values(MESSAGES), ...Object.values(STEP_TITLES), ...hostKeys, ...VIEW_STRINGS];
    const missing = keys.filter((k) => !(k in ru));
    assert.deepEqual(missing, [], 'missing Russian translations');
    for (const k of keys) assert.equal(placeholders(ru[k]), placeholders(k), `placeholders of "${k}"`);
    for (const v of Object.values(ru)) assert.match(v, /[а-яё]|^[^a-z]*$/i, `"${v}" is not Russian`);
  });

  it('translates every manifest string', () => {
    const en = json('package.nls.json');
    const nlsRu = json('package.nls.ru.json');
    assert.deepEqual(Object.keys(nlsRu).sort(), Object.keys(en).sort());
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    for (const m of manifest.matchAll(/"%([^%"]+)%"/g)) assert.ok(m[1] in en, `package.nls.json lacks ${m[1]}`);
  });
});

describe('the manifest\'s settings', () => {
  const props = json('package.json').contributes.configuration.properties;

  it('default to exactly what the CLI uses', () => {
    assert.equal(props['reluNeuron.learningRate'].default, DEFAULT_SETTINGS.learningRate);
    assert.equal(props['reluNeuron.epochs'].default, DEFAULT_SETTINGS.epochs);
    assert.equal(props['reluNeuron.initialization'].default, DEFAULT_SETTINGS.initialization.kind);
    assert.equal(props['reluNeuron.reluGradAtZero'].default, String(DEFAULT_SETTINGS.reluGradAtZero));
  });

  it('have the engine\'s ranges', () => {
    assert.equal(props['reluNeuron.learningRate'].minimum, LIMITS.learningRate.min);
    assert.equal(props['reluNeuron.learningRate'].maximum, LIMITS.learningRate.max);
    assert.equal(props['reluNeuron.epochs'].minimum, LIMITS.epochs.min);
    assert.equal(props['reluNeuron.epochs'].maximum, LIMITS.epochs.max);
    assert.equal(props['reluNeuron.seed'].maximum, LIMITS.seed.max);
    for (const [key, p] of Object.entries<{ markdownDescription?: string; description?: string }>(props)) assert.ok(p.markdownDescription ?? p.description, key);
  });
});
