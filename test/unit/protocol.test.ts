import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseViewMessage } from '../../src/shared/validate';
import { MAX_ROWS_PER_PAGE } from '../../src/shared/protocol';

describe('messages from the webview are validated', () => {
  it('accepts each well-formed request', () => {
    const good = [
      { type: 'ready' },
      { type: 'seekEpoch', epoch: 3 },
      { type: 'selectSample', index: null, seq: 1 },
      { type: 'selectSample', index: 0, seq: 2 },
      { type: 'revealSample', index: 9 },
      { type: 'requestRows', offset: 0, count: MAX_ROWS_PER_PAGE, sort: 'share', descending: true },
      { type: 'requestSurface' },
      { type: 'setSetting', key: 'learningRate', value: '0.1' },
      { type: 'playback', action: 'step' },
      { type: 'resetSettings' },
      { type: 'showProblems' },
    ];
    for (const m of good) assert.deepEqual(parseViewMessage(m), m);
  });

  it('drops extra keys', () => {
    assert.deepEqual(parseViewMessage({ type: 'seekEpoch', epoch: 1, html: '<img>' }), { type: 'seekEpoch', epoch: 1 });
  });

  it('rejects unknown types, wrong types and out-of-range numbers', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      { type: 'eval', code: '1' },
      { type: 'seekEpoch', epoch: -1 },
      { type: 'seekEpoch', epoch: 1.5 },
      { type: 'seekEpoch', epoch: '3' },
      { type: 'seekEpoch', epoch: Number.NaN },
      { type: 'selectSample', index: -2, seq: 1 },
      { type: 'selectSample', index: 0 },
      { type: 'selectSample', index: 0, seq: -1 },
      { type: 'selectSample', index: 0, seq: 0.5 },
      { type: 'requestRows', offset: 0, count: MAX_ROWS_PER_PAGE + 1, sort: 'share', descending: true },
      { type: 'requestRows', offset: 0, count: 10, sort: '__proto__', descending: true },
      { type: 'requestRows', offset: 0, count: 10, sort: 'u', descending: 'yes' },
      { type: 'setSetting', key: 'constructor', value: '1' },
      { type: 'setSetting', key: 'learningRate', value: 0.1 },
      { type: 'setSetting', key: 'learningRate', value: 'x'.repeat(10_001) },
      { type: 'playback', action: 'rewind' },
    ];
    for (const m of bad) assert.equal(parseViewMessage(m), null, JSON.stringify(m)?.slice(0, 80));
  });

  it('never throws on anything', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        parseViewMessage(v);
        parseViewMessage({ type: 'requestRows', offset: v, count: v, sort: v, descending: v });
      }),
      { numRuns: 2000 },
    );
  });
});
