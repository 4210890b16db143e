// The layer rules of ARCHITECTURE.md, checked by machine. Do not relax: fix the import instead.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['better-sqlite3', 'jspurefix', 'reflect-metadata', 'ws'];

/**
 * One `no-restricted-imports` rule from a list of bans (a later config replaces the rule as a whole,
 * so each layer's config lists everything that layer must not import).
 */
const restrict = (...bans) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: bans.flatMap(({ paths = [], message }) => paths.map((name) => ({ name, message }))),
      patterns: bans.flatMap(({ patterns = [], message }) => patterns.map((group) => ({ group: [group], message }))),
    },
  ],
});

/** Imports of another folder of electron/, written as relative paths from inside electron/. */
const folders = (...names) => names.map((name) => `**/${name}/**`);

const notRenderer = { paths: ['electron', 'react'], patterns: ['**/app/**'], message: "the core, the host and the simulator never import 'electron' or the renderer" };
const notShell = { patterns: [...folders('main', 'preload')], message: 'only the Electron shell lives in electron/main and electron/preload' };
const notTests = { patterns: [...folders('integration-tests'), '**/*.test-support', '**/*.test'], message: 'product code does not import tests' };
/** jspurefix is a devDependency (electron/runtime-imports.test.ts follows the whole import graph of what the desk runs). */
const notEngine = { paths: ['jspurefix', 'reflect-metadata'], patterns: ['jspurefix/*'], message: 'jspurefix is for interoperability tests and benchmarks only: the desk speaks FIX through electron/core/fix' };
const coreBans = [notRenderer, notShell, { patterns: folders('host', 'simulator'), message: 'the core never imports the host or the simulator (they import the core)' }];

/**
 * Inside the core, folders form a graph without cycles: each folder may import only the folders
 * listed for it (desk/, the composition root, imports them all).
 */
const CORE_FOLDERS = ['alerts', 'broker', 'config', 'csv', 'data-folder', 'decimal', 'desk', 'files', 'fix', 'instruments', 'journal', 'lifecycle', 'log', 'marketdata', 'orders', 'positions', 'sqlite', 'time'];
const CORE_GRAPH = {
  decimal: [],
  time: [],
  log: [],
  files: [],
  csv: [],
  lifecycle: ['log'],
  sqlite: ['time', 'log'],
  broker: [],
  config: ['data-folder'],
  journal: ['decimal', 'broker', 'sqlite', 'time', 'log', 'files'],
  'data-folder': ['journal', 'time', 'log', 'files'],
  orders: ['decimal', 'instruments', 'broker', 'journal', 'log'],
  alerts: ['journal'],
  instruments: ['decimal', 'config', 'csv'],
  fix: ['decimal', 'instruments', 'broker', 'config', 'sqlite', 'time', 'log', 'files'],
  marketdata: ['decimal', 'instruments', 'fix', 'broker', 'config', 'time', 'log'],
  positions: ['decimal', 'journal', 'orders', 'instruments', 'config', 'csv'],
};
const coreFolderConfigs = Object.entries(CORE_GRAPH).map(([folder, allowed]) => ({
  files: [`electron/core/${folder}/**/*.{ts,mjs}`],
  ignores: ['**/*.test.ts', '**/*.test-support.ts'],
  rules: restrict(...coreBans, notTests, notEngine, {
    patterns: folders(...CORE_FOLDERS.filter((f) => f !== folder && !allowed.includes(f))),
    message: `electron/core/${folder}/ may import only ${allowed.length === 0 ? 'nothing else of the core (a leaf)' : allowed.map((f) => `${f}/`).join(', ')}: see the folder graph in eslint.config.mjs`,
  }),
}));

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
    rules: restrict({
      paths: [...nodeBuiltins, 'electron', 'react', ...nodeOnlyPackages],
      patterns: ['**/electron/**', '**/app/**', 'node:*', 'jspurefix/*'],
      message: 'shared/ is plain TypeScript: no Node, no DOM, no Electron, no other layer',
    }),
  },
  // The core: plain Node. Its tests may use jspurefix (interoperability) but never start the simulator (integration-tests/ does).
  { files: ['electron/core/**/*.{ts,mjs}'], rules: restrict(...coreBans) },
  { files: ['electron/core/**/*.{ts,mjs}'], ignores: ['**/*.test.ts', '**/*.test-support.ts'], rules: restrict(...coreBans, notTests, notEngine) },
  ...coreFolderConfigs,
  // The headless host: the core's composition root and shared/; the simulator only as a process it starts.
  {
    files: ['electron/host/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(notRenderer, notShell, notTests, notEngine, { patterns: folders('simulator'), message: 'the host starts the simulator as a process (simulator-process.ts), it never imports it' }),
  },
  // The broker simulator: a FIX counterparty built on the core's FIX layer, nothing of the desk.
  {
    files: ['electron/simulator/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(notRenderer, notShell, notTests, notEngine, {
      patterns: [...folders('host', 'desk', 'orders', 'journal')],
      message: "the simulator is the broker: it may use the core's FIX layer (fix/, config/, log/, time/), never the desk",
    }),
  },
  { files: ['electron/integration-tests/**/*.ts'], rules: restrict(notRenderer, notShell) },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(
      { paths: ['react'], patterns: ['**/app/**'], message: 'the Electron shell does not import the renderer' },
      notEngine,
      { patterns: folders('integration-tests'), message: 'the Electron shell does not import what only tests use' },
    ),
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    ignores: ['app/vite.config.mts'],
    rules: restrict({
      paths: [...nodeBuiltins, 'electron', ...nodeOnlyPackages],
      patterns: ['**/electron/**', 'node:*', 'jspurefix/*'],
      message: "the renderer runs in a browser: no Node, no 'electron', no core imports (use shared/)",
    }),
  },
);
