/**
 * The live change feed end to end with every real part this machine has: the app as the
 * editions compose it (createApp), jsforce streaming over real HTTP to the emulator's CometD,
 * the sync's live pull, and the real test WordPress (the scratch site, with the companion
 * plugin). Edit a Contact → the WordPress user changes; the server forgets the streaming client
 * (a dropped connection) while another edit happens → the feed re-handshakes and replays it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeFeedStatusDto } from '../../../common/change-feed-models';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { membersSite, startAppHarness, type AppHarness } from '../app/app-harness';
import { until } from '../change-feed/support/feed-harness';
import { clientFor, wordpress } from './wordpress-support';

const emu = useEmulator();
let harness: AppHarness | undefined;

afterEach(async () => {
  await harness?.app.close();
  harness = undefined;
});

/** Polls WordPress itself (not the app) until the user shows the value. */
async function untilWordpress(email: string, lastName: string): Promise<void> {
  const { client } = clientFor(wordpress.scratch, { allowHttp: true });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const user = await client.findUserByEmail(email);
    if (user?.lastName === lastName) return;
    if (Date.now() > deadline) throw new Error(`WordPress still shows ${JSON.stringify(user?.lastName)} for ${email}, not ${JSON.stringify(lastName)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('live change feed against the real WordPress', () => {
  it('a Contact edit reaches the WordPress user; an edit made while the streaming client was dropped is replayed', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 300 });
    const tag = `feed${Date.now().toString(36)}`;
    const email = `${tag}@example.org`;
    const { client } = clientFor(wordpress.scratch, { allowHttp: true });
    const wpUser = await client.createUser({ username: tag, email, firstName: 'Grace', lastName: 'Before' });
    const [contactId] = emu.handle.seed(undefined, 'Contact', [{ FirstName: 'Grace', LastName: 'Before', Email: email }]) as string[];

    harness = await startAppHarness(emu, { allowLoopbackHttp: true });
    const h = harness;
    const finished = await h.signIn();
    const site = await h.call('sites:save', membersSite({ url: wordpress.scratch.url, username: wordpress.scratch.adminUser, password: wordpress.scratch.applicationPassword }, finished.connection!.id, { direction: 'pull', name: 'Scratch' }));
    const events: ChangeFeedStatusDto[] = [];
    h.app.events.subscribe((channel, payload) => {
      if (channel === 'changes:updated') events.push(payload as ChangeFeedStatusDto);
    });
    await h.call('changes:follow', { siteId: site.id });
    await until(() => events.some((e) => e.mode === 'following'), 'the feed to follow');

    const api = await h.app.registry.open(finished.connection!.id);
    const edit = (lastName: string) => api.request({ method: 'PATCH', url: `/sobjects/Contact/${contactId}`, body: JSON.stringify({ LastName: lastName }), headers: { 'content-type': 'application/json' } });

    await edit('Hopper');
    await untilWordpress(email, 'Hopper');

    expect(emu.handle.dropStreamingClients()).toBe(1);
    await edit("O'Hopper — ünïcode");
    await untilWordpress(email, "O'Hopper — ünïcode");

    // The same user, not a second account; the run in the sync history says what happened.
    expect((await client.findUserByEmail(email))?.id).toBe(wpUser.id);
    const [status] = await h.call('changes:status', { siteId: site.id });
    expect(status!.mode).toBe('following');
    const page = await h.call('sync:run', { runId: status!.runId! });
    // One row per record and run: its latest outcome.
    expect(page.records.filter((r) => r.salesforceId === contactId).map((r) => r.outcome)).toEqual(['updated']);
    expect(page.records.every((r) => r.outcome !== 'failed')).toBe(true);

    await h.call('changes:stop', { siteId: site.id });
    await until(() => emu.handle.streamingClients().length === 0, 'the streaming client to disconnect');
  }, 60_000);
});
