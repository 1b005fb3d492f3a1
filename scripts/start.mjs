// `npm start`: builds and opens the desktop app with electron-vite preview.
// Checks for Electron's binary first so a machine without it gets a plain explanation
// instead of a stack trace.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : '';

if (!binary || !existsSync(binary)) {
  console.error(
    'ForceSites: the Electron binary is not installed, so the desktop app cannot start here.\n' +
      '  Fetch it:   node node_modules/electron/install.js   (needs access to Electron\'s download server)\n' +
      '  Or run the same app in your browser:   npm run demo\n',
  );
  process.exit(1);
}

const child = spawn(join('node_modules', '.bin', 'electron-vite'), ['preview', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
