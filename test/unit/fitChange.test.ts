import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DEFAULT_SETTINGS, mergeSettings, seededUniform } from '../../src/engine';
import { runJob, type JobResult } from '../../src/training/job';
import { applyFitChange, fitChangeOf } from '../../src/shared/fitChange';
import type { EpochMessage, FitData, HostToView, TrainedMessage, ViewState, ViewToHost } from '../../src/shared/protocol';
import { parseViewMessage } from '../../src/shared/validate';
import { epochMessage, FitLedger, messageBytes, type Probe } from '../../src/panel/viewModel';
import { DEFAULT_VIEW_STATE, initialPanelState, step, type PanelState } from '../../webview/state';
import { trainedMsg } from './viewMessages';

const job = (text: string) => runJob({ text, base: mergeSettings(DEFAULT_SETTINGS, { epochs: 30 }), overrides: {} })!;

/** n rows of d features (x in [−2, 2], y = a noisy ReLU), with a `# @scale` line when asked. */
function dataset(n: number, d: number, seed: number, scale = false): string {
  const rand = seededUniform(seed);
  const head = Array.from({ length: d }, (_, j) => `x${j + 1}`).join(',');
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: d }, () => Math.round((4 * rand() - 2) * 1000) / 1000);
    const y =
      Math.max(
        0,
        x.reduce((a, v, j) => a + (j % 2 ? -v : v), 0.3),
      ) +
      Math.round((rand() - 0.5) * 100) / 1000;
    rows.push(`${x.join(',')},${y}`);
  }
  return `${scale ? '# @scale standard\n' : ''}${head},y\n${rows.join('\n')}\n`;
}

/** Runs of each kind of fit plot: one feature (x stay), one feature scaled (line in the file's units), more features (z move). */
const RUNS: Array<[string, JobResult]> = [
  ['one feature, 2,500 rows (decimated)', job(dataset(2500, 1, 1))],
  ['one feature, scaled', job(dataset(300, 1, 2, true))],
  ['three features, 2,500 rows', job(dataset(2500, 3, 3))],
];

/** A probe θ near the trajectory's last point, or null (the trajectory's epoch). */
function randomProbe(r: JobResult, rand: () => number): Probe | null {
  if (rand() < 0.3) return null;
  const d = r.samples.d;
  return { w: Array.from({ length: d }, () => 4 * rand() - 2), b: 2 * rand() - 1 };
}

/** Where the display is: the scrubber's epoch, a probe or none, the chosen sample. */
interface At {
  epoch: number;
  probe: Probe | null;
  sample: number | null;
}

/** The message at `at` with its full fit, or with only its change when `held` (no fit at all without `withFit`). */
function messageAt(r: JobResult, runId: number, at: At, held: boolean, withFit = true) {
  return epochMessage({
    result: r,
    runId,
    epoch: at.epoch,
    selectedSample: at.sample,
    playing: false,
    probe: at.probe,
    fitHeld: held,
    withFit,
  });
}

/** The message without its fit, full or changed. */
function withoutFit(m: EpochMessage): EpochMessage {
  const out = { ...m, fit: null };
  delete out.fitChange;
  return out;
}

/** Bit for bit: the same numbers (Object.is: −0 is not 0) in arrays of the same length. */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let k = 0; k < a.length; k++) assert.ok(Object.is(a[k], b[k]), `${what}[${k}]: ${a[k]} vs ${b[k]}`);
}

function randomPoint(r: JobResult, rand: () => number) {
  const entries = r.trajectory!.length;
  return {
    epoch: Math.floor(rand() * entries),
    probe: randomProbe(r, rand),
    sample: rand() < 0.5 ? null : Math.floor(rand() * r.dataset.n),
  };
}

