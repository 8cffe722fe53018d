/**
 * The loss surface l(w, b) for one feature, drawn on a canvas: a heatmap on a log scale with contour
 * lines, the descent path from θ_0, and the point at the epoch on display. Colours come from the
 * theme. A sentence under it says where the minimum of the grid is and where the path goes.
 */
import type { LossSurface } from '../src/shared/protocol';
import { formatNumber } from '../src/engine/format';
import { h, setText } from './dom';
import { t } from './i18n';
import { contour, contourLevels, css, linear, logNormalize, mix, niceTicks, parseColor, ramp, type Rgba } from './surfaceMath';
import { cssColor, readPalette } from './theme';

const MARGIN = { left: 52, right: 12, top: 10, bottom: 34 };
const ASPECT = 0.62;
const MAX_WIDTH = 640;

export class SurfaceView {
  readonly el = h('div', { className: 'surface' });
  private readonly canvas = h('canvas', { className: 'surface-canvas', attrs: { role: 'img' } });
  private readonly readout = h('div', { className: 'readout' });
  private readonly caption = h('p', { className: 'hint' });
  private readonly box = h('div', { className: 'surface-box' });
  private surface: LossSurface | null = null;
  private heat: HTMLCanvasElement | null = null;
  private current: { w: number; b: number } | null = null;
  private cssWidth = 0;
  private frame = 0;
  private visible = false;

  constructor() {
    this.box.appendChild(this.canvas);
    this.el.append(this.box, this.readout, this.caption);
    new ResizeObserver(() => this.schedule()).observe(this.box);
    this.canvas.addEventListener('mousemove', (e) => this.onHover(e.offsetX, e.offsetY));
    this.canvas.addEventListener('mouseleave', () => setText(this.readout, ''));
  }

  /** The surface the host sent (null: not available, e.g. more than one feature). */
  setSurface(surface: LossSurface | null, message: string): void {
    this.surface = surface;
    this.heat = null;
    this.canvas.hidden = surface === null;
    if (!surface) {
      setText(this.caption, message);
      this.canvas.setAttribute('aria-label', message);
      return;
    }
    this.describe();
    this.schedule();
  }

  /** The parameters at the epoch on display (the marked point). */
  setCurrent(w: number, b: number): void {
    if (this.current?.w === w && this.current.b === b) return;
    this.current = { w, b };
    if (this.surface && this.visible) this.schedule(); // nothing to draw without a surface, or hidden
  }

  /** The Fit tab was shown or hidden: a hidden surface is drawn when it is shown again. */
  setVisible(visible: boolean): void {
    const shown = visible && !this.visible;
    this.visible = visible;
    if (shown) this.schedule();
  }

  retheme(): void {
    this.heat = null;
    this.schedule();
  }

