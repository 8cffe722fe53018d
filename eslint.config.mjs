// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/** Zones are resolved from here, so the rules read the same from any working directory. */
const root = import.meta.dirname;

/**
 * Engine modules that are pure data or formatting (no numeric imports): the view and the protocol
 * may import them at run time. From the rest of the engine they may import only types.
 */
const PURE_ENGINE = ['format', 'messages', 'settings', 'problems', 'derivationText'];
const pure = PURE_ENGINE.join('|');

/** The engine imports only itself and Node built-ins (`node:*`); not even types from elsewhere. */
const engineOnlyItself = {
  regex: '^(?!node:|\\.)',
  message: 'The engine imports only itself and Node built-ins (node:*).',
};

/** `vscode` may reach the shared protocol and the view as types only: they run without VS Code. */
const vscodeTypesOnly = {
  name: 'vscode',
  message: 'The webview and the shared protocol run without VS Code.',
  allowTypeImports: true,
};

/** At run time the view and the protocol take from the engine only its pure modules. */
const pureEngineOnly = {
  regex: `(^|/)(src/)?engine(/(?!(${pure})$)|$)`,
  message: `At run time the view and the protocol import only the engine's pure modules (${PURE_ENGINE.join(', ')}).`,
  allowTypeImports: true,
};

const NO_HTML = 'The view never parses HTML: build nodes (webview/dom.ts) and set textContent.';
const TOOLKIT_ONLY = 'Only webview/toolkit.ts uses @vscode/webview-ui-toolkit.';

/** What the view's code may not say, by syntax. */
const viewSyntax = [
  {
    selector: "CallExpression[callee.property.name='setAttribute'][arguments.0.value=/^style$/i]",
    message: 'The CSP blocks style attributes: set el.style (the CSSOM) instead.',
  },
  {
    selector:
      "CallExpression[callee.object.name='katex'][callee.property.name='render']:not(:has(Property[key.name='trust'][value.value=false]))",
    message: 'katex.render with trust: false (no \\href, no \\htmlStyle).',
  },
  {
    selector:
      "CallExpression[callee.object.name='katex'][callee.property.name='render']:not(:has(Property[key.name='throwOnError'][value.value=false]))",
    message: 'katex.render with throwOnError: false (errors drawn, not thrown).',
  },
];

/** The toolkit's element names, which only toolkit.ts may create. */
const toolkitTags = {
  selector: 'Literal[value=/^vscode-(button|text-field|dropdown|option|panels|panel-tab|panel-view)$/]',
  message: TOOLKIT_ONLY,
};

/** Folder boundaries, checked on the resolved file (so they hold at any depth of `../`). */
const zones = [
  {
    target: 'src/engine',
    from: '.',
    except: ['src/engine'],
    message: 'The engine imports only itself and Node built-ins (node:*).',
  },
  { target: 'src', from: 'webview', message: 'The host never imports the view (webview/).' },
  {
    target: 'src/shared',
    from: 'src',
    except: ['shared', 'engine'],
    message: 'The shared protocol imports only itself and the engine.',
  },
  {
    target: 'webview',
    from: 'src',
    except: ['shared', 'engine'],
    message: 'The view imports only src/shared/ and the engine, never the host.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
    },
  },
  {
    // Type-aware: every promise is awaited, returned, or marked `void` (a deliberate fire-and-forget);
    // `void` on anything but a promise is an error, so it cannot just silence a value.
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-meaningless-void-operator': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
    },
  },
  {
    // Not in the root tsconfig: linted without types.
    files: ['**/*.mjs', 'src/engine/webAssembly.d.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/engine/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [engineOnlyItself] }],
    },
  },
  {
    files: PURE_ENGINE.map((m) => `src/engine/${m}.ts`),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            engineOnlyItself,
            {
              regex: `^\\.(?!/(${pure})$)`,
              message: 'A pure engine module imports only the other pure ones at run time (they reach the view).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**', 'webview/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscodeTypesOnly], patterns: [pureEngineOnly] }],
    },
  },
  {
    // The view under its CSP (no inline script or style): no HTML parsed, no code evaluated, no style
    // attribute, KaTeX only into DOM nodes with trust off, the UI toolkit only through toolkit.ts.
    files: ['webview/**'],
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'createContextualFragment'].map((property) => ({ property, message: NO_HTML })),
        { object: 'document', property: 'write', message: NO_HTML },
        { object: 'document', property: 'writeln', message: NO_HTML },
        { property: 'renderToString', message: 'KaTeX renders into DOM nodes (katex.render), never into an HTML string.' },
      ],
      'no-restricted-globals': ['error', { name: 'DOMParser', message: NO_HTML }],
      'no-restricted-syntax': ['error', ...viewSyntax, toolkitTags],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [vscodeTypesOnly, { name: '@vscode/webview-ui-toolkit', message: TOOLKIT_ONLY }],
          patterns: [pureEngineOnly],
        },
      ],
    },
  },
  {
    files: ['webview/toolkit.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...viewSyntax],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscodeTypesOnly], patterns: [pureEngineOnly] }],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
