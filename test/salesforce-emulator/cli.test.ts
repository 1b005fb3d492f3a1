import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI through npm, returns the first JSON line of stdout and how long it took. */
async function firstJsonLine(args: string[]): Promise<{ line: string; ms: number; all: string; stop: () => void }> {
  const started = performance.now();
  // A process group of our own, so stopping npm also stops tsx and node under it.
  const child = spawn('npm', ['run', 'emulator', '--', ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = (): void => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  try {
    return await new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`no JSON line within 10 s; stdout=${out} stderr=${err}`)), 10_000);
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{') && out.includes(`${l}\n`));
        if (line) {
          clearTimeout(timer);
          resolve({ line, ms: performance.now() - started, all: out, stop });
        }
      });
      child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${err}`)));
    });
  } catch (error) {
    stop();
    throw error;
  }
}

describe('npm run emulator', () => {
  // Start-up time is measured by bench/startup.ts (`npm run bench:startup`), not asserted here.
  it('prints exactly one JSON description line with --json', async () => {
    const { line, all, stop } = await firstJsonLine(['--port', '0', '--json']);
    try {
    const description = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(description).sort()).toEqual(['clientId', 'controlUrl', 'instanceUrl', 'loginUrl', 'orgId', 'redirectUris', 'users']);
    expect(description.loginUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(description.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // npm prints its own "> script" banner; the emulator itself prints one line only.
    expect(all.split('\n').filter((l) => l.startsWith('{'))).toHaveLength(1);
    const res = await fetch(`${description.instanceUrl as string}/services/data/`);
    expect(res.status).toBe(200);
    } finally {
      stop();
    }
  });

  it('--latency-ms N adds N ms to every API response (readable at /__emulator/latency)', async () => {
    const { line, stop } = await firstJsonLine(['--port', '0', '--latency-ms', '75', '--json']);
    try {
      const { controlUrl } = JSON.parse(line) as { controlUrl: string };
      const res = await fetch(`${controlUrl}/latency`, { signal: AbortSignal.timeout(5_000) });
      expect(await res.json()).toEqual({ ms: 75 });
    } finally {
      stop();
    }
  });

  it('refuses a bad --latency-ms with exit code 2 and says what to pass', async () => {
    const child = spawn('npm', ['run', '-s', 'emulator', '--', '--latency-ms', 'slow'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        reject(new Error('the CLI did not exit within 10 s'));
      }, 10_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(2);
    expect(err).toMatch(/--latency-ms must be a number of milliseconds/);
  });
});
