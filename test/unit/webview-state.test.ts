import { strict as assert } from 'node:assert';
import {
  DEFAULT_VIEW_STATE,
  reconcile,
  sameViewState,
  sanitizeViewState,
  wantedEpoch,
  wantedSample,
  withShownEpoch,
} from '../../webview/state';

describe("the view's saved place", () => {
  it('falls back to the defaults for anything that is not a saved state', () => {
    for (const raw of [undefined, null, 42, 'x', []]) assert.deepEqual(sanitizeViewState(raw), DEFAULT_VIEW_STATE);
  });

  it('keeps the valid fields of a saved state and drops the rest', () => {
    const saved = {
      tab: 'fit',
      selectedSample: 3,
      epoch: 12,
      followLatest: false,
      sort: 'share',
      descending: true,
      logScale: false,
      scrollTop: 480,
      pageScrollTop: 900,
      documentUri: 'file:///a.csv',
    };
    assert.deepEqual(sanitizeViewState(saved), saved);
    const bad = sanitizeViewState({
      tab: 'nope',
      selectedSample: -1,
      epoch: 1.5,
      followLatest: 'yes',
      sort: 'contribW',
      descending: 1,
      scrollTop: -3,
      pageScrollTop: NaN,
      documentUri: 7,
    });
    assert.deepEqual(bad, DEFAULT_VIEW_STATE);
  });

  it('wants the last epoch when following the end, the saved one otherwise, clamped to a shorter run', () => {
    assert.equal(wantedEpoch({ ...DEFAULT_VIEW_STATE, followLatest: true, epoch: 5 }, 201), 200);
    assert.equal(wantedEpoch({ ...DEFAULT_VIEW_STATE, followLatest: false, epoch: 5 }, 201), 5);
    assert.equal(wantedEpoch({ ...DEFAULT_VIEW_STATE, followLatest: false, epoch: 500 }, 201), 200);
    assert.equal(wantedEpoch({ ...DEFAULT_VIEW_STATE, followLatest: false, epoch: null }, 201), 200);
    assert.equal(wantedEpoch(DEFAULT_VIEW_STATE, 0), 0);
  });

  it('forgets a chosen sample that no longer exists', () => {
    assert.equal(wantedSample({ ...DEFAULT_VIEW_STATE, selectedSample: 4 }, 5), 4);
    assert.equal(wantedSample({ ...DEFAULT_VIEW_STATE, selectedSample: 5 }, 5), null);
  });

  it('asks the host for the saved epoch and sample after a reload, and for nothing it already shows', () => {
    const saved = { ...DEFAULT_VIEW_STATE, followLatest: false, epoch: 7, selectedSample: 2 };
    assert.deepEqual(reconcile(saved, { entries: 201, samples: 20 }, { epoch: 200, selectedSample: null, playing: false }), {
      seekEpoch: 7,
      selectSample: 2,
    });
    assert.deepEqual(reconcile(saved, { entries: 201, samples: 20 }, { epoch: 7, selectedSample: 2, playing: false }), {
      seekEpoch: null,
      selectSample: undefined,
    });
    assert.deepEqual(reconcile(saved, { entries: 201, samples: 2 }, { epoch: 7, selectedSample: 1, playing: false }), {
      seekEpoch: null,
      selectSample: null,
    });
  });

  it("lets the host's playback win over the saved epoch", () => {
    const saved = { ...DEFAULT_VIEW_STATE, followLatest: false, epoch: 7 };
    assert.equal(reconcile(saved, { entries: 201, samples: 20 }, { epoch: 40, selectedSample: null, playing: true }).seekEpoch, null);
  });

  it('follows the end only while the last epoch is on display', () => {
    assert.equal(withShownEpoch(DEFAULT_VIEW_STATE, 200, 201).followLatest, true);
    const s = withShownEpoch(DEFAULT_VIEW_STATE, 3, 201);
    assert.equal(s.followLatest, false);
    assert.equal(s.epoch, 3);
  });

  it('tells a state that changes nothing, so the view does not save it again', () => {
    const s = withShownEpoch(DEFAULT_VIEW_STATE, 200, 201);
    assert.equal(sameViewState(s, { ...s }), true);
    assert.equal(sameViewState(s, withShownEpoch(s, 200, 201)), true);
    assert.equal(sameViewState(s, withShownEpoch(s, 3, 201)), false);
    assert.equal(sameViewState(s, { ...s, documentUri: 'file:///a.csv' }), false);
    assert.equal(sameViewState({ ...s, pageScrollTop: undefined }, s), true);
  });
});
