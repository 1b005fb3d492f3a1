// Bundles the browser edition's preload-equivalent (preload/web-bridge-entry.ts) into
// out/web/web-bridge.js, a classic script the web server loads before the renderer.
import { build } from 'esbuild';

await build({
  entryPoints: ['preload/web-bridge-entry.ts'],
  bundle: true,
  format: 'iife',
  target: 'es2022',
  outfile: 'out/web/web-bridge.js',
  minify: true,
  logLevel: 'warning',
});
