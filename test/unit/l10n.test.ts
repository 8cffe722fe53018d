import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  DERIVATION_NOTES,
  EVERY_SAMPLE_ACTIVE,
  LIMITS,
  MESSAGES,
  SCALE_METHODS,
  STEP_TITLES,
  formatTemplate,
} from '../../src/engine';
import { SKIPPED_OTHER_CAUSE, SKIPPED_ROW_CAUSES, VIEW_STRINGS } from '../../src/shared/viewStrings';

const root = join(__dirname, '../..');
const json = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8'));
/** The first argument of every `l10n.t('…')` call with a literal in the `.ts` files under `dir`. */
function l10nKeys(dir: string): string[] {
  const keys: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) keys.push(...l10nKeys(p));
    else if (p.endsWith('.ts')) {
      for (const m of readFileSync(p, 'utf8').matchAll(/l10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g))
        keys.push(m[2].replace(/\\(['"`\\])/g, '$1'));
    }
  }
  return keys;
}

/** The arguments a template uses: `{0}` and `{0, plural, …}` both count as argument 0. */
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\d+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort().join();

describe('English and Russian', () => {
  const ru: Record<string, string> = json('l10n/bundle.l10n.ru.json');

  it('translates every sentence the engine, the host and the view say, keeping the placeholders', () => {
    const hostKeys = l10nKeys(join(root, 'src'));
    assert.ok(hostKeys.length > 30, `found only ${hostKeys.length} l10n.t calls`);
    const keys = [
      ...Object.values(MESSAGES),
      ...Object.values(STEP_TITLES),
      ...Object.values(DERIVATION_NOTES),
      ...hostKeys,
      ...VIEW_STRINGS,
    ];
    const missing = keys.filter((k) => !(k in ru));
    assert.deepEqual(missing, [], 'missing Russian translations');
    for (const k of keys) assert.equal(placeholders(ru[k]), placeholders(k), `placeholders of "${k}"`);
    for (const v of Object.values(ru)) assert.match(v, /[а-яё]|^[^a-z]*$/i, `"${v}" is not Russian`);
  });

  it('translates every manifest string', () => {
    const en = json('package.nls.json');
    const nlsRu = json('package.nls.ru.json');
    assert.deepEqual(Object.keys(nlsRu).sort(), Object.keys(en).sort());
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    for (const m of manifest.matchAll(/"%([^%"]+)%"/g)) assert.ok(m[1] in en, `package.nls.json lacks ${m[1]}`);
  });

  it('calls a number of the loss «значение функции потерь», never «функция потерь» (a function is not a number)', () => {
    // The loss as a number is what changes, equals, falls or stops being finite.
    const asNumber = /(^|[^и] )функция потерь (изменит|измени|равн|стал|перестал|упал|упад|пада|раст|выр|уменьш|увелич|\d|\{)/;
    for (const v of Object.values(ru)) assert.doesNotMatch(v, asNumber, v);
  });
});

describe('Russian numbers and nouns', () => {
  const ru: Record<string, string> = json('l10n/bundle.l10n.ru.json');
  /** Russian agreement by the grammar book: 1, 21 → one; 2–4, 22–24 → few; 0, 5–20, 11–14, 25 → many. */
  const form = (n: number): 'one' | 'few' | 'many' =>
    n % 10 === 1 && n % 100 !== 11 ? 'one' : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 'few' : 'many';
  /** Each English message with a count, and the words its Russian text must put after the number. */
  const nouns: Record<string, Record<'one' | 'few' | 'many', string>> = {
    [MESSAGES.rowsSkipped]: { one: 'строка', few: 'строки', many: 'строк' },
    [MESSAGES.initWrongCount]: { one: 'число', few: 'числа', many: 'чисел' },
    [MESSAGES.initCountForPanel]: { one: 'число', few: 'числа', many: 'чисел' },
    [MESSAGES.moreRowsLikeThis]: { one: 'такая строка', few: 'такие строки', many: 'таких строк' },
    [MESSAGES.moreRowsLikeThisNoColumn]: { one: 'такая строка', few: 'такие строки', many: 'таких строк' },
    [DERIVATION_NOTES.termsCut]: { one: 'слагаемое', few: 'слагаемых', many: 'слагаемых' },
    [DERIVATION_NOTES.constantColumns]: { one: 'признак принимает', few: 'признака принимают', many: 'признаков принимают' },
    [DERIVATION_NOTES.samplesCut]: { one: 'пример не показан', few: 'примера не показаны', many: 'примеров не показано' },
    '{0, plural, one {# sample} other {# samples}}': { one: 'пример', few: 'примера', many: 'примеров' },
    '{0, plural, one {# sample} other {# samples}}; sorted by {1}, {2}.': { one: 'пример;', few: 'примера;', many: 'примеров;' },
    'Trained {0, plural, one {# epoch} other {# epochs}}: loss {1} → {2}.': { one: 'эпоха', few: 'эпохи', many: 'эпох' },
    [EVERY_SAMPLE_ACTIVE]: { one: '', few: '', many: '' },
    [SKIPPED_ROW_CAUSES['missing-value']]: { one: 'строка с', few: 'строки с', many: 'строк с' },
    [SKIPPED_ROW_CAUSES['not-a-number']]: { one: 'строка с', few: 'строки с', many: 'строк с' },
    [SKIPPED_ROW_CAUSES['not-finite']]: { one: 'строка с', few: 'строки с', many: 'строк с' },
    [SKIPPED_ROW_CAUSES['wrong-field-count']]: { one: 'строка с', few: 'строки с', many: 'строк с' },
    [SKIPPED_ROW_CAUSES['empty-field']]: { one: 'строка с', few: 'строки с', many: 'строк с' },
    [SKIPPED_OTHER_CAUSE]: { one: 'строка по', few: 'строки по', many: 'строк по' },
    ["{0, plural, one {# row kept with a missing feature set to its column's mean} other {# rows kept with a missing feature set to its column's mean}}"]:
      { one: 'строка оставлена', few: 'строки оставлены', many: 'строк оставлено' },
    '{0, plural, one {# sample sits} other {# samples sit}} exactly at u = 0 (the first: sample {1}), where max(0, u) has a kink: the loss has one slope on each side, so the forward and backward differences disagree and the central one lies between them.':
      { one: 'пример лежит', few: 'примера лежат', many: 'примеров лежат' },
  };

  it('agrees every counted noun with its number: 1, 2, 5, 11, 21, 22, 25', () => {
    const counted = [...Object.values(MESSAGES), ...Object.values(DERIVATION_NOTES), ...VIEW_STRINGS].filter((k) =>
      /\{\d+, plural,/.test(k),
    );
    assert.deepEqual(
      counted.filter((k) => !(k in nouns)).concat(Object.keys(nouns).filter((k) => !counted.includes(k))),
      [],
      'every plural message has its nouns listed here',
    );
    let checked = 0;
    for (const [key, words] of Object.entries(nouns)) {
      for (const n of [1, 2, 5, 11, 21, 22, 25]) {
        const text = formatTemplate(ru[key], [String(n), '40', 'x'], 'ru');
        assert.ok(text.includes(`${n} ${words[form(n)]}`.trim()), `${n}: «${text}»`);
        const exact = /\{0, plural, =1 \{([^{}]*)\}/.exec(ru[key]);
        if (exact) assert.equal(text.includes(exact[1]), n === 1, `only 1 takes the =1 form: «${text}»`);
        checked++;
      }
    }
    assert.equal(checked, 7 * Object.keys(nouns).length);
  });

  it('writes English counts in the singular for 1 and the plural otherwise', () => {
    assert.equal(formatTemplate(MESSAGES.rowsSkipped, ['1']), '1 row skipped — see Problems');
    assert.equal(formatTemplate(MESSAGES.rowsSkipped, ['21']), '21 rows skipped — see Problems');
    assert.equal(formatTemplate(MESSAGES.initCountForPanel, ['2', '1']), 'The initialisation needs 2 numbers: w1 … w1, then b.');
    assert.equal(formatTemplate(MESSAGES.moreRowsLikeThis, ['1', 'date']), '… and 1 more row like this in column "date".');
    assert.equal(formatTemplate(MESSAGES.moreRowsLikeThisNoColumn, ['1441']), '… and 1441 more rows like this.');
  });

  it('puts no bare number before a Russian noun: a count goes through a plural form', () => {
    // After a number only words that do not agree with it may follow: prepositions, conjunctions, units.
    const free = new Set(['из', 'на', 'до', 'и', 'или', 'нет', 'мс', 'слишком', 'в', 'при']);
    for (const v of Object.values(ru)) {
      const plain = v.replace(/\{\d+, plural,(?:[^{}]|\{[^{}]*\})*\}/g, '');
      for (const m of plain.matchAll(/\{\d+\}\s+([а-яё]+)/gi)) assert.ok(free.has(m[1].toLowerCase()), `«${m[0]}» in «${v}»`);
    }
  });
});

describe("the manifest's settings", () => {
  const props = json('package.json').contributes.configuration.properties;

  it('default to exactly what the CLI uses', () => {
    assert.equal(props['reluNeuron.learningRate'].default, DEFAULT_SETTINGS.learningRate);
    assert.equal(props['reluNeuron.epochs'].default, DEFAULT_SETTINGS.epochs);
    assert.equal(props['reluNeuron.initialization'].default, DEFAULT_SETTINGS.initialization.kind);
    assert.equal(props['reluNeuron.reluGradAtZero'].default, String(DEFAULT_SETTINGS.reluGradAtZero));
    assert.equal(props['reluNeuron.scale'].default, DEFAULT_SETTINGS.scale);
    assert.deepEqual(props['reluNeuron.scale'].enum, SCALE_METHODS);
  });

  it("have the engine's ranges", () => {
    assert.equal(props['reluNeuron.learningRate'].minimum, LIMITS.learningRate.min);
    assert.equal(props['reluNeuron.learningRate'].maximum, LIMITS.learningRate.max);
    assert.equal(props['reluNeuron.epochs'].minimum, LIMITS.epochs.min);
    assert.equal(props['reluNeuron.epochs'].maximum, LIMITS.epochs.max);
    assert.equal(props['reluNeuron.seed'].maximum, LIMITS.seed.max);
    for (const [key, p] of Object.entries<{ markdownDescription?: string; description?: string }>(props))
      assert.ok(p.markdownDescription ?? p.description, key);
  });
});