describe('the fit sent as what changes (fitChange), put together with the held fit', () => {
  for (const [name, r] of RUNS) {
    it(`${name}: the held fit and a change give exactly the full fit the host would send`, () => {
      const rand = seededUniform(41);
      for (let k = 0; k < 20; k++) {
        const held = messageAt(r, 1, randomPoint(r, rand), false).fit!;
        const at = randomPoint(r, rand);
        const full = messageAt(r, 1, at, false);
        const change = messageAt(r, 1, at, true);
        assert.equal(change.fit, null, 'no full fit once the view holds it');
        assert.ok(change.fitChange);
        // Crossing to the view: VS Code transfers the buffers (a structured clone).
        const fit = applyFitChange(held, structuredClone(change.fitChange));
        assert.deepStrictEqual(fit, full.fit);
        sameBits(fit!.xs, full.fit!.xs, 'xs');
        sameBits(fit!.ys, full.fit!.ys, 'ys');
        sameBits(fit!.active, full.fit!.active, 'a');
        // The rest of the message is the same as the full one's.
        assert.deepStrictEqual(withoutFit(change), withoutFit(full));
      }
    });
  }

  it('sends what changes only: a_k always, z_k for more features, the line in file units when scaled', () => {
    const [one, scaled, three] = RUNS.map(([, r]) => messageAt(r, 1, { epoch: 5, probe: null, sample: 0 }, true).fitChange!);
    assert.equal(one.xs, undefined, "one feature: the points' x stay");
    assert.equal(one.fileUnits, undefined);
    assert.ok(scaled.fileUnits);
    assert.ok(three.xs instanceof Float64Array);
    assert.equal(three.active.length, 2000, 'the 2,000 points of the decimated fit');
    // The full fit's parts the change leaves out: y_k and the sample indices (and x_k for one feature).
    const r = RUNS[2][1];
    const full = messageAt(r, 1, { epoch: 5, probe: null, sample: null }, false);
    const change = messageAt(r, 1, { epoch: 5, probe: null, sample: null }, true);
    const ratio = messageBytes(change) / messageBytes(full);
    assert.ok(ratio < 0.55, `the change's message is ${(100 * ratio).toFixed(0)} % of the full one`);
  });

  it('refuses a change that does not belong to the held fit (other points, another kind)', () => {
    const [one, scaled, three] = RUNS.map(([, r]) => messageAt(r, 1, { epoch: 5, probe: null, sample: null }, false).fit!);
    const changeOf = (fit: FitData) => fitChangeOf(fit);
    assert.equal(applyFitChange(one, changeOf(three)), null, 'a z change on a line plot');
    assert.equal(applyFitChange(three, changeOf(one)), null, 'no z for a predicted plot');
    assert.equal(applyFitChange(one, changeOf(scaled)), null, 'file units on an unscaled plot');
    assert.equal(applyFitChange(three, { xs: new Float64Array(3), active: new Uint8Array(3) }), null, 'other points');
  });

  it('messageBytes counts a typed array by its bytes, the rest as JSON', () => {
    assert.equal(messageBytes({ a: [1, 2] }), JSON.stringify({ a: [1, 2] }).length);
    // {"a":0} stands for the array: 7 characters and 3 × 8 bytes.
    assert.equal(messageBytes({ a: new Float64Array(3) }), 7 + 24);
  });
});

