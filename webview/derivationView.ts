/**
 * The Derivation tab: the document's derivation in order, each step with its rule, the rule applied,
 * the whole dataset's numbers and the chosen sample's. Blocks are rebuilt only when their shape
 * changes; otherwise only the formulas whose LaTeX changed are typeset again, so playback does not
 * flicker. Steps on screen (or near it) are drawn at once; the others when they come near the
 * viewport or when the view is idle, so a burst of new runs (live typing) typesets what is seen and
 * skips what a newer run replaces anyway.
 */
import type { EpochMessage } from '../src/shared/protocol';
import { h, replaceChildren, setText, uid } from './dom';
import { t } from './i18n';
import { renderMath } from './math';
import { blockFormulas, planDerivation, sameShape, type Block, type PlanContext, type Sentence, type StepPlan } from './derivationPlan';
import { whenIdle } from './idle';
import type { DerivationStepId } from '../src/engine/derivationText';
import { makeButton, makeTextField, type TextFieldHandle } from './toolkit';

export interface DerivationActions {
  selectSample(index: number | null): void;
  /** Highlight this step's nodes in the Graph tab (and show it). */
  showInGraph(step: DerivationStepId): void;
}

/** The steps that have nodes in the computation graph (graph.ts); `update` has none. */
const GRAPH_STEPS: ReadonlySet<DerivationStepId> = new Set(['scale', 'sum', 'dot', 'max', 'loss', 'chain']);

const say = (s: Sentence) => t(s.text, ...s.args);

/** A convention, a correction of the course document, an explanation, a hint. */
const NOTE_ICONS = { convention: '⚙', document: '✎', info: 'ℹ', hint: 'ℹ' } as const;

interface BlockView {
  key: string;
  block: Block;
  el: HTMLElement;
  /** The elements of the block's formulas (see `blockFormulas`), for patching. */
  formulas: HTMLElement[];
}

interface StepView {
  section: HTMLElement;
  title: HTMLElement;
  body: HTMLElement;
  blocks: BlockView[];
  /** The plan still to draw, or null when the section shows the newest one. */
  pending: StepPlan | null;
  /** Whether the section is on screen or near it (per the IntersectionObserver). */
  near: boolean;
}

/** How far beyond the viewport a step counts as near (drawn with the run, not later). */
const NEAR_MARGIN = '25% 0px 25% 0px';
/** Steps off screen wait until no new run has come for this long (a burst of typing, playback)… */
const OFFSCREEN_QUIET_MS = 300;
/** …then are drawn in idle moments, a slice at a time; a slice waits at most this long for one. */
const IDLE_TIMEOUT_MS = 2000;
/** Least idle time left to start drawing another step in the same slice. */
const SLICE_MS = 8;

export class DerivationView {
  readonly el = h('div', { className: 'derivation' });
  private readonly steps = new Map<string, StepView>();
  private readonly list = h('ol', { className: 'steps' });
  private readonly sampleField: TextFieldHandle;
  private readonly sampleNote = h('span', { className: 'sample-note' });
  private samples = 0;
  private selected: number | null = null;
  /** The step chosen in the graph or here, highlighted. */
  private focused: DerivationStepId | null = null;
  /** Cancels the pending pass over the steps off screen (a timer, then idle callbacks). */
  private cancelOffscreen: (() => void) | undefined;
  private visible = false;
  private readonly observer: IntersectionObserver | null =
    typeof IntersectionObserver === 'function'
      ? // The view's own document as the root: its margin holds also where the webview is cross-origin.
        new IntersectionObserver((entries) => this.onIntersect(entries), { root: document, rootMargin: NEAR_MARGIN })
      : null;

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
      h(
        'div',
        { className: 'toolbar', attrs: { role: 'group', 'aria-label': t('Sample') } },
        this.sampleField.el,
        prev.el,
        next.el,
        none.el,
        this.sampleNote,
      ),
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

