/**
 * The Fit tab's plot. One feature: the samples as points (active ● and inactive ✕: shape and colour
 * differ) and the neuron's line z = max(0, w·x + b) with its kink. More features: predicted z against
 * actual y with the line z = y. Clicking a point substitutes that sample in the derivation; so do the
 * keys once the plot has the focus (Left/Right: the previous/next sample along x, Home/End: the
 * first/last, Escape: none), each choice described in the readout and told to screen readers.
 */
import uPlot from 'uplot';
import type { EpochMessage, FitData } from '../src/shared/protocol';
import { formatNumber } from '../src/engine/format';
import { h, setText, uid } from './dom';
import { keySelection, lineParameters, paddedRange, reluLine, hitTest, type PlotPoint } from './fitMath';
import { t } from './i18n';
import { SizedPlot, themedAxes } from './plot';
import { readPalette, type Palette } from './theme';

export interface FitActions {
  selectSample(index: number | null): void;
}

export class FitPlot {
  readonly el = h('div', { className: 'fit' });
  private readonly plot: SizedPlot;
  private readonly legend = h('div', { className: 'fit-legend', attrs: { 'aria-hidden': 'true' } });
  private readonly readout = h('div', { className: 'readout' });
  /** With `# @scale`: the line's parameters in the file's units. */
  private readonly units = h('p', { className: 'hint' });
  private readonly summary = h('p', { className: 'visually-hidden', attrs: { id: uid('fit-summary') } });
  /** Tells screen readers which sample the keys chose. */
  private readonly live = h('div', { className: 'visually-hidden', attrs: { 'aria-live': 'polite', role: 'status' } });
  private fit: FitData | null = null;
  private w: number[] = [];
  private b = 0;
  private selected: number | null = null;
  /** The chosen sample's x on the plot (known even when the sample is not among the points drawn). */
  private selectedX: number | null = null;
  private kind: FitData['kind'] | null = null;
  /** Whether the axis shows the file's x of a scaled run (the legend says x̃ then). */
  private scaled = false;
  private xName = 'x';
  private yName = 'y';
  private visible = false;
  private dirty = true;
  private palette: Palette | null = null;
  private hover = -1;
  private ranges: { x: [number, number]; y: [number, number] } = { x: [0, 1], y: [0, 1] };

  constructor(private readonly actions: FitActions) {
    const box = h('div', {
      className: 'chart fit-chart',
      attrs: {
        tabindex: '0',
        role: 'application',
        'aria-roledescription': t('plot'),
        'aria-label': t(
          'Samples and the neuron. Left and Right arrows: the previous or next sample along the horizontal axis; Home, End: the first, the last; Escape: no sample.',
        ),
        'aria-describedby': this.summary.id,
      },
    });
    this.plot = new SizedPlot(box, 280);
    new ResizeObserver(() => {
      if (this.visible && (this.dirty || !this.plot.plot) && box.clientWidth > 0) this.rebuild();
    }).observe(box);
    box.addEventListener('keydown', (e) => this.onKey(e));
    this.units.hidden = true;
    this.el.append(this.legend, box, this.units, this.readout, this.summary, this.live);
  }

