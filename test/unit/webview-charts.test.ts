import { strict as assert } from 'node:assert';
import { keySelection, lineParameters, paddedRange, reluLine, hitTest } from '../../webview/fitMath';
import {
  decadeSplits,
  logScaleUsable,
  lossForScale,
  nearestPoint,
  seriesTable,
  spreadIndices,
  subscript,
  weightName,
} from '../../webview/series';
import {
  contour,
  contourLevels,
  css,
  gridPosition,
  linear,
  logNormalize,
  mix,
  niceTicks,
  parseColor,
  ramp,
} from '../../webview/surfaceMath';

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
    const series = {
      epochs: [0, 1, 2, 3, 4, 5, 6, 7, 8],
      loss: [9, 8, 7, 6, 5, 4, 3, 2, 1],
      w: [[0, 1, 2, 3, 4, 5, 6, 7, 8]],
      b: [0, 0, 0, 0, 0, 0, 0, 0, 0],
      gradNorm: [9, 8, 7, 6, 5, 4, 3, 2, 1].map((v) => v / 10),
      gradW: [[1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => -v)],
      gradB: [0, 1, 0, 1, 0, 1, 0, 1, 0],
    };
    const rows = seriesTable(series, 3, 3);
    assert.deepEqual(
      rows.map((r) => r.epoch),
      [0, 3, 4, 8],
    );
    assert.deepEqual(rows[1], { epoch: 3, loss: 6, w: [3], b: 0, gradW: [-4], gradB: 1, gradNorm: 0.6 });
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

describe("the fit plot's geometry", () => {
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

  it("draws a scaled run's line against the file's x with the parameters in the file's units", () => {
    // Trained on x̃ = (x − μ)/σ with w̃ = 0.3, b̃ = 0.2, μ = 1990, σ = 20: in the file's units
    // w = w̃/σ = 0.015 and b = b̃ − w̃ μ/σ = 0.2 − 29.85 = −29.65.
    const mu = 1990;
    const sigma = 20;
    const fileUnits = { w: 0.3 / sigma, b: 0.2 - (0.3 * mu) / sigma, selectedX: null };
    assert.deepEqual(lineParameters({ fileUnits }, [0.3], 0.2), { w: fileUnits.w, b: fileUnits.b });
    assert.deepEqual(lineParameters({}, [0.3], 0.2), { w: 0.3, b: 0.2 }, 'unscaled: as trained');
    const p = lineParameters({ fileUnits }, [0.3], 0.2);
    const line = reluLine(p.w, p.b, 1900, 2020);
    // The kink where x̃ = −b̃/w̃, i.e. x = μ − σ b̃/w̃; at each end z = max(0, w̃ x̃ + b̃).
    assert.ok(Math.abs(line.x[1] - (mu - (sigma * 0.2) / 0.3)) < 1e-9, `kink at ${line.x[1]}`);
    for (const [k, x] of line.x.entries()) assert.ok(Math.abs(line.y[k] - Math.max(0, 0.3 * ((x - mu) / sigma) + 0.2)) < 1e-12);
  });

  it('picks the point nearest a click within the radius, or none', () => {
    assert.equal(hitTest([0, 10, 20], [0, 0, 0], 11, 1, 5), 1);
    assert.equal(hitTest([0, 10, 20], [0, 0, 0], 15, 9, 5), -1);
  });

  describe('choosing a sample with the keys', () => {
    // Samples 7, 3, 5, 9, 4 at x = 2, 0, 2, -1, 5: in order of x (ties by index) 9, 3, 5, 7, 4.
    const xs = [2, 0, 2, -1, 5];
    const indices = [7, 3, 5, 9, 4];
    const at = (index: number) => ({ x: xs[indices.indexOf(index)], index });
    const walk = (key: string, from: number | null, steps: number) => {
      const seen: Array<number | null | undefined> = [];
      let p = from === null ? null : at(from);
      for (let k = 0; k < steps; k++) {
        const next = keySelection(xs, indices, p, key);
        seen.push(next);
        p = next === null || next === undefined ? null : at(next);
      }
      return seen;
    };

    it('moves right and left in order of x, equal x in order of index, and stays at either end', () => {
      assert.deepEqual(walk('ArrowRight', null, 6), [9, 3, 5, 7, 4, 4]);
      assert.deepEqual(walk('ArrowLeft', null, 6), [4, 7, 5, 3, 9, 9]);
      assert.equal(keySelection(xs, indices, at(5), 'ArrowRight'), 7, 'the tie at x = 2: sample 5, then 7');
      assert.equal(keySelection(xs, indices, at(7), 'ArrowLeft'), 5);
    });

    it('goes to the first and last with Home and End, and clears the choice with Escape', () => {
      assert.equal(keySelection(xs, indices, at(5), 'Home'), 9);
      assert.equal(keySelection(xs, indices, null, 'End'), 4);
      assert.equal(keySelection(xs, indices, at(5), 'Escape'), null);
      assert.equal(keySelection(xs, indices, null, 'Escape'), undefined, 'nothing to clear: the key is left alone');
    });

    it('leaves other keys alone, and does nothing without points', () => {
      for (const key of ['ArrowUp', 'ArrowDown', 'Enter', ' ', 'a', 'Tab'])
        assert.equal(keySelection(xs, indices, at(5), key), undefined, key);
      assert.equal(keySelection([], [], null, 'ArrowRight'), undefined);
      assert.equal(keySelection([], [], null, 'Home'), undefined);
    });

    it('moves from a chosen sample that is not drawn (a large plot shows some), by its x', () => {
      assert.equal(keySelection(xs, indices, { x: 1, index: 500 }, 'ArrowRight'), 5);
      assert.equal(keySelection(xs, indices, { x: 1, index: 500 }, 'ArrowLeft'), 3);
      assert.equal(keySelection(xs, indices, { x: 9, index: 500 }, 'ArrowRight'), 500, 'past the last point it stays');
    });

    it('skips points whose x is not finite', () => {
      assert.deepEqual(
        [null, 1, 2].map((from) => keySelection([NaN, 1, 2], [0, 1, 2], from === null ? null : { x: from, index: from }, 'ArrowLeft')),
        [2, 1, 1],
      );
      assert.equal(keySelection([1, Infinity], [0, 1], null, 'End'), 0);
    });
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
