import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';

const appRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

/**
 * The CSP in index.html forbids inline scripts, which the dev server's React refresh preamble is.
 * In `vite serve` only, drop the meta tag; the built renderer always carries it.
 */
function devWithoutCsp(): Plugin {
  return {
    name: 'meridian-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
  };
}

export default defineConfig({
  root: appRoot,
  // Relative asset URLs: the same build loads from file:// in Electron and over http from the headless host.
  base: './',
  plugins: [react(), devWithoutCsp()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // ag-grid-community alone is over 1 MB minified; it is one local file, not a download per route.
    chunkSizeWarningLimit: 2500,
    // No inline <script> or data: module preloads, so the strict CSP holds.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
