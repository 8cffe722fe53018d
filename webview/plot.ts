/**
 * uPlot set up for the panel: theme colours from the palette, numbers formatted the engine's way,
 * sized to its container (and re-sized with it). Shared by the trajectory and fit charts.
 */
import uPlot from 'uplot';
import { formatNumber } from '../src/engine/format';
import { decadeSplits } from './series';
import type { Palette } from './theme';

/** Axes in the palette's colours; `xLabel`/`yLabel` are drawn beside them. */
export function themedAxes(p: Palette, xLabel: string, yLabel: string, log = false): uPlot.Axis[] {
  const axis = (label: string, size: number): uPlot.Axis => ({
    label,
    stroke: p.muted,
    font: p.font,
    labelFont: `bold ${p.font}`,
    size,
    labelSize: 16,
    labelGap: 0,
    grid: { stroke: p.grid, width: 1 },
    ticks: { stroke: p.grid, width: 1, size: 4 },
    values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : formatNumber(v, 3))),
  });
  const y = axis(yLabel, 54);
  if (log) {
    const thin = (_u: uPlot, splits: number[]) => decadeSplits(splits) as number[];
    y.filter = thin;
    y.grid = { ...y.grid, filter: thin };
    y.ticks = { ...y.ticks, filter: thin };
    y.values = (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : formatNumber(v, 2)));
  }
  return [axis(xLabel, 26), y];
}

/** A chart that follows its container's width; `build` makes the options for a width. */
export class SizedPlot {
  plot: uPlot | null = null;
  private readonly observer: ResizeObserver;

  constructor(
    readonly container: HTMLElement,
    private readonly height: number,
  ) {
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(container);
  }

  /** Current width to draw at (0 while hidden). */
  width(): number {
    return Math.floor(this.container.clientWidth);
  }

  /** Replaces the chart. */
  create(opts: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): uPlot | null {
    this.destroy();
    const width = this.width();
    if (width <= 0) return null;
    this.plot = new uPlot({ ...opts, width, height: this.height }, data, this.container);
    return this.plot;
  }

  resize(): void {
    const width = this.width();
    if (this.plot && width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: this.height });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }
}

/** Draws a vertical marker at x value `x` on the plotting area. */
export function drawVerticalMarker(u: uPlot, x: number, color: string, label: string | null): void {
  const left = u.valToPos(x, 'x', true);
  const { top, height, left: bl, width } = u.bbox;
  if (!(left >= bl - 1 && left <= bl + width + 1)) return;
  const ctx = u.ctx;
  const px = uPlot.pxRatio;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5 * px;
  ctx.setLineDash([4 * px, 3 * px]);
  ctx.beginPath();
  ctx.moveTo(Math.round(left) + 0.5, top);
  ctx.lineTo(Math.round(left) + 0.5, top + height);
  ctx.stroke();
  if (label) {
    ctx.setLineDash([]);
    ctx.fillStyle = color;
    ctx.font = `${Math.round(10 * px)}px sans-serif`;
    const w = ctx.measureText(label).width;
    const x = left + 4 * px + w > bl + width ? left - 4 * px - w : left + 4 * px;
    ctx.fillText(label, x, top + 11 * px);
  }
  ctx.restore();
}
