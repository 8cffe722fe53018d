/** Number and sentence formatting shared by the CLI, the hover, the derivation and the panel. */

/**
 * Fills a template: `{0}`, `{1}`… from `args`, and plural forms written as in ICU messages,
 * `{0, plural, =1 {just one row} one {# row} few {# rows} many {# rows} other {# rows}}`: the branch
 * is the exact `=n` if there is one, else the category `Intl.PluralRules(locale)` gives for the number
 * `args[0]` (Russian: one 1, 21; few 2–4, 22; many 0, 5–20, 25), else `other`; `#` is the number.
 */
export function formatTemplate(template: string, args: readonly string[], locale = 'en'): string {
  const placeholder = /\{(\d+)(\}|, plural,)/g;
  let out = '';
  let k = 0;
  for (let m = placeholder.exec(template); m; m = placeholder.exec(template)) {
    out += template.slice(k, m.index);
    const value = args[Number(m[1])];
    if (m[2] === '}') {
      out += value ?? m[0];
      k = placeholder.lastIndex;
      continue;
    }
    const { branches, end } = pluralBranches(template, placeholder.lastIndex);
    const body = branches.get(`=${value}`) ?? branches.get(pluralCategory(locale, Number(value))) ?? branches.get('other') ?? '';
    out += formatTemplate(body.replace(/#/g, value ?? '#'), args, locale);
    k = placeholder.lastIndex = end;
  }
  return out + template.slice(k);
}

/** The plural category (`one`, `few`, `many`, `other`…) of `n` in `locale`. */
export function pluralCategory(locale: string, n: number): string {
  try {
    return new Intl.PluralRules(locale).select(n);
  } catch {
    return new Intl.PluralRules('en').select(n);
  }
}

/** `one {…} few {…} }` from `start`: each category's text, and the index after the closing brace. */
function pluralBranches(template: string, start: number): { branches: Map<string, string>; end: number } {
  const branches = new Map<string, string>();
  let k = start;
  for (;;) {
    while (k < template.length && /\s/.test(template[k])) k++;
    if (k >= template.length) return { branches, end: k };
    if (template[k] === '}') return { branches, end: k + 1 };
    const name = /^[a-z=0-9]+/.exec(template.slice(k));
    if (!name) throw new Error(`Malformed plural in "${template}"`);
    k += name[0].length;
    while (/\s/.test(template[k] ?? '')) k++;
    if (template[k] !== '{') throw new Error(`Malformed plural in "${template}"`);
    let depth = 1;
    const from = ++k;
    while (k < template.length && depth > 0) {
      if (template[k] === '{') depth++;
      else if (template[k] === '}') depth--;
      k++;
    }
    branches.set(name[0], template.slice(from, k - 1));
  }
}

/**
 * A number for people: `digits` significant digits, trailing zeros dropped, exponent form outside
 * [10⁻⁴, 10⁶). `-0` prints as `0`.
 */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e-4 && abs < 1e6) {
    const fixed = Number(v.toPrecision(digits));
    return String(fixed);
  }
  const [mantissa, exponent] = v.toExponential(digits - 1).split('e');
  return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A learning rate as a student types it: `0.05`, `20`, `5e-6` (never a float's full digits). */
export function formatRate(rate: number): string {
  if (rate === 0 || !Number.isFinite(rate)) return String(rate);
  const [mantissa, exponent] = rate.toExponential().split('e');
  const e = Number(exponent);
  return e >= -4 && e < 6 ? String(Number(rate.toPrecision(15))) : `${Number(mantissa)}e${e}`;
}

/** A number in LaTeX: `1.5`, `-2`, `3.1 \cdot 10^{-5}`. */
export function latexNumber(v: number, digits = 4): string {
  const s = formatNumber(v, digits);
  if (s === '∞') return '\\infty';
  if (s === '−∞') return '-\\infty';
  const e = s.indexOf('e');
  if (e < 0) return s;
  return `${s.slice(0, e)} \\cdot 10^{${s.slice(e + 1)}}`;
}

/** A number in LaTeX, parenthesised when negative (for products such as `0.5 \cdot (-2)`). */
export function latexFactor(v: number, digits = 4): string {
  const s = latexNumber(v, digits);
  return s.startsWith('-') ? `(${s})` : s;
}

/**
 * The LaTeX this project writes, as plain Unicode text for a terminal: `\frac{a}{b}` → `(a)/(b)`,
 * `\partial` → `∂`, `\sum_i` → `Σ_i`, and so on. Handles only the commands the derivation uses.
 */
export function latexToText(latex: string): string {
  let s = withoutUnderbraces(latex);
  const words: [RegExp, string][] = [
    [/\\\\/g, '; '],
    [/\\leftarrow\s*/g, ' ← '],
    [/\\partial\s*/g, '∂'],
    [/\\sum(?:\\limits)?\s*/g, 'Σ'],
    [/\\cdot\s*/g, ' · '],
    [/\\times\s*/g, ' × '],
    [/\\alpha(?![a-zA-Z])/g, 'α'],
    [/\\theta(?![a-zA-Z])/g, 'θ'],
    [/\\lambda(?![a-zA-Z])/g, 'λ'],
    [/\\nabla\s*/g, '∇'],
    [/\\leq\s*/g, ' ≤ '],
    [/\\geq\s*/g, ' ≥ '],
    [/\\neq\s*/g, ' ≠ '],
    [/\\approx\s*/g, ' ≈ '],
    [/\\Rightarrow\s*/g, ' ⇒ '],
    [/\\dots|\\ldots|\\cdots/g, '…'],
    [/\\vdots/g, '⋮'],
    [/\\max/g, 'max'],
    [/\\qquad/g, '    '],
    [/\\quad/g, '  '],
    [/\\[,;! ]/g, ' '],
    [/\\tilde\{\\vec\s*(\w)\}/g, '$1\u0303'],
    [/\\tilde\s*(?:\{(\w)\}|(\w))/g, '$1$2\u0303'],
    [/\\mu(?![a-zA-Z])/g, 'μ'],
    [/\\sigma(?![a-zA-Z])/g, 'σ'],
    [/\\min/g, 'min'],
    [/\\vec\s*(?=[μσ])/g, ''],
    [/\\vec\s*(?:\{(\w)\}|(\w))/g, '$1$2'],
    [/\\(?:text|mathrm|operatorname|boldsymbol|mathbf)\{([^{}]*)\}/g, '$1'],
    [/\\(?:big|Big|bigg)\b/g, ''],
    [/\\infty/g, '∞'],
    [/\\%/g, '%'],
    [/\^\{T\}|\^T/g, 'ᵀ'],
    [/\\begin\{cases\}/g, '{ '],
    [/\\end\{cases\}/g, ''],
    [/&/g, ''],
  ];
  for (const [re, to] of words) s = s.replace(re, to);
  // Sub- and superscripts: x_{ij} → x_ij, w_{t+1} → w_(t+1).
  s = s.replace(/([_^])\{([^{}]*)\}/g, (_m, op: string, body: string) => (/^\w*$/.test(body) ? `${op}${body}` : `${op}(${body})`));
  // \frac{a}{b} → a/b, parenthesised where needed, innermost first.
  for (let k = 0; k < 5; k++) {
    const next = s
      .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, (_m, a: string, b: string) => `${wrap(a)}/${wrap(b)}`)
      .replace(/\\sqrt\{([^{}]*)\}/g, (_m, a: string) => `√${wrap(a)}`);
    if (next === s) break;
    s = next;
  }
  s = s.replace(/[{}]/g, '');
  return s.replace(/\s+/g, ' ').trim();
}

/** `\underbrace{A}_{=\,v}` → `[A = v]` (braces matched, so A may hold sub- and superscripts). */
function withoutUnderbraces(latex: string): string {
  const open = '\\underbrace{';
  let s = latex;
  for (let at = s.indexOf(open); at >= 0; at = s.indexOf(open)) {
    const bodyEnd = closingBrace(s, at + open.length);
    if (s.slice(bodyEnd + 1, bodyEnd + 3) !== '_{') break;
    const labelEnd = closingBrace(s, bodyEnd + 3);
    const body = s.slice(at + open.length, bodyEnd);
    const label = s.slice(bodyEnd + 3, labelEnd).replace(/^=\\,?\s*/, '= ');
    s = `${s.slice(0, at)}[${body} ${label}]${s.slice(labelEnd + 1)}`;
  }
  return s;
}

/** The index of the `}` closing the group that starts at `from` (just after its `{`). */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  for (let k = from; k < s.length; k++) {
    if (s[k] === '{') depth++;
    else if (s[k] === '}' && --depth === 0) return k;
  }
  return s.length;
}

function wrap(s: string): string {
  const t = s.trim();
  return /^(?:[\w.∂∇|^()αθλμσ]|\u0303)+$/.test(t) ? t : `(${t})`;
}
