// `npm test`: the whole suite (core, renderer, e2e) with a real OS keychain.
//
// The keychain tests talk to a real Secret Service. When none is running (CI, a fresh shell,
// a headless box) and GNOME Keyring is installed, this re-runs itself inside a private D-Bus
// session with a fresh, unlocked keyring in a temporary HOME, as the developers' guide
// describes. It also builds the app first when the build is missing or older than the
// sources, because the end-to-end tests drive the built renderer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './build-freshness.mjs';

const args = process.argv.slice(2);
const insideSession = process.env.FORCESITES_KEYRING_SESSION === '1';

if (!insideSession && !process.env.DBUS_SESSION_BUS_ADDRESS && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  const home = mkdtempSync(join(tmpdir(), 'forcesites-test-home-'));
  const inner = `echo -n forcesites-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec node scripts/test.mjs "$@"`;
  const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner, 'sh', ...args], {
    stdio: 'inherit',
    env: { ...process.env, HOME: home, FORCESITES_KEYRING_SESSION: '1' },
  });
  process.exit(result.status ?? 1);
}

ensureBuilt();
run(join('node_modules', '.bin', 'vitest'), ['run', ...args]);

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
