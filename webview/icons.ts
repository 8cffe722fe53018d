/** Small SVG icons for buttons and notices, in the text colour (no icon font needed). */

export type IconName = 'play' | 'pause' | 'step' | 'reset' | 'prev' | 'next' | 'error' | 'warning' | 'info';

const PATHS: Record<IconName, string> = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  step: 'M3 2.5v11l7.5-5.5zM11 2.5h2.5v11H11z',
  reset: 'M2.5 2.5H5v11H2.5zM13 2.5v11L5.5 8z',
  prev: 'M10.5 3 5.5 8l5 5 1-1-4-4 4-4z',
  next: 'M5.5 3l5 5-5 5-1-1 4-4-4-4z',
  error: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zM5.6 4.9l-.7.7L7.3 8l-2.4 2.4.7.7L8 8.7l2.4 2.4.7-.7L8.7 8l2.4-2.4-.7-.7L8 7.3z',
  warning: 'M8 1.5L.8 14.5h14.4zM7.3 6h1.4v4.2H7.3zm0 5.2h1.4v1.4H7.3z',
  info: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zM7.3 4h1.4v1.4H7.3zm0 2.6h1.4V12H7.3z',
};

/** An icon element (hidden from screen readers: the button's text names the action). */
export function icon(name: IconName): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name]);
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('fill-rule', 'evenodd');
  svg.appendChild(path);
  return svg;
}