  /**
   * The tab was shown or hidden. A hidden tab's steps are all off screen to the observer, so on
   * being shown every step counts as near until the observer says otherwise (no stale step flashes).
   */
  setVisible(visible: boolean): void {
    const shown = visible && !this.visible;
    this.visible = visible;
    if (!shown) return;
    for (const view of this.steps.values()) {
      view.near = true;
      // Observed afresh, the observer reports every step's state once more.
      this.observer?.unobserve(view.section);
      this.observer?.observe(view.section);
    }
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
        const id = plan.id;
        const toGraph = GRAPH_STEPS.has(id)
          ? makeButton({ label: t('Show its nodes in the graph'), onClick: () => this.actions.showInGraph(id) }).el
          : null;
        toGraph?.classList.add('to-graph');
        const section = h('li', { className: `step step-${plan.id}`, attrs: { 'aria-labelledby': titleId } }, title, toGraph, body);
        section.classList.toggle('focused', id === this.focused);
        // A new step is drawn at once (the observer has not seen it yet).
        view = { section, title, body, blocks: [], pending: null, near: true };
        this.steps.set(plan.id, view);
        this.observer?.observe(section);
      }
      if (this.list.children[index] !== view.section) this.list.insertBefore(view.section, this.list.children[index] ?? null);
      setText(view.title, t(plan.title));
      view.pending = plan;
      if (view.near || !this.observer) this.draw(view);
    });
    for (const [id, view] of this.steps) {
      if (!seen.has(id)) {
        this.observer?.unobserve(view.section);
        view.section.remove();
        this.steps.delete(id);
      }
    }
    this.scheduleIdle();
  }

  /** Draws the step's newest plan, if it has one still to draw. */
  private draw(view: StepView): void {
    const plan = view.pending;
    if (!plan) return;
    view.pending = null;
    this.updateBlocks(view, plan.blocks);
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      for (const view of this.steps.values()) {
        if (view.section !== entry.target) continue;
        view.near = entry.isIntersecting;
        if (view.near) this.draw(view);
      }
    }
  }

  /**
   * Steps off screen are drawn once runs stop coming for a moment, in idle slices of one step or
   * more, so that they never hold up a keystroke or the next run; a new run restarts the wait.
   */
  private scheduleIdle(): void {
    this.cancelOffscreen?.();
    this.cancelOffscreen = undefined;
    if (![...this.steps.values()].some((v) => v.pending)) return;
    const slice = () => {
      this.cancelOffscreen = whenIdle((deadline) => {
        this.cancelOffscreen = undefined;
        for (const view of this.steps.values()) {
          if (!view.pending) continue;
          if (deadline.timeRemaining() < SLICE_MS && !deadline.didTimeout) break;
          this.draw(view);
          if (deadline.didTimeout) break; // late: one step, then give the thread back
        }
        if ([...this.steps.values()].some((v) => v.pending)) slice();
      }, IDLE_TIMEOUT_MS);
    };
    const timer = window.setTimeout(slice, OFFSCREEN_QUIET_MS);
    this.cancelOffscreen = () => clearTimeout(timer);
  }

  private updateBlocks(view: StepView, blocks: Block[]): void {
    blocks.forEach((block, k) => {
      const key = JSON.stringify(block);
      const old = view.blocks[k];
      if (old && old.key === key) return;
      if (old && sameShape(old.block, block)) {
        // Same labels and number of formulas: typeset again only the formulas that changed.
        blockFormulas(block).forEach((latex, i) => renderMath(old.formulas[i], `\\displaystyle ${latex}`));
        old.key = key;
        old.block = block;
        return;
      }
      const formulas: HTMLElement[] = [];
      const el = this.renderBlock(block, formulas);
      if (old) old.el.replaceWith(el);
      else view.body.appendChild(el);
      view.blocks[k] = { key, block, el, formulas };
    });
    for (const extra of view.blocks.splice(blocks.length)) extra.el.remove();
  }

  private renderBlock(block: Block, formulas: HTMLElement[]): HTMLElement {
    switch (block.kind) {
      case 'math':
        return this.labelled(`block block-${block.role}`, t(block.label), this.formula(block.latex, formulas));
      case 'value':
        return this.labelled('block block-value', t(block.label), this.formula(block.latex, formulas));
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
        for (const latex of block.latex) lines.appendChild(this.formula(latex, formulas));
        return this.labelled(`block block-${block.role}`, say(block.label), lines);
      }
      case 'note':
        return h(
          'p',
          { className: `note note-${block.tone}` },
          h('span', { className: 'note-icon', attrs: { 'aria-hidden': 'true' }, text: NOTE_ICONS[block.tone] }),
          say(block.sentence),
        );
      case 'inactive': {
        const items = block.samples.map((i) => {
          const b = h('button', {
            className: 'chip',
            attrs: { type: 'button', title: t('Substitute sample {0}', i + 1) },
            text: String(i + 1),
          });
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

  /** A formula element, remembered in `formulas` so later runs can patch it. */
  private formula(latex: string, formulas: HTMLElement[]): HTMLElement {
    const el = this.math(latex);
    formulas.push(el);
    return el;
  }

  private math(latex: string, tag: 'div' | 'span' = 'div'): HTMLElement {
    const el = h(tag, { className: 'math' });
    // Display style: fractions and sums at full size, as the document typesets them.
    renderMath(el, `\\displaystyle ${latex}`);
    return el;
  }

  /** Highlights the step chosen in the graph (or here), and brings it into view when the tab is on screen. */
  setFocus(step: DerivationStepId | null): void {
    this.focused = step;
    for (const [id, view] of this.steps) {
      const on = id === step;
      view.section.classList.toggle('focused', on);
      if (on) view.section.setAttribute('aria-current', 'step');
      else view.section.removeAttribute('aria-current');
      if (on && this.visible) view.section.scrollIntoView({ block: 'nearest' });
    }
  }

  /** Clears the view (no run). */
  clear(): void {
    this.cancelOffscreen?.();
    this.cancelOffscreen = undefined;
    replaceChildren(this.list);
    this.observer?.disconnect();
    this.steps.clear();
  }
}
