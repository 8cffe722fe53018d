import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseViewMessage } from '../../src/shared/validate';
import { MAX_ROWS_PER_PAGE, type HostToView, type ViewToHost } from '../../src/shared/protocol';
import {
  DEFAULT_VIEW_STATE,
  initialPanelState,
  startPanel,
  step,
  type PanelEffect,
  type PanelEvent,
  type PanelState,
} from '../../webview/state';
import { epochMsg, invalidMsg, rowsMsg, surfaceMsg, trainedMsg } from './viewMessages';

type Request<K extends ViewToHost['type']> = Extract<ViewToHost, { type: K }>;

/**
 * Every request the view may send: well-formed examples (at least one) and malformed ones. Typed by
 * `ViewToHost['type']`, so a request added to the protocol without cases here fails to compile.
 */
const REQUESTS: { [K in ViewToHost['type']]: { good: [Request<K>, ...Request<K>[]]; bad: unknown[] } } = {
  ready: { good: [{ type: 'ready' }], bad: [] },
  checkGradient: { good: [{ type: 'checkGradient' }], bad: [] },
  probe: {
    good: [
      { type: 'probe', theta: [0.5, -1] },
      { type: 'probe', theta: null },
    ],
    bad: [[], [1, Number.NaN], [1, Infinity], [1, '2'], [1e16, 0], 'x', 3, Array.from({ length: 100_002 }, () => 0)].map((theta) => ({
      type: 'probe',
      theta,
    })),
  },
  seekEpoch: {
    good: [
      { type: 'seekEpoch', epoch: 0 },
      { type: 'seekEpoch', epoch: 3 },
    ],
    bad: [-1, 1.5, '3', Number.NaN, Infinity, null].map((epoch) => ({ type: 'seekEpoch', epoch })),
  },
  selectSample: {
    good: [
      { type: 'selectSample', index: null, seq: 1 },
      { type: 'selectSample', index: 0, seq: 2 },
    ],
    bad: [
      { type: 'selectSample', index: -2, seq: 1 },
      { type: 'selectSample', index: '0', seq: 1 },
      { type: 'selectSample', index: 0, seq: -1 },
      { type: 'selectSample', index: 0, seq: 0.5 },
      { type: 'selectSample', index: 0, seq: null },
    ],
  },
  revealSample: {
    good: [{ type: 'revealSample', index: 9 }],
    bad: [-1, null, 0.5].map((index) => ({ type: 'revealSample', index })),
  },
  requestRows: {
    good: [
      { type: 'requestRows', offset: 0, count: MAX_ROWS_PER_PAGE, sort: 'share', descending: true },
      { type: 'requestRows', offset: 40, count: 0, sort: 'index', descending: false },
    ],
    bad: [
      { type: 'requestRows', offset: 0, count: MAX_ROWS_PER_PAGE + 1, sort: 'share', descending: true },
      { type: 'requestRows', offset: -1, count: 10, sort: 'u', descending: true },
      { type: 'requestRows', offset: 0, count: 10, sort: '__proto__', descending: true },
      { type: 'requestRows', offset: 0, count: 10, sort: 'contribW', descending: true },
      { type: 'requestRows', offset: 0, count: 10, sort: 'u', descending: 'yes' },
    ],
  },
  requestSurface: { good: [{ type: 'requestSurface' }], bad: [] },
  requestSlice: {
    good: [{ type: 'requestSlice', axes: [0, 2] }],
    bad: [[0, 0], [0], [0, -1], [0.5, 1], 'ab', [0, 1, 2]].map((axes) => ({ type: 'requestSlice', axes })),
  },
  setSetting: {
    good: [
      { type: 'setSetting', key: 'learningRate', value: '0.1' },
      { type: 'setSetting', key: 'epochs', value: '' },
      { type: 'setSetting', key: 'initialization', value: 'random 42' },
      { type: 'setSetting', key: 'reluGradAtZero', value: '1' },
      { type: 'setSetting', key: 'scale', value: 'standard' },
    ],
    bad: [
      { type: 'setSetting', key: 'constructor', value: '1' },
      { type: 'setSetting', key: 'learningRate', value: 0.1 },
      { type: 'setSetting', key: 'learningRate', value: 'x'.repeat(10_001) },
    ],
  },
  setColumns: {
    good: [
      { type: 'setColumns', target: 'Feature 2' },
      { type: 'setColumns', features: ['x', 'Feature 2'] },
      { type: 'setColumns', features: ['y'] },
    ],
    bad: [
      { type: 'setColumns' },
      { type: 'setColumns', target: 'z' },
      { type: 'setColumns', target: 'X' },
      { type: 'setColumns', target: 'feature 2' },
      { type: 'setColumns', target: 3 },
      { type: 'setColumns', target: ['x'] },
      { type: 'setColumns', features: [] },
      { type: 'setColumns', features: ['x', 'x'] },
      { type: 'setColumns', features: ['x', 'nope'] },
      { type: 'setColumns', features: 'x' },
      { type: 'setColumns', features: [null] },
      { type: 'setColumns', features: ['x', 'Feature 2', 'y', 'x'] },
      { type: 'setColumns', target: 'y', features: ['<img src=x>'] },
      { type: 'setColumns', target: 'toString' },
      { type: 'setColumns', target: '__proto__' },
    ],
  },
  stopFix: {
    good: [
      { type: 'stopFix', fix: 'learning-rate' },
      { type: 'stopFix', fix: 'standardize' },
    ],
    bad: [{ type: 'stopFix', fix: 'delete-file' }, { type: 'stopFix', fix: 0.05 }, { type: 'stopFix' }],
  },
  resetSettings: { good: [{ type: 'resetSettings' }], bad: [] },
  runShown: {
    good: [
      { type: 'runShown', runId: 0 },
      { type: 'runShown', runId: 12 },
    ],
    bad: [-1, 1.5, '3', null].map((runId) => ({ type: 'runShown', runId })),
  },
  playback: {
    good: [
      { type: 'playback', action: 'play' },
      { type: 'playback', action: 'pause' },
      { type: 'playback', action: 'step' },
      { type: 'playback', action: 'reset' },
    ],
    bad: [
      { type: 'playback', action: 'rewind' },
      { type: 'playback', action: 1 },
    ],
  },
  showProblems: { good: [{ type: 'showProblems' }], bad: [] },
  requestFit: { good: [{ type: 'requestFit' }], bad: [] },
  showTab: {
    good: [
      { type: 'showTab', tab: 'derivation' },
      { type: 'showTab', tab: 'graph' },
      { type: 'showTab', tab: 'gradients' },
      { type: 'showTab', tab: 'trajectories' },
      { type: 'showTab', tab: 'fit' },
    ],
    bad: [
      { type: 'showTab', tab: 'nope' },
      { type: 'showTab', tab: null },
    ],
  },
};

