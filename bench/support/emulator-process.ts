/**
 * The Salesforce emulator in a process of its own, for the benchmarks: its CPU is then not
 * the benchmarked process's, and the control API (latency, API-call counts) is reached over
 * HTTP as a test would.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningEmulator } from '../../test/salesforce-emulator';

export interface EmulatorProcess {
  readonly description: RunningEmulator & { controlUrl: string; orgId: string };
  stop(): void;
}

export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const cli = path.join(import.meta.dirname, '../../test/salesforce-emulator/cli.ts');
  const tsx = path.join(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs');
  const child = spawn(process.execPath, [tsx, cli, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const description = await new Promise<EmulatorProcess['description']>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('the emulator did not start within 60 s')), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined && buffered.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as EmulatorProcess['description']);
      }
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
  });
  return { description, stop: () => child.kill('SIGTERM') };
}

/** One call to the emulator's control API (60 s deadline); answers its JSON, if any. */
export async function control<T>(emulator: EmulatorProcess, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.description.controlUrl}${route}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${await response.text()}`);
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
