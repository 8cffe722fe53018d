/**
 * Imported by toolkit.ts before the toolkit itself. FAST (the toolkit's base) probes `:focus-visible`
 * support when it loads by appending an empty inline <style> to <head>, which the panel's CSP
 * (styles from the extension only) blocks and reports as a violation. Until `endProbeShim()`, a
 * <style> element gets a constructable stylesheet to answer the probe, and is never inserted.
 */
const probes = new WeakSet<Node>();
const createElement = Document.prototype.createElement;
const appendChild = Node.prototype.appendChild;
const removeChild = Node.prototype.removeChild;
let active = true;

Document.prototype.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
  const el = createElement.call(this, tag, options);
  if (active && tag.toLowerCase() === 'style' && typeof CSSStyleSheet === 'function') {
    try {
      const sheet = new CSSStyleSheet();
      Object.defineProperty(el, 'sheet', { get: () => sheet });
      probes.add(el);
    } catch {
      // No constructable stylesheets: leave the element alone.
    }
  }
  return el;
} as typeof Document.prototype.createElement;

Node.prototype.appendChild = function <T extends Node>(this: Node, child: T): T {
  return probes.has(child) ? child : (appendChild.call(this, child) as T);
};

Node.prototype.removeChild = function <T extends Node>(this: Node, child: T): T {
  return probes.has(child) && child.parentNode !== this ? child : (removeChild.call(this, child) as T);
};

/** Puts the DOM methods back (called once the toolkit has loaded). */
export function endProbeShim(): void {
  if (!active) return;
  active = false;
  Document.prototype.createElement = createElement;
  Node.prototype.appendChild = appendChild;
  Node.prototype.removeChild = removeChild;
}
