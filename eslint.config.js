// Lint enforces the architecture: which runtime may import what (docs/architecture.md).
// A wrong import is an error, so the layering cannot erode quietly.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [{ group: ['node:*'], message: 'This layer runs without Node: keep node:* in main/.' }];
const electron = { name: 'electron', message: "Only main/electron/ and preload/ may import 'electron'." };
const layer = (folders, why) => ({ group: folders, message: why });

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'coverage/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron, { name: 'react', message: 'common/ is shared by every process: no React.' }],
          patterns: [...nodeBuiltins, layer(['**/main/**', '**/preload/**', '**/renderer/**'], 'common/ may import only common/ and the validator.')],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [layer(['**/preload/**', '**/renderer/**'], 'main/ must not import preload/ or renderer/.'), layer(['electron/*'], "Only main/electron/ may import 'electron'.")],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer(['**/preload/**', '**/renderer/**'], 'main/electron/ must not import preload/ or renderer/.')] }],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodeBuiltins, layer(['**/main/**', '**/renderer/**'], 'preload/ may import only common/ and electron.')] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [...nodeBuiltins, layer(['**/main/**', '**/preload/**'], 'The renderer is untrusted: it talks to main only through bridge.ts.')],
        },
      ],
    },
  },
  {
    // Tool configuration files must default-export their config.
    files: ['*.config.{js,ts}', 'electron.vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
