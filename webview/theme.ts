/**
 * The colours canvas drawing needs, read from VS Code's `--vscode-*` variables (the only source of
 * colour: light, dark and high-contrast themes all work), and a signal when the theme changes.
 */
import { parseColor, type Rgba } from './surfaceMath';

/** A CSS variable's value on the document, or `fallback`. */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  if (v) return v;
  const b = document.body ? getComputedStyle(document.body).getPropertyValue(name).trim() : '';
  return b || fallback;
}

/** A variable's colour as RGBA (resolving any CSS colour syntax through a canvas). */
export function cssColor(name: string, fallback: string): Rgba {
  const text = cssVar(name, fallback);
  const parsed = parseColor(text);
  if (parsed) return parsed;
  const ctx = document.createElement('canvas').getContext('2d');
  if (ctx) {
    ctx.fillStyle = fallback;
    ctx.fillStyle = text;
    const resolved = parseColor(String(ctx.fillStyle));
    if (resolved) return resolved;
  }
  return parseColor(fallback) ?? { r: 128, g: 128, b: 128, a: 1 };
}

/** The colours of the charts and the surface, for the theme in force. */
export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  border: string;
  focus: string;
  series: string[];
  active: string;
  inactive: string;
  line: string;
  marker: string;
  highContrast: boolean;
  font: string;
}

/** Series colours, in order: w₁, w₂, …, b (and the loss first). */
const SERIES_VARS: Array<[string, string]> = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];

/** Reads the palette now. */
export function readPalette(): Palette {
  const body = document.body;
  const highContrast = !!body && (body.classList.contains('vscode-high-contrast') || body.classList.contains('vscode-high-contrast-light'));
  const fg = cssVar('--vscode-foreground', '#cccccc');
  const family = cssVar('--vscode-font-family', 'system-ui, sans-serif');
  return {
    foreground: fg,
    muted: cssVar('--vscode-descriptionForeground', fg),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    grid: cssVar('--vscode-editorIndentGuide-background1', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    border: cssVar('--vscode-panel-border', 'rgba(128,128,128,0.35)'),
    focus: cssVar('--vscode-focusBorder', '#007fd4'),
    series: SERIES_VARS.map(([name, fallback]) => cssVar(name, fallback)),
    active: cssVar('--vscode-charts-blue', '#3794ff'),
    inactive: cssVar('--vscode-charts-orange', '#d18616'),
    line: cssVar('--vscode-charts-green', '#89d185'),
    marker: cssVar('--vscode-charts-red', '#f14c4c'),
    highContrast,
    font: `11px ${family}`,
  };
}

/** Calls `callback` (debounced) whenever VS Code switches theme (body class or root variables change). */
export function onThemeChange(callback: () => void): void {
  let timer: number | undefined;
  const fire = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = window.setTimeout(() => {
      timer = undefined;
      callback();
    }, 50);
  };
  const observer = new MutationObserver(fire);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}