  private describe(): void {
    const s = this.surface;
    if (!s) return;
    let best = { loss: Infinity, w: NaN, b: NaN };
    s.loss.forEach((row, iy) => row.forEach((v, ix) => v < best.loss && (best = { loss: v, w: s.w[ix], b: s.b[iy] })));
    const n = s.pathW.length;
    const text =
      n > 0
        ? t(
            'Lowest loss on the grid: l = {0} at w = {1}, b = {2}. The descent path goes from (w, b) = ({3}, {4}) to ({5}, {6}).',
            formatNumber(best.loss),
            formatNumber(best.w),
            formatNumber(best.b),
            formatNumber(s.pathW[0]),
            formatNumber(s.pathB[0]),
            formatNumber(s.pathW[n - 1]),
            formatNumber(s.pathB[n - 1]),
          )
        : t('Lowest loss on the grid: l = {0} at w = {1}, b = {2}.', formatNumber(best.loss), formatNumber(best.w), formatNumber(best.b));
    setText(this.caption, text);
    this.canvas.setAttribute('aria-label', `${t('Loss surface l(w, b)')}. ${text}`);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private plotRect(width: number, height: number) {
    return { x0: MARGIN.left, x1: width - MARGIN.right, y0: MARGIN.top, y1: height - MARGIN.bottom };
  }

  private draw(): void {
    const s = this.surface;
    if (!s || s.w.length < 2 || s.b.length < 2) return; // before reading the width (a layout)
    const width = Math.min(MAX_WIDTH, Math.floor(this.box.clientWidth));
    if (width <= 0) return;
    const height = Math.round(width * ASPECT);
    const ratio = window.devicePixelRatio || 1;
    if (this.cssWidth !== width || this.canvas.width !== Math.round(width * ratio)) {
      this.cssWidth = width;
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const p = readPalette();
    const r = this.plotRect(width, height);
    const w0 = s.w[0];
    const w1 = s.w[s.w.length - 1];
    const b0 = s.b[0];
    const b1 = s.b[s.b.length - 1];
    const X = linear(w0, w1, r.x0, r.x1);
    const Y = linear(b0, b1, r.y1, r.y0);
    const norm = logNormalize(s.loss);

    // Heatmap: one pixel per grid point, stretched (cell centres on the grid values).
    if (!this.heat) this.heat = this.heatImage(norm.t);
    const cw = (r.x1 - r.x0) / (s.w.length - 1);
    const ch = (r.y1 - r.y0) / (s.b.length - 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.heat, r.x0 - cw / 2, r.y0 - ch / 2, r.x1 - r.x0 + cw, r.y1 - r.y0 + ch);

    // Contours on the same log scale.
    const fg = parseColor(p.foreground) ?? cssColor('--vscode-foreground', '#888');
    ctx.strokeStyle = css(fg, p.highContrast ? 0.7 : 0.35);
    ctx.lineWidth = 1;
    const gx = linear(0, s.w.length - 1, r.x0, r.x1);
    const gy = linear(0, s.b.length - 1, r.y1, r.y0);
    ctx.beginPath();
    for (const level of contourLevels(9)) {
      for (const [ax, ay, bx, by] of contour(norm.t, level)) {
        ctx.moveTo(gx(ax), gy(ay));
        ctx.lineTo(gx(bx), gy(by));
      }
    }
    ctx.stroke();

    // The descent path, its start, and the point on display.
    if (s.pathW.length > 0) {
      ctx.strokeStyle = p.foreground;
      ctx.lineWidth = 2;
      ctx.lineJoin = 'round';
      ctx.beginPath();
      s.pathW.forEach((w, k) => (k === 0 ? ctx.moveTo(X(w), Y(s.pathB[k])) : ctx.lineTo(X(w), Y(s.pathB[k]))));
      ctx.stroke();
      ctx.fillStyle = p.foreground;
      ctx.fillRect(X(s.pathW[0]) - 4, Y(s.pathB[0]) - 4, 8, 8);
    }
    if (this.current) {
      const cx = X(this.current.w);
      const cy = Y(this.current.b);
      ctx.fillStyle = p.marker;
      ctx.strokeStyle = p.background;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(cx, cy, 6, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();

    // Frame and axes.
    ctx.strokeStyle = p.border;
    ctx.lineWidth = 1;
    ctx.strokeRect(r.x0 + 0.5, r.y0 + 0.5, r.x1 - r.x0 - 1, r.y1 - r.y0 - 1);
    ctx.fillStyle = p.muted;
    ctx.font = p.font;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of niceTicks(w0, w1, Math.max(3, Math.floor((r.x1 - r.x0) / 70)))) {
      const x = X(v);
      ctx.fillRect(x, r.y1, 1, 4);
      ctx.fillText(formatNumber(v, 3), x, r.y1 + 6);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of niceTicks(b0, b1, Math.max(3, Math.floor((r.y1 - r.y0) / 40)))) {
      const y = Y(v);
      ctx.fillRect(r.x0 - 4, y, 4, 1);
      ctx.fillText(formatNumber(v, 3), r.x0 - 6, y);
    }
    ctx.font = `bold ${p.font}`;
    ctx.fillStyle = p.foreground;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText('w', (r.x0 + r.x1) / 2, height - 2);
    ctx.save();
    ctx.translate(12, (r.y0 + r.y1) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText('b', 0, 0);
    ctx.restore();
  }

  /** The heatmap as a small canvas, one pixel per grid point, low loss in the theme's blue. */
  private heatImage(tGrid: number[][]): HTMLCanvasElement {
    const nx = tGrid[0]?.length ?? 0;
    const ny = tGrid.length;
    const c = document.createElement('canvas');
    c.width = Math.max(1, nx);
    c.height = Math.max(1, ny);
    const ctx = c.getContext('2d');
    if (!ctx || nx === 0) return c;
    const bg = cssColor('--vscode-editor-background', '#1e1e1e');
    const low = cssColor('--vscode-charts-blue', '#3794ff');
    const high = cssColor('--vscode-charts-orange', '#d18616');
    const stops: Rgba[] = [mix(bg, low, 0.9), mix(bg, low, 0.4), bg, mix(bg, high, 0.3)];
    const img = ctx.createImageData(nx, ny);
    for (let iy = 0; iy < ny; iy++) {
      const row = ny - 1 - iy; // b grows upwards
      for (let ix = 0; ix < nx; ix++) {
        const v = tGrid[iy][ix];
        const col = Number.isNaN(v) ? bg : ramp(stops, v);
        const o = (row * nx + ix) * 4;
        img.data[o] = col.r;
        img.data[o + 1] = col.g;
        img.data[o + 2] = col.b;
        img.data[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    return c;
  }

  private onHover(x: number, y: number): void {
    const s = this.surface;
    if (!s || this.cssWidth === 0) return;
    const r = this.plotRect(this.cssWidth, Math.round(this.cssWidth * ASPECT));
    if (x < r.x0 || x > r.x1 || y < r.y0 || y > r.y1) {
      setText(this.readout, '');
      return;
    }
    const w = linear(r.x0, r.x1, s.w[0], s.w[s.w.length - 1])(x);
    const b = linear(r.y1, r.y0, s.b[0], s.b[s.b.length - 1])(y);
    const ix = Math.round(linear(r.x0, r.x1, 0, s.w.length - 1)(x));
    const iy = Math.round(linear(r.y1, r.y0, 0, s.b.length - 1)(y));
    const l = s.loss[iy]?.[ix];
    setText(this.readout, `w = ${formatNumber(w, 4)}, b = ${formatNumber(b, 4)}, l ≈ ${l === undefined ? '—' : formatNumber(l, 4)}`);
  }
}
