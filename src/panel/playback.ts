/**
 * Playback of the epochs on display: play (a play-through of every epoch takes about FRAMES frames),
 * pause, one epoch forward, back to epoch 0. One timer, for the dataset the panel shows; every move
 * goes through the tracker, so the panel, status bar and hover follow it.
 */
import type { DatasetTracker, TrackedDataset } from '../datasetTracker';

/** How long one playback frame lasts, and how many frames a play-through of all epochs takes. */
const FRAME_MS = 40;
const FRAMES = 150;

/** What the view's buttons and the palette's commands ask of playback. */
export type PlaybackAction = 'play' | 'pause' | 'step' | 'reset' | 'toggle';

/** The playback of the dataset `shown()` returns (the panel's), announced through `tracker`. */
export class Playback {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tracker: Pick<DatasetTracker, 'displayChanged'>,
    private readonly shown: () => TrackedDataset | undefined,
  ) {}

  /** Play, pause, step or reset the epoch on display. */
  apply(action: PlaybackAction): void {
    const t = this.shown();
    if (!t?.result?.trajectory) return;
    const last = t.entries - 1;
    switch (action) {
      case 'toggle':
        this.apply(t.display.playing ? 'pause' : 'play');
        return;
      case 'pause':
        this.stop();
        break;
      case 'step':
        this.stop();
        t.seek(Math.min(last, t.display.epoch + 1));
        break;
      case 'reset':
        this.stop();
        t.seek(0);
        break;
      case 'play': {
        if (t.display.epoch >= last) t.seek(0);
        t.display.playing = true;
        const stride = Math.max(1, Math.ceil(last / FRAMES));
        this.stopTimer();
        this.timer = setInterval(() => {
          if (!t.result?.trajectory || this.shown() !== t) return this.stop();
          t.seek(Math.min(t.entries - 1, t.display.epoch + stride));
          if (t.display.epoch >= t.entries - 1) {
            this.stop();
            return;
          }
          this.tracker.displayChanged(t);
        }, FRAME_MS);
        break;
      }
    }
    this.tracker.displayChanged(t);
  }

  /** Stops playing the dataset on display, announcing it if it was playing. */
  stop(): void {
    this.stopTimer();
    const t = this.shown();
    if (t?.display.playing) {
      t.display.playing = false;
      this.tracker.displayChanged(t);
    }
  }

  /** Stops the timer without announcing anything (the panel is going away). */
  dispose(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
