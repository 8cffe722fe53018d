/**
 * The loss surface l(w, b) for one feature, drawn on a canvas: a heatmap on a log scale with contour
 * lines, the descent path from θ_0, and the point at the epoch on display. Colours come from the
 * theme. A sentence under it says where the minimum of the grid is and where the path goes.
 * A click or drag places a probe (arrow keys move it by a grid step, Escape leaves it): the host
 * answers with l and ∇l there, drawn as an arrow along ∇l and the step −α∇l at scale.
 */
import type { EpochMessage, LossSurface } from '../src/shared/protocol';
import { formatNumber } from '../src/engine/format';
import { h, replaceChildren, setText } from './dom';
import { t } from './i18n';
import { contour, contourLevels, css, linear, logNormalize, mix, niceTicks, parseColor, ramp, type Rgba } from './surfaceMath';
import { cssColor, readPalette } from './theme';
import { makeDropdown } from './toolkit';
import { probeKey } from './paging';
import { vtrace, vtracing } from './trace';

const MARGIN = { left: 52, right: 12, top: 10, bottom: 34 };
const ASPECT = 0.62;
const MAX_WIDTH = 640;
/** Length of the ∇l arrow on screen (its direction is the gradient's, its length only shows it). */
const GRAD_ARROW_PX = 48;

/** What the surface asks of the host. */
export interface SurfaceActions {
  /** Put the probe at θ = (w_1 … w_d, b). */
  probe(theta: number[]): void;
  /** Back to the trajectory. */
  leave(): void;
  /** A slice along these two parameters (more than one feature). */
  slice(axes: [number, number]): void;
}

/** The probe on display: θ there, ∇l there and α. */
export interface ProbeMark {
  theta: number[];
  grad: number[];
  learningRate: number;
}

/** The mark of the probe an `epoch` message is at: θ there, ∇l there and α. */
export function probeMark(msg: EpochMessage, learningRate: number): ProbeMark {
  return { theta: [...msg.w, msg.b], grad: [...msg.gradW, msg.gradB], learningRate };
}

/** 1, 2 or 5 × 10^k, the smallest at least `raw`: the arrow keys' step. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= raw) ?? 10 * p;
}

/** v on the lattice of `step` (clean decimals: 0.35, not 0.35000000000000003). */
export function snap(v: number, step: number): number {
  return +(Math.round(v / step) * step).toPrecision(12);
}

export class SurfaceView {
  readonly el = h('div', { className: 'surface' });
  private readonly canvas = h('canvas', { className: 'surface-canvas', attrs: { role: 'img', tabindex: '0' } });
  private readonly readout = h('div', { className: 'readout' });
  private readonly caption = h('p', { className: 'hint' });
  private readonly box = h('div', { className: 'surface-box' });
  private surface: LossSurface | null = null;
  private heat: HTMLCanvasElement | null = null;
  /** θ at the epoch on display. */
  private current: number[] | null = null;
  /** The parameters' names (w or w1 … wd, then b); pickers for a slice when there are more than two. */
  private names: string[] = ['w', 'b'];
  private readonly pickers = h('div', { className: 'toolbar' });
  private cssWidth = 0;
  private frame = 0;
  private visible = false;
  private probeMark: ProbeMark | null = null;
  private dragging = false;
  /** The latest probe asked for, sent once per frame (a drag moves faster than the host answers). */
  private pendingProbe: { w: number; b: number } | null = null;
  private probeFrame = 0;