describe('the host sends the full fit whenever the view may not hold it (FitLedger)', () => {
  const r = RUNS[2][1];
  const full = (runId: number) => messageAt(r, runId, { epoch: 3, probe: null, sample: null }, false);

  it('holds a run once its full fit is posted, in an epoch or a run; forgets on demand', () => {
    const ledger = new FitLedger();
    assert.equal(ledger.holds(1), false, 'nothing held at first');
    ledger.posted({ ...full(1), fit: null });
    assert.equal(ledger.holds(1), false, 'an epoch without its fit');
    ledger.posted(full(1));
    assert.equal(ledger.holds(1), true);
    assert.equal(ledger.holds(2), false, 'another run');
    ledger.posted(messageAt(r, 1, { epoch: 4, probe: null, sample: null }, true));
    assert.equal(ledger.holds(1), true, 'a change keeps it');
    ledger.forget();
    assert.equal(ledger.holds(1), false);
    ledger.posted({ ...trainedMsg(2), epoch: full(2) } as TrainedMessage);
    assert.equal(ledger.holds(2), true, "a run's epoch with its fit");
  });

  /**
   * A host and a view playing random sequences: probes and seeks (on the Fit tab or not), tab
   * changes, new runs, view reloads and the panel hidden and shown. The host follows the panel's
   * rules (explorerPanel.ts): it forgets on `ready`, hiding, a run sent, a tab change and
   * `requestFit`; the view is the reducer. Every epoch the view takes in on the Fit tab carries the
   * full fit the host would have sent, and the view never has to ask for it.
   */
  it('over random sequences, the view always draws the full fit the host would have sent', () => {
    type Op =
      { op: 'probe' | 'seek'; k: number } | { op: 'tab'; tab: ViewState['tab'] } | { op: 'newRun' } | { op: 'reload' } | { op: 'hide' };
    const ops = fc.array(
      fc.oneof(
        fc.record({ op: fc.constantFrom('probe' as const, 'seek' as const), k: fc.nat(1000) }),
        fc.record({ op: fc.constant('tab' as const), tab: fc.constantFrom<ViewState['tab']>('fit', 'graph', 'derivation') }),
        fc.constantFrom({ op: 'newRun' as const }, { op: 'reload' as const }, { op: 'hide' as const }),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(ops, (sequence: Op[]) => {
        const ledger = new FitLedger();
        let runId = 1;
        let hostTab: ViewState['tab'] = 'fit';
        let ready = true;
        let at: At = { epoch: 30, probe: null, sample: null };
        let view: PanelState = initialPanelState({ ...DEFAULT_VIEW_STATE, tab: 'fit' });
        const asked: ViewToHost[] = [];
        const deliver = (msg: HostToView) => {
          if (!ready) return;
          ledger.posted(msg);
          const t = step(view, { type: 'host', msg });
          view = t.state;
          for (const e of t.effects) if (e.kind === 'post') asked.push(e.msg);
          const epoch = msg.type === 'trained' ? msg.epoch : msg.type === 'epoch' ? msg : null;
          if (epoch && hostTab === 'fit') {
            const want = messageAt(r, runId, at, false);
            assert.deepStrictEqual(view.epoch, want, 'the epoch the view took in is the full message');
          }
        };
        const epochNow = () => messageAt(r, runId, at, ledger.holds(runId), hostTab === 'fit');
        const sendRun = () => {
          ledger.forget();
          deliver(trainedMsg(runId, epochNow(), 31));
        };
        sendRun();
        for (const o of sequence) {
          if (!ready && o.op !== 'reload') continue; // a hidden panel: nothing comes or goes
          const rand = seededUniform(o.op === 'probe' || o.op === 'seek' ? o.k : 7);
          switch (o.op) {
            case 'probe':
              at = { ...at, probe: randomProbe(r, rand) ?? { w: [0.1, 0.2, 0.3], b: 0 } };
              deliver(epochNow());
              break;
            case 'seek':
              at = { epoch: o.k % 31, probe: null, sample: at.sample };
              deliver(epochNow());
              break;
            case 'tab':
              if (o.tab !== hostTab) ledger.forget();
              hostTab = o.tab;
              view = step(view, { type: 'showTab', tab: o.tab }).state;
              if (o.tab === 'fit') deliver(epochNow());
              break;
            case 'newRun':
              runId++;
              sendRun();
              break;
            case 'reload':
              // A fresh view: it posts `ready`, and the host sends the run again.
              view = initialPanelState({ ...view.place });
              ready = true;
              ledger.forget();
              sendRun();
              break;
            case 'hide':
              ready = false;
              ledger.forget();
              break;
          }
        }
        assert.deepEqual(
          asked.filter((m) => m.type === 'requestFit'),
          [],
          'the host never sent a change the view could not put together',
        );
      }),
      { numRuns: 100 },
    );
  });

  it('a change the view cannot put together is not drawn, and the view asks for the full fit', () => {
    const three = RUNS[2][1];
    const epoch = messageAt(three, 1, { epoch: 30, probe: null, sample: null }, false);
    let s = step(initialPanelState({ ...DEFAULT_VIEW_STATE, tab: 'fit' }), { type: 'host', msg: trainedMsg(1, epoch, 31) }).state;
    // The held fit is run 1's: a change of run 1 after a view that lost it (a fresh state here).
    s = { ...s, fitHeld: null };
    const change = messageAt(three, 1, { epoch: 12, probe: null, sample: null }, true);
    const t = step(s, { type: 'host', msg: change });
    assert.equal(t.state.epoch?.fit, null, 'no fit drawn from nothing');
    assert.equal((t.state.epoch as EpochMessage & { fitChange?: unknown }).fitChange, undefined);
    const asks = t.effects.flatMap((e) => (e.kind === 'post' ? [e.msg] : []));
    assert.deepEqual(asks, [{ type: 'requestFit' }]);
    assert.deepEqual(parseViewMessage(asks[0]), { type: 'requestFit' }, 'a request the host accepts');
  });
});
