/**
 * The sample table: virtualised (only the rows in view exist in the DOM), paged (only the pages in
 * view are asked of the host, MAX_ROWS_PER_PAGE at most each), sortable by its headers. The grid
 * keeps keyboard focus itself and moves an active row (aria-activedescendant), so recycled rows
 * never take the focus away; Enter or a click chooses the row. A sample chosen anywhere else (the
 * editor's cursor, the derivation, the Fit plot) is scrolled into view once the host has said where it
 * is in the order (`selectedRank` of a `rows` message), also when the tab is shown later; the focus
 * stays where it is.
 */
import type { RowsMessage, SortKey } from '../src/shared/protocol';
import type { ScaleMethod } from '../src/engine/settings';
import { formatNumber } from '../src/engine/format';
import { h, setText, uid } from './dom';
import { t } from './i18n';
import { mergeRequests, PageCache, PAGE_SIZE, pagesFor, probeKey, revealScrollTop, scrollToShow, visibleRange } from './paging';
import { weightName } from './series';
import { type Column, featureColumns, weightPartTitle, weightedSumTitle } from './tableColumns';

export const ROW_HEIGHT = 24;
/** Most contribution columns shown (one per weight). */
const MAX_WEIGHT_COLUMNS = 6;

export interface TableActions {
  request(offset: number, count: number, sort: SortKey, descending: boolean): void;
  choose(index: number): void;
  orderChanged(sort: SortKey, descending: boolean): void;
  scrolled(scrollTop: number): void;
}

const num = (v: number) => formatNumber(v, 5);

/** The first sort direction for a column: numbers of interest large first, positions ascending. */
export function defaultDescending(key: SortKey): boolean {
  return key === 'share' || key === 'contribB' || key === 'residual';
}

export class SampleTable {
  readonly el: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly headerRow: HTMLElement;
  private readonly body: HTMLElement;
  private readonly caption = h('div', { className: 'table-caption' });
  private columns: Column[] = [];
  /** What the columns were made for: the features and how they are scaled. */
  private layoutKey = '';
  private template = '';
  private cache: PageCache;
  private rendered = new Map<number, HTMLElement>();
  private activeRow = 0;
  private selected: number | null = null;
  private visible = false;
  private lastRequestAt = 0;
  private frame = 0;
  private readonly idPrefix = uid('row');
  private pendingScroll: number | null = null;
  /** Whether the chosen sample has been set once (the first one may come with a restored scroll position). */
  private selectionKnown = false;
  /** A sample chosen outside the table, to scroll to once its position in the order is known. */
  private reveal: number | null = null;
  /** A sample chosen in the table itself: the host's echo of it is not scrolled to. */
  private chosenHere: number | null = null;
  /** Where the host last said the chosen sample is, and in which run and order. */
  private rank: { sample: number; rank: number; runId: number; sort: SortKey; descending: boolean } | null = null;

  constructor(
    private readonly actions: TableActions,
    private sort: SortKey,
    private descending: boolean,
  ) {
    this.cache = new PageCache({ runId: -1, epoch: -1, sort, descending });
    this.headerRow = h('div', { className: 'grid-row grid-header', attrs: { role: 'row', 'aria-rowindex': '1' } });
    this.body = h('div', { className: 'grid-body', attrs: { role: 'rowgroup' } });
    this.grid = h(
      'div',
      {
        className: 'grid',
        attrs: { role: 'grid', tabindex: '0', 'aria-label': t('Samples at the epoch on display'), 'aria-multiselectable': 'false' },
      },
      h('div', { className: 'grid-head', attrs: { role: 'rowgroup' } }, this.headerRow),
      this.body,
    );
    this.grid.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
    this.grid.addEventListener('focus', () => this.paintActive());
    this.el = h('div', { className: 'table' }, this.caption, this.grid);
    new ResizeObserver(() => this.schedule()).observe(this.grid);
  }

