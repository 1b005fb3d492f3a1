// `npm run demo`: the browser edition against the built-in demo org.
// Builds the renderer when needed, then runs scripts/demo-server.ts with tsx.
// Options: --json (print one line {"url":…} when ready), --port N (0 = any free port),
//          --no-open is implied: open the printed URL in any browser.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt } from './build-freshness.mjs';

ensureBuilt();
const child = spawn(join('node_modules', '.bin', 'tsx'), ['scripts/demo-server.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