/** The shown file's columns, which a `setColumns` request must name exactly. */
const COLUMNS = ['x', 'Feature 2', 'y'];

/** A view showing run 1 at epoch 200 (drawn in full). */
function showingRun(): PanelState {
  let s = initialPanelState(DEFAULT_VIEW_STATE);
  for (const event of [{ type: 'host', msg: trainedMsg(1) }, { type: 'restDue' }] as PanelEvent[]) s = step(s, event).state;
  return s;
}

/**
 * Every message the host may send, and what a view showing run 1 draws for it. Typed by
 * `HostToView['type']`, so a message added to the protocol without a row here fails to compile.
 */
const HOST_MESSAGES: { [K in HostToView['type']]: { msg: Extract<HostToView, { type: K }>; draws: PanelEffect['kind'] } } = {
  strings: { msg: { type: 'strings', locale: 'ru', strings: { Fit: 'Аппроксимация' } }, draws: 'build' },
  trained: { msg: trainedMsg(2), draws: 'showTrained' },
  datasetInvalid: { msg: invalidMsg(), draws: 'showInvalid' },
  epoch: { msg: epochMsg(1, 3), draws: 'showHeader' },
  rows: { msg: rowsMsg(1), draws: 'showRows' },
  surface: { msg: surfaceMsg(1), draws: 'showSurface' },
  series: { msg: { type: 'series', runId: 1, series: trainedMsg(1).series! }, draws: 'showSeries' },
  gradientCheck: {
    msg: {
      type: 'gradientCheck',
      runId: 1,
      epoch: 3,
      parameters: [{ analytic: 1, central: 1, forward: 1, backward: 1, relative: 0, h: 1e-5 }],
      kinkSamples: 0,
      firstKink: null,
      reluGradAtZero: 1,
    },
    draws: 'showGradientCheck',
  },
};

