// Lint enforces the architecture: which runtime may import what (docs/architecture.md).
// A wrong import is an error, so the layering cannot erode quietly.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { readdirSync } from 'node:fs';

const nodeBuiltins = [{ group: ['node:*'], message: 'This layer runs without Node: keep node:* in main/.' }];
const electron = { name: 'electron', message: "Only main/electron/ and preload/ may import 'electron'." };
const layer = (folders, why) => ({ group: folders, message: why });

/**
 * Every folder of main/ that is not one of the fixed layers is a feature: a new feature folder
 * is under the rules the moment it exists, without anyone remembering to list it here.
 */
const FIXED_LAYERS = ['platform', 'salesforce', 'app', 'web', 'electron', 'cli'];
const FEATURES = readdirSync(new URL('./main/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !FIXED_LAYERS.includes(entry.name))
  .map((entry) => entry.name);
/** main/<folder> → the main/ folders it may import (besides itself and common/). */
const MAIN_LAYERS = {
  platform: [],
  salesforce: ['platform'],
  ...Object.fromEntries(FEATURES.map((feature) => [feature, ['platform', 'salesforce']])),
  app: ['platform', 'salesforce', ...FEATURES],
  web: ['platform', 'app'],
  // The command line is an edition like web and electron; a feature may offer its own
  // command's output (main/orders/orders-command.ts), so the features are below it too.
  cli: ['platform', 'app', ...FEATURES],
  // The packaged desktop app runs the command line itself (`ForceSites --cli …`).
  electron: ['platform', 'app', 'cli'],
};
const MAIN_FOLDERS = Object.keys(MAIN_LAYERS);

/** A pattern per main/ folder that `folder` may not import, matched on relative specifiers. */
function forbiddenFolders(folder, allowed) {
  return MAIN_FOLDERS.filter((other) => other !== folder && !allowed.includes(other)).map((other) => ({
    regex: `^(\\.\\./)+(main/)?${other}(/|$)`,
    message:
      folder === 'platform'
        ? `main/platform/ is the bottom layer: it must not import main/${other}/.`
        : FEATURES.includes(folder) && FEATURES.includes(other)
          ? `Features never import each other (main/${folder}/ → main/${other}/): talk through the event bus, the Salesforce layer or a port that main/app wires.`
          : `main/${folder}/ may import only ${['common', ...allowed].map((f) => (f === 'common' ? 'common/' : `main/${f}/`)).join(', ')}: main/${other}/ is above or beside it.`,
  }));
}

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
  // Layers inside main/ (docs/architecture.md): platform at the bottom, the Salesforce layer
  // above it, features side by side above that (never importing each other), app composing
  // them, and the two editions' transports (web, electron) on top. Each folder may import only
  // the folders listed for it, so no import can run back up or sideways and no folder-level
  // loop can form.
  ...Object.entries(MAIN_LAYERS).map(([folder, allowed]) => ({
    files: [`main/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...(folder === 'electron' ? {} : { paths: [electron] }),
          patterns: [
            layer(['**/preload/**', '**/renderer/**'], `main/${folder}/ must not import preload/ or renderer/.`),
            ...(folder === 'electron' ? [] : [layer(['electron/*'], "Only main/electron/ may import 'electron'.")]),
            ...forbiddenFolders(folder, allowed),
          ],
        },
      ],
    },
  })),
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
