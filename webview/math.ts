/**
 * LaTeX → DOM with KaTeX, never through HTML strings. The engine builds every formula from numbers,
 * but the options are strict anyway (no `\href`, no `\htmlStyle`, errors drawn, not thrown).
 */
import katex from 'katex';

const rendered = new WeakMap<Element, string>();

/**
 * KaTeX sets a few inline `style` attributes on SVG pieces (tall delimiters, e.g. of `cases`).
 * The CSP blocks style attributes but allows the CSSOM, so while KaTeX builds nodes, a `style`
 * attribute is written through `el.style.cssText` instead. Synchronous, restored at once.
 */
function withStyleThroughCssom(build: () => void): void {
  const proto = Element.prototype;
  const original = proto.setAttribute;
  proto.setAttribute = function (this: Element, name: string, value: string) {
    const style = (this as Partial<ElementCSSInlineStyle>).style;
    if (name.toLowerCase() === 'style' && style) {
      style.cssText = String(value);
      return;
    }
    original.call(this, name, value);
  };
  try {
    build();
  } finally {
    proto.setAttribute = original;
  }
}

/** Renders `latex` into `el`, skipping the work when `el` already shows that formula. */
export function renderMath(el: HTMLElement, latex: string, displayMode = false): void {
  if (rendered.get(el) === latex) return;
  rendered.set(el, latex);
  withStyleThroughCssom(() =>
    katex.render(latex, el, { throwOnError: false, trust: false, strict: 'ignore', displayMode, output: 'htmlAndMathml' }),
  );
}

/** A new element showing `latex`. */
export function mathElement(latex: string, className = 'math', tag: 'div' | 'span' = 'div'): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  renderMath(el, latex);
  return el;
}
