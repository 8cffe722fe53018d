/**
 * The Gradients tab: ∂l/∂w_j, ∂l/∂b and |∇l| at the epoch on display, checked with finite differences
 * on request, and the sample table that says where they come from.
 */
import type { EpochMessage, GradientCheckMessage } from '../src/shared/protocol';
import { formatNumber } from '../src/engine/format';
import { h, replaceChildren, setText } from './dom';
import { t } from './i18n';
import { weightName } from './series';
import { probeKey } from './paging';
import { SampleTable } from './table';
import { makeButton } from './toolkit';

export class GradientsView {
  readonly el = h('div', { className: 'gradients' });
  private readonly summary = h('dl', { className: 'grad-summary' });
  private readonly cells = new Map<string, HTMLElement>();
  private d = -1;
  private readonly checkHost = h('div', { className: 'fd-check', attrs: { 'aria-live': 'polite' } });
  /** The run and epoch on display, which a check must match to be shown. */
  private shown: { runId: number; epoch: number } | null = null;
  /** The probe on display (`probeKey`), '' on the trajectory. */
  private shownProbe = '';
  private check: GradientCheckMessage | null = null;

  constructor(
    readonly table: SampleTable,
    requestCheck: () => void,
  ) {
    const button = makeButton({ label: t('Check with finite differences'), onClick: requestCheck });
    button.el.classList.add('fd-check-button');
    this.el.append(
      h('h2', { className: 'section-title', text: t('Gradient at the epoch on display') }),
      this.summary,
      h(
        'div',
        { className: 'toolbar' },
        button.el,
        h('p', {
          className: 'hint',
          text: t('Each ∂l/∂θ beside the central difference (l(θ + h) − l(θ − h)) / 2h, computed from the loss alone.'),
        }),
      ),
      this.checkHost,
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
    // The table's rows at the probe while there is one (u_i, z_i, a_i and the shares at its θ).
    const probe = msg.probe ? probeKey([...msg.w, msg.b]) : '';
    this.table.setEpoch(msg.runId, msg.epoch, probe);
    this.table.setSelected(msg.selectedSample);
    const moved = this.shownProbe !== probe;
    this.shown = { runId: msg.runId, epoch: msg.epoch };
    this.shownProbe = probe;
    // A check of another point than the one on display is taken down (the button asks again).
    if (this.check && (moved || this.check.runId !== msg.runId || this.check.epoch !== msg.epoch)) this.showCheck(null);
  }

  /** The finite-difference check, or none. */
  showCheck(check: GradientCheckMessage | null): void {
    if (check && this.shown && (check.runId !== this.shown.runId || check.epoch !== this.shown.epoch)) return;
    this.check = check;
    if (!check) {
      replaceChildren(this.checkHost);
      return;
    }
    const d = check.parameters.length - 1;
    const kink = check.kinkSamples > 0;
    const cols = [t('Parameter'), t('analytic ∂l/∂θ'), t('central difference'), t('relative difference'), 'h'];
    if (kink) cols.push(t('forward (l(θ + h) − l(θ)) / h'), t('backward (l(θ) − l(θ − h)) / h'));
    const head = h('tr', {}, ...cols.map((c) => h('th', { attrs: { scope: 'col' }, text: c })));
    const rows = check.parameters.map((p, k) => {
      const name = k < d ? weightName(k, d) : 'b';
      const cells = [p.analytic, p.central].map((v) => h('td', { className: 'num', text: formatNumber(v, 8) }));
      cells.push(
        h('td', { className: 'num', text: formatNumber(p.relative, 2) }),
        h('td', { className: 'num', text: formatNumber(p.h, 2) }),
      );
      if (kink) cells.push(...[p.forward, p.backward].map((v) => h('td', { className: 'num', text: formatNumber(v, 8) })));
      return h('tr', {}, h('th', { attrs: { scope: 'row' }, text: `∂l/∂${name}` }), ...cells);
    });
    const worst = Math.max(...check.parameters.map((p) => p.relative));
    const parts: HTMLElement[] = [
      h('p', {
        className: 'fd-summary',
        text: t('At epoch {0}, the largest relative difference is {1}.', check.epoch, formatNumber(worst, 2)),
      }),
      h('table', { className: 'data fd-table' }, h('thead', {}, head), h('tbody', {}, ...rows)),
    ];
    if (kink) {
      parts.push(
        h('p', {
          className: 'fd-kink',
          text: `${t(
            '{0, plural, one {# sample sits} other {# samples sit}} exactly at u = 0 (the first: sample {1}), where max(0, u) has a kink: the loss has one slope on each side, so the forward and backward differences disagree and the central one lies between them.',
            check.kinkSamples,
            (check.firstKink ?? 0) + 1,
          )} ${
            check.reluGradAtZero === 1
              ? t(
                  "The analytic gradient takes ReLU'(0) = 1 (the document's max rule): such a sample counts as active, as if u were just above 0.",
                )
              : t("The analytic gradient takes ReLU'(0) = 0 (PyTorch's): such a sample counts as inactive, as if u were just below 0.")
          }`,
        }),
      );
    }
    replaceChildren(this.checkHost, ...parts);
  }
}
