/**
 * The column choice: which column is the target y (a drop-down) and which are the features x (a box
 * each). Names come from the dataset, so they are set as text only. The choice goes to the host, which
 * checks every name against the file's columns and keeps it per file like the other panel settings.
 */
import type { RunColumns, SetColumnsRequest } from '../src/shared/protocol';
import { h, replaceChildren, setText, uid } from './dom';
import { t } from './i18n';
import { columnControls, featuresAfterToggle } from './viewText';

export interface ColumnsActions {
  setColumns(change: Omit<SetColumnsRequest, 'type'>): void;
}

export class ColumnsView {
  readonly el: HTMLElement;
  private readonly target: HTMLSelectElement;
  private readonly targetNote = h('span', { className: 'field-note' });
  private readonly boxes = h('div', { className: 'feature-boxes' });
  private readonly featuresNote = h('span', { className: 'field-note' });
  private columns: RunColumns | null = null;
  /** The names the controls were last built for (rebuilt only when they change). */
  private builtFor = '';

  constructor(private readonly actions: ColumnsActions) {
    const targetId = uid('target');
    this.target = h('select', { className: 'column-select', attrs: { id: targetId } });
    this.target.addEventListener('change', () => {
      if (this.columns) this.actions.setColumns({ target: this.target.value });
    });
    const legendId = uid('features');
    this.el = h(
      'div',
      { className: 'columns', attrs: { role: 'group', 'aria-label': t('Columns') } },
      h(
        'div',
        { className: 'setting' },
        h('label', { className: 'control-label', attrs: { for: targetId }, text: t('Target y') }),
        this.target,
        this.targetNote,
      ),
      h(
        'div',
        { className: 'setting', attrs: { role: 'group', 'aria-labelledby': legendId } },
        h('span', { className: 'control-label', attrs: { id: legendId }, text: t('Features x') }),
        this.boxes,
        this.featuresNote,
      ),
    );
    this.el.hidden = true;
  }

  /** Shows a run's columns (hidden when the run has none to choose from). */
  show(columns: RunColumns | null): void {
    this.columns = columns;
    this.el.hidden = columns === null;
    if (!columns) return;
    const c = columnControls(columns);
    const key = JSON.stringify([columns.names, c.target]);
    if (key !== this.builtFor) {
      this.builtFor = key;
      replaceChildren(this.target, ...c.targetOptions.map((o) => h('option', { attrs: { value: o.value }, text: o.label })));
      replaceChildren(
        this.boxes,
        ...c.features.map((f) => {
          const id = uid('feature');
          const box = h('input', { attrs: { type: 'checkbox', id, 'data-column': f.name } });
          box.addEventListener('change', () => {
            if (this.columns) this.actions.setColumns({ features: featuresAfterToggle(this.columns, f.name, box.checked) });
          });
          return h('span', { className: 'feature-box' }, box, h('label', { attrs: { for: id }, text: f.name }));
        }),
      );
    }
    this.target.value = c.target;
    const inputs = this.boxes.querySelectorAll('input');
    c.features.forEach((f, k) => {
      const box = inputs[k];
      if (!box) return;
      box.checked = f.checked;
      box.disabled = f.disabled;
    });
    setText(this.targetNote, c.targetSource);
    setText(this.featuresNote, c.featuresSource);
  }
}
