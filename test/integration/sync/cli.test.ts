/**
 * `forcesites` on the app's data folder: a site signed in and saved through the app, then the
 * CLI (runCli, as bin/forcesites.mjs calls it) on the same folder and keychain — sites,
 * sync --dry-run, sync with JSON progress lines, the exit codes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '../../../main/cli/forcesites-cli';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { membersSite, startAppHarness } from '../app/app-harness';
import { contactsByEmail } from './support/sync-harness';
import { startUsersServer, type RunningUsersServer, type UsersServerUser } from './support/users-server';

const emu = useEmulator();
let wordpress: RunningUsersServer | undefined;

afterEach(async () => {
  await wordpress?.close();
  wordpress = undefined;
});

async function savedSite(users: UsersServerUser[]) {
  wordpress = await startUsersServer(() => users);
  const h = await startAppHarness(emu);
  const finished = await h.signIn();
  await h.call('sites:save', membersSite(wordpress, finished.connection!.id, { names: ['last_name'] }));
  await h.app.close();
  return { dataDir: h.dataDir, secrets: h.secrets };
}

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: {}, platform: 'linux' };
}

const people = (count: number): UsersServerUser[] => Array.from({ length: count }, (_, i) => ({ id: i + 1, username: `cli${i + 1}`, email: `cli${i + 1}@example.org`, firstName: 'Cy', lastName: `Lee ${i + 1}` }));

describe('forcesites CLI', () => {
  it('does not follow live changes for a site the app follows (a one-shot command beside the app)', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 300 });
    wordpress = await startUsersServer(() => people(1));
    const h = await startAppHarness(emu);
    const finished = await h.signIn();
    const site = await h.call('sites:save', membersSite(wordpress, finished.connection!.id, { direction: 'pull' }));
    await h.call('changes:follow', { siteId: site.id });
    const deadline = Date.now() + 10_000;
    while (emu.handle.streamingClients().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(emu.handle.streamingClients()).toHaveLength(1);
    await h.app.close();
    const streamingBefore = emu.handle.requestLog({ kind: 'streaming' }).total;

    // The site is remembered as following: the app would follow it again on its next start.
    const listed = io();
    expect(await runCli(['sites', '--json', '--data-dir', h.dataDir], listed, { secrets: h.secrets })).toBe(EXIT.ok);
    expect(emu.handle.requestLog({ kind: 'streaming' }).total).toBe(streamingBefore);
  });


  it('lists sites, previews, syncs with JSON lines, and a re-run writes nothing', async () => {
    const { dataDir, secrets } = await savedSite(people(250));
    const opts = { secrets };
    const sites = io();
    expect(await runCli(['sites', '--json', '--data-dir', dataDir], sites, opts)).toBe(EXIT.ok);
    expect(JSON.parse(sites.out.join(''))).toEqual([expect.objectContaining({ name: 'Members' })]);

    const dry = io();
    expect(await runCli(['sync', 'members', '--dry-run', '--data-dir', dataDir], dry, opts)).toBe(EXIT.ok);
    expect(dry.out.join('')).toMatch(/250 users → 250 to create/);
    expect(contactsByEmail(emu).has('cli1@example.org')).toBe(false);

    const run = io();
    expect(await runCli(['sync', 'Members', '--json', '--data-dir', dataDir], run, opts)).toBe(EXIT.ok);
    const lines = run.out.join('').trim().split('\n').map((line) => JSON.parse(line) as { progress?: { phase: string }; run?: { created: number } });
    expect(lines.some((line) => line.progress?.phase === 'writing')).toBe(true);
    expect(lines.at(-1)?.run).toMatchObject({ state: 'completed', created: 250 });
    expect(contactsByEmail(emu).get('cli250@example.org')).toHaveLength(1);

    const again = io();
    expect(await runCli(['sync', 'Members', '--data-dir', dataDir], again, opts)).toBe(EXIT.ok);
    expect(again.out.join('')).toMatch(/completed — 0 created, 0 updated, 250 unchanged/);
    // Not a terminal: progress goes to stderr as JSON lines, the summary stays on stdout.
    const progress = again.err.join('').trim().split('\n').map((line) => JSON.parse(line) as { progress: { phase: string; siteId: string } });
    expect(progress.at(-1)?.progress.phase).toBe('done');

    const pull = io();
    expect(await runCli(['sync', 'Members', '--pull', '--role', 'customer', '--dry-run', '--data-dir', dataDir], pull, opts)).toBe(EXIT.ok);
    expect(pull.out.join('')).toMatch(/Members: \d+ records → \d+ to create, 0 to update, 250 unchanged/);
  });

  it('a record Salesforce refused is not sent again while unchanged (exit 1 all the same); --retry-failed sends it', async () => {
    const { dataDir, secrets } = await savedSite([...people(2), { id: 3, username: 'long', email: 'long@example.org', firstName: 'Lo', lastName: 'x'.repeat(81) }]);
    const opts = { secrets };
    expect(await runCli(['sync', 'Members', '--data-dir', dataDir], io(), opts)).toBe(EXIT.failed);
    const dry = io();
    expect(await runCli(['sync', 'Members', '--dry-run', '--data-dir', dataDir], dry, opts)).toBe(EXIT.ok);
    expect(dry.out.join('')).toMatch(/0 to create, 0 to update, 2 unchanged, 0 invalid, 0 conflicts, 1 refused before and not re-sent \(--retry-failed sends them\)/);
    expect(dry.out.join('')).toMatch(/#3 long@example\.org: not re-sent — STRING_TOO_LONG: /);
    emu.handle.resetApiCalls();
    expect(await runCli(['sync', 'Members', '--data-dir', dataDir], io(), opts)).toBe(EXIT.failed);
    expect(emu.handle.apiCalls().collections).toBe(0);
    emu.handle.resetApiCalls();
    expect(await runCli(['sync', 'Members', '--retry-failed', '--data-dir', dataDir], io(), opts)).toBe(EXIT.failed);
    expect(emu.handle.apiCalls().collections).toBe(1);
  });

  it('exit codes: 1 when records failed, 5 when WordPress refuses, 3 when the connection needs reauthorizing, 2 for usage', async () => {
    const users = [...people(3), { id: 4, username: 'nomail', email: 'broken', firstName: 'No', lastName: 'Mail' }];
    const { dataDir, secrets } = await savedSite(users);
    const opts = { secrets };
    expect(await runCli(['sync', 'Members', '--data-dir', dataDir], io(), opts)).toBe(EXIT.failed);
    wordpress!.failWith(401);
    const refused = io();
    expect(await runCli(['sync', 'Members', '--data-dir', dataDir], refused, opts)).toBe(EXIT.wordpress);
    expect(refused.err.join('')).toMatch(/password|credentials|log/i);
    wordpress!.failWith(null);
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: 'zero' });
    emu.handle.expireAllSessions();
    expect(await runCli(['sync', 'Members', '--data-dir', dataDir], io(), opts)).toBe(EXIT.reauthorize);
    const usage = io();
    expect(await runCli(['sync', '--data-dir', dataDir], usage, opts)).toBe(EXIT.usage);
    expect(await runCli(['sync', 'Nope', '--data-dir', dataDir], io(), opts)).toBe(EXIT.usage);
    expect(await runCli(['frobnicate'], io(), opts)).toBe(EXIT.usage);
    const signIn = io();
    expect(await runCli(['sign-in'], signIn, opts)).toBe(EXIT.usage);
    expect(signIn.err.join('')).toMatch(/needs a browser/);
    // orders: the same usage rules and exit codes.
    const ordersUsage = io();
    expect(await runCli(['orders', '--data-dir', dataDir], ordersUsage, opts)).toBe(EXIT.usage);
    expect(ordersUsage.err.join('')).toMatch(/orders needs exactly one site/);
    const badSince = io();
    expect(await runCli(['orders', 'Members', '--since', '2026-13-45', '--data-dir', dataDir], badSince, opts)).toBe(EXIT.usage);
    expect(badSince.err.join('')).toMatch(/--since takes a date as YYYY-MM-DD/);
    const help = io();
    expect(await runCli(['--help'], help, opts)).toBe(EXIT.ok);
    expect(help.out.join('')).toMatch(/orders <site> \[--since DATE\]/);
  });
});
