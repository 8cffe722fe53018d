/** Number and sentence formatting shared by the CLI, the hover, the derivation and the panel. */

/** Fills `{0}`, `{1}`… in a template. */
export function formatTemplate(template: string, args: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (m, k: string) => args[Number(k)] ?? m);
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
  let s = latex;
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
    [/\\max/g, 'max'],
    [/\\qquad/g, '    '],
    [/\\quad/g, '  '],
    [/\\[,;! ]/g, ' '],
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
    const next = s.replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, (_m, a: string, b: string) => `${wrap(a)}/${wrap(b)}`);
    if (next === s) break;
    s = next;
  }
  s = s.replace(/[{}]/g, '');
  return s.replace(/\s+/g, ' ').trim();
}

function wrap(s: string): string {
  const t = s.trim();
  return /^[\w.∂∇|^()αθλ]+$/.test(t) ? t : `(${t})`;
}
