import { strict as assert } from 'node:assert';
import type { HostToView, ViewState, ViewToHost } from '../../src/shared/protocol';
import {
  DEFAULT_VIEW_STATE,
  initialPanelState,
  newestOnly,
  SEEK_WAIT_MS,
  startPanel,
  step,
  type PanelEffect,
  type PanelEvent,
  type PanelState,
  type Transition,
} from '../../webview/state';
import { epochMsg, invalidMsg, rowsMsg, SAMPLES, surfaceMsg, trainedMsg } from './viewMessages';

/** The state after `events`, and every effect on the way. */
function play(state: PanelState, ...events: PanelEvent[]): Transition {
  const effects: PanelEffect[] = [];
  for (const event of events) {
    const t = step(state, event);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}

const host = (msg: HostToView): PanelEvent => ({ type: 'host', msg });
const restDue: PanelEvent = { type: 'restDue' };
const kinds = (effects: PanelEffect[]) => effects.map((e) => e.kind);
const posts = (effects: PanelEffect[]): ViewToHost[] => effects.flatMap((e) => (e.kind === 'post' ? [e.msg] : []));
const saves = (effects: PanelEffect[]) => effects.flatMap((e) => (e.kind === 'save' ? [e] : []));
/** The epochs whose header was drawn, as `run:epoch`. */
const headers = (effects: PanelEffect[]) => effects.flatMap((e) => (e.kind === 'showHeader' ? [`${e.msg.runId}:${e.msg.epoch}`] : []));
/** The epochs drawn in full (gradients, charts, fit), as `run:epoch`. */
const rests = (effects: PanelEffect[]) => effects.flatMap((e) => (e.kind === 'showRest' ? [`${e.msg.runId}:${e.msg.epoch}`] : []));
const derivations = (effects: PanelEffect[]) =>
  effects.flatMap((e) => (e.kind === 'showDerivation' ? [`${e.msg.runId}:${e.msg.epoch}`] : []));

/** A view from `place` that was sent run 1 (at its last epoch, 200) and drew it in full. */
function showingRun(place: Partial<ViewState> = {}): PanelState {
  return play(initialPanelState({ ...DEFAULT_VIEW_STATE, ...place }), host(trainedMsg(1)), restDue).state;
}

/** A saved place away from the host's first choice (epoch 200, no sample): epoch 7, sample 2. */
const AWAY: Partial<ViewState> = { followLatest: false, epoch: 7, selectedSample: 2 };

describe('the view as a function of what the host sent (webview/state.ts step)', () => {
  it('builds from the saved place, then tells the host it listens and which tab is open', () => {
    const place = { ...DEFAULT_VIEW_STATE, tab: 'fit' as const };
    const { effects } = startPanel(place);
    assert.deepEqual(kinds(effects), ['build', 'visibility', 'post', 'post']);
    assert.deepEqual(effects[0], { kind: 'build', place, strings: null });
    assert.deepEqual(posts(effects), [{ type: 'ready' }, { type: 'showTab', tab: 'fit' }]);
  });

  it("draws a run's header at once and its heavier parts only when the booked moment comes", () => {
    const first = play(initialPanelState(DEFAULT_VIEW_STATE), host(trainedMsg(1)));
    assert.deepEqual(
      kinds(first.effects).filter((k) => k.startsWith('show') || k === 'bookRest'),
      ['showTrained', 'showHeader', 'bookRest'],
    );
    assert.deepEqual(rests(first.effects), []);
    const due = step(first.state, restDue);
    assert.deepEqual(rests(due.effects), ['1:200']);
    assert.deepEqual(derivations(due.effects), ['1:200'], 'the Derivation tab is open');
    const shown = due.effects.find((e) => e.kind === 'showRest');
    assert.equal(shown?.kind === 'showRest' && shown.samples, SAMPLES);
  });

  it('draws the heavier parts once per moment, for the newest of the epochs that came before it', () => {
    const s = showingRun();
    const quick = play(s, host(epochMsg(1, 5)), host(epochMsg(1, 6)), host(epochMsg(1, 7)));
    assert.deepEqual(headers(quick.effects), ['1:5', '1:6', '1:7']);
    assert.equal(kinds(quick.effects).filter((k) => k === 'bookRest').length, 1);
    const due = play(quick.state, restDue, restDue);
    assert.deepEqual(rests(due.effects), ['1:7']);
  });

  it("moves a probe's mark at once, with the header, for every probe reply; the rest waits for its moment, newest only", () => {
    const s = showingRun({ tab: 'fit' });
    const probe = (w: number) => epochMsg(1, 200, { w: [w], probe: true });
    const drag = play(s, host(probe(0.1)), host(probe(0.2)));
    const marks = drag.effects.flatMap((e) => (e.kind === 'showProbe' ? [e.msg.w[0]] : []));
    assert.deepEqual(marks, [0.1, 0.2]);
    // Each mark comes right after its header, before any heavier part.
    assert.deepEqual(
      kinds(drag.effects).filter((k) => k === 'showHeader' || k === 'showProbe' || k === 'showRest'),
      ['showHeader', 'showProbe', 'showHeader', 'showProbe'],
    );
    const due = step(drag.state, restDue);
    assert.deepEqual(
      due.effects.flatMap((e) => (e.kind === 'showRest' ? [e.msg.w[0]] : [])),
      [0.2],
    );
    // An epoch of the trajectory (the probe left) has no mark to move: the rest takes it down.
    const back = step(due.state, host(epochMsg(1, 200)));
    assert.deepEqual(
      kinds(back.effects).filter((k) => k === 'showProbe'),
      [],
    );
  });

  it('lets the newest run win: epochs, rows and surfaces of any other run are not drawn', () => {
    const s = play(showingRun(), host(trainedMsg(2, null))).state;
    const old = play(s, host(epochMsg(1, 3)), host(rowsMsg(1)), host(surfaceMsg(1)));
    assert.deepEqual(old.effects, []);
    assert.equal(old.state.epoch?.runId, 1, "the last epoch taken in is still run 1's, not the dropped one");
    assert.equal(old.state.epoch?.epoch, 200);
    const current = play(s, host(rowsMsg(2)), host(surfaceMsg(2)));
    assert.deepEqual(kinds(current.effects), ['showRows', 'showSurface']);
  });

  it('does not draw in full an epoch of a run that was replaced before its moment came', () => {
    const s = play(showingRun(), host(epochMsg(1, 9)), host(trainedMsg(2, null))).state;
    assert.deepEqual(rests(step(s, restDue).effects), []);
  });

  it("numbers the view's choices of sample 1, 2, 3, … and saves each", () => {
    const { effects, state } = play(showingRun(), { type: 'chooseSample', index: 3 }, { type: 'chooseSample', index: null });
    assert.deepEqual(posts(effects), [
      { type: 'selectSample', index: 3, seq: 1 },
      { type: 'selectSample', index: null, seq: 2 },
    ]);
    assert.deepEqual(
      saves(effects).map((e) => e.place.selectedSample),
      [3, null],
    );
    assert.equal(state.selectionsSent, 2);
  });

  it("lets the view's choice of sample win: an epoch made before the host had it is neither drawn nor kept", () => {
    const chosen = play(showingRun(), { type: 'chooseSample', index: 3 }).state;
    const stale = step(chosen, host(epochMsg(1, 150, { selectedSample: null, selectionSeq: 0 })));
    assert.deepEqual(stale.effects, []);
    assert.equal(stale.state.place.selectedSample, 3);
    assert.equal(stale.state.epoch?.epoch, 200);
    const answer = step(chosen, host(epochMsg(1, 150, { selectedSample: 3, selectionSeq: 1 })));
    assert.deepEqual(headers(answer.effects), ['1:150']);
    assert.equal(answer.state.place.selectedSample, 3);
  });

  it('does not draw in full an epoch whose sample was overtaken by a choice made before its moment', () => {
    const s = play(showingRun(), host(epochMsg(1, 150)), { type: 'chooseSample', index: 3 }).state;
    assert.deepEqual(rests(step(s, restDue).effects), []);
  });

  it('after a reload, asks for the saved epoch and sample and draws nothing until that epoch comes', () => {
    const s = play(initialPanelState({ ...DEFAULT_VIEW_STATE, ...AWAY }), host(trainedMsg(1)));
    assert.deepEqual(posts(s.effects), [
      { type: 'seekEpoch', epoch: 7 },
      { type: 'selectSample', index: 2, seq: 1 },
    ]);
    assert.ok(s.effects.some((e) => e.kind === 'startSeekTimer' && e.ms === SEEK_WAIT_MS));
    assert.deepEqual(headers(s.effects), []);
    assert.equal(s.state.seekTarget, 7);
    // Another epoch, made after the choice of sample, is still not the one asked for.
    const other = step(s.state, host(epochMsg(1, 200, { selectionSeq: 1, selectedSample: 2 })));
    assert.deepEqual(other.effects, []);
    const answer = step(other.state, host(epochMsg(1, 7, { selectionSeq: 1, selectedSample: 2 })));
    assert.deepEqual(kinds(answer.effects).slice(0, 1), ['stopSeekTimer']);
    assert.deepEqual(headers(answer.effects), ['1:7']);
    assert.equal(answer.state.seekTarget, null);
    assert.equal(answer.state.place.epoch, 7);
    assert.equal(answer.state.place.followLatest, false);
  });

  it('ends the wait for the saved epoch when the host plays: its epoch wins', () => {
    const s = play(initialPanelState({ ...DEFAULT_VIEW_STATE, ...AWAY }), host(trainedMsg(1))).state;
    const playing = step(s, host(epochMsg(1, 40, { selectionSeq: 1, playing: true })));
    assert.deepEqual(kinds(playing.effects).slice(0, 1), ['stopSeekTimer']);
    assert.deepEqual(headers(playing.effects), ['1:40']);
  });

  it('draws the last epoch it received when the saved one has not come within the wait, and nothing when no wait is on', () => {
    const s = play(
      initialPanelState({ ...DEFAULT_VIEW_STATE, ...AWAY }),
      host(trainedMsg(1)),
      host(epochMsg(1, 100, { selectionSeq: 1 })),
    ).state;
    assert.deepEqual(headers(step(s, { type: 'seekTimedOut' }).effects), ['1:100']);
    assert.deepEqual(step(showingRun(), { type: 'seekTimedOut' }).effects, []);
  });

  it('asks for nothing when the new run already shows the saved place, and saves the epoch shown', () => {
    const s = play(initialPanelState({ ...DEFAULT_VIEW_STATE, followLatest: false, epoch: 3 }), host(trainedMsg(1, epochMsg(1, 3))));
    assert.deepEqual(posts(s.effects), []);
    assert.deepEqual(headers(s.effects), ['1:3']);
    assert.equal(s.state.seekTarget, null);
    assert.equal(s.state.place.epoch, 3);
  });

  it('forgets a saved sample the new run does not have, and tells the host', () => {
    const s = play(
      initialPanelState({ ...DEFAULT_VIEW_STATE, selectedSample: SAMPLES + 5 }),
      host(trainedMsg(1, epochMsg(1, 200, { selectedSample: 4 }))),
    );
    assert.deepEqual(posts(s.effects), [{ type: 'selectSample', index: null, seq: 1 }]);
    assert.equal(s.state.place.selectedSample, null);
  });

  it("reconciles a run once: later epochs, and the same run sent again, take the host's epoch and sample", () => {
    const s = showingRun();
    assert.equal(s.reconcileRun, null);
    const later = play(s, host(epochMsg(1, 3, { selectedSample: 4 })));
    assert.deepEqual(posts(later.effects), []);
    assert.deepEqual(headers(later.effects), ['1:3']);
    assert.equal(later.state.place.selectedSample, 4);
    assert.equal(later.state.place.followLatest, false);
    // The place now says epoch 3; run 1 sent again at epoch 200 is not a new run to bring back to it.
    const again = play(later.state, host(trainedMsg(1)));
    assert.deepEqual(posts(again.effects), []);
    assert.deepEqual(headers(again.effects), ['1:200']);
    assert.equal(again.state.place.followLatest, true);
  });

  it('saves the place only when it changes, after the delay asked for', () => {
    const s = showingRun();
    assert.deepEqual(saves(step(s, host(epochMsg(1, 200))).effects), [], 'the last epoch again');
    assert.deepEqual(step(s, { type: 'place', change: { logScale: s.place.logScale }, delay: 0 }).effects, []);
    const scrolled = step(s, { type: 'place', change: { scrollTop: 480 }, delay: 250 });
    assert.deepEqual(scrolled.effects, [{ kind: 'save', place: { ...s.place, scrollTop: 480 }, delay: 250 }]);
  });

  it('keeps the last run in sight while the file has no usable rows, and clears that with the next run', () => {
    const before = step(initialPanelState(DEFAULT_VIEW_STATE), host(invalidMsg()));
    assert.deepEqual(before.effects, [{ kind: 'showInvalid', msg: invalidMsg(), keepRun: false }]);
    const during = step(showingRun(), host(invalidMsg()));
    assert.deepEqual(during.effects, [{ kind: 'showInvalid', msg: invalidMsg(), keepRun: true }]);
    assert.notEqual(during.state.invalid, null);
    assert.equal(step(during.state, host(trainedMsg(2))).state.invalid, null);
  });

  it('asks for the loss surface once per run, while the Fit tab is open, and saves and tells the tab', () => {
    const toFit = play(showingRun(), { type: 'showTab', tab: 'fit' });
    assert.deepEqual(posts(toFit.effects), [{ type: 'showTab', tab: 'fit' }, { type: 'requestSurface' }]);
    assert.equal(saves(toFit.effects)[0]?.place.tab, 'fit');
    assert.ok(toFit.effects.some((e) => e.kind === 'visibility' && e.tab === 'fit'));
    const back = play(toFit.state, { type: 'showTab', tab: 'gradients' }, { type: 'showTab', tab: 'fit' });
    assert.deepEqual(posts(back.effects), [
      { type: 'showTab', tab: 'gradients' },
      { type: 'showTab', tab: 'fit' },
    ]);
    const next = step(back.state, host(trainedMsg(2)));
    assert.deepEqual(posts(next.effects), [{ type: 'requestSurface' }]);
  });

  it('asks again for the surface of a new run even under an id it had before (a host that counts again)', () => {
    const s = play(
      showingRun(),
      { type: 'showTab', tab: 'fit' },
      { type: 'showTab', tab: 'gradients' },
      host(trainedMsg(2)),
      host(trainedMsg(1)),
    ).state;
    assert.deepEqual(posts(step(s, { type: 'showTab', tab: 'fit' }).effects), [
      { type: 'showTab', tab: 'fit' },
      { type: 'requestSurface' },
    ]);
  });

  it('typesets the derivation only while its tab is open, and once per epoch', () => {
    const s = showingRun({ tab: 'gradients' });
    const drawn = play(s, host(epochMsg(1, 9)), restDue);
    assert.deepEqual(rests(drawn.effects), ['1:9']);
    assert.deepEqual(derivations(drawn.effects), []);
    const opened = play(drawn.state, { type: 'showTab', tab: 'derivation' });
    assert.deepEqual(derivations(opened.effects), ['1:9']);
    const reopened = play(opened.state, { type: 'showTab', tab: 'gradients' }, { type: 'showTab', tab: 'derivation' });
    assert.deepEqual(derivations(reopened.effects), []);
  });

  it("does not typeset an older run's epoch with a new run's settings", () => {
    // Run 2 has one entry (epoch 0), so its first epoch is drawn without a seek.
    const s = play(showingRun(), host(trainedMsg(2, null, 1)));
    assert.deepEqual(derivations(s.effects), []);
    assert.deepEqual(derivations(step(s.state, host(epochMsg(2, 0))).effects), []);
    assert.deepEqual(derivations(play(s.state, host(epochMsg(2, 0)), restDue).effects), ['2:0']);
  });

  it('rebuilds in the words that came and shows the last messages again, asking the host for nothing', () => {
    const s = play(showingRun(), host(invalidMsg())).state;
    const strings = { type: 'strings' as const, locale: 'ru', strings: { Fit: 'Аппроксимация' } };
    const { effects } = step(s, host(strings));
    assert.deepEqual(effects[0], { kind: 'build', place: s.place, strings });
    assert.deepEqual(
      kinds(effects).filter((k) => k.startsWith('show')),
      ['showInvalid', 'showTrained', 'showDerivation', 'showHeader'],
    );
    assert.deepEqual(posts(effects), []);
    assert.deepEqual(headers(effects), ['1:200']);
  });

  it('keeps a reconciliation pending across a rebuild', () => {
    const s = play(initialPanelState({ ...DEFAULT_VIEW_STATE, ...AWAY }), host(trainedMsg(1, null))).state;
    const rebuilt = step(s, host({ type: 'strings', locale: 'en', strings: {} })).state;
    assert.equal(rebuilt.reconcileRun, 1);
    assert.deepEqual(posts(step(rebuilt, host(epochMsg(1, 200))).effects)[0], { type: 'seekEpoch', epoch: 7 });
  });

  it('tells the table the epoch of the run, or the last one shown while the run has none', () => {
    const table = (effects: PanelEffect[]) => effects.flatMap((e) => (e.kind === 'showTrained' ? [e.epoch] : []));
    const s = showingRun();
    assert.deepEqual(table(step(s, host(trainedMsg(2, epochMsg(2, 40)))).effects), [40]);
    assert.deepEqual(table(step(s, host(trainedMsg(2, null))).effects), [200]);
  });

  it('goes back to where the student was reading once, after the first epoch drawn in full', () => {
    const s = play(
      initialPanelState({ ...DEFAULT_VIEW_STATE, pageScrollTop: 900 }),
      host(trainedMsg(1)),
      restDue,
      host(epochMsg(1, 3)),
      restDue,
    );
    assert.deepEqual(
      s.effects.filter((e) => e.kind === 'restorePageScroll'),
      [{ kind: 'restorePageScroll', top: 900 }],
    );
    const top = play(initialPanelState(DEFAULT_VIEW_STATE), host(trainedMsg(1)), restDue);
    assert.equal(
      top.effects.some((e) => e.kind === 'restorePageScroll'),
      false,
    );
  });

  it('skips straight to the newest run among messages that came together: older runs are never drawn', () => {
    const from = showingRun();
    const batch: HostToView[] = [
      epochMsg(1, 150),
      trainedMsg(2),
      rowsMsg(2),
      invalidMsg(),
      trainedMsg(3),
      epochMsg(3, 199),
      { type: 'strings', locale: 'en', strings: {} },
      trainedMsg(4),
      rowsMsg(4),
    ];
    const { state, effects } = play(from, { type: 'hostBatch', msgs: batch }, restDue);
    const drawnRuns = effects.flatMap((e) =>
      e.kind === 'showTrained' || e.kind === 'showRows' || e.kind === 'showInvalid'
        ? [`${e.kind}:${'runId' in e.msg ? e.msg.runId : '-'}`]
        : [],
    );
    // The strings rebuild and replay what the view had (run 1), then run 4 and its rows: runs 2 and 3 never.
    assert.deepEqual(drawnRuns, ['showTrained:1', 'showTrained:4', 'showRows:4']);
    assert.deepEqual(headers(effects), ['1:200', '4:200']);
    assert.deepEqual(rests(effects), ['4:200']);
    assert.deepEqual(
      effects.flatMap((e) => (e.kind === 'runShown' ? [e.runId] : [])),
      [4],
      'only the newest run is reported taken in',
    );
    assert.equal(state.trained?.runId, 4);
    // Each message on its own draws every run: the batch is what lets the view skip.
    const oneByOne = play(from, ...batch.map(host), restDue);
    assert.deepEqual(
      oneByOne.effects.flatMap((e) => (e.kind === 'showTrained' ? [e.msg.runId] : [])),
      [2, 3, 3, 4], // run 3 twice: the strings rebuild and replay it
    );
  });

  it('newestOnly keeps the strings, the last run and what follows it; a batch without a run stays whole', () => {
    const strings: HostToView = { type: 'strings', locale: 'ru', strings: {} };
    assert.deepEqual(newestOnly([trainedMsg(1), strings, epochMsg(1, 3), trainedMsg(2), epochMsg(2, 5)]), [
      strings,
      trainedMsg(2),
      epochMsg(2, 5),
    ]);
    const noRun = [epochMsg(1, 3), rowsMsg(1), epochMsg(1, 4)];
    assert.deepEqual(newestOnly(noRun), noRun);
    assert.deepEqual(newestOnly([]), []);
  });

  it('reports each run it takes in to the host once, after drawing its header', () => {
    const { effects } = play(initialPanelState(DEFAULT_VIEW_STATE), host(trainedMsg(1)), host(epochMsg(1, 200)), host(trainedMsg(2)));
    const order = effects.flatMap((e) =>
      e.kind === 'runShown' ? [`ack:${e.runId}`] : e.kind === 'showHeader' ? [`header:${e.msg.runId}`] : [],
    );
    assert.deepEqual(order, ['header:1', 'ack:1', 'header:1', 'header:2', 'ack:2']);
  });

  it("takes a run's series sent after it (the Trajectories tab opened), never an older run's, and keeps them for a rebuild", () => {
    const run = { ...trainedMsg(2), series: null };
    const series = trainedMsg(2).series!;
    const { state, effects } = play(
      showingRun(),
      host(run),
      host({ type: 'series', runId: 1, series }),
      host({ type: 'series', runId: 2, series }),
    );
    assert.deepEqual(
      effects.flatMap((e) => (e.kind === 'showSeries' ? [e.msg.runId] : [])),
      [2],
    );
    assert.deepEqual(state.trained?.series, series);
    const rebuilt = step(state, host({ type: 'strings', locale: 'en', strings: {} })).effects;
    const shown = rebuilt.find((e) => e.kind === 'showTrained');
    assert.ok(shown?.kind === 'showTrained' && shown.msg.series === series, 'the replayed run carries its series');
  });

  it('never changes the state it is given', () => {
    const deepFreeze = <T>(v: T): T => {
      if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
        Object.freeze(v);
        for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
      }
      return v;
    };
    const events: PanelEvent[] = [
      host(trainedMsg(2)),
      { type: 'hostBatch', msgs: [trainedMsg(2), epochMsg(2, 4), trainedMsg(3)] },
      host(epochMsg(1, 3)),
      host(invalidMsg()),
      host({ type: 'strings', locale: 'en', strings: {} }),
      host(rowsMsg(1)),
      host(surfaceMsg(1)),
      { type: 'chooseSample', index: 1 },
      { type: 'showTab', tab: 'fit' },
      { type: 'place', change: { scrollTop: 5 }, delay: 250 },
      { type: 'seekTimedOut' },
      restDue,
    ];
    for (const from of [showingRun(), play(initialPanelState({ ...DEFAULT_VIEW_STATE, ...AWAY }), host(trainedMsg(1))).state]) {
      const copy = structuredClone(from);
      deepFreeze(from);
      for (const event of events) step(from, event);
      assert.deepEqual(from, copy);
    }
  });
});
