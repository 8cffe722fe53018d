import { strict as assert } from 'node:assert';
import { whenIdle } from '../../webview/idle';

describe('work left for an idle moment', () => {
  it('runs it, late at the latest, where the page has no idle callbacks (as here in Node)', async () => {
    const got = await new Promise<{ didTimeout: boolean; remaining: number }>((resolve) => {
      whenIdle((deadline) => resolve({ didTimeout: deadline.didTimeout, remaining: deadline.timeRemaining() }), 20);
    });
    assert.equal(got.didTimeout, true);
    assert.ok(got.remaining > 0);
  });

  it('does not run it once cancelled (a newer run replaced it)', async () => {
    let ran = false;
    const cancel = whenIdle(() => (ran = true), 10);
    cancel();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(ran, false);
  });
});