  constructor(private readonly actions: SurfaceActions) {
    this.box.appendChild(this.canvas);
    this.el.append(
      this.pickers,
      this.box,
      this.readout,
      this.caption,
      h('p', { className: 'hint', text: t('Click or drag to place a probe; arrow keys move it, Escape returns to the trajectory.') }),
    );
    new ResizeObserver(() => this.schedule()).observe(this.box);
    this.canvas.addEventListener('mousemove', (e) => {
      if (this.dragging) this.placeAt(e.offsetX, e.offsetY);
      this.onHover(e.offsetX, e.offsetY);
    });
    this.canvas.addEventListener('mouseleave', () => setText(this.readout, ''));
    this.canvas.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      this.dragging = this.placeAt(e.offsetX, e.offsetY);
      this.canvas.focus();
    });
    window.addEventListener('mouseup', () => (this.dragging = false));
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The probe on display, or null (on the trajectory). */
  setProbe(mark: ProbeMark | null): void {
    const same =
      mark === null ? this.probeMark === null : this.probeMark !== null && JSON.stringify(mark) === JSON.stringify(this.probeMark);
    if (same) return;
    this.probeMark = mark;
    if (this.surface && this.visible) this.schedule();
  }

  /** Asks for a probe at pixel (x, y) of the canvas; false outside the plot. */
  private placeAt(x: number, y: number): boolean {
    const s = this.surface;
    if (!s || this.cssWidth === 0) return false;
    const r = this.plotRect(this.cssWidth, Math.round(this.cssWidth * ASPECT));
    if (x < r.x0 || x > r.x1 || y < r.y0 || y > r.y1) return false;
    this.sendProbe(linear(r.x0, r.x1, s.w[0], s.w[s.w.length - 1])(x), linear(r.y1, r.y0, s.b[0], s.b[s.b.length - 1])(y));
    return true;
  }

  private sendProbe(w: number, b: number): void {
    vtrace('probeAsk');
    this.pendingProbe = { w, b };
    if (this.probeFrame) return;
    this.probeFrame = requestAnimationFrame(() => {
      this.probeFrame = 0;
      const p = this.pendingProbe;
      this.pendingProbe = null;
      if (!p) return;
      vtrace('probeRequest');
      // One feature: θ = (w, b). A slice: the point it passes through, moved in its two parameters.
      const through = this.surface?.through;
      if (!through) {
        this.actions.probe([p.w, p.b]);
        return;
      }
      const theta = through.slice();
      const [i, j] = this.axes();
      theta[i] = p.w;
      theta[j] = p.b;
      this.actions.probe(theta);
    });
  }

  /** Arrow keys move the probe (placed first at the point on display) by a grid step; Escape leaves it. */
  private onKey(e: KeyboardEvent): void {
    const s = this.surface;
    if (!s) return;
    if (e.key === 'Escape') {
      if (!this.probeMark) return;
      e.preventDefault();
      this.actions.leave();
      return;
    }
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowDown: [0, -1], ArrowUp: [0, 1] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const at = this.probeMark?.theta ?? (this.surface?.through || this.current);
    const from = this.pendingProbe ?? (at ? this.project(at) : null);
    if (!from) return;
    const stepW = niceStep((s.w[s.w.length - 1] - s.w[0]) / 40);
    const stepB = niceStep((s.b[s.b.length - 1] - s.b[0]) / 40);
    this.sendProbe(snap(from.w + move[0] * stepW, stepW), snap(from.b + move[1] * stepB, stepB));
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

  /** θ = (w_1 … w_d, b) at the epoch on display (the marked point). */
  setCurrent(theta: number[]): void {
    if (this.current && this.current.length === theta.length && this.current.every((v, k) => v === theta[k])) return;
    this.current = theta;
    if (this.surface && this.visible) this.schedule(); // nothing to draw without a surface, or hidden
  }

  /** The parameters' names; with more than one feature, two pickers choose the slice's axes. */
  setParameters(names: string[]): void {
    if (names.join() === this.names.join()) return;
    this.names = names;
    if (names.length <= 2) {
      replaceChildren(this.pickers);
      return;
    }
    let axes: [number, number] = [0, 1];
    const options = names.map((n, k) => ({ value: String(k), label: n }));
    const pick = (which: 0 | 1, label: string) =>
      makeDropdown({
        label,
        options,
        value: String(axes[which]),
        onChange: (v) => {
          const next: [number, number] = [...axes];
          next[which] = Number(v);
          if (next[0] === next[1]) return;
          axes = next;
          this.actions.slice(axes);
        },
      });
    replaceChildren(this.pickers, pick(0, t('Horizontal axis')).el, pick(1, t('Vertical axis')).el);
  }

  /** The surface's axes in θ: (w, b) for one feature, else the slice's two parameters. */
  private axes(): [number, number] {
    return this.surface?.axes ?? [0, this.names.length - 1];
  }

  /** θ's point in the plane of the surface. */
  private project(theta: readonly number[]): { w: number; b: number } {
    const [i, j] = this.axes();
    return { w: theta[i], b: theta[j] };
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
    const [ai, aj] = this.axes();
    const text = s.axes
      ? t(
          'A slice through the point on display along {0} and {1}. Lowest loss on the grid: l = {2} at {0} = {3}, {1} = {4}.',
          this.names[ai] ?? '',
          this.names[aj] ?? '',
          formatNumber(best.loss),
          formatNumber(best.w),
          formatNumber(best.b),
        )
      : n > 0
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
    const t0 = vtracing() ? performance.now() : 0;
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
    const current = this.current && this.current.length === this.names.length ? this.project(this.current) : null;
    if (current) {
      const cx = X(current.w);
      const cy = Y(current.b);
      ctx.fillStyle = p.marker;
      ctx.strokeStyle = p.background;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(cx, cy, 6, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    if (this.probeMark && this.probeMark.theta.length === this.names.length)
      this.drawProbe(ctx, this.probeMark, X, Y, p.foreground, p.marker);
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
    const [ai, aj] = this.axes();
    ctx.fillText(this.names[ai] ?? 'w', (r.x0 + r.x1) / 2, height - 2);
    ctx.save();
    ctx.translate(12, (r.y0 + r.y1) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(this.names[aj] ?? 'b', 0, 0);
    ctx.restore();
    if (vtracing()) {
      // Drawn in a frame's callback: the task after it runs once that frame is painted.
      const probe = this.probeMark !== null;
      const at = this.probeMark ? probeKey(this.probeMark.theta) : undefined;
      vtrace('surfaceDrawn', { probe, at, ms: performance.now() - t0 });
      setTimeout(() => vtrace('surfacePainted', { probe, at }));
    }
  }

  /** The probe: a ring, an arrow along ∇l (fixed length) and the step −α∇l at scale. */
  private drawProbe(
    ctx: CanvasRenderingContext2D,
    m: ProbeMark,
    X: (v: number) => number,
    Y: (v: number) => number,
    fg: string,
    accent: string,
  ): void {
    const at = this.project(m.theta);
    const g = this.project(m.grad);
    const px = X(at.w);
    const py = Y(at.b);
    const arrow = (x1: number, y1: number, dashed: boolean) => {
      const len = Math.hypot(x1 - px, y1 - py);
      if (len < 1) return;
      ctx.setLineDash(dashed ? [4, 3] : []);
      ctx.beginPath();
      ctx.moveTo(px, py);
      ctx.lineTo(x1, y1);
      ctx.stroke();
      ctx.setLineDash([]);
      const a = Math.atan2(y1 - py, x1 - px);
      const head = Math.min(8, len / 2);
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - head * Math.cos(a - 0.45), y1 - head * Math.sin(a - 0.45));
      ctx.lineTo(x1 - head * Math.cos(a + 0.45), y1 - head * Math.sin(a + 0.45));
      ctx.closePath();
      ctx.fill();
    };
    ctx.lineWidth = 2;
    // ∇l, pointing uphill: its direction in (w, b), drawn GRAD_ARROW_PX long.
    const gx = X(at.w + g.w) - px;
    const gy = Y(at.b + g.b) - py;
    const glen = Math.hypot(gx, gy);
    ctx.strokeStyle = fg;
    ctx.fillStyle = fg;
    if (glen > 0) arrow(px + (gx / glen) * GRAD_ARROW_PX, py + (gy / glen) * GRAD_ARROW_PX, true);
    // The step gradient descent would take from here, at scale.
    ctx.strokeStyle = accent;
    ctx.fillStyle = accent;
    arrow(X(at.w - m.learningRate * g.w), Y(at.b - m.learningRate * g.b), false);
    ctx.strokeStyle = fg;
    ctx.beginPath();
    ctx.arc(px, py, 7, 0, 2 * Math.PI);
    ctx.stroke();
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
