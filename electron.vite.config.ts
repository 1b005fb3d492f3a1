import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * `npm run dev` only: React Fast Refresh injects an inline script and Vite's HMR needs a
 * WebSocket, both of which the production CSP forbids. Relax the page's CSP meta while the
 * dev server serves it; builds keep the strict one.
 */
function devServerCsp(): Plugin {
  return {
    name: 'forcesites-dev-server-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'none'", 'connect-src ws://localhost:* http://localhost:*'),
  };
}

// main → out/main (ESM), preload → out/preload/index.cjs (a sandboxed preload must be
// CommonJS), renderer → out/renderer. The browser edition serves out/renderer too.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // cli.js: the `forcesites` command in plain Node (bin/forcesites.mjs).
      rollupOptions: { input: { index: resolve('main/index.ts'), cli: resolve('main/cli/cli-entry.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    // Relative asset URLs: the page works from app://forcesites/ (main/electron/app-protocol.ts)
    // and from the browser edition's server alike.
    base: './',
    plugins: [react(), devServerCsp()],
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
