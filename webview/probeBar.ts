/**
 * The bar above the tabs while a probe is placed on the loss surface: it says that the panel shows
 * the probe, not the trajectory, with l, ∇l and the step −α∇l there, and offers to go back (or
 * Escape) and to train from the probe (the panel's initialisation set to it).
 */
import type { EpochMessage } from '../src/shared/protocol';
import { formatNumber } from '../src/engine/format';
import { h, setText } from './dom';
import { t } from './i18n';
import { makeButton } from './toolkit';

export interface ProbeActions {
  leave(): void;
  trainFrom(theta: number[]): void;
}

/** The probe's numbers at full precision for "Train from here" (the initialisation the run starts at). */
export function initializationText(theta: readonly number[]): string {
  return theta.map((v) => String(v)).join(', ');
}

export class ProbeBar {
  readonly el = h('div', { className: 'probe-bar', attrs: { role: 'status' } });
  private readonly text = h('p', { className: 'probe-text' });
  private theta: number[] | null = null;

  constructor(actions: ProbeActions) {
    const back = makeButton({ label: t('Back to the trajectory'), title: t('Leave the probe (Escape)'), onClick: () => actions.leave() });
    const train = makeButton({
      label: t('Train from here'),
      title: t('Start training at the probe: sets the panel’s initialisation to it'),
      onClick: () => this.theta && actions.trainFrom(this.theta),
    });
    back.el.classList.add('probe-back');
    train.el.classList.add('probe-train');
    this.el.append(
      h('strong', { text: t('Probe, not on the trajectory') }),
      this.text,
      h('div', { className: 'toolbar' }, back.el, train.el),
    );
    this.el.hidden = true;
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented && this.theta) {
        e.preventDefault();
        actions.leave();
      }
    });
  }

  /** Whether a probe is on display. */
  get active(): boolean {
    return this.theta !== null;
  }

  /** The epoch on display: shown in the bar when it is a probe, else the bar hides. */
  show(msg: EpochMessage, learningRate: number): void {
    if (!msg.probe) {
      this.theta = null;
      this.el.hidden = true;
      return;
    }
    this.theta = [...msg.w, msg.b];
    const names = msg.w.length === 1 ? ['w'] : msg.w.map((_, j) => `w${j + 1}`);
    const point = [...names.map((n, j) => `${n} = ${formatNumber(msg.w[j], 6)}`), `b = ${formatNumber(msg.b, 6)}`].join(', ');
    const grad = [...msg.gradW, msg.gradB].map((v) => formatNumber(v, 6)).join(', ');
    const stepV = [...msg.gradW, msg.gradB].map((v) => formatNumber(-learningRate * v, 6)).join(', ');
    setText(this.text, t('At {0}: l = {1}, ∇l = ({2}), the step −α∇l = ({3}).', point, formatNumber(msg.loss, 6), grad, stepV));
    this.el.hidden = false;
  }
}
