/**
 * The Trajectories tab: the loss (linear or log axis), every parameter and its partial derivative
 * (∂l/∂w_j, ∂l/∂b, with |∇l|) over the epochs, with a
 * readout of the exact values under the cursor (or at the epoch on display), a dashed marker at that
 * epoch, and a table of the plotted values as the text alternative.
 */
import type uPlot from 'uplot';
import type { TrajectorySeries } from '../src/shared/protocol';
import { formatNumber } from '../src/engine/format';
import { h, replaceChildren, setText } from './dom';
import { t } from './i18n';
import { drawVerticalMarker, SizedPlot, themedAxes } from './plot';
import { logScaleUsable, lossForScale, nearestPoint, seriesTable, weightName } from './series';
import { readPalette, type Palette } from './theme';
import { makeDropdown } from './toolkit';

export interface ChartActions {
  logScaleChanged(log: boolean): void;
  seek(epoch: number): void;
}

const exact = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatNumber(v, 8));

export class TrajectoryCharts {
  readonly el = h('div', { className: 'trajectories' });
  private readonly lossPlot: SizedPlot;
  private readonly paramPlot: SizedPlot;
  private readonly gradPlot: SizedPlot;
  private readonly details = h('details', { className: 'alt-table' });
  private readonly tableHost = h('div', { className: 'alt-table-body' });
  private readonly note = h('p', { className: 'hint' });
  private series: TrajectorySeries | null = null;
  private d = 0;
  private epoch: number | null = null;
  private visible = false;
  private dirty = true;
  /** The epoch changed while the tab was hidden: marker and readout are to be redrawn. */
  private markerStale = false;
  private palette: Palette | null = null;

  constructor(
    private readonly actions: ChartActions,
    private log: boolean,
  ) {
    const scale = makeDropdown({
      label: t('Loss axis'),
      options: [
        { value: 'log', label: t('Logarithmic') },
        { value: 'linear', label: t('Linear') },
      ],
      value: log ? 'log' : 'linear',
      onChange: (v) => {
        this.log = v === 'log';
        this.actions.logScaleChanged(this.log);
        this.dirty = true;
        this.render();
      },
    });
    const lossBox = h('div', { className: 'chart' });
    const paramBox = h('div', { className: 'chart' });
    const gradBox = h('div', { className: 'chart' });
    this.lossPlot = new SizedPlot(lossBox, 200);
    this.paramPlot = new SizedPlot(paramBox, 200);
    this.gradPlot = new SizedPlot(gradBox, 200);
    // A chart in a hidden tab has no width: draw when it gets one.
    new ResizeObserver(() => {
      if (this.visible && (this.dirty || !this.lossPlot.plot) && lossBox.clientWidth > 0) this.render();
    }).observe(lossBox);
    this.details.append(h('summary', { text: t('The plotted values as a table') }), this.tableHost);
    this.details.addEventListener('toggle', () => this.renderTable());
    this.el.append(
      h('div', { className: 'toolbar' }, scale.el, this.note),
      h('h2', { className: 'section-title', text: t('Loss l over the epochs') }),
      lossBox,
      h('h2', { className: 'section-title', text: t('Parameters over the epochs') }),
      paramBox,
      h('h2', { className: 'section-title', text: t('Gradient over the epochs') }),
      gradBox,
      h('p', {
        className: 'hint',
        text: t('Hover for exact values; click a chart to show that epoch; drag to zoom, double-click to zoom out.'),
      }),
      this.details,
    );
  }

  /** A new run's series; null when the run came without them (the tab was hidden): no chart of an older run stays. */
  setSeries(series: TrajectorySeries | null): void {
    this.series = series;
    this.dirty = true;
    if (!series) {
      this.lossPlot.destroy();
      this.paramPlot.destroy();
      return;
    }
    this.d = series.w.length;
    if (this.visible) this.render();
  }

