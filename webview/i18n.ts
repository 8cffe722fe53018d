/**
 * The view's words: `t(english)` looks the English text up in the dictionary the host sent with
 * `strings` and falls back to the English. Every English key the view uses is listed in
 * src/shared/viewStrings.ts.
 */
import { formatTemplate } from '../src/engine/format';

let dictionary: Record<string, string> = {};
let currentLocale = 'en';

/** Installs the host's dictionary (keys are the English text). */
export function setStrings(locale: string, strings: Record<string, string>): void {
  currentLocale = locale;
  dictionary = { ...strings };
}

/** The display language the host reported (`en` until it does). */
export function locale(): string {
  return currentLocale;
}

/** The translation of `english`, with `{0}`, `{1}`… and plural forms filled from `args`. */
export function t(english: string, ...args: Array<string | number>): string {
  const template = Object.prototype.hasOwnProperty.call(dictionary, english) ? dictionary[english] : english;
  return formatTemplate(template, args.map(String), currentLocale);
}