describe('messages from the webview are validated', () => {
  it('accepts each well-formed request, of every type, as it is', () => {
    for (const [type, { good }] of Object.entries(REQUESTS)) {
      for (const m of good) {
        assert.equal(m.type, type);
        assert.deepEqual(parseViewMessage(m, COLUMNS), m);
      }
    }
  });

  it('refuses each malformed request', () => {
    for (const { bad } of Object.values(REQUESTS))
      for (const m of bad) assert.equal(parseViewMessage(m, COLUMNS), null, JSON.stringify(m)?.slice(0, 80));
  });

  it('refuses a request that lacks any one of its fields', () => {
    let checked = 0;
    for (const { good } of Object.values(REQUESTS)) {
      for (const m of good) {
        for (const field of Object.keys(m).filter((k) => k !== 'type')) {
          const rest: Record<string, unknown> = { ...m };
          delete rest[field];
          assert.equal(parseViewMessage(rest, COLUMNS), null, `${m.type} without ${field}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 20, `only ${checked} fields were left out`);
  });

  it('takes column names only from the file shown: none without one, and as the header writes them', () => {
    assert.equal(parseViewMessage({ type: 'setColumns', target: 'x' }), null);
    assert.equal(parseViewMessage({ type: 'setColumns', target: 'x' }, ['a', 'b']), null);
    assert.deepEqual(parseViewMessage({ type: 'setColumns', target: 'x', features: ['a'] }, ['a', 'x']), {
      type: 'setColumns',
      target: 'x',
      features: ['a'],
    });
    assert.equal(parseViewMessage({ type: 'setColumns', target: 'x', features: ['a', 'b'] }, ['a', 'x']), null);
  });

  it('drops extra keys', () => {
    assert.deepEqual(parseViewMessage({ type: 'seekEpoch', epoch: 1, html: '<img>' }), { type: 'seekEpoch', epoch: 1 });
  });

  it('rejects unknown types and anything that is not a message', () => {
    for (const m of [
      null,
      undefined,
      'ready',
      7,
      [],
      {},
      { type: 7 },
      { type: 'eval', code: '1' },
      { type: 'toString' },
      { type: '__proto__' },
    ]) {
      assert.equal(parseViewMessage(m), null, String(m));
    }
  });

  it('never throws on anything', () => {
    const types = Object.keys(REQUESTS);
    fc.assert(
      fc.property(
        fc.anything(),
        fc.constantFrom(...types),
        fc.dictionary(fc.string({ maxLength: 12 }), fc.anything()),
        (v, type, fields) => {
          parseViewMessage(v);
          parseViewMessage({ ...fields, type });
          parseViewMessage({ ...fields, type }, COLUMNS);
          parseViewMessage({ type: 'requestRows', offset: v, count: v, sort: v, descending: v });
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('every message of the protocol has its counterpart', () => {
  it('the view draws every message the host sends', () => {
    for (const [type, { msg, draws }] of Object.entries(HOST_MESSAGES)) {
      assert.equal(msg.type, type);
      const { effects } = step(showingRun(), { type: 'host', msg });
      assert.ok(
        effects.some((e) => e.kind === draws),
        `${type}: ${draws} expected, got ${effects.map((e) => e.kind).join(', ')}`,
      );
    }
  });

  it("every request the view's state sends is one the host accepts", () => {
    const sent: ViewToHost[] = [];
    const collect = (effects: PanelEffect[]) => {
      for (const e of effects) {
        if (e.kind === 'post') sent.push(e.msg);
        if (e.kind === 'runShown') sent.push({ type: 'runShown', runId: e.runId });
      }
    };
    collect(startPanel({ ...DEFAULT_VIEW_STATE, followLatest: false, epoch: 7, selectedSample: 2 }).effects);
    let s = initialPanelState({ ...DEFAULT_VIEW_STATE, followLatest: false, epoch: 7, selectedSample: 2 });
    const events: PanelEvent[] = [
      { type: 'host', msg: trainedMsg(1) },
      { type: 'chooseSample', index: 4 },
      { type: 'chooseSample', index: null },
      { type: 'showTab', tab: 'fit' },
    ];
    for (const event of events) {
      const t = step(s, event);
      s = t.state;
      collect(t.effects);
    }
    assert.deepEqual([...new Set(sent.map((m) => m.type))].sort(), [
      'ready',
      'requestSurface',
      'runShown',
      'seekEpoch',
      'selectSample',
      'showTab',
    ]);
    for (const m of sent) assert.deepEqual(parseViewMessage(m), m);
  });
});
