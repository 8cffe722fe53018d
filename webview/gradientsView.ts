/**
 * The Gradients tab: ∂l/∂w_j, ∂l/∂b and |∇l| at the epoch on display, and the sample table that says
 * where they come from.
 */
import type { EpochMessage } from '../src/shared/protocol';
import { formatNumber } from '../src/engine/format';
import { h, replaceChildren, setText } from './dom';
import { t } from './i18n';
import { weightName } from './series';
import { SampleTable } from './table';

export class GradientsView {
  readonly el = h('div', { className: 'gradients' });
  private readonly summary = h('dl', { className: 'grad-summary' });
  private readonly cells = new Map<string, HTMLElement>();
  private d = -1;

  constructor(readonly table: SampleTable) {
    this.el.append(
      h('h2', { className: 'section-title', text: t('Gradient at the epoch on display') }),
      this.summary,
      h('h2', { className: 'section-title', text: t('Where it comes from: every sample') }),
      h('p', {
        className: 'hint',
        text: t(
          'Click a header to sort. Choose a row (click, or Enter) to substitute that sample in the derivation and show its line in the editor.',
        ),
      }),
      table.el,
    );
  }

  private layout(d: number): void {
    this.d = d;
    this.cells.clear();
    const items: HTMLElement[] = [];
    const add = (key: string, label: string, title: string) => {
      const value = h('dd', { className: 'num' });
      this.cells.set(key, value);
      items.push(h('div', { className: 'grad-item', attrs: { title } }, h('dt', { text: label }), value));
    };
    for (let j = 0; j < d; j++) add(`w${j}`, `∂l/∂${weightName(j, d)}`, t('(2/N) Σ a_i (z_i − y_i) x_ij'));
    add('b', '∂l/∂b', t('(2/N) Σ a_i (z_i − y_i)'));
    add('norm', '|∇l|', t('Norm of the gradient'));
    add('active', t('Active samples'), t('Samples with a_i = 1'));
    replaceChildren(this.summary, ...items);
  }

  /** The gradient at the epoch on display. */
  show(msg: EpochMessage, samples: number): void {
    if (msg.gradW.length !== this.d) this.layout(msg.gradW.length);
    msg.gradW.forEach((g, j) => setText(this.cells.get(`w${j}`)!, formatNumber(g, 6)));
    setText(this.cells.get('b')!, formatNumber(msg.gradB, 6));
    setText(this.cells.get('norm')!, formatNumber(msg.gradNorm, 6));
    setText(this.cells.get('active')!, `${msg.active} / ${samples}`);
    this.table.setEpoch(msg.runId, msg.epoch);
    this.table.setSelected(msg.selectedSample);
  }
}
