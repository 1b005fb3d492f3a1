/**
 * The sync through the app's contract, as the renderer drives it: a site signed in to the
 * emulator whose WordPress is the in-process users API (read by the real WordPress client),
 * `sync:plan` → `sync:start` → `sync:progress` events → `sync:runs` / `sync:run`, the Activity
 * entry, and a clear error before anything is written when WordPress refuses or is down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncProgressDto } from '../../../common/sync-models';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { membersSite, startAppHarness, type AppHarness } from '../app/app-harness';
import { contactsByEmail } from './support/sync-harness';
import { startUsersServer, type RunningUsersServer, type UsersServerUser } from './support/users-server';

const emu = useEmulator();
let harness: AppHarness | undefined;
let wordpress: RunningUsersServer | undefined;

afterEach(async () => {
  await harness?.app.close();
  await wordpress?.close();
  harness = undefined;
  wordpress = undefined;
});

const people = (count: number): UsersServerUser[] => Array.from({ length: count }, (_, i) => ({ id: i + 1, username: `member${i + 1}`, email: `member${i + 1}@example.org`, firstName: `Ann${i + 1}`, lastName: `O'Brien ${i + 1}` }));

async function siteWithUsers(count: number): Promise<{ h: AppHarness; siteId: string }> {
  const users = people(count);
  wordpress = await startUsersServer(() => users);
  harness = await startAppHarness(emu);
  const h = harness;
  const finished = await h.signIn();
  const site = await h.call('sites:save', membersSite(wordpress, finished.connection!.id));
  return { h, siteId: site.id };
}

function nextFinished(h: AppHarness): Promise<SyncProgressDto[]> {
  const seen: SyncProgressDto[] = [];
  return new Promise((resolve) => {
    const stop = h.app.events.subscribe((channel, payload) => {
      if (channel !== 'sync:progress') return;
      seen.push(payload as SyncProgressDto);
      if ((payload as SyncProgressDto).phase === 'done') {
        stop();
        resolve(seen);
      }
    });
  });
}

describe('sync channels', () => {
  it('previews, runs with progress events, lists the run and its records, and notes it in Activity', async () => {
    const { h, siteId } = await siteWithUsers(320);
    const plan = await h.call('sync:plan', { siteId });
    expect(plan).toMatchObject({ users: 320, counts: { create: 320 }, strategy: 'collections', matchKind: 'email' });
    expect(plan.rows[0]!.changes).toContainEqual({ field: 'LastName', old: null, new: "O'Brien 1" });

    const progress = nextFinished(h);
    const { runId } = await h.call('sync:start', { siteId });
    const events = await progress;
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['reading', 'looking-up', 'writing', 'done']));
    expect(events.at(-1)).toMatchObject({ runId, done: 320, total: 320 });

    const [run] = await h.call('sync:runs', { siteId });
    expect(run).toMatchObject({ id: runId, state: 'completed', created: 320, failed: 0 });
    expect(run!.apiCalls).toBeLessThanOrEqual(2 * Math.ceil(320 / 200) + 5);
    const page = await h.call('sync:run', { runId, outcome: 'created', search: 'member7@', limit: 10 });
    expect(page).toMatchObject({ total: 1, records: [{ wpUserId: 7, outcome: 'created', salesforceId: expect.stringMatching(/^003/), changes: expect.arrayContaining([{ field: 'FirstName', old: null, new: 'Ann7' }]) }] });
    expect(contactsByEmail(emu).get('member7@example.org')).toEqual([expect.objectContaining({ LastName: "O'Brien 7" })]);
    const activity = await h.call('activity:list', {});
    expect(activity.some((entry) => entry.area === 'sync' && /Sync of "Members" finished: 320 created/.test(entry.message))).toBe(true);
    // The Sites page's "Last sync" is the run's end, and the renderer is sent the new list.
    const [site] = await h.call('sites:list', {});
    expect(site!.lastSyncedAt).toBe(run!.finishedAt);
    expect(h.wire.some((line) => line.includes('sites:changed') && line.includes(`"lastSyncedAt":"${run!.finishedAt}"`))).toBe(true);
    // The wire never carries the WordPress password.
    expect(h.wire.join('\n')).not.toContain(wordpress!.password);
  });

  it('says clearly when WordPress refuses the credentials or is down, before anything is written', async () => {
    const { h, siteId } = await siteWithUsers(5);
    wordpress!.failWith(401);
    const refused = await h.send('sync:start', { siteId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_DENIED' } });
    wordpress!.failWith(503);
    const down = await h.send('sync:plan', { siteId });
    expect(down).toMatchObject({ ok: false, error: { code: 'NETWORK_ERROR' } });
    expect(await h.call('sync:runs', { siteId })).toEqual([]);
    expect(contactsByEmail(emu).has('member1@example.org')).toBe(false);
  });

  it('refuses a second sync of the same site while one runs, and cancels on request', async () => {
    const { h, siteId } = await siteWithUsers(1_200);
    emu.handle.setLatency(60);
    const progress = nextFinished(h);
    const { runId } = await h.call('sync:start', { siteId });
    expect(await h.send('sync:start', { siteId })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await h.call('sync:cancel', { siteId })).toEqual({ cancelled: true });
    await progress;
    emu.handle.setLatency(0);
    const page = await h.call('sync:run', { runId });
    expect(page.run.state).toBe('cancelled');
  });
});