  /** A new run: columns for its features (with `# @scale`, x and x̃ of each), the table's length. */
  setRun(runId: number, epoch: number, samples: number, features: readonly string[], scale: ScaleMethod): void {
    const key = JSON.stringify([scale, scale === 'none' ? features.length : features]);
    if (key !== this.layoutKey) {
      // The columns depend on the number of features, and with scaling on their names.
      this.layoutKey = key;
      this.columns = this.buildColumns(features, scale);
      this.template = this.columns.map((c) => `${c.width}px`).join(' ');
      this.renderHeader();
      for (const el of this.rendered.values()) el.remove();
      this.rendered.clear();
    }
    this.cache.setKey({ runId, epoch, sort: this.sort, descending: this.descending });
    this.cache.total = samples;
    this.activeRow = Math.min(this.activeRow, Math.max(0, samples - 1));
    this.updateSize();
    this.schedule();
  }

  /**
   * The epoch on display (or the probe `probe`, from `probeKey`) changed: rows are asked for again
   * (old ones stay until replaced).
   */
  setEpoch(runId: number, epoch: number, probe = ''): void {
    const k = this.cache.key;
    if (k.runId === runId && k.epoch === epoch && (k.probe ?? '') === probe) return;
    this.cache.setKey({ ...k, runId, epoch, probe });
    this.schedule();
  }

  /**
   * The chosen sample (highlighted wherever it is in the order). One chosen elsewhere than in the
   * table is scrolled to, unless it is the first one after a reload that restores the scroll position.
   */
  setSelected(index: number | null): void {
    const first = !this.selectionKnown;
    this.selectionKnown = true;
    if (this.selected === index) return;
    this.selected = index;
    const restoring = first && this.pendingScroll !== null;
    this.reveal = index !== null && index !== this.chosenHere && !restoring ? index : null;
    this.chosenHere = null;
    this.schedule();
  }

  /** The tab became visible or hidden; while hidden nothing is asked of the host. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.schedule();
  }

  /** Scroll position to restore once the table has its height. */
  restoreScroll(scrollTop: number): void {
    this.pendingScroll = scrollTop;
    this.schedule();
  }

  /** A page arrived from the host. */
  receive(msg: RowsMessage): void {
    const useful = this.cache.put(
      { runId: msg.runId, epoch: msg.epoch, sort: msg.sort, descending: msg.descending, probe: probeKey(msg.probe) },
      msg.offset,
      msg.total,
      msg.rows,
    );
    if (useful) this.updateSize();
    this.rank =
      msg.selectedSample !== null && msg.selectedRank !== null
        ? { sample: msg.selectedSample, rank: msg.selectedRank, runId: msg.runId, sort: msg.sort, descending: msg.descending }
        : null;
    this.schedule();
  }

  private buildColumns(features: readonly string[], scale: ScaleMethod): Column[] {
    const d = features.length;
    const cols: Column[] = [
      { label: '#', title: t('Sample number'), width: 64, sort: 'index', value: (r) => String(r.index + 1), className: 'num' },
      { label: t('Line'), title: t('Line in the file'), width: 68, sort: null, value: (r) => String(r.line), className: 'num muted' },
      ...featureColumns(features, scale),
      { label: 'u', title: weightedSumTitle(scale), width: 88, sort: 'u', value: (r) => num(r.u), className: 'num' },
      { label: 'z', title: t('Output z_i = max(0, u_i)'), width: 88, sort: 'z', value: (r) => num(r.z), className: 'num' },
      { label: 'y', title: t('Target y_i'), width: 88, sort: 'y', value: (r) => num(r.y), className: 'num' },
      { label: 'z − y', title: t('Residual z_i − y_i'), width: 88, sort: 'residual', value: (r) => num(r.residual), className: 'num' },
      {
        label: 'a',
        title: t('Active: a_i = 1 when the sample passes gradient'),
        width: 44,
        sort: 'active',
        value: (r) => (r.active ? '1' : '0'),
        className: 'num flag',
      },
    ];
    for (let j = 0; j < Math.min(d, MAX_WEIGHT_COLUMNS); j++) {
      const name = `∂l/∂${weightName(j, d)}`;
      cols.push({
        label: t('part of {0}', name),
        title: weightPartTitle(name, scale),
        width: 116,
        sort: null,
        value: (r) => num(r.contribW[j]),
        className: 'num',
      });
    }
    cols.push({
      label: t('part of {0}', '∂l/∂b'),
      title: t("This sample's part of ∂l/∂b: (2/N) a_i (z_i − y_i)"),
      width: 116,
      sort: 'contribB',
      value: (r) => num(r.contribB),
      className: 'num',
    });
    cols.push({
      label: t('share'),
      title: t('Share of the gradient: c_i·∇l / |∇l|²; the shares add up to 100 %'),
      width: 96,
      sort: 'share',
      value: (r) => `${formatNumber(r.share * 100, 3)} %`,
      className: 'num',
    });
    return cols;
  }

