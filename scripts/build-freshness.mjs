// Shared by `npm test` and `npm run demo`: both serve the built renderer, so both rebuild
// when the build is missing or older than the sources it comes from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUTS = ['out/renderer/index.html', 'out/web/web-bridge.js'];
const SOURCES = ['renderer', 'preload', 'common'];

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export function buildIsStale() {
  if (!OUTPUTS.every((file) => existsSync(file))) return true;
  const built = Math.min(...OUTPUTS.map((file) => statSync(file).mtimeMs));
  return SOURCES.some((dir) => existsSync(dir) && newest(dir) > built);
}

/** Builds when stale. Build chatter goes to stderr so stdout stays machine-readable. */
export function ensureBuilt() {
  if (!buildIsStale()) return;
  console.error('Building ForceSites (npm run build)…');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    console.error('The build failed; see the messages above.');
    process.exit(result.status ?? 1);
  }
}
