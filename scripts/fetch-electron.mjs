// Downloads Electron's binary after `npm install`, but never fails the install over it.
//
// Why: Electron's own postinstall aborts `npm install` when its download is unreachable
// (offline machines, CI sandboxes). Only `npm start` needs that binary; the browser
// edition (`npm run demo`), the build and every test run without it. So package.json
// denies Electron's own script (allowScripts) and this one runs it, turning a failed
// download into a plain warning that says what still works.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let installScript;
try {
  installScript = join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // production install without devDependencies: nothing to fetch
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(installScript)) process.exit(0);

const result = spawnSync(process.execPath, [installScript], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
if (result.status !== 0) {
  console.warn(
    '\nForceSites: the Electron binary could not be downloaded, so `npm start` will not work on this machine.\n' +
      'Everything else does: `npm run demo` (the browser edition), `npm run build` and `npm test`.\n' +
      'To retry later: node node_modules/electron/install.js\n',
  );
}