  private renderHeader(): void {
    while (this.headerRow.firstChild) this.headerRow.removeChild(this.headerRow.firstChild);
    this.headerRow.style.gridTemplateColumns = this.template;
    this.columns.forEach((c, k) => {
      const cell = h('div', {
        className: `grid-cell head ${c.className ?? ''}`,
        attrs: { role: 'columnheader', 'aria-colindex': String(k + 1), title: c.title },
      });
      if (c.sort) {
        const key = c.sort;
        const sorted = key === this.sort;
        cell.setAttribute('aria-sort', sorted ? (this.descending ? 'descending' : 'ascending') : 'none');
        const button = h(
          'button',
          { className: sorted ? 'sort sorted' : 'sort', attrs: { type: 'button', title: t('Sort by {0}', c.label) } },
          c.label,
        );
        if (sorted)
          button.appendChild(h('span', { className: 'sort-arrow', attrs: { 'aria-hidden': 'true' }, text: this.descending ? ' ▼' : ' ▲' }));
        button.addEventListener('click', () => this.sortBy(key));
        cell.appendChild(button);
      } else {
        cell.textContent = c.label;
      }
      this.headerRow.appendChild(cell);
    });
  }

  private sortBy(key: SortKey): void {
    this.reveal = null; // the student's own order starts at the top
    const descending = key === this.sort ? !this.descending : defaultDescending(key);
    this.setOrder(key, descending);
    this.actions.orderChanged(key, descending);
  }

  /** Changes the order (from a header click or a restored state). */
  setOrder(sort: SortKey, descending: boolean): void {
    if (sort === this.sort && descending === this.descending) return;
    this.sort = sort;
    this.descending = descending;
    const total = this.cache.total;
    this.cache.setKey({ ...this.cache.key, sort, descending });
    this.cache.total = total;
    this.renderHeader();
    this.grid.scrollTop = 0;
    this.activeRow = 0;
    this.schedule();
  }

  private updateSize(): void {
    const total = this.cache.total;
    this.body.style.height = `${total * ROW_HEIGHT}px`;
    this.grid.setAttribute('aria-rowcount', String(total + 1));
    setText(
      this.caption,
      t(
        '{0, plural, one {# sample} other {# samples}}; sorted by {1}, {2}.',
        total,
        this.sortLabel(),
        this.descending ? t('descending') : t('ascending'),
      ),
    );
  }

  private sortLabel(): string {
    return this.columns.find((c) => c.sort === this.sort)?.label ?? this.sort;
  }

