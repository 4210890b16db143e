// The layer rules of ARCHITECTURE.md, checked by machine. Do not relax: fix the import instead.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['better-sqlite3', 'jspurefix', 'reflect-metadata', 'ws'];

const restrict = (paths, patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: patterns.map((group) => ({ group: [group], message })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**', '.data/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'react', ...nodeOnlyPackages],
      ['**/electron/**', '**/app/**', 'node:*', 'jspurefix/*'],
      'shared/ is plain TypeScript: no Node, no DOM, no Electron, no other layer',
    ),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: restrict(['electron', 'react'], ['**/app/**', '**/electron/main/**', '**/electron/preload/**'], "the core never imports 'electron' or the renderer"),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: restrict(['react'], ['**/app/**'], 'the Electron shell does not import the renderer'),
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    ignores: ['app/vite.config.mts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', ...nodeOnlyPackages],
      ['**/electron/**', 'node:*', 'jspurefix/*'],
      "the renderer runs in a browser: no Node, no 'electron', no core imports (use shared/)",
    ),
  },
);
