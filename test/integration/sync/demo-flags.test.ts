/**
 * The browser edition's --data-dir and --salesforce: the demo (scripts/demo-server.ts, a child
 * process) uses an emulator this test started instead of its own, keeps its profiles in a
 * folder, and the CLI (`npm run cli`, another child process) then reads the same folder.
 * Sign-in goes through the contract over the page's WebSocket, the way the page calls it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SignInFinished, SignInStarted } from '../../../common/models';
import { FORCESITES_REDIRECT_URIS } from '../../salesforce-emulator/index';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { signInWithForms } from '../auth/support/form-browser';
import { freePort } from '../auth/support/free-port';

const emu = useEmulator({}, { resetEachTest: false });
const TSX = path.join('node_modules', '.bin', 'tsx');

interface Demo {
  readonly child: ChildProcess;
  readonly ready: { url: string; dataDir: string | null; salesforce: string };
  readonly output: string[];
}

async function startDemo(args: readonly string[], timeoutMs = 60_000): Promise<Demo> {
  const child = spawn(TSX, ['scripts/demo-server.ts', '--json', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const ready = await new Promise<Demo['ready']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no JSON line in ${timeoutMs} ms:\n${output.join('\n')}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as Demo['ready']);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${output.join('\n')}`));
    });
  });
  return { child, ready, output };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** The page's side of the WebSocket bridge: invoke by id, events by channel. */
async function bridge(pageUrl: string) {
  const url = new URL(pageUrl);
  const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { origin: url.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (result: { ok: boolean; value?: unknown; error?: { code: string; message: string } }) => void>();
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { t: string; id?: number; result?: never; channel?: string; payload?: unknown };
    if (message.t === 'result' && message.id !== undefined) waiting.get(message.id)?.(message.result!);
    if (message.t === 'event') for (const listener of listeners) listener(message.channel!, message.payload);
  });
  const call = async <T>(channel: string, request: unknown): Promise<T> => {
    const id = nextId++;
    const result = await new Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>((resolve) => {
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ t: 'invoke', id, channel, request }));
    });
    if (!result.ok) throw new Error(`${channel}: ${result.error?.code} ${result.error?.message}`);
    return result.value as T;
  };
  const nextEvent = <T>(channel: string): Promise<T> =>
    new Promise((resolve) => {
      const listener = (name: string, payload: unknown) => {
        if (name !== channel) return;
        listeners.delete(listener);
        resolve(payload as T);
      };
      listeners.add(listener);
    });
  return { call, nextEvent, close: () => ws.close() };
}

describe('npm run demo -- --data-dir DIR --salesforce URL', () => {
  let dataDir: string;
  let demo: Demo | undefined;

  beforeAll(() => {
    dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'forcesites-demo-flags-')), 'data');
  });
  afterAll(async () => {
    if (demo) await stop(demo.child);
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('uses the running emulator unseeded, keeps the profiles, and the CLI lists the site from the same folder', async () => {
    const contactsBefore = emu.handle.records(undefined, 'Contact').length;
    demo = await startDemo(['--salesforce', emu.loginUrl, '--data-dir', dataDir]);
    expect(demo.ready).toMatchObject({ dataDir, salesforce: emu.loginUrl });
    // Somebody else's org: nothing seeded into it.
    expect(emu.handle.records(undefined, 'Contact')).toHaveLength(contactsBefore);

    const page = await bridge(demo.ready.url);
    const info = await page.call<{ demoOrg?: { loginUrl: string; clientId: string; usernames: string[]; password: string; wordpressUrl: string; wordpressUsername?: string; wordpressApplicationPassword?: string } }>('app:info', {});
    const user = emu.users[0]!;
    expect(info.demoOrg).toMatchObject({ loginUrl: emu.loginUrl, clientId: emu.clientId, password: user.password });
    expect(info.demoOrg?.usernames).toContain(user.username);

    // A callback port of our own: 1717 may be taken by another test on this machine.
    const callbackPort = await freePort();
    emu.handle.configureApp(undefined, 'ForceSites', { redirectUris: [...FORCESITES_REDIRECT_URIS, `http://localhost:${callbackPort}/OauthRedirect`] });
    await page.call('settings:update', { callbackPorts: [callbackPort] });
    const finished = page.nextEvent<SignInFinished>('auth:finished');
    const started = await page.call<SignInStarted>('auth:start', { loginHostKind: 'custom', loginHost: info.demoOrg!.loginUrl, clientId: info.demoOrg!.clientId, chooseAnotherUser: true });
    await signInWithForms(started.authorizeUrl, { fill: { username: user.username, password: user.password }, press: ['approve'], callbackPrefix: started.redirectUri });
    const signedIn = await finished;
    expect(signedIn.ok, JSON.stringify(signedIn.error)).toBe(true);

    await page.call('sites:save', {
      name: 'Flags site',
      wordpressUrl: info.demoOrg!.wordpressUrl,
      wordpressUsername: info.demoOrg!.wordpressUsername ?? 'admin',
      wordpressPassword: info.demoOrg!.wordpressApplicationPassword ?? 'unused',
      connectionId: signedIn.connection!.id,
      objectType: 'Contact',
      tagMode: 'none',
      tagField: null,
      fieldMapping: [{ wordpressField: 'email', salesforceField: 'Email', direction: 'both' }],
    });
    page.close();
    expect(await stop(demo.child)).toBe(0);
    demo = undefined;
    // --data-dir is kept on exit, and the running emulator was left running.
    expect(existsSync(dataDir)).toBe(true);
    expect((await fetch(`${emu.instanceUrl}/__emulator/clock`)).status).toBe(200);

    const cli = spawnSync('npm', ['run', '-s', 'cli', '--', 'sites', '--json', '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 });
    expect(cli.status, cli.stderr).toBe(0);
    const sites = JSON.parse(cli.stdout) as { name: string; objectType: string }[];
    expect(sites).toEqual([expect.objectContaining({ name: 'Flags site', objectType: 'Contact' })]);
  });

  it('says what to do when nothing answers at --salesforce, and refuses a URL that is not one', async () => {
    const port = await freePort();
    const dead = spawnSync(TSX, ['scripts/demo-server.ts', '--json', '--salesforce', `http://127.0.0.1:${port}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dead.status).toBe(1);
    expect(dead.stderr).toMatch(/no Salesforce emulator answered at http:\/\/127\.0\.0\.1:\d+\/__emulator\/.*npm run emulator/);
    const bad = spawnSync(TSX, ['scripts/demo-server.ts', '--salesforce', 'localhost:4000'], { encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--salesforce must be the URL of a running emulator/);
  });
});
