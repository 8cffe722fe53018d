import { strict as assert } from 'node:assert';
import { type SettingsOverride, overrideFromStorage, overrideToStorage, parseSettingOverride } from '../../src/engine';

describe('a setting typed in the panel', () => {
  it('becomes an override with the same parsers and ranges as the file and the CLI', () => {
    assert.deepEqual(parseSettingOverride('learningRate', ' 0.1 ', 1), { ok: true, value: { learningRate: 0.1 } });
    assert.deepEqual(parseSettingOverride('epochs', '30', 1), { ok: true, value: { epochs: 30 } });
    assert.deepEqual(parseSettingOverride('reluGradAtZero', '0', 1), { ok: true, value: { reluGradAtZero: 0 } });
    assert.deepEqual(parseSettingOverride('initialization', 'random 7', 2), {
      ok: true,
      value: { initialization: { kind: 'random', seed: 7 } },
    });
    assert.deepEqual(parseSettingOverride('initialization', '1, 2, 3', 2), {
      ok: true,
      value: { initialization: { kind: 'values', w: [1, 2], b: 3 } },
    });
  });

  it('is refused, with the reason, when out of range or of the wrong shape', () => {
    const bad: [Parameters<typeof parseSettingOverride>[0], string, string][] = [
      ['learningRate', '0', 'setting-out-of-range'],
      ['learningRate', 'fast', 'setting-not-a-number'],
      ['epochs', '100001', 'setting-out-of-range'],
      ['reluGradAtZero', '0.5', 'setting-out-of-range'],
      ['initialization', '1 2', 'init-wrong-count'],
    ];
    for (const [name, text, code] of bad) {
      const r = parseSettingOverride(name, text, 2);
      assert.ok(!r.ok, `${name} = ${text}`);
      assert.equal(r.code, code);
      assert.ok(r.message.length > 0);
    }
  });
});

describe('panel settings kept between sessions', () => {
  it('come back as they were set', () => {
    const cases: SettingsOverride[] = [
      {},
      { learningRate: 1e-9 },
      { learningRate: 0.125, epochs: 40, reluGradAtZero: 0 },
      { initialization: { kind: 'random', seed: 7 } },
      { initialization: { kind: 'zeros' }, reluGradAtZero: 1 },
      { initialization: { kind: 'values', w: [1.5, -2], b: 0.25 } },
    ];
    for (const o of cases) assert.deepEqual(overrideFromStorage(JSON.parse(JSON.stringify(overrideToStorage(o)))), o);
  });

  it('lose a damaged or out-of-range field, never the others', () => {
    assert.deepEqual(overrideFromStorage(null), {});
    assert.deepEqual(overrideFromStorage('lr=0.1'), {});
    assert.deepEqual(overrideFromStorage({ learningRate: '1000', epochs: '20', initialization: 'ones', reluGradAtZero: '2', extra: 'x' }), {
      epochs: 20,
    });
    assert.deepEqual(overrideFromStorage({ learningRate: 0.1, epochs: '1.5', reluGradAtZero: '0' }), { reluGradAtZero: 0 });
  });
});
