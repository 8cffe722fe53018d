import { strict as assert } from 'node:assert';
import { MAX_ROWS_PER_PAGE, type SampleRow } from '../../src/shared/protocol';
import {
  mergeRequests,
  PAGE_SIZE,
  PageCache,
  pageRequest,
  pagesFor,
  probeKey,
  revealScrollTop,
  scrollToShow,
  visibleRange,
} from '../../webview/paging';

const row = (index: number): SampleRow => ({
  index,
  line: index + 2,
  u: index,
  z: index,
  y: 0,
  residual: index,
  active: 1,
  contribW: [0],
  contribB: 0,
  share: 0,
});
const rows = (from: number, count: number) => Array.from({ length: count }, (_, k) => row(from + k));
const key = (epoch: number, sort: 'index' | 'u' = 'index', runId = 1) => ({ runId, epoch, sort, descending: false });

describe("the sample table's paging", () => {
  it('puts only the rows in view (and a few either side) in the DOM', () => {
    assert.deepEqual(visibleRange(0, 480, 24, 100_000, 0), { first: 0, end: 20 });
    assert.deepEqual(visibleRange(0, 480, 24, 100_000), { first: 0, end: 28 });
    assert.deepEqual(visibleRange(2_400_000 - 480, 480, 24, 100_000, 0), { first: 99_980, end: 100_000 });
    assert.deepEqual(visibleRange(0, 480, 24, 5), { first: 0, end: 5 });
    assert.deepEqual(visibleRange(0, 480, 24, 0), { first: 0, end: 0 });
  });

  it('asks for the one or two pages under the viewport of a 100,000-row table, never more than MAX_ROWS_PER_PAGE rows', () => {
    const { first, end } = visibleRange(1_200_000, 480, 24, 100_000);
    const pages = pagesFor(first, end);
    assert.ok(pages.length >= 1 && pages.length <= 2, String(pages));
    const requests = mergeRequests(pages, 100_000);
    assert.equal(requests.length, 1);
    assert.ok(requests[0].offset <= first && requests[0].offset + requests[0].count >= end);
    assert.ok(requests[0].count <= MAX_ROWS_PER_PAGE);
    assert.ok(PAGE_SIZE <= MAX_ROWS_PER_PAGE);
  });

  it('clips the last page to the table and splits runs longer than MAX_ROWS_PER_PAGE', () => {
    assert.deepEqual(pageRequest(9, 950, 100), { offset: 900, count: 50 });
    assert.deepEqual(mergeRequests([0, 1, 2, 3, 4, 5, 6], 10_000, 100), [
      { offset: 0, count: 500 },
      { offset: 500, count: 200 },
    ]);
    assert.deepEqual(mergeRequests([0, 2], 10_000, 100), [
      { offset: 0, count: 100 },
      { offset: 200, count: 100 },
    ]);
  });

  it('scrolls just enough to show a row moved to with the keyboard', () => {
    assert.equal(scrollToShow(5, 0, 240, 24), 0);
    assert.equal(scrollToShow(10, 0, 240, 24), 24);
    assert.equal(scrollToShow(2, 240, 240, 24), 48);
  });

  it('centres a row chosen elsewhere, unless it is already in view, within the table', () => {
    // 1000 rows of 24 px in a 240 px viewport: row 899 (sample 900 in index order) is far below.
    const top = revealScrollTop(899, 0, 240, 24, 1000);
    assert.equal(top, 899 * 24 + 12 - 120);
    const shown = visibleRange(top, 240, 24, 1000, 0);
    assert.ok(shown.first <= 899 && 899 < shown.end, JSON.stringify(shown));
    assert.equal(revealScrollTop(5, 0, 240, 24, 1000), 0, 'already in view: no scroll');
    assert.equal(revealScrollTop(9, 0, 240, 24, 1000), 0, 'the last whole row in view');
    assert.equal(revealScrollTop(10, 0, 240, 24, 1000), 132, 'one row below the view: centred');
    assert.equal(revealScrollTop(2, 2400, 240, 24, 1000), 0, 'near the top: as close to the middle as the table allows');
    assert.equal(revealScrollTop(999, 0, 240, 24, 1000), 1000 * 24 - 240, 'the last row: the table scrolled to its end');
    assert.equal(revealScrollTop(3, 0, 240, 24, 3), 0, 'a table shorter than the viewport never scrolls');
    assert.equal(revealScrollTop(1000, 480, 240, 24, 1000), 480, 'no such row: stay');
    assert.equal(revealScrollTop(-1, 480, 240, 24, 1000), 480);
  });
});

describe('the page cache', () => {
  it("keeps showing the last epoch's rows until the new ones arrive (no flicker)", () => {
    const c = new PageCache(key(0), 10);
    c.put(key(0), 0, 100, rows(0, 10));
    assert.ok(c.isFresh(3));
    c.setKey(key(1));
    assert.equal(c.row(3)?.index, 3, 'the old row is still there');
    assert.equal(c.isFresh(3), false);
    assert.deepEqual(c.take([0]), [0], 'and is asked for again');
    c.put(key(1), 0, 100, rows(50, 10));
    assert.equal(c.row(3)?.index, 53);
    assert.ok(c.isFresh(3));
  });

  it("asks again for rows at a probe, and at the epoch when the probe is left (a probe's rows are not the epoch's)", () => {
    const c = new PageCache(key(5), 10);
    c.put(key(5), 0, 100, rows(0, 10));
    const atProbe = { ...key(5), probe: probeKey([0.5, -1]) };
    c.setKey(atProbe);
    assert.equal(c.isFresh(3), false, "the epoch's row is not the probe's");
    assert.deepEqual(c.take([0]), [0]);
    c.put(atProbe, 0, 100, rows(20, 10));
    assert.ok(c.isFresh(3));
    c.setKey({ ...atProbe, probe: probeKey([0.6, -1]) });
    assert.equal(c.isFresh(3), false, 'the probe moved');
    c.setKey(key(5));
    assert.equal(c.isFresh(3), false, 'back on the trajectory, the probe row is stale');
    assert.equal(probeKey(null), '');
  });

  it('drops rows of another order, which would be wrong', () => {
    const c = new PageCache(key(0), 10);
    c.put(key(0), 0, 100, rows(0, 10));
    c.setKey(key(0, 'u'));
    assert.equal(c.row(3), undefined);
    assert.equal(c.put(key(0, 'index'), 0, 100, rows(0, 10)), false, 'a late reply in the old order is ignored');
    assert.equal(c.row(3), undefined);
  });

  it('asks for a page once until it is answered, whatever epoch the answer is for', () => {
    const c = new PageCache(key(0), 10);
    assert.deepEqual(c.take([0, 1]), [0, 1]);
    assert.deepEqual(c.take([0, 1]), []);
    assert.ok(c.waiting);
    // The host answers for the epoch it shows, which may be newer than the one the request was made at.
    c.put(key(5), 0, 100, rows(0, 20));
    assert.equal(c.waiting, false);
  });

  it('splits a reply spanning several pages', () => {
    const c = new PageCache(key(0), 10);
    c.put(key(0), 5, 100, rows(5, 20));
    assert.equal(c.row(5)?.index, 5);
    assert.equal(c.row(24)?.index, 24);
    assert.equal(c.row(4), undefined);
    assert.equal(c.total, 100);
  });

  it('forgets unanswered requests when told to, so they may be asked again', () => {
    const c = new PageCache(key(0), 10);
    c.take([3]);
    c.forgetRequests();
    assert.deepEqual(c.take([3]), [3]);
  });
});
