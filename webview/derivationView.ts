/**
 * The Derivation tab: the document's derivation in order, each step with its rule, the rule applied,
 * the whole dataset's numbers and the chosen sample's. Blocks are rebuilt only when their content
 * changes, and KaTeX skips formulas that did not change, so playback does not flicker.
 */
import type { EpochMessage } from '../src/shared/protocol';
import { h, replaceChildren, setText, uid } from './dom';
import { t } from './i18n';
import { renderMath } from './math';
import { planDerivation, type Block, type PlanContext, type Sentence } from './derivationPlan';
import { makeButton, makeTextField, type TextFieldHandle } from './toolkit';

export interface DerivationActions {
  selectSample(index: number | null): void;
}

const say = (s: Sentence) => t(s.text, ...s.args);

interface StepView {
  section: HTMLElement;
  title: HTMLElement;
  body: HTMLElement;
  blocks: Array<{ key: string; el: HTMLElement }>;
}

export class DerivationView {
  readonly el = h('div', { className: 'derivation' });
  private readonly steps = new Map<string, StepView>();
  private readonly list = h('ol', { className: 'steps' });
  private readonly sampleField: TextFieldHandle;
  private readonly sampleNote = h('span', { className: 'sample-note' });
  private samples = 0;
  private selected: number | null = null;

  constructor(private readonly actions: DerivationActions) {
    this.sampleField = makeTextField({
      label: t('Sample substituted (1 … N)'),
      value: '',
      size: 6,
      onCommit: (value) => this.commitSample(value),
    });
    const prev = makeButton({ label: t('Previous'), icon: 'prev', onClick: () => this.move(-1) });
    const next = makeButton({ label: t('Next'), icon: 'next', onClick: () => this.move(1) });
    const none = makeButton({ label: t('None'), onClick: () => actions.selectSample(null) });
    this.el.append(
      h('div', { className: 'toolbar', attrs: { role: 'group', 'aria-label': t('Sample') } }, this.sampleField.el, prev.el, next.el, none.el, this.sampleNote),
      this.list,
    );
  }

  private commitSample(text: string): void {
    const v = text.trim();
    if (v === '') {
      this.actions.selectSample(null);
      return;
    }
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > this.samples) {
      setText(this.sampleNote, t('Type a whole number from 1 to {0}.', this.samples));
      this.sampleNote.classList.add('error');
      return;
    }
    this.actions.selectSample(n - 1);
  }

  private move(delta: number): void {
    if (this.samples === 0) return;
    const from = this.selected ?? (delta > 0 ? -1 : this.samples);
    this.actions.selectSample(Math.max(0, Math.min(this.samples - 1, from + delta)));
  }

  /** Renders the derivation at the epoch on display. */
  show(msg: EpochMessage, ctx: Omit<PlanContext, 'selectedSample'>): void {
    this.samples = ctx.samples;
    this.selected = msg.selectedSample;
    if (!this.sampleField.focused) this.sampleField.value = msg.selectedSample === null ? '' : String(msg.selectedSample + 1);
    this.sampleNote.classList.remove('error');
    setText(
      this.sampleNote,
      msg.selectedSample === null
        ? t('Choose a sample (here, in the Gradients table or on the Fit plot) to see its own numbers in every step.')
        : t('Sample {0} of {1}.', msg.selectedSample + 1, ctx.samples),
    );
    const plans = planDerivation(msg.derivation, { ...ctx, selectedSample: msg.selectedSample });
    const seen = new Set<string>();
    plans.forEach((plan, index) => {
      seen.add(plan.id);
      let view = this.steps.get(plan.id);
      if (!view) {
        const titleId = uid('step');
        const title = h('h3', { className: 'step-title', attrs: { id: titleId } });
        const body = h('div', { className: 'step-body' });
        const section = h('li', { className: `step step-${plan.id}`, attrs: { 'aria-labelledby': titleId } }, title, body);
        view = { section, title, body, blocks: [] };
        this.steps.set(plan.id, view);
      }
      if (this.list.children[index] !== view.section) this.list.insertBefore(view.section, this.list.children[index] ?? null);
      setText(view.title, t(plan.title));
      this.updateBlocks(view, plan.blocks);
    });
    for (const [id, view] of this.steps) {
      if (!seen.has(id)) {
        view.section.remove();
        this.steps.delete(id);
      }
    }
  }

  private updateBlocks(view: StepView, blocks: Block[]): void {
    blocks.forEach((block, k) => {
      const key = JSON.stringify(block);
      const old = view.blocks[k];
      if (old && old.key === key) return;
      const el = this.renderBlock(block);
      if (old) old.el.replaceWith(el);
      else view.body.appendChild(el);
      view.blocks[k] = { key, el };
    });
    for (const extra of view.blocks.splice(blocks.length)) extra.el.remove();
  }

  private renderBlock(block: Block): HTMLElement {
    switch (block.kind) {
      case 'math':
        return this.labelled(`block block-${block.role}`, t(block.label), this.math(block.latex));
      case 'value':
        return this.labelled('block block-value', t(block.label), this.math(block.latex));
      case 'cases': {
        const list = h('ul', { className: 'cases' });
        for (const c of block.cases) {
          const item = h(
            'li',
            { className: c.taken ? 'case taken' : 'case' },
            this.math(c.latex, 'span'),
            h('span', { className: 'case-if', text: t('if') }),
            this.math(c.condition, 'span'),
          );
          if (c.taken) item.appendChild(h('span', { className: 'badge', text: `✓ ${t('taken')}` }));
          list.appendChild(item);
        }
        return this.labelled('block block-cases', t(block.label), list);
      }
      case 'lines': {
        const lines = h('div', { className: 'lines' });
        for (const latex of block.latex) lines.appendChild(this.math(latex));
        return this.labelled(`block block-${block.role}`, say(block.label), lines);
      }
      case 'note':
        return h('p', { className: `note note-${block.tone}` }, h('span', { className: 'note-icon', attrs: { 'aria-hidden': 'true' }, text: block.tone === 'convention' ? '⚙' : 'ℹ' }), say(block.sentence));
      case 'inactive': {
        const items = block.samples.map((i) => {
          const b = h('button', { className: 'chip', attrs: { type: 'button', title: t('Substitute sample {0}', i + 1) }, text: String(i + 1) });
          b.addEventListener('click', () => this.actions.selectSample(i));
          return b;
        });
        const more = block.more > 0 ? h('span', { className: 'more', text: t('and {0} more', block.more) }) : null;
        return this.labelled('block block-inactive', say(block.label), h('div', { className: 'chips' }, ...items, more));
      }
    }
  }

  private labelled(className: string, label: string, content: HTMLElement): HTMLElement {
    return h('div', { className }, h('div', { className: 'block-label', text: label }), content);
  }

  private math(latex: string, tag: 'div' | 'span' = 'div'): HTMLElement {
    const el = h(tag, { className: 'math' });
    // Display style: fractions and sums at full size, as the document typesets them.
    renderMath(el, `\\displaystyle ${latex}`);
    return el;
  }

  /** Clears the view (no run). */
  clear(): void {
    replaceChildren(this.list);
    this.steps.clear();
  }
}
