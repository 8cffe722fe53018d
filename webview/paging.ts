/**
 * Paging and virtualisation of the sample table, as arithmetic: which rows a scroll position shows,
 * which pages hold them, and a cache of pages that keeps showing the last rows it has (so nothing
 * flickers) while fresh ones for the current epoch are on their way. Pure: no DOM.
 */
import { MAX_ROWS_PER_PAGE, type SampleRow, type SortKey } from '../src/shared/protocol';

/** Rows per request: a few screens, well under MAX_ROWS_PER_PAGE. */
export const PAGE_SIZE = Math.min(100, MAX_ROWS_PER_PAGE);

/** The rows [first, end) to put in the DOM for a viewport, with `overscan` extra rows either side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): { first: number; end: number } {
  if (total <= 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const bottom = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight) + overscan;
  const first = Math.min(top, total - 1);
  return { first, end: Math.max(first, Math.min(total, bottom)) };
}

/** Indices of the pages covering rows [first, end). */
export function pagesFor(first: number, end: number, pageSize = PAGE_SIZE): number[] {
  if (end <= first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** The request for one page: offset and count, clipped to the table. */
export function pageRequest(page: number, total: number, pageSize = PAGE_SIZE): { offset: number; count: number } {
  const offset = page * pageSize;
  return { offset, count: Math.max(0, Math.min(pageSize, total - offset)) };
}

/**
 * Requests for a set of pages: adjacent pages joined into one request of at most
 * MAX_ROWS_PER_PAGE rows, each clipped to the table.
 */
export function mergeRequests(pages: readonly number[], total: number, pageSize = PAGE_SIZE): Array<{ offset: number; count: number }> {
  const out: Array<{ offset: number; count: number }> = [];
  for (const p of [...pages].sort((a, b) => a - b)) {
    const { offset, count } = pageRequest(p, total, pageSize);
    if (count <= 0) continue;
    const last = out[out.length - 1];
    if (last && last.offset + last.count === offset && last.count + count <= MAX_ROWS_PER_PAGE) last.count += count;
    else out.push({ offset, count });
  }
  return out;
}

/** The scrollTop that brings row `index` into view, or the current one when it already is. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return scrollTop;
}

/**
 * The scrollTop that reveals row `index` of `total` chosen elsewhere (the editor, the derivation, the
 * Fit plot): the current one when the row is already wholly in view, else one that centres the row,
 * kept within the table (a row near either end sits as close to the middle as the table allows).
 */
export function revealScrollTop(index: number, scrollTop: number, viewportHeight: number, rowHeight: number, total: number): number {
  if (total <= 0 || rowHeight <= 0 || index < 0 || index >= total) return scrollTop;
  const top = index * rowHeight;
  if (top >= scrollTop && top + rowHeight <= scrollTop + viewportHeight) return scrollTop;
  const max = Math.max(0, total * rowHeight - viewportHeight);
  return Math.round(Math.max(0, Math.min(max, top + rowHeight / 2 - viewportHeight / 2)));
}

/** What the rows depend on besides their position. */
export interface RowsKey {
  runId: number;
  epoch: number;
  sort: SortKey;
  descending: boolean;
  /** The probe's θ (`probeKey`) the rows are at, or '' (absent) on the trajectory. */
  probe?: string;
}

/** A probe's θ = (w_1 … w_d, b) as a key of rows, '' on the trajectory. */
export function probeKey(theta: readonly number[] | null | undefined): string {
  return theta ? theta.join(',') : '';
}

const sameOrder = (a: RowsKey, b: RowsKey) => a.sort === b.sort && a.descending === b.descending;
/** A reply answers a request of the same run and order, whatever epoch the host had reached by then. */
const answers = (reply: RowsKey, request: RowsKey) => sameOrder(reply, request) && reply.runId === request.runId;
const sameKey = (a: RowsKey, b: RowsKey) =>
  sameOrder(a, b) && a.runId === b.runId && a.epoch === b.epoch && (a.probe ?? '') === (b.probe ?? '');

interface Page {
  key: RowsKey;
  rows: SampleRow[];
}

/**
 * Pages of rows by position. A page of an older epoch or run is still shown (it is replaced when
 * the fresh one arrives); a page of another sort order is not, since its rows would be wrong.
 * At most one request per page is in flight. `requestRows` carries no epoch (the host answers for the
 * epoch it shows), so a reply settles the request of its page, run and order, whatever its epoch.
 */
export class PageCache {
  private pages = new Map<number, Page>();
  private inFlight = new Map<number, RowsKey>();
  total = 0;

  constructor(
    public key: RowsKey,
    readonly pageSize = PAGE_SIZE,
  ) {}

  /** Switches to a new key (epoch, run or order); rows of another order are dropped. */
  setKey(key: RowsKey): void {
    if (!sameOrder(key, this.key)) {
      this.pages.clear();
      this.total = 0;
    }
    this.key = key;
  }

  /** Stores a page the host sent; returns whether it is for the current order (worth a repaint). */
  put(key: RowsKey, offset: number, total: number, rows: SampleRow[]): boolean {
    for (let p = Math.floor(offset / this.pageSize); p <= Math.floor((offset + Math.max(rows.length, 1) - 1) / this.pageSize); p++) {
      const pending = this.inFlight.get(p);
      if (pending && answers(key, pending)) this.inFlight.delete(p);
    }
    if (!sameOrder(key, this.key)) return false;
    const fresh = sameKey(key, this.key);
    if (fresh || this.total === 0) this.total = total;
    // A reply may cover several pages (the host may send larger ones); split it on page boundaries.
    for (let k = 0; k < rows.length;) {
      const at = offset + k;
      const page = Math.floor(at / this.pageSize);
      const start = page * this.pageSize;
      const old = this.pages.get(page);
      if (fresh || !old || !sameKey(old.key, this.key)) {
        const base = old && sameKey(old.key, key) ? old.rows.slice() : [];
        const take = Math.min(rows.length - k, start + this.pageSize - at);
        for (let m = 0; m < take; m++) base[at - start + m] = rows[k + m];
        this.pages.set(page, { key, rows: base });
        k += take;
      } else {
        k += Math.min(rows.length - k, start + this.pageSize - at);
      }
    }
    return true;
  }

  /** The row at a position, possibly of an older epoch, or undefined when none is known. */
  row(index: number): SampleRow | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.rows[index % this.pageSize];
  }

  /** Whether the row at a position is for the current epoch and run. */
  isFresh(index: number): boolean {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page !== undefined && sameKey(page.key, this.key) && page.rows[index % this.pageSize] !== undefined;
  }

  /** Pages among `wanted` to request now (not fresh, not already asked for), marking them asked. */
  take(wanted: number[]): number[] {
    const out: number[] = [];
    for (const p of wanted) {
      const page = this.pages.get(p);
      if (page && sameKey(page.key, this.key)) continue;
      const pending = this.inFlight.get(p);
      if (pending && answers(this.key, pending)) continue;
      this.inFlight.set(p, this.key);
      out.push(p);
    }
    return out;
  }

  /** Whether any request (for this key or an older one) is still unanswered: ask again only after. */
  get waiting(): boolean {
    return this.inFlight.size > 0;
  }

  /** Forgets unanswered requests (e.g. after a timeout), so they may be asked again. */
  forgetRequests(): void {
    this.inFlight.clear();
  }
}
