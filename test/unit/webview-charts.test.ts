import { strict as assert } from 'node:assert';
import { paddedRange, reluLine, hitTest } from '../../webview/fitMath';
import { decadeSplits, logScaleUsable, lossForScale, nearestPoint, seriesTable, spreadIndices, subscript, weightName } from '../../webview/series';
import { contour, contourLevels, css, gridPosition, linear, logNormalize, mix, niceTicks, parseColor, ramp } from '../../webview/surfaceMath';

describe('shaping the trajectories for the charts', () => {
  it('leaves gaps where a log axis cannot show the loss', () => {
    assert.deepEqual(lossForScale([1, 0, -1, NaN, 0.5], true), [1, null, null, null, 0.5]);
    assert.deepEqual(lossForScale([1, 0, -1, NaN, 0.5], false), [1, 0, -1, null, 0.5]);
    assert.equal(logScaleUsable([0, 0]), false);
    assert.equal(logScaleUsable([0, 1e-30]), true);
  });

  it('finds the plotted point nearest the epoch on display (decimated series)', () => {
    const epochs = [0, 10, 20, 30];
    assert.equal(nearestPoint(epochs, 0), 0);
    assert.equal(nearestPoint(epochs, 14), 1);
    assert.equal(nearestPoint(epochs, 16), 2);
    assert.equal(nearestPoint(epochs, 99), 3);
    assert.equal(nearestPoint([], 3), -1);
  });

  it('spreads the text alternative over the run, keeping the first, the last and the shown epoch', () => {
    assert.deepEqual(spreadIndices(3, 11), [0, 1, 2]);
    const s = spreadIndices(2001, 11);
    assert.equal(s.length, 11);
    assert.equal(s[0], 0);
    assert.equal(s[10], 2000);
    const series = { epochs: [0, 1, 2, 3, 4, 5, 6, 7, 8], loss: [9, 8, 7, 6, 5, 4, 3, 2, 1], w: [[0, 1, 2, 3, 4, 5, 6, 7, 8]], b: [0, 0, 0, 0, 0, 0, 0, 0, 0], gradNorm: [] };
    const rows = seriesTable(series, 3, 3);
    assert.deepEqual(rows.map((r) => r.epoch), [0, 3, 4, 8]);
    assert.deepEqual(rows[1], { epoch: 3, loss: 6, w: [3], b: 0 });
  });

  it('thins a log axis to powers of ten when it spans two or more', () => {
    assert.deepEqual(decadeSplits([0.01, 0.02, 0.05, 0.1, 0.2, 1]), [0.01, null, null, 0.1, null, 1]);
    assert.deepEqual(decadeSplits([0.2, 0.5, 1, 2]), [0.2, 0.5, 1, 2]);
  });

  it('names the weights as the derivation does', () => {
    assert.equal(weightName(0, 1), 'w');
    assert.equal(weightName(1, 3), 'w₂');
    assert.equal(subscript(12), '₁₂');
  });
});

describe('the fit plot\'s geometry', () => {
  it('pads ranges, and widens a single value', () => {
    assert.deepEqual(paddedRange([0, 10]), [-0.5, 10.5]);
    assert.deepEqual(paddedRange([3, 3]), [2, 4]);
    assert.deepEqual(paddedRange([NaN]), [0, 1]);
  });

  it('draws max(0, w·x + b) with its kink where it is', () => {
    assert.deepEqual(reluLine(2, -2, -1, 3), { x: [-1, 1, 3], y: [0, 0, 4] });
    assert.deepEqual(reluLine(0, 1, -1, 3), { x: [-1, 3], y: [1, 1] });
    assert.deepEqual(reluLine(1, 5, -1, 3).x, [-1, 3], 'kink outside the range');
  });

  it('picks the point nearest a click within the radius, or none', () => {
    assert.equal(hitTest([0, 10, 20], [0, 0, 0], 11, 1, 5), 1);
    assert.equal(hitTest([0, 10, 20], [0, 0, 0], 15, 9, 5), -1);
  });
});

describe('the loss surface picture', () => {
  it('reads theme colours in the forms VS Code uses', () => {
    assert.deepEqual(parseColor('#3794ff'), { r: 0x37, g: 0x94, b: 0xff, a: 1 });
    assert.deepEqual(parseColor('#fff8'), { r: 255, g: 255, b: 255, a: 0x88 / 255 });
    assert.deepEqual(parseColor('rgba(1, 2, 3, 0.5)'), { r: 1, g: 2, b: 3, a: 0.5 });
    assert.deepEqual(parseColor('rgb(1 2 3 / 50%)'), { r: 1, g: 2, b: 3, a: 0.5 });
    assert.equal(parseColor('var(--x)'), null);
  });

  it('mixes colours along a ramp', () => {
    const black = { r: 0, g: 0, b: 0, a: 1 };
    const white = { r: 255, g: 255, b: 255, a: 1 };
    assert.deepEqual(mix(black, white, 0.5), { r: 127.5, g: 127.5, b: 127.5, a: 1 });
    assert.deepEqual(ramp([black, white, black], 0.5), white);
    assert.equal(css(white, 0.5), 'rgba(255, 255, 255, 0.5)');
  });

  it('maps the loss to [0, 1] on a log scale, NaN where it is not finite', () => {
    const { t, min, max } = logNormalize([
      [1, 10],
      [100, Infinity],
    ]);
    assert.equal(min, 1);
    assert.equal(max, 100);
    assert.deepEqual(t[0], [0, 0.5]);
    assert.equal(t[1][0], 1);
    assert.ok(Number.isNaN(t[1][1]));
  });

  it('traces a contour of a bowl as a closed ring at the right radius', () => {
    const n = 41;
    const grid = Array.from({ length: n }, (_, y) => Array.from({ length: n }, (_, x) => Math.hypot(x - 20, y - 20)));
    const segments = contour(grid, 10);
    assert.ok(segments.length > 40);
    for (const [ax, ay, bx, by] of segments) {
      assert.ok(Math.abs(Math.hypot(ax - 20, ay - 20) - 10) < 0.3);
      assert.ok(Math.abs(Math.hypot(bx - 20, by - 20) - 10) < 0.3);
    }
    assert.deepEqual(contour(grid, 100), []);
    assert.deepEqual(contourLevels(3), [0.25, 0.5, 0.75]);
  });

  it('places ticks on round numbers and maps values to pixels', () => {
    assert.deepEqual(niceTicks(-1.2, 2.9, 5), [-1, 0, 1, 2]);
    assert.deepEqual(niceTicks(-1.2, 2.9, 4), [0, 2]);
    assert.deepEqual(niceTicks(0, 0.5, 5), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    assert.equal(linear(0, 10, 100, 200)(5), 150);
    assert.equal(gridPosition([0, 1, 3], 2), 1.5);
  });
});
