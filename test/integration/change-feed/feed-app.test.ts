/**
 * The change feed through the app as the editions compose it (createApp): the contract's
 * `changes:*` channels, the sync's real live pull writing through the WordPress client to an
 * in-process users API (WordPress's shape), the run in the sync history, the `changes:updated`
 * event, and following that restarts when the app starts again on the same data folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeFeedStatusDto } from '../../../common/change-feed-models';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { membersSite, startAppHarness, type AppHarness } from '../app/app-harness';
import { startUsersServer, type RunningUsersServer, type UsersServerUser } from '../sync/support/users-server';
import { until } from './support/feed-harness';

const emu = useEmulator();
const harnesses: AppHarness[] = [];
let wordpress: RunningUsersServer | undefined;

afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.app.close();
  await wordpress?.close();
  wordpress = undefined;
});

describe('change feed through the app', () => {
  it('follows over the contract: a Contact edit reaches the WordPress user, recorded as a live pull run; following restarts with the app', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 300 });
    const users: UsersServerUser[] = [{ id: 7, username: 'ann', email: 'ann@example.org', firstName: 'Ann', lastName: 'Old' }];
    wordpress = await startUsersServer(() => users);
    const [annId] = emu.handle.seed(undefined, 'Contact', [{ FirstName: 'Ann', LastName: 'Old', Email: 'ann@example.org' }]) as string[];

    const h = await startAppHarness(emu);
    harnesses.push(h);
    const finished = await h.signIn();
    const site = await h.call('sites:save', membersSite(wordpress, finished.connection!.id, { direction: 'pull' }));
    const events: ChangeFeedStatusDto[] = [];
    h.app.events.subscribe((channel, payload) => {
      if (channel === 'changes:updated') events.push(payload as ChangeFeedStatusDto);
    });

    expect((await h.call('changes:status', { siteId: site.id }))[0]!.mode).toBe('off');
    await h.call('changes:follow', { siteId: site.id });
    await until(() => events.some((e) => e.mode === 'following'), 'the feed to follow');

    const api = await h.app.registry.open(finished.connection!.id);
    await api.request({ method: 'PATCH', url: `/sobjects/Contact/${annId}`, body: JSON.stringify({ LastName: 'Lovelace' }), headers: { 'content-type': 'application/json' } });
    await until(() => users[0]!.lastName === 'Lovelace', 'the WordPress user to change');

    const [status] = await h.call('changes:status', { siteId: site.id });
    expect(status!.mode).toBe('following');
    expect(status!.runId).not.toBeNull();
    await until(() => events.some((e) => e.counts.updated === 1), 'the status event with the update');
    const runs = await h.call('sync:runs', { siteId: site.id });
    const live = runs.find((run) => run.id === status!.runId);
    expect(live?.direction).toBe('pull');
    const page = await h.call('sync:run', { runId: status!.runId! });
    expect(page.records.map((r) => r.outcome)).toContain('updated');

    // Bad input says what to do.
    const refused = await h.send('changes:follow', { siteId: 'no-such-site' });
    expect(refused.ok).toBe(false);

    // Quit and start again on the same data folder: the site follows again by itself.
    await h.app.close();
    harnesses.pop();
    const again = await startAppHarness(emu, { dataDir: h.dataDir, secrets: h.secrets });
    harnesses.push(again);
    const statuses = () => again.app.handlers['changes:status']({ siteId: site.id }, { edition: 'browser' });
    await until(() => (statuses() as ChangeFeedStatusDto[])[0]!.mode === 'following', 'following after the restart');
    await api.request({ method: 'PATCH', url: `/sobjects/Contact/${annId}`, body: JSON.stringify({ LastName: 'After restart' }), headers: { 'content-type': 'application/json' } });
    await until(() => users[0]!.lastName === 'After restart', 'a change after the restart');

    await again.call('changes:stop', { siteId: site.id });
    expect((await again.call('changes:status', { siteId: site.id }))[0]!.mode).toBe('off');
    await until(() => emu.handle.streamingClients().length === 0, 'the client to disconnect');
  });
});
