// Builds the Electron app into out/: main (ESM: package.json has "type": "module" and "main":
// "out/main/index.js"), preload (CommonJS out/preload/index.cjs: a sandboxed preload cannot be an
// ES module), renderer (app/vite.config.mts as it is, so Electron and `npm run serve` load the same
// build from out/renderer).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import rendererConfig from './app/vite.config.mjs';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

const WORKERS: Record<string, string> = {
  'wal-checkpoint-worker': path('electron/core/sqlite/wal-checkpoint-worker.mjs'),
  'journal-worker': path('electron/core/data-folder/journal-worker.mjs'),
};

export default defineConfig({
  main: {
    build: {
      outDir: path('out/main'),
      // package.json dependencies stay in node_modules, loaded at run time, not bundled: better-sqlite3
      // is native. (jspurefix is a devDependency, for tests and benchmarks: the app never loads it.)
      externalizeDeps: { include: ['better-sqlite3', 'ws'] },
      sourcemap: true,
      rolldownOptions: {
        // Worker threads are files of their own beside the main bundle, where the modules that start
        // them look (`new URL('./<name>.mjs', import.meta.url)`): electron/core/sqlite/wal-checkpointer.ts,
        // electron/core/data-folder/journal-jobs.ts. So every chunk sits beside them too (not in chunks/):
        // the core both entries share is one of them. `serve` is the headless host (npm run serve:built),
        // in out/main like index.js so what it finds from its own location (the repository root) is the same.
        input: { index: path('electron/main/index.ts'), serve: path('electron/host/serve-main.ts'), ...WORKERS },
        output: { entryFileNames: (chunk) => (chunk.name in WORKERS ? '[name].mjs' : '[name].js'), chunkFileNames: (chunk) => (chunk.isDynamicEntry ? '[name]-[hash].js' : 'shared-[hash].js') },
      },
    },
  },
  preload: {
    build: {
      outDir: path('out/preload'),
      // Sandboxed: the preload may require only 'electron'; anything else must be bundled in.
      externalizeDeps: false,
      sourcemap: true,
      rolldownOptions: {
        input: { index: path('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      outDir: path('out/renderer'),
      rolldownOptions: {
        input: { index: path('app/index.html') },
      },
    },
  },
});
