import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { ACK_WAIT_MS, DELIVERY_WAIT_MS, type GateEvent, OPEN_GATE, type PostGate, gateRecheckIn, gateStep } from '../../src/panel/postGate';

/** The runs posted over `events`, and the gate after them. */
function drive(events: GateEvent[], gate: PostGate = OPEN_GATE): { posted: number[]; gate: PostGate } {
  const posted: number[] = [];
  for (const e of events) {
    const d = gateStep(gate, e);
    gate = d.gate;
    if (d.post !== null) posted.push(d.post);
  }
  return { posted, gate };
}

describe('when the panel posts a run (panel/postGate.ts)', () => {
  it('posts a run at once when none is on its way', () => {
    assert.deepEqual(drive([{ type: 'run', runId: 1, now: 0 }]).posted, [1]);
  });

  it('holds runs made while one is on its way, and posts only the newest when the view took that one in', () => {
    const { posted, gate } = drive([
      { type: 'run', runId: 1, now: 0 },
      { type: 'run', runId: 2, now: 10 },
      { type: 'run', runId: 3, now: 20 },
      { type: 'run', runId: 4, now: 30 },
      { type: 'shown', runId: 1, now: 40 },
    ]);
    assert.deepEqual(posted, [1, 4], 'runs 2 and 3 were superseded while they waited: never posted');
    assert.deepEqual(gate, { inFlight: 4, sentAt: 40, deliveredAt: null, waiting: null });
  });

  it('while the run on its way is not yet delivered, posts nothing more until DELIVERY_WAIT_MS', () => {
    // Under a burst the workbench's pipe to the view can take over a second; a run posted then would
    // only queue behind the one in it.
    const start: GateEvent[] = [
      { type: 'run', runId: 1, now: 0 },
      { type: 'run', runId: 2, now: 5 },
    ];
    const { gate } = drive(start);
    assert.equal(gateRecheckIn(gate, 5), DELIVERY_WAIT_MS - 5);
    assert.deepEqual(drive([...start, { type: 'tick', now: 4 * ACK_WAIT_MS }]).posted, [1], 'long past ACK_WAIT_MS, still on its way');
    assert.deepEqual(drive([...start, { type: 'tick', now: DELIVERY_WAIT_MS - 1 }]).posted, [1]);
    assert.deepEqual(drive([...start, { type: 'tick', now: DELIVERY_WAIT_MS }]).posted, [1, 2]);
  });

  it('once delivered, posts the waiting run ACK_WAIT_MS after the delivery without an answer, and not before', () => {
    const start: GateEvent[] = [
      { type: 'run', runId: 1, now: 0 },
      { type: 'run', runId: 2, now: 5 },
      { type: 'delivered', runId: 1, ok: true, now: 700 },
    ];
    const { gate } = drive(start);
    assert.deepEqual(gate, { inFlight: 1, sentAt: 0, deliveredAt: 700, waiting: 2 });
    assert.equal(gateRecheckIn(gate, 710), ACK_WAIT_MS - 10);
    assert.deepEqual(drive([...start, { type: 'tick', now: 700 + ACK_WAIT_MS - 1 }]).posted, [1]);
    assert.deepEqual(drive([...start, { type: 'tick', now: 700 + ACK_WAIT_MS }]).posted, [1, 2]);
  });

  it('a run that could not be delivered (no view) frees the gate at once', () => {
    const { posted, gate } = drive([
      { type: 'run', runId: 1, now: 0 },
      { type: 'run', runId: 2, now: 5 },
      { type: 'delivered', runId: 1, ok: false, now: 8 },
    ]);
    assert.deepEqual(posted, [1, 2]);
    assert.deepEqual(gate, { inFlight: 2, sentAt: 8, deliveredAt: null, waiting: null });
    // Alone, an undelivered run leaves the gate open.
    assert.deepEqual(
      drive([
        { type: 'run', runId: 1, now: 0 },
        { type: 'delivered', runId: 1, ok: false, now: 3 },
      ]).gate,
      OPEN_GATE,
    );
  });

  it('the delivery of an older run than the one on its way changes nothing', () => {
    const held = drive([
      { type: 'run', runId: 1, now: 0 },
      { type: 'delivered', runId: 1, ok: true, now: 2 },
      { type: 'shown', runId: 1, now: 3 },
      { type: 'run', runId: 2, now: 4 },
      { type: 'run', runId: 3, now: 5 },
    ]).gate;
    assert.deepEqual(held, { inFlight: 2, sentAt: 4, deliveredAt: null, waiting: 3 });
    assert.deepEqual(gateStep(held, { type: 'delivered', runId: 1, ok: false, now: 6 }), { gate: held, post: null });
    assert.deepEqual(gateStep(held, { type: 'delivered', runId: 1, ok: true, now: 6 }), { gate: held, post: null });
  });

  it('an answer for an older run does not free the gate; one for a newer run does', () => {
    const held = drive([
      { type: 'run', runId: 5, now: 0 },
      { type: 'run', runId: 6, now: 1 },
    ]).gate;
    assert.equal(gateStep(held, { type: 'shown', runId: 4, now: 2 }).post, null);
    assert.equal(gateStep(held, { type: 'shown', runId: 6, now: 2 }).post, 6);
  });

  it('nothing waits, nothing is posted on an answer or a tick', () => {
    const { gate } = drive([{ type: 'run', runId: 1, now: 0 }]);
    assert.equal(gateRecheckIn(gate, 0), null);
    assert.deepEqual(gateStep(gate, { type: 'shown', runId: 1, now: 3 }), {
      gate: { inFlight: null, sentAt: 0, deliveredAt: null, waiting: null },
      post: null,
    });
    assert.equal(gateStep(gate, { type: 'tick', now: 10 * DELIVERY_WAIT_MS }).post, null);
  });

  it('for any events: at most one run on its way, posted only once the last was answered or given up on, the newest once the view answers', () => {
    const event = fc.oneof(
      fc.record({ type: fc.constant<'run'>('run'), dt: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ type: fc.constant<'delivered'>('delivered'), dt: fc.integer({ min: 0, max: 50 }), ok: fc.boolean() }),
      fc.record({ type: fc.constant<'shown'>('shown'), dt: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ type: fc.constant<'tick'>('tick'), dt: fc.integer({ min: 0, max: 2 * DELIVERY_WAIT_MS }) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (steps) => {
        let gate: PostGate = OPEN_GATE;
        let now = 0;
        let newest = 0;
        const posted: number[] = [];
        // What became of the last posted run.
        let sentAt = 0;
        let deliveredAt: number | null = null;
        let settled = true; // answered, or could not be delivered
        for (const s of steps) {
          now += s.dt;
          const last = posted[posted.length - 1] ?? 0;
          let e: GateEvent;
          if (s.type === 'run') e = { type: 'run', runId: ++newest, now };
          // The workbench delivers, and the view answers, the run it was last sent (if any).
          else if (s.type === 'delivered') e = { type: 'delivered', runId: last, ok: s.ok, now };
          else if (s.type === 'shown') e = { type: 'shown', runId: last, now };
          else e = { type: 'tick', now };
          if (posted.length > 0 && e.type === 'delivered') {
            if (!e.ok) settled = true;
            else if (deliveredAt === null) deliveredAt = now;
          }
          if (posted.length > 0 && e.type === 'shown') settled = true;
          const d = gateStep(gate, e);
          gate = d.gate;
          if (d.post !== null) {
            assert.equal(d.post, newest, 'only the newest run is ever posted');
            assert.ok(posted.length === 0 || d.post > last);
            const givenUp = now >= sentAt + DELIVERY_WAIT_MS || (deliveredAt !== null && now >= deliveredAt + ACK_WAIT_MS);
            assert.ok(posted.length === 0 || settled || givenUp, 'posted while the last run was still on its way');
            posted.push(d.post);
            [sentAt, deliveredAt, settled] = [now, null, false];
          }
          assert.ok(gate.waiting === null || gate.inFlight !== null, 'a run waits only behind one on its way');
        }
        // The view answers the last posted run: whatever waits goes, and it is the newest.
        if (posted.length > 0) {
          const d = gateStep(gate, { type: 'shown', runId: posted[posted.length - 1], now });
          if (d.post !== null) posted.push(d.post);
        }
        assert.equal(posted.length > 0 ? posted[posted.length - 1] : 0, newest);
      }),
    );
  });
});
