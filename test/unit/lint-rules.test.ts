import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = join(__dirname, '../..');

/** The project's ESLint, as `npm run lint` runs it, without the type-aware rules (the probes are not on disk). */
let eslint: ESLint;

/** The rules that reported on `code`, linted as if it were the file at `file` (relative to the root). */
async function rulesOn(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return [...new Set(result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`))].sort();
}

const NOT_ITSELF = '@typescript-eslint/no-restricted-imports';
const ZONE = 'import-x/no-restricted-paths';
const CYCLE = 'import-x/no-cycle';

/** Each boundary: code that crosses it, the rules that must say so (others may too), and code that keeps to it. */
const cases: { rule: string; file: string; bad: { code: string; rules: string[] }[]; good: string }[] = [
  {
    rule: 'the engine imports only itself and Node built-ins',
    file: 'src/engine/fast/probe.ts',
    bad: [
      { code: `export { activate } from '../../extension';`, rules: [ZONE] },
      { code: `export type { HostToView } from '../../shared/protocol';`, rules: [ZONE] },
      { code: `export type { Uri } from 'vscode';`, rules: [NOT_ITSELF] },
      { code: `export { cpus } from 'os';`, rules: [NOT_ITSELF] },
    ],
    good: `export { formatNumber } from '../format';\nexport { availableParallelism } from 'node:os';`,
  },
  {
    rule: 'a pure engine module imports only the other pure ones at run time',
    file: 'src/engine/format.ts',
    bad: [{ code: `export { trainNeuron } from './train';`, rules: [NOT_ITSELF] }],
    good: `export { MESSAGES } from './messages';\nexport type { Samples } from './neuron';`,
  },
  {
    rule: "the view imports only src/shared/ and the engine's pure modules",
    file: 'webview/probe.ts',
    bad: [
      { code: `export { trainNeuron } from '../src/engine/train';`, rules: [NOT_ITSELF] },
      { code: `export { MESSAGES } from '../src/engine';`, rules: [NOT_ITSELF] },
      { code: `export type { DatasetTracker } from '../src/datasetTracker';`, rules: [ZONE] },
      { code: `export { window } from 'vscode';`, rules: [NOT_ITSELF] },
    ],
    good: [
      `export { formatNumber } from '../src/engine/format';`,
      `export { STEP_TITLES } from '../src/engine/derivationText';`,
      `export type { DerivationStep } from '../src/engine/derivation';`,
      `export { SORT_KEYS } from '../src/shared/protocol';`,
    ].join('\n'),
  },
  {
    rule: 'the shared protocol imports only itself and the engine (types, or its pure modules)',
    file: 'src/shared/probe.ts',
    bad: [
      { code: `export { trainNeuron } from '../engine/train';`, rules: [NOT_ITSELF] },
      { code: `export type { TrackedDataset } from '../datasetTracker';`, rules: [ZONE] },
    ],
    good: `export type { SampleDetail } from '../engine/neuron';\nexport { MESSAGES } from '../engine/messages';`,
  },
  {
    rule: 'src/ never imports webview/',
    file: 'src/panel/probe.ts',
    bad: [{ code: `export { t } from '../../webview/i18n';`, rules: [ZONE] }],
    good: `export { VIEW_STRINGS } from '../shared/viewStrings';`,
  },
  {
    rule: 'no import cycles (messages.ts ← settings.ts on disk)',
    file: 'src/engine/messages.ts',
    bad: [{ code: `export { parseEpochs } from './settings';`, rules: [CYCLE] }],
    good: `export { formatTemplate } from './format';`,
  },
];

const f = (body: string) => `export function f(el: HTMLElement, s: string): void { ${body} }`;

/** What the view's code may not say under its CSP, each with the rule that says so. */
const viewSource: { code: string; rule: string }[] = [
  { code: f('el.innerHTML = s;'), rule: 'no-restricted-properties' },
  { code: f('el.outerHTML = s;'), rule: 'no-restricted-properties' },
  { code: f(`el.insertAdjacentHTML('beforeend', s);`), rule: 'no-restricted-properties' },
  { code: f('document.write(s);'), rule: 'no-restricted-properties' },
  { code: `import katex from 'katex';\n${f('el.append(katex.renderToString(s));')}`, rule: 'no-restricted-properties' },
  { code: f('new DOMParser().parseFromString(s, el.tagName);'), rule: 'no-restricted-globals' },
  { code: f('eval(s);'), rule: 'no-eval' },
  { code: f('new Function(s)();'), rule: 'no-new-func' },
  { code: f(`el.setAttribute('style', s);`), rule: 'no-restricted-syntax' },
  { code: `import katex from 'katex';\n${f('katex.render(s, el, { throwOnError: false });')}`, rule: 'no-restricted-syntax' },
  { code: `import katex from 'katex';\n${f('katex.render(s, el, { trust: false });')}`, rule: 'no-restricted-syntax' },
  { code: f(`el.append(document.createElement('vscode-button'));`), rule: 'no-restricted-syntax' },
  { code: `export { vsCodeButton } from '@vscode/webview-ui-toolkit';`, rule: NOT_ITSELF },
];

describe('the lint rules that keep the layers apart', function () {
  this.timeout(60000);
  before(() => {
    eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });
  });

  for (const c of cases) {
    it(`${c.rule}: fails each crossing, passes the import that keeps to it`, async () => {
      for (const bad of c.bad) {
        const rules = await rulesOn(c.file, bad.code);
        for (const rule of bad.rules)
          assert.ok(rules.includes(rule), `${bad.code}: ${rule} did not report (${rules.join(', ') || 'nothing did'})`);
      }
      assert.deepEqual(await rulesOn(c.file, c.good), [], c.good);
    });
  }

  it('the view parses no HTML, evaluates no code, sets no style attribute, renders KaTeX with trust off, leaves the toolkit to toolkit.ts', async () => {
    for (const bad of viewSource)
      assert.ok((await rulesOn('webview/probe.ts', bad.code)).includes(bad.rule), `${bad.code}: ${bad.rule} did not report`);
    const good = [
      `import katex from 'katex';`,
      f(`el.textContent = s; el.setAttribute('title', s); el.style.color = s; katex.render(s, el, { throwOnError: false, trust: false });`),
    ].join('\n');
    assert.deepEqual(await rulesOn('webview/probe.ts', good), [], good);
    assert.deepEqual(
      await rulesOn(
        'webview/toolkit.ts',
        `export { vsCodeButton } from '@vscode/webview-ui-toolkit';\nexport const tag = 'vscode-button';`,
      ),
      [],
    );
  });
});

describe('the type-aware lint rules', function () {
  this.timeout(120000);

  it('fail a promise left floating and a `void` that silences a non-promise, pass a marked fire-and-forget', async () => {
    // Type-aware rules need a file of the project: the probe stands in for src/trace.ts's text.
    const typed = new ESLint({ cwd: root });
    const on = async (code: string) => {
      const [result] = await typed.lintText(code, { filePath: join(root, 'src/trace.ts') });
      return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
    };
    const later = 'async function later(): Promise<number> { return 1; }\n';
    assert.deepEqual(await on(`${later}export function f(): void { later(); }`), ['@typescript-eslint/no-floating-promises']);
    assert.deepEqual(await on(`export function f(n: number): void { void n; }`), ['@typescript-eslint/no-meaningless-void-operator']);
    assert.deepEqual(await on(`${later}export function f(): void { void later(); }`), []);
  });
});
