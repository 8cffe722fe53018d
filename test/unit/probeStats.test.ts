import { strict as assert } from 'node:assert';
import { countWithin, hostProbes, nearestRank, probeReplies, summarize, type TraceEvent } from '../../bench/vscode/probeStats';

describe('the probe bench’s arithmetic (bench/vscode/probeStats.ts)', () => {
  it('nearest-rank percentiles: rank ⌈p·n/100⌉ of the sorted values', () => {
    const v = Array.from({ length: 20 }, (_, i) => i + 1); // 1 … 20
    assert.equal(nearestRank(v, 50), 10); // rank ⌈10⌉ = 10
    assert.equal(nearestRank(v, 95), 19); // rank ⌈19⌉ = 19
    assert.equal(nearestRank(v, 100), 20);
    assert.equal(nearestRank([7], 50), 7);
  });

  it('summarises finite values only, to 0.1 ms; none gives nulls', () => {
    const s = summarize([3.04, Number.NaN, 1, 2, Infinity]);
    // finite: 1, 2, 3.04 → p50 rank ⌈1.5⌉ = 2, p95 rank ⌈2.85⌉ = 3
    assert.deepEqual(s, { n: 3, p50: 2, p95: 3, max: 3 });
    assert.deepEqual(summarize([Number.NaN]), { n: 0, p50: null, p95: null, max: null });
  });

  it('counts the values within a limit (NaN never)', () => {
    assert.equal(countWithin([1, 16.6, 16.7, 17, Number.NaN], 16.7), 3);
  });

  it('follows each probe reply: its request in turn, its handling and frame, the surface painted with it or a newer one', () => {
    const ev = (t: number, name: string, more: Record<string, unknown> = {}): TraceEvent => ({ t, ev: name, ...more });
    const reply = (at: string) => ({ type: 'epoch', probe: true, at });
    const probeMsg = { type: 'epoch', probe: true };
    const view: TraceEvent[] = [
      ev(100, 'probeRequest'),
      ev(120, 'probeRequest'),
      ev(125, 'surfacePainted', { probe: true, at: '0,0' }), // an older probe's frame: shows neither reply
      ev(130, 'msg', reply('1,1')),
      ev(131, 'handled', probeMsg),
      ev(140, 'msg', { type: 'rows' }), // not a probe reply
      ev(145, 'painted', probeMsg),
      ev(146, 'surfacePainted', { probe: true, at: '1,1' }), // the first reply
      ev(147, 'probeRest', { at: '1,1' }),
      ev(150, 'msg', reply('2,2')),
      ev(152, 'handled', probeMsg),
      ev(155, 'surfacePainted', { probe: true, at: '1,1' }), // still the first: not yet the second
      ev(160, 'surfacePainted', { probe: true, at: '2,2' }),
      ev(161, 'probeRest', { at: '2,2' }),
      ev(170, 'painted', probeMsg),
      ev(5, 'msg', { type: 'epoch' }), // the trajectory's epoch: not a probe (and out of order in the list)
    ];
    const r = probeReplies(view);
    assert.equal(r.length, 2);
    assert.deepEqual(
      r.map((x) => [x.receivedAt, x.roundTripMs, x.handledMs, x.paintedMs, x.surfaceMs, x.restMs]),
      [
        [130, 130 - 100, 131 - 130, 145 - 130, 146 - 130, 147 - 130],
        [150, 150 - 120, 152 - 150, 170 - 150, 160 - 150, 161 - 150],
      ],
    );
  });

  it('a reply overtaken by a newer one counts as shown when the newer one is; a point visited again is the newer reply', () => {
    const view: TraceEvent[] = [
      { t: 10, ev: 'msg', type: 'epoch', probe: true, at: 'a' },
      { t: 11, ev: 'msg', type: 'epoch', probe: true, at: 'b' },
      { t: 12, ev: 'msg', type: 'epoch', probe: true, at: 'a' }, // back at a (a held key's way back)
      { t: 30, ev: 'surfacePainted', probe: true, at: 'a' },
    ];
    // The frame at 30 shows the reply received at 12 (the latest with θ = a), so it shows all three.
    assert.deepEqual(
      probeReplies(view).map((x) => x.surfaceMs),
      [30 - 10, 30 - 11, 30 - 12],
    );
  });

  it('a reply with nothing after it in the trace has NaN there', () => {
    const r = probeReplies([{ t: 10, ev: 'msg', type: 'epoch', probe: true }]);
    assert.equal(r.length, 1);
    assert.ok([r[0].roundTripMs, r[0].handledMs, r[0].paintedMs, r[0].surfaceMs, r[0].restMs].every(Number.isNaN));
  });

  it('host: per probe request, the time to its first message and the bytes posted until the next request', () => {
    const host: TraceEvent[] = [
      { t: 10, ev: 'viewSaid', type: 'probe' },
      { t: 10.4, ev: 'post', type: 'epoch', bytes: 900 },
      { t: 10.9, ev: 'post', type: 'rows', bytes: 5000 },
      { t: 20, ev: 'viewSaid', type: 'showTab' },
      { t: 30, ev: 'viewSaid', type: 'probe' },
      { t: 31.5, ev: 'post', type: 'epoch', bytes: 1000 },
    ];
    const h = hostProbes(host);
    assert.equal(h.length, 2);
    assert.ok(Math.abs(h[0].ms - 0.4) < 1e-9);
    assert.deepEqual(h[0].bytes, { epoch: 900, rows: 5000 });
    assert.ok(Math.abs(h[1].ms - 1.5) < 1e-9);
    assert.deepEqual(h[1].bytes, { epoch: 1000 });
  });
});
