// The panel's playback of epochs (src/panel/playback.ts), on a stand-in for the tracked dataset.
import { strict as assert } from 'node:assert';
import { DEFAULT_SETTINGS, mergeSettings } from '../../src/engine';
import type { TrackedDataset } from '../../src/datasetTracker';
import { Playback } from '../../src/panel/playback';
import { runJob } from '../../src/training/job';

/** What TrackedDataset gives playback: a result, the display, and `seek` (clamped to the run). */
function tracked(epochs: number, trained = true): TrackedDataset {
  const result = runJob({ text: 'x,y\n1,2\n-3,1\n2,5\n', base: mergeSettings(DEFAULT_SETTINGS, { epochs }), overrides: {} })!;
  const t = {
    result: trained ? result : undefined,
    display: { epoch: 0, followLatest: true, selectedSample: null, playing: false },
    get entries() {
      return t.result?.trajectory?.length ?? 0;
    },
    seek(epoch: number) {
      t.display.epoch = Math.min(Math.max(0, Math.round(epoch)), Math.max(0, t.entries - 1));
    },
  };
  return t as unknown as TrackedDataset;
}

/** A playback of `shown`, and every (epoch, playing) it announced. */
function playbackOf(shown: { t: TrackedDataset | undefined }) {
  const announced: Array<[number, boolean]> = [];
  const tracker = { displayChanged: (t: TrackedDataset) => announced.push([t.display.epoch, t.display.playing]) };
  return { playback: new Playback(tracker, () => shown.t), announced };
}

const until = async (done: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!done()) {
    assert.ok(Date.now() < end, 'timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("the panel's playback", () => {
  it('steps one epoch at a time, never past the last, and resets to epoch 0', () => {
    const shown = { t: tracked(2) };
    const { playback, announced } = playbackOf(shown);
    for (let k = 0; k < 3; k++) playback.apply('step');
    playback.apply('reset');
    assert.deepEqual(announced, [
      [1, false],
      [2, false],
      [2, false],
      [0, false],
    ]);
  });

  it('plays from epoch 0 when at the end, one epoch a frame for a short run, and stops on the last', async () => {
    const shown = { t: tracked(5) };
    shown.t!.seek(5);
    const { playback, announced } = playbackOf(shown);
    playback.apply('play');
    await until(() => !shown.t!.display.playing);
    assert.deepEqual(announced, [
      [0, true],
      [1, true],
      [2, true],
      [3, true],
      [4, true],
      [5, false],
    ]);
    playback.dispose();
  });

  it('pauses on toggle, and stops its timer once the panel shows another dataset', async () => {
    const shown: { t: TrackedDataset | undefined } = { t: tracked(1000) };
    const { playback, announced } = playbackOf(shown);
    playback.apply('toggle');
    assert.equal(shown.t!.display.playing, true);
    playback.apply('toggle');
    assert.equal(shown.t!.display.playing, false);
    assert.deepEqual(announced, [
      [0, true],
      [0, false],
      [0, false],
    ]);
    playback.apply('play');
    shown.t = undefined;
    const seen = announced.length;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(announced.length, seen, 'no frame after the dataset changed');
    playback.dispose();
  });

  it('does nothing without a trained run', () => {
    const shown = { t: tracked(5, false) };
    const { playback, announced } = playbackOf(shown);
    playback.apply('play');
    playback.apply('step');
    assert.deepEqual(announced, []);
    assert.equal(shown.t!.display.playing, false);
  });
});