  /** The epoch on display (the marker and the idle readout follow it). */
  setEpoch(epoch: number): void {
    if (epoch === this.epoch && !this.markerStale) return;
    this.epoch = epoch;
    // A hidden tab's charts are redrawn (marker and readout) when it is shown again.
    if (!this.visible) {
      this.markerStale = true;
      return;
    }
    this.markerStale = false;
    for (const p of [this.lossPlot.plot, this.paramPlot.plot, this.gradPlot.plot]) {
      if (!p) continue;
      p.redraw(false, false);
      if (p.cursor.idx === null || p.cursor.idx === undefined) this.idleLegend(p);
    }
    if (this.details.open) this.renderTable();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.dirty) this.render();
    else if (visible && this.markerStale && this.epoch !== null) this.setEpoch(this.epoch);
  }

  /** Colours changed: draw again. */
  retheme(): void {
    this.dirty = true;
    if (this.visible) this.render();
  }

  private idleLegend(p: uPlot): void {
    if (!this.series || this.epoch === null) return;
    const k = nearestPoint(this.series.epochs, this.epoch);
    if (k >= 0) p.setLegend({ idx: k }, false);
  }

  private render(): void {
    const s = this.series;
    if (!s || this.lossPlot.width() <= 0) return;
    this.dirty = false;
    this.palette = readPalette();
    const p = this.palette;
    const log = this.log && logScaleUsable(s.loss);
    setText(this.note, this.log && !log ? t('The loss is 0 everywhere, so a logarithmic axis cannot show it.') : '');
    const marker = (u: uPlot) => {
      if (this.epoch !== null) drawVerticalMarker(u, this.epoch, p.muted, t('epoch {0}', this.epoch));
    };
    const cursor: uPlot.Cursor = { sync: { key: 'relu-trajectories' }, drag: { x: true, y: false }, points: { size: 6 } };
    const hooks = (): uPlot.Hooks.Arrays => ({
      draw: [marker],
      setCursor: [
        (u: uPlot) => {
          if (u.cursor.idx === null || u.cursor.idx === undefined) this.idleLegend(u);
        },
      ],
      ready: [
        (u: uPlot) => {
          this.idleLegend(u);
          // A click (not the end of a drag-to-zoom) shows that epoch.
          let downX = NaN;
          u.over.addEventListener('mousedown', (e) => (downX = e.clientX));
          u.over.addEventListener('click', (e) => {
            const idx = u.cursor.idx;
            if (Math.abs(e.clientX - downX) > 3) return;
            if (idx !== null && idx !== undefined && s.epochs[idx] !== undefined) this.actions.seek(s.epochs[idx]);
          });
          u.over.addEventListener('mouseleave', () => this.idleLegend(u));
        },
      ],
    });
    const epochSeries: uPlot.Series = { label: t('Epoch'), value: (_u, v) => (v === null || v === undefined ? '—' : String(v)) };
    this.lossPlot.create(
      {
        scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : { auto: true } },
        axes: themedAxes(p, t('epoch'), t('Loss l'), log),
        series: [epochSeries, { label: t('loss l'), stroke: p.series[0], width: 1.5, value: (_u, v) => exact(v), spanGaps: false }],
        cursor,
        legend: { live: true },
        hooks: hooks(),
      },
      [s.epochs, lossForScale(s.loss, log)],
    );
    const params: uPlot.Series[] = [epochSeries];
    const data: uPlot.AlignedData = [s.epochs];
    for (let j = 0; j < this.d; j++) {
      params.push({ label: weightName(j, this.d), stroke: p.series[(j + 1) % p.series.length], width: 1.5, value: (_u, v) => exact(v) });
      (data as unknown[]).push(s.w[j]);
    }
    params.push({ label: 'b', stroke: p.series[(this.d + 1) % p.series.length], width: 1.5, dash: [6, 3], value: (_u, v) => exact(v) });
    (data as unknown[]).push(s.b);
    this.paramPlot.create(
      {
        scales: { x: { time: false }, y: { auto: true } },
        axes: themedAxes(p, t('epoch'), t('value')),
        series: params,
        cursor: { ...cursor },
        legend: { live: true },
        hooks: hooks(),
      },
      data,
    );
    const grads: uPlot.Series[] = [epochSeries];
    const gradData: uPlot.AlignedData = [s.epochs];
    for (let j = 0; j < this.d; j++) {
      grads.push({
        label: `∂l/∂${weightName(j, this.d)}`,
        stroke: p.series[(j + 1) % p.series.length],
        width: 1.5,
        value: (_u, v) => exact(v),
      });
      (gradData as unknown[]).push(s.gradW[j]);
    }
    grads.push({ label: '∂l/∂b', stroke: p.series[(this.d + 1) % p.series.length], width: 1.5, dash: [6, 3], value: (_u, v) => exact(v) });
    (gradData as unknown[]).push(s.gradB);
    grads.push({ label: '|∇l|', stroke: p.muted, width: 1.5, dash: [2, 3], value: (_u, v) => exact(v) });
    (gradData as unknown[]).push(s.gradNorm);
    this.gradPlot.create(
      {
        scales: { x: { time: false }, y: { auto: true } },
        axes: themedAxes(p, t('epoch'), t('value')),
        series: grads,
        cursor: { ...cursor },
        legend: { live: true },
        hooks: hooks(),
      },
      gradData,
    );
    if (this.details.open) this.renderTable();
  }

  private renderTable(): void {
    if (!this.details.open || !this.series) return;
    const s = this.series;
    const rows = seriesTable(s, 11, this.epoch);
    const head = h('tr', {}, h('th', { attrs: { scope: 'col' }, text: t('Epoch') }), h('th', { attrs: { scope: 'col' }, text: 'l' }));
    for (let j = 0; j < this.d; j++) head.appendChild(h('th', { attrs: { scope: 'col' }, text: weightName(j, this.d) }));
    head.appendChild(h('th', { attrs: { scope: 'col' }, text: 'b' }));
    for (let j = 0; j < this.d; j++) head.appendChild(h('th', { attrs: { scope: 'col' }, text: `∂l/∂${weightName(j, this.d)}` }));
    head.appendChild(h('th', { attrs: { scope: 'col' }, text: '∂l/∂b' }));
    head.appendChild(h('th', { attrs: { scope: 'col' }, text: '|∇l|' }));
    const shown = this.epoch === null ? -1 : s.epochs[nearestPoint(s.epochs, this.epoch)];
    const body = rows.map((r) => {
      const tr = h(
        'tr',
        { className: r.epoch === shown ? 'current' : '' },
        h('th', { attrs: { scope: 'row' }, text: String(r.epoch) }),
        h('td', { text: exact(r.loss) }),
      );
      for (const wj of r.w) tr.appendChild(h('td', { text: exact(wj) }));
      tr.appendChild(h('td', { text: exact(r.b) }));
      for (const v of [...r.gradW, r.gradB, r.gradNorm]) tr.appendChild(h('td', { text: exact(v) }));
      if (r.epoch === shown) tr.setAttribute('aria-current', 'true');
      return tr;
    });
    replaceChildren(this.tableHost, h('table', { className: 'data' }, h('thead', {}, head), h('tbody', {}, ...body)));
  }
}