  private onScroll(): void {
    this.actions.scrolled(this.grid.scrollTop);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private viewport(): { top: number; height: number } {
    const head = this.headerRow.offsetHeight || ROW_HEIGHT;
    return { top: this.grid.scrollTop, height: Math.max(0, this.grid.clientHeight - head) };
  }

  private paint(): void {
    if (!this.visible || this.grid.clientHeight === 0) return;
    if (this.pendingScroll !== null && this.cache.total > 0) {
      this.grid.scrollTop = this.pendingScroll;
      this.pendingScroll = null;
    }
    this.revealChosen();
    const total = this.cache.total;
    const { top, height } = this.viewport();
    const { first, end } = visibleRange(top, height, ROW_HEIGHT, total);
    // Remove rows out of range, add or update those in range.
    for (const [i, el] of this.rendered) {
      if (i < first || i >= end) {
        el.remove();
        this.rendered.delete(i);
      }
    }
    for (let i = first; i < end; i++) {
      let el = this.rendered.get(i);
      if (!el) {
        el = h('div', { className: 'grid-row', attrs: { role: 'row', id: `${this.idPrefix}-${i}`, 'aria-rowindex': String(i + 2) } });
        el.style.gridTemplateColumns = this.template;
        el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
        const index = i;
        el.addEventListener('click', () => {
          this.activeRow = index;
          this.chooseActive();
        });
        for (let k = 0; k < this.columns.length; k++) {
          el.appendChild(
            h('div', {
              className: `grid-cell ${this.columns[k].className ?? ''}`,
              attrs: { role: 'gridcell', 'aria-colindex': String(k + 1) },
            }),
          );
        }
        this.body.appendChild(el);
        this.rendered.set(i, el);
      }
      this.fill(el, i);
    }
    this.paintActive();
    this.requestMissing(first, end);
  }

  /** Scrolls to a sample chosen elsewhere once its row in this run and order is known (focus untouched). */
  private revealChosen(): void {
    const r = this.rank;
    const total = this.cache.total;
    if (this.reveal === null || !r || r.sample !== this.reveal || r.runId !== this.cache.key.runId) return;
    if (r.sort !== this.sort || r.descending !== this.descending || r.rank >= total) return;
    this.reveal = null;
    this.activeRow = r.rank;
    const { top, height } = this.viewport();
    const target = revealScrollTop(r.rank, top, height, ROW_HEIGHT, total);
    if (target !== top) this.grid.scrollTop = target;
  }

  private fill(el: HTMLElement, i: number): void {
    const row = this.cache.row(i);
    const cells = el.children;
    if (!row) {
      el.classList.add('loading');
      for (let k = 0; k < cells.length; k++) setText(cells[k], k === 0 ? '…' : '');
      el.removeAttribute('aria-selected');
      return;
    }
    el.classList.remove('loading');
    el.classList.toggle('inactive', row.active === 0);
    const chosen = row.index === this.selected;
    el.classList.toggle('selected', chosen);
    el.setAttribute('aria-selected', String(chosen));
    el.dataset.sample = String(row.index);
    for (let k = 0; k < this.columns.length && k < cells.length; k++) setText(cells[k], this.columns[k].value(row));
  }

  private paintActive(): void {
    const el = this.rendered.get(this.activeRow);
    for (const [i, row] of this.rendered) row.classList.toggle('active-row', i === this.activeRow);
    if (el) this.grid.setAttribute('aria-activedescendant', el.id);
    else this.grid.removeAttribute('aria-activedescendant');
  }

  private requestMissing(first: number, end: number): void {
    const now = Date.now();
    if (this.cache.waiting) {
      // One set of requests at a time; a host that dropped one is asked again after a while.
      if (now - this.lastRequestAt < 2000) return;
      this.cache.forgetRequests();
    }
    const pages = this.cache.take(pagesFor(first, end, PAGE_SIZE));
    if (pages.length === 0) return;
    this.lastRequestAt = now;
    const { sort, descending } = this.cache.key;
    // One request per run of adjacent pages: the host re-sends the last one with every new epoch.
    for (const { offset, count } of mergeRequests(pages, this.cache.total, PAGE_SIZE))
      this.actions.request(offset, count, sort, descending);
  }

  private onKey(e: KeyboardEvent): void {
    const total = this.cache.total;
    if (total === 0) return;
    const { height } = this.viewport();
    const pageRows = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    let next = this.activeRow;
    switch (e.key) {
      case 'ArrowDown':
        next += 1;
        break;
      case 'ArrowUp':
        next -= 1;
        break;
      case 'PageDown':
        next += pageRows;
        break;
      case 'PageUp':
        next -= pageRows;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = total - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.chooseActive();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.activeRow = Math.max(0, Math.min(total - 1, next));
    const { top } = this.viewport();
    const target = scrollToShow(this.activeRow, top, height, ROW_HEIGHT);
    if (target !== top) this.grid.scrollTop = target;
    this.schedule();
  }

  private chooseActive(): void {
    const row = this.cache.row(this.activeRow);
    if (row) {
      this.chosenHere = row.index;
      this.actions.choose(row.index);
    }
    this.schedule();
  }
}
