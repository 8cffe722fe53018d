/**
 * The status and trouble area: skipped rows and problems, a run that stopped (with the learning
 * rate to try), a dead neuron, a dataset with no usable rows; and the polite live region that
 * announces the loss.
 */
import {
  type DatasetInvalidMessage,
  type EpochMessage,
  type StopFixRequest,
  type TrainedMessage,
  stopFixKinds,
} from '../src/shared/protocol';
import { formatNumber, formatRate } from '../src/engine/format';
import { h, replaceChildren, setText } from './dom';
import { icon } from './icons';
import { t } from './i18n';
import { makeButton } from './toolkit';
import { deadNeuronSentence, problemsSentence } from './viewText';

export interface StatusActions {
  showProblems(): void;
  /** A stopped run's fix, made in the document as its Quick Fix does. */
  stopFix(fix: StopFixRequest['fix']): void;
}

export class StatusArea {
  readonly el = h('section', { className: 'status', attrs: { 'aria-label': t('Status') } });
  /** Announces the loss summary to screen readers (politely, not during playback). */
  readonly live = h('div', { className: 'visually-hidden', attrs: { 'aria-live': 'polite', role: 'status' } });
  private readonly runBox = h('div', { className: 'status-run' });
  private readonly epochBox = h('div', { className: 'status-epoch' });
  private trained: TrainedMessage | null = null;
  private announceTimer: number | undefined;
  private lastAnnouncement = '';

  constructor(private readonly actions: StatusActions) {
    this.el.append(this.runBox, this.epochBox);
  }

  /** What is wrong with the run as a whole (rows skipped, stopped early). */
  showTrained(msg: TrainedMessage): void {
    this.trained = msg;
    const items: HTMLElement[] = [];
    for (const note of msg.notes ?? []) items.push(this.notice('info', note, null));
    const text = problemsSentence(msg);
    if (text !== null) {
      items.push(this.notice('warning', text, makeButton({ label: t('Show Problems'), onClick: () => this.actions.showProblems() }).el));
    }
    if (msg.stopped) {
      const s = msg.stopped;
      const title = s.reason === 'diverged' ? t('Training diverged') : t('The neuron died');
      const buttons = stopFixKinds(s, msg.settings.scale).map((fix, k) =>
        makeButton({
          label: fix === 'standardize' ? t('Standardize the features') : t('Use learning rate {0}', formatRate(s.suggestedLearningRate)),
          appearance: k === 0 ? 'primary' : 'secondary',
          onClick: () => this.actions.stopFix(fix),
        }),
      );
      const action = buttons.length > 0 ? h('div', { className: 'notice-buttons' }, ...buttons.map((b) => b.el)) : null;
      items.push(this.notice('error', title, action, s.message));
    }
    replaceChildren(this.runBox, ...items);
    this.announce(
      msg.entries > 0 && msg.lossEnds
        ? t(
            'Trained {0, plural, one {# epoch} other {# epochs}}: loss {1} → {2}.',
            msg.entries - 1,
            formatNumber(msg.lossEnds[0]),
            formatNumber(msg.lossEnds[1]),
          )
        : '',
      0,
    );
  }

  /** The dataset cannot be trained on: the reasons, first the main one. */
  showInvalid(msg: DatasetInvalidMessage): void {
    this.trained = null;
    const [main, ...rest] = msg.reasons;
    const box = this.notice(
      'error',
      main ?? t('This file has no usable rows.'),
      msg.problemCount > 0 ? makeButton({ label: t('Show Problems'), onClick: () => this.actions.showProblems() }).el : null,
    );
    if (rest.length > 0)
      box.querySelector('.notice-body')?.appendChild(h('ul', { className: 'reasons' }, ...rest.map((r) => h('li', { text: r }))));
    replaceChildren(this.runBox, box);
    replaceChildren(this.epochBox);
    this.announce(main ?? '', 0);
  }

  /** What is wrong at the epoch on display (a dead neuron). */
  showEpoch(msg: EpochMessage): void {
    if (msg.dead && this.trained) {
      const sentence = deadNeuronSentence(msg, this.trained.settings.reluGradAtZero);
      const existing = this.epochBox.querySelector('.notice-detail');
      if (!existing || existing.textContent !== sentence)
        replaceChildren(this.epochBox, this.notice('warning', t('Dead neuron at this epoch'), null, sentence));
    } else if (this.epochBox.firstChild) {
      replaceChildren(this.epochBox);
    }
    if (!msg.playing && this.trained) {
      this.announce(
        t('Epoch {0}: loss {1}; active samples: {2} of {3}.', msg.epoch, formatNumber(msg.loss), msg.active, this.trained.samples),
        600,
      );
    }
  }

  private notice(tone: 'warning' | 'error' | 'info', title: string, action: HTMLElement | null, detail?: string): HTMLElement {
    return h(
      'div',
      { className: `notice ${tone}`, attrs: { role: tone === 'error' ? 'alert' : 'note' } },
      h('span', { className: 'notice-icon' }, icon(tone)),
      h(
        'div',
        { className: 'notice-body' },
        h('div', { className: 'notice-title', text: title }),
        detail ? h('div', { className: 'notice-detail', text: detail }) : null,
      ),
      action ? h('div', { className: 'notice-action' }, action) : null,
    );
  }

  private announce(text: string, delay: number): void {
    if (this.announceTimer !== undefined) clearTimeout(this.announceTimer);
    this.announceTimer = window.setTimeout(() => {
      this.announceTimer = undefined;
      if (text && text !== this.lastAnnouncement) {
        this.lastAnnouncement = text;
        setText(this.live, text);
      }
    }, delay);
  }
}
