/**
 * Building DOM without HTML strings: elements from tag, class and text, attributes set one by one
 * (never `style`: the CSP forbids style attributes; use classes or `el.style.x`).
 */

type Child = Node | string | null | undefined | false;

/** An element with an optional class, attributes and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; attrs?: Record<string, string>; text?: string } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.attrs) setAttrs(el, props.attrs);
  if (props.text !== undefined) el.textContent = props.text;
  append(el, ...children);
  return el;
}

/** Sets attributes (`style` is refused: the CSP would block it). */
export function setAttrs(el: Element, attrs: Record<string, string>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (k.toLowerCase() === 'style') throw new Error('style attributes are blocked by the CSP; use classes or el.style');
    el.setAttribute(k, v);
  }
}

/** Appends children, strings as text. */
export function append(el: Node, ...children: Child[]): void {
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
}

/** Removes every child. */
export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Replaces the children. */
export function replaceChildren(el: Node, ...children: Child[]): void {
  clear(el);
  append(el, ...children);
}

/** Sets text only when it changed (no layout work otherwise). */
export function setText(el: Node, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

let idCounter = 0;
/** A fresh element id for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Whether the user asked for less motion. */
export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
