// The layer rules of ARCHITECTURE.md, checked by machine. Do not relax: fix the import instead.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['better-sqlite3', 'jspurefix', 'reflect-metadata', 'ws'];
const devOnlyPackages = ['jspurefix', 'reflect-metadata'];

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
    // What the desk runs (the app, npm run serve, the simulator): jspurefix is a devDependency, for
    // tests and benchmarks only (electron/runtime-imports.test.ts follows the whole import graph).
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**', 'electron/integration-tests/**', '**/*.test.ts', '**/*.test-support.ts'],
    rules: restrict(
      ['electron', 'react', ...devOnlyPackages],
      ['**/app/**', '**/electron/main/**', '**/electron/preload/**', '**/integration-tests/**', 'jspurefix/*'],
      "the core never imports 'electron', the renderer, or what only tests use (jspurefix, integration-tests/)",
    ),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['react', ...devOnlyPackages], ['**/app/**', '**/integration-tests/**', 'jspurefix/*'], 'the Electron shell does not import the renderer, or what only tests use'),
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
