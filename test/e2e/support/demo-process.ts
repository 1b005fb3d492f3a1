/**
 * Runs `npm run demo -- --json --port 0` the way a newcomer would (through scripts/demo.mjs)
 * and waits for its one JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface DemoProcess {
  readonly url: string;
  readonly ready: Record<string, unknown>;
  readonly output: string[];
  stop(): Promise<void>;
}

export async function startDemo(extraArgs: readonly string[] = [], timeoutMs = 20_000): Promise<DemoProcess> {
  const child: ChildProcess = spawn(process.execPath, ['scripts/demo.mjs', '--json', '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const lines = createInterface({ input: child.stdout! });

  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo printed no URL line within ${timeoutMs} ms:\n${output.join('\n')}`)), timeoutMs);
    lines.on('line', (line) => {
      output.push(line);
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${output.join('\n')}`));
    });
  });

  return {
    url: String(ready.url),
    ready,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