  /** The names of the feature (one-feature runs) and the target, for the axes. */
  setNames(feature: string, target: string): void {
    this.xName = feature;
    this.yName = target;
    this.dirty = true;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.dirty) this.rebuild();
  }

  retheme(): void {
    this.dirty = true;
    if (this.visible) this.rebuild();
  }

  /** The points and line at the epoch on display. */
  show(msg: EpochMessage): void {
    if (!msg.fit) return; // the host sends the fit only while the Fit tab is on screen
    const fit = msg.fit;
    const scaled = fit.fileUnits !== undefined;
    const kindChanged = fit.kind !== this.kind || scaled !== this.scaled;
    this.fit = fit;
    this.scaled = scaled;
    this.w = msg.w;
    this.b = msg.b;
    this.selected = msg.selectedSample;
    // The chosen sample's x on the plot: the file's x when scaled (the sample detail holds x̃).
    this.selectedX = msg.sample ? (fit.kind !== 'line' ? msg.sample.z : fit.fileUnits ? fit.fileUnits.selectedX : msg.sample.x[0]) : null;
    this.units.hidden = !fit.fileUnits;
    if (fit.fileUnits)
      setText(
        this.units,
        t(
          "In the file's units the line is z = max(0, w·x + b) with w = {0}, b = {1}: the same neuron, trained on x̃.",
          formatNumber(fit.fileUnits.w, 6),
          formatNumber(fit.fileUnits.b, 6),
        ),
      );
    const active = fit.active.reduce<number>((a, v) => a + v, 0);
    setText(this.summary, t('{0} points drawn, {1} of them active.', fit.xs.length, active));
    if (kindChanged || this.dirty || !this.plot.plot) {
      this.kind = fit.kind;
      this.dirty = true;
      if (this.visible) this.rebuild();
      return;
    }
    if (!this.visible) return;
    const u = this.plot.plot;
    const { x, y, ranges } = this.geometry();
    this.ranges = ranges;
    u.setData([x, y]);
  }

  private geometry(): { x: number[]; y: number[]; ranges: { x: [number, number]; y: [number, number] } } {
    const fit = this.fit!;
    const xr = paddedRange(fit.xs);
    if (fit.kind === 'line') {
      const p = lineParameters(fit, this.w, this.b);
      const line = reluLine(p.w, p.b, xr[0], xr[1]);
      const yr = paddedRange([...fit.ys, ...line.y]);
      return { x: line.x, y: line.y, ranges: { x: xr, y: yr } };
    }
    // Predicted z against actual y, on one range so that z = y is the diagonal.
    const both = paddedRange([...fit.xs, ...fit.ys]);
    return { x: [both[0], both[1]], y: [both[0], both[1]], ranges: { x: both, y: both } };
  }

  private rebuild(): void {
    if (!this.fit || this.plot.width() <= 0) return;
    this.dirty = false;
    this.palette = readPalette();
    const p = this.palette;
    const fit = this.fit;
    const line = fit.kind === 'line';
    this.renderLegend(p, line);
    const { x, y, ranges } = this.geometry();
    this.ranges = ranges;
    const u = this.plot.create(
      {
        // The ranges cover the points (drawn by the hook), not only the line.
        scales: { x: { time: false, range: () => this.ranges.x }, y: { range: () => this.ranges.y } },
        axes: themedAxes(p, line ? this.xName : t('predicted z'), line ? this.yName : t('actual y')),
        series: [{}, { stroke: p.line, width: 2, points: { show: false } }],
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false }, x: false, y: false },
        hooks: { draw: [(uu) => this.drawPoints(uu)] },
      },
      [x, y],
    );
    if (!u) return;
    u.over.addEventListener('mousemove', (e) => this.onHover(u, e.offsetX, e.offsetY));
    u.over.addEventListener('mouseleave', () => {
      this.hover = -1;
      setText(this.readout, '');
      u.redraw(false, false);
    });
    u.over.addEventListener('click', (e) => {
      const k = this.pick(u, e.offsetX, e.offsetY);
      if (k >= 0 && this.fit) this.choose(this.fit.indices[k], false);
    });
    u.over.classList.add('clickable');
  }

  private renderLegend(p: Palette, line: boolean): void {
    while (this.legend.firstChild) this.legend.removeChild(this.legend.firstChild);
    const item = (glyph: string, color: string, text: string) => {
      const g = h('span', { className: 'glyph', text: glyph });
      g.style.color = color;
      return h('span', { className: 'legend-item' }, g, text);
    };
    this.legend.append(
      item('●', p.active, t('active sample (a = 1)')),
      item('✕', p.inactive, t('inactive sample (a = 0)')),
      item('━', p.line, line ? (this.scaled ? 'z = max(0, w·x̃ + b)' : 'z = max(0, w·x + b)') : t('z = y (a perfect fit)')),
    );
  }

  private pick(u: uPlot, cx: number, cy: number): number {
    const fit = this.fit;
    if (!fit) return -1;
    const px = new Float64Array(fit.xs.length);
    const py = new Float64Array(fit.xs.length);
    for (let k = 0; k < fit.xs.length; k++) {
      px[k] = u.valToPos(fit.xs[k], 'x');
      py[k] = u.valToPos(fit.ys[k], 'y');
    }
    return hitTest(px, py, cx, cy, 8);
  }

  private onHover(u: uPlot, cx: number, cy: number): void {
    const k = this.pick(u, cx, cy);
    if (k === this.hover) return;
    this.hover = k;
    setText(this.readout, k < 0 ? '' : this.describe(k));
    u.redraw(false, false);
  }

  /** Point k in words: its sample, coordinates and state. */
  private describe(k: number): string {
    const fit = this.fit!;
    const state = fit.active[k] ? t('active') : t('inactive');
    const xLabel = fit.kind === 'line' ? this.xName : 'z';
    return `${t('Sample {0}', fit.indices[k] + 1)}: ${xLabel} = ${formatNumber(fit.xs[k], 6)}, ${this.yName} = ${formatNumber(fit.ys[k], 6)} (${state})`;
  }

  /** The chosen sample as a point in the plot's order, or null. */
  private chosenPoint(): PlotPoint | null {
    const fit = this.fit;
    if (this.selected === null || !fit) return null;
    const k = fit.indices.indexOf(this.selected);
    if (k >= 0) return { x: fit.xs[k], index: this.selected };
    return this.selectedX === null ? null : { x: this.selectedX, index: this.selected };
  }

  private onKey(e: KeyboardEvent): void {
    const fit = this.fit;
    if (!fit || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const next = keySelection(fit.xs, fit.indices, this.chosenPoint(), e.key);
    if (next === undefined) return;
    e.preventDefault();
    if (next !== this.selected) this.choose(next, true);
  }

  /**
   * Chooses a sample (null: none) at once on the plot, and asks the host to substitute it; with
   * `announce` (a key chose it) the readout describes it and screen readers hear so.
   */
  private choose(index: number | null, announce: boolean): void {
    const fit = this.fit;
    const k = index === null || !fit ? -1 : fit.indices.indexOf(index);
    this.selected = index;
    this.selectedX = k >= 0 ? fit!.xs[k] : null;
    if (announce) {
      const text = index === null ? t('No sample chosen.') : k >= 0 ? this.describe(k) : t('Sample {0}', index + 1);
      setText(this.readout, index === null ? '' : text);
      setText(this.live, text);
    }
    this.plot.plot?.redraw(false, false);
    this.actions.selectSample(index);
  }

  private drawPoints(u: uPlot): void {
    const fit = this.fit;
    const p = this.palette;
    if (!fit || !p) return;
    const ctx = u.ctx;
    const px = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    const r = (fit.xs.length > 500 ? 2.5 : 3.5) * px;
    ctx.lineWidth = 1.5 * px;
    let selectedAt: [number, number] | null = null;
    // Inactive first, so active points stay on top.
    for (const pass of [0, 1] as const) {
      ctx.fillStyle = p.active;
      ctx.strokeStyle = pass === 1 ? p.active : p.inactive;
      ctx.beginPath();
      for (let k = 0; k < fit.xs.length; k++) {
        if (fit.active[k] !== pass) continue;
        const x = u.valToPos(fit.xs[k], 'x', true);
        const y = u.valToPos(fit.ys[k], 'y', true);
        if (fit.indices[k] === this.selected) selectedAt = [x, y];
        if (pass === 1) {
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        } else {
          ctx.moveTo(x - r, y - r);
          ctx.lineTo(x + r, y + r);
          ctx.moveTo(x - r, y + r);
          ctx.lineTo(x + r, y - r);
        }
      }
      if (pass === 1) ctx.fill();
      else ctx.stroke();
    }
    const ring = (at: [number, number], color: string, radius: number) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = 2 * px;
      ctx.beginPath();
      ctx.arc(at[0], at[1], radius, 0, 2 * Math.PI);
      ctx.stroke();
    };
    if (this.hover >= 0 && this.hover < fit.xs.length)
      ring([u.valToPos(fit.xs[this.hover], 'x', true), u.valToPos(fit.ys[this.hover], 'y', true)], p.muted, r + 3 * px);
    if (selectedAt) ring(selectedAt, p.foreground, r + 4 * px);
    ctx.restore();
  }
}
