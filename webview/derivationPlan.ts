/**
 * What the Derivation tab shows for one step, as data: labelled blocks of LaTeX and sentences. The DOM
 * code turns a plan into nodes; the plan itself is pure, so tests can say what a step renders.
 */
import type { DerivationNote, DerivationStep } from '../src/engine/derivation';
import { DERIVATION_NOTES, EVERY_SAMPLE_ACTIVE, STEP_TITLES, type DerivationStepId } from '../src/engine/derivationText';

/** A sentence to translate: the English key and its arguments. */
export interface Sentence {
  text: string;
  args: Array<string | number>;
}

export type Block =
  | { kind: 'math'; role: 'rule' | 'applied'; label: string; latex: string }
  | { kind: 'cases'; label: string; cases: Array<{ latex: string; condition: string; taken: boolean }> }
  | { kind: 'lines'; role: 'dataset' | 'sample'; label: Sentence; latex: string[] }
  | { kind: 'value'; label: string; latex: string }
  | { kind: 'note'; tone: 'info' | 'convention' | 'document' | 'hint'; sentence: Sentence }
  | { kind: 'inactive'; label: Sentence; samples: number[]; more: number };

export interface StepPlan {
  id: DerivationStepId;
  /** English title (translated by the view). */
  title: string;
  blocks: Block[];
}

/** What the plan needs besides the step itself. */
export interface PlanContext {
  /** 0-based sample substituted, or null. */
  selectedSample: number | null;
  reluGradAtZero: 0 | 1;
  samples: number;
  active: number;
  /** 0-based indices of inactive samples known to the view (from the fit data), ascending. */
  inactiveKnown: number[];
}

/** How many inactive samples are listed by number before "and N more". */
export const INACTIVE_LISTED = 12;

/** A note the engine attached to a step, as a sentence to translate. */
export function noteSentence(note: DerivationNote): Sentence {
  return { text: DERIVATION_NOTES[note.id], args: note.args };
}

/** The plan for one derivation step. */
export function planStep(step: DerivationStep, ctx: PlanContext): StepPlan {
  const blocks: Block[] = [
    { kind: 'math', role: 'rule', label: 'Rule', latex: step.rule },
    { kind: 'math', role: 'applied', label: 'Applied to this neuron', latex: step.applied },
  ];
  if (step.cases && step.cases.length > 0) {
    blocks.push({
      kind: 'cases',
      label: ctx.selectedSample === null ? 'Cases (taken by at least one sample)' : 'Cases (the one this sample takes is marked)',
      cases: step.cases.map((c) => ({ latex: c.result, condition: c.condition, taken: c.taken })),
    });
  }
  if (step.id === 'max' || step.id === 'chain') {
    const inactive = ctx.samples - ctx.active;
    if (inactive > 0) {
      const listed = ctx.inactiveKnown.slice(0, INACTIVE_LISTED);
      blocks.push({
        kind: 'inactive',
        label: { text: 'Inactive samples (a_i = 0): {0} of {1}', args: [inactive, ctx.samples] },
        samples: listed,
        more: Math.max(0, inactive - listed.length),
      });
    } else if (ctx.samples > 0) {
      blocks.push({ kind: 'note', tone: 'info', sentence: { text: EVERY_SAMPLE_ACTIVE, args: [ctx.samples] } });
    }
  }
  for (const note of step.notes) blocks.push({ kind: 'note', tone: note.tone, sentence: noteSentence(note) });
  if (step.dataset.length > 0)
    blocks.push({ kind: 'lines', role: 'dataset', label: { text: 'Whole dataset', args: [] }, latex: step.dataset });
  if (ctx.selectedSample !== null && step.sample.length > 0) {
    blocks.push({ kind: 'lines', role: 'sample', label: { text: 'Sample {0}', args: [ctx.selectedSample + 1] }, latex: step.sample });
  }
  blocks.push({ kind: 'value', label: 'Result', latex: step.value });
  return { id: step.id, title: STEP_TITLES[step.id], blocks };
}

/** The plans for a whole derivation, in the document's order. */
export function planDerivation(steps: readonly DerivationStep[], ctx: PlanContext): StepPlan[] {
  return steps.map((s) => planStep(s, ctx));
}

/**
 * Whether `next` can be drawn into the elements that show `prev` by re-typesetting its formulas only
 * (same kind, labels and number of formulas): then only formulas whose LaTeX changed are rendered
 * again. Otherwise the block is rebuilt.
 */
export function sameShape(prev: Block, next: Block): boolean {
  if (prev.kind !== next.kind) return false;
  switch (next.kind) {
    case 'math': {
      const p = prev as typeof next;
      return p.role === next.role && p.label === next.label;
    }
    case 'value':
      return (prev as typeof next).label === next.label;
    case 'lines': {
      const p = prev as typeof next;
      return p.role === next.role && p.latex.length === next.latex.length && JSON.stringify(p.label) === JSON.stringify(next.label);
    }
    default:
      return false;
  }
}

/** The formulas of a block that `sameShape` can patch, in the order they are drawn. */
export function blockFormulas(block: Block): string[] {
  switch (block.kind) {
    case 'math':
    case 'value':
      return [block.latex];
    case 'lines':
      return block.latex;
    default:
      return [];
  }
}
