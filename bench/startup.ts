/**
 * Start-up times a newcomer feels, measured (never asserted in tests):
 * - `npm run emulator -- --json --port 0` until its JSON line (target: under 5 s);
 * - `npm run demo -- --json --port 0` until its URL line (target: under 20 s), with a fresh build.
 * Prints one human line and one JSON line per command.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

async function timeToJsonLine(args: readonly string[]): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['run', '--silent', ...args], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no JSON line from npm run ${args.join(' ')} within 60 s`)), 60_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        clearTimeout(timer);
        resolve(performance.now() - started);
      });
      child.once('exit', (code) => reject(new Error(`npm run ${args.join(' ')} exited with ${code}`)));
    });
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  }
}

const runs: Array<{ name: string; args: string[]; targetMs: number }> = [
  { name: 'emulator', args: ['emulator', '--', '--json', '--port', '0'], targetMs: 5_000 },
  { name: 'demo', args: ['demo', '--', '--json', '--port', '0'], targetMs: 20_000 },
];

for (const run of runs) {
  const ms = Math.round(await timeToJsonLine(run.args));
  console.log(`startup ${run.name}: first JSON line after ${ms} ms (target < ${run.targetMs} ms)`);
  console.log(JSON.stringify({ bench: 'startup', command: run.name, ms, targetMs: run.targetMs }));
}
