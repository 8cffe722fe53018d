// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The engine and the webview must run without VS Code: only type imports of `vscode` may cross. */
const noVscodeRuntime = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'The engine and the webview run without VS Code.', allowTypeImports: true }],
  }],
  '@typescript-eslint/no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'The engine and the webview run without VS Code.', allowTypeImports: true }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/engine/**', 'src/shared/**', 'webview/**'],
    rules: { ...noVscodeRuntime, 'no-restricted-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
