import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { type Clock, Throttle } from '../../src/throttle';

/** A clock the test moves by hand; timers fire when it passes their time. */
class ManualClock implements Clock {
  t = 0;
  private timers: { at: number; cb: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(cb: () => void, ms: number): ReturnType<typeof setTimeout> {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, cb, id });
    return id as unknown as ReturnType<typeof setTimeout>;
  }
  clearTimeout(handle: ReturnType<typeof setTimeout>): void {
    this.timers = this.timers.filter((x) => x.id !== (handle as unknown as number));
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.cb();
    }
    this.t = end;
  }
}

describe('Throttle (the CodeLens and status bar refresh while typing)', () => {
  it('runs a lone call at once, and calls within the interval once at its end', () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    const th = new Throttle(() => runs.push(clock.now()), 250, clock);
    th.call();
    assert.deepEqual(runs, [0]);
    clock.advance(10);
    th.call();
    clock.advance(50);
    th.call();
    assert.deepEqual(runs, [0], 'nothing more until the interval is over');
    clock.advance(190);
    assert.deepEqual(runs, [0, 250], 'one trailing run for both calls');
    clock.advance(1000);
    th.call();
    assert.deepEqual(runs, [0, 250, 1250], 'a call after a quiet interval runs at once');
  });

  it('drops a due run when disposed', () => {
    const clock = new ManualClock();
    let runs = 0;
    const th = new Throttle(() => runs++, 250, clock);
    th.call();
    th.call();
    th.dispose();
    clock.advance(1000);
    assert.equal(runs, 1);
  });

  it('for any calls: runs at least intervalMs apart, and the last call is followed by a run within intervalMs (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }), (gaps) => {
        const clock = new ManualClock();
        const runs: number[] = [];
        const th = new Throttle(() => runs.push(clock.now()), 250, clock);
        let lastCall = 0;
        for (const g of gaps) {
          clock.advance(g);
          th.call();
          lastCall = clock.now();
        }
        clock.advance(1000);
        for (let k = 1; k < runs.length; k++) assert.ok(runs[k] - runs[k - 1] >= 250, JSON.stringify(runs));
        const after = runs.filter((r) => r >= lastCall);
        assert.ok(after.length >= 1 && after[0] - lastCall <= 250, `last call at ${lastCall}, runs ${JSON.stringify(runs)}`);
      }),
    );
  });
});
