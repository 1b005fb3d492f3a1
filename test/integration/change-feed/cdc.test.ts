/**
 * The live change feed over Change Data Capture against the emulator (real HTTP, jsforce
 * streaming over CometD long polling): an edit reaches the WordPress user; a dropped
 * connection re-handshakes and replays from the stored id; a crash before apply replays
 * (the replay id is stored only after apply); pause, edit, resume applies; past the 72-hour
 * retention the feed catches up on SystemModstamp and says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { ChangeFeedStore } from '../../../main/change-feed/change-feed-store';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startFeedHarness, until, type FeedHarness } from './support/feed-harness';

const emu = useEmulator();
let feed: FeedHarness | undefined;

afterEach(async () => {
  await feed?.close();
  feed = undefined;
});

async function setUp(): Promise<FeedHarness & { annId: string; edit: (id: string, fields: Record<string, unknown>) => Promise<void> }> {
  emu.handle.configureStreaming(undefined, { connectTimeoutMs: 300 });
  feed = await startFeedHarness(emu);
  const [annId] = emu.handle.seed(undefined, 'Contact', [{ FirstName: 'Ann', LastName: 'Old', Email: 'ann@example.org' }]) as string[];
  feed.pull.users.set('ann@example.org', { email: 'ann@example.org', firstName: 'Ann', lastName: 'Old', writes: 0 });
  const api = await feed.h.app.registry.open(feed.connectionId);
  const edit = async (id: string, fields: Record<string, unknown>): Promise<void> => {
    await api.request({ method: 'PATCH', url: `/sobjects/Contact/${id}`, body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } });
  };
  return { ...feed, annId: annId!, edit };
}

const following = (f: FeedHarness) => until(() => f.service.status(f.siteId).mode === 'following', 'the feed to follow');

describe('change feed over CDC', () => {
  it('an edit of a Contact reaches the WordPress user, and the replay id is stored after the apply', async () => {
    const f = await setUp();
    const followed = f.service.follow(f.siteId);
    expect(followed.runId).toBeNull();
    await following(f);
    const status = f.service.status(f.siteId);
    expect(status.channel).toBe('/data/ContactChangeEvent');
    expect(status.runId).toBe('live-1');

    await f.edit(f.annId, { LastName: 'New' });
    const user = f.pull.users.get('ann@example.org')!;
    await until(() => user.lastName === 'New', 'the WordPress user to change');
    const event = emu.handle.changeEvents(undefined, { channel: '/data/ContactChangeEvent' }).at(-1)!;
    await until(() => new ChangeFeedStore(f.db).get(f.siteId)?.replayId === event.replayId, 'the replay id to be stored');
    const after = f.service.status(f.siteId);
    expect(after.counts.updated).toBe(1);
    expect(after.lastChangeAt).not.toBeNull();
    expect(f.pull.idBatches).toEqual([[f.annId]]);
    // The feed's queries count for the site (the Health page's per-site usage): where
    // Salesforce's clock stands at the first follow, and the batch read.
    expect(f.h.app.registry.meter.siteCalls(f.siteId)).toBe(2);
    expect(after.counts.apiCalls).toBe(2);
  });

  it('after the server forgets the client (403::Unknown client) it re-handshakes and replays from the stored id: nothing lost, nothing applied twice', async () => {
    const f = await setUp();
    f.service.follow(f.siteId);
    await following(f);
    await f.edit(f.annId, { LastName: 'First' });
    const user = f.pull.users.get('ann@example.org')!;
    await until(() => user.lastName === 'First', 'the first change');
    const clientsBefore = new Set(emu.handle.streamingClients().map((c) => c.clientId));

    expect(emu.handle.dropStreamingClients()).toBe(1);
    await f.edit(f.annId, { LastName: 'While dropped' });
    await until(() => user.lastName === 'While dropped', 'the change made while dropped');
    const clients = emu.handle.streamingClients();
    expect(clients).toHaveLength(1);
    expect(clientsBefore.has(clients[0]!.clientId)).toBe(false);
    expect(user.writes).toBe(2);
    expect(f.pull.idBatches.flat().filter((id) => id === f.annId).length).toBeLessThanOrEqual(3);
  });

  it('a change received but not applied (WordPress down, then ForceSites quits) is replayed on the next launch', async () => {
    const f = await setUp();
    f.service.follow(f.siteId);
    await following(f);
    await f.edit(f.annId, { LastName: 'Applied' });
    const user = f.pull.users.get('ann@example.org')!;
    await until(() => user.lastName === 'Applied', 'the first change');
    const stored = new ChangeFeedStore(f.db).get(f.siteId)!.replayId;

    f.pull.failWith(new AppError('NETWORK_ERROR', 'WordPress could not be reached.'));
    await f.edit(f.annId, { LastName: 'Lost?' });
    await until(() => f.service.status(f.siteId).mode === 'offline-retrying', 'the feed to retry');
    await f.service.stopAll();
    expect(new ChangeFeedStore(f.db).get(f.siteId)!.replayId).toBe(stored);
    expect(user.lastName).toBe('Applied');

    f.pull.failWith(null);
    const relaunched = f.restart();
    relaunched.startRemembered();
    await until(() => user.lastName === 'Lost?', 'the replayed change');
    expect(new ChangeFeedStore(f.db).get(f.siteId)!.replayId).toBeGreaterThan(stored!);
  });

  it('pause unsubscribes and keeps the replay id; an edit while paused is applied on resume', async () => {
    const f = await setUp();
    f.service.follow(f.siteId);
    await following(f);
    await f.edit(f.annId, { LastName: 'Before the pause' });
    await until(() => new ChangeFeedStore(f.db).get(f.siteId)?.replayId != null, 'a stored replay id');
    const paused = await f.service.pause(f.siteId);
    expect(paused.mode).toBe('paused');
    await until(() => emu.handle.streamingClients().length === 0, 'the client to disconnect');
    expect(f.pull.sessions[0]!.closed).toBe('completed');

    await f.edit(f.annId, { LastName: 'While paused' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const user = f.pull.users.get('ann@example.org')!;
    expect(user.lastName).toBe('Before the pause');
    // Paused is remembered: a relaunch does not follow.
    expect(f.service.statuses().map((s) => s.mode)).toEqual(['paused']);

    f.service.resume(f.siteId);
    await until(() => user.lastName === 'While paused', 'the change made while paused');
    expect(f.service.status(f.siteId).runId).toBe('live-2');
    // Replayed over CDC from the stored id, not caught up by query.
    expect(f.notes.filter((note) => /Catching up/.test(note))).toEqual([]);
  });

  it('paused before any change arrived, resume reads what changed since the follow began (no replay id to resume from)', async () => {
    const f = await setUp();
    f.service.follow(f.siteId);
    await following(f);
    await f.service.pause(f.siteId);
    await f.edit(f.annId, { LastName: 'Early' });
    f.service.resume(f.siteId);
    const user = f.pull.users.get('ann@example.org')!;
    await until(() => user.lastName === 'Early', 'the change made while paused');
    expect(f.notes.some((note) => /no replay id to resume from/.test(note))).toBe(true);
  });

  it('past the 72-hour retention it catches up on SystemModstamp from the last applied change and says so', async () => {
    const f = await setUp();
    f.service.follow(f.siteId);
    await following(f);
    await f.edit(f.annId, { LastName: 'Before' });
    const user = f.pull.users.get('ann@example.org')!;
    await until(() => user.lastName === 'Before', 'the first change');
    await until(() => new ChangeFeedStore(f.db).get(f.siteId)?.replayId !== null, 'a stored replay id');
    await f.service.pause(f.siteId);

    await f.edit(f.annId, { LastName: 'During the holiday' });
    emu.handle.advanceClock({ hours: 73 });
    f.service.resume(f.siteId);
    await until(() => user.lastName === 'During the holiday', 'the catch-up');
    expect(f.notes.some((note) => /72 hours/.test(note) && /Catching up/.test(note))).toBe(true);
    expect(f.notes.some((note) => /caught up/.test(note))).toBe(true);
    await following(f);

    // Following again over CDC afterwards.
    await f.edit(f.annId, { LastName: 'After' });
    await until(() => user.lastName === 'After', 'a change after the catch-up');
  });
  it('when Salesforce ends the session, the streaming client is rebuilt with a refreshed token and follows again without losing the change', async () => {
    const f = await setUp();
    f.service.follow(f.siteId);
    await following(f);
    await f.edit(f.annId, { LastName: 'Before expiry' });
    const user = f.pull.users.get('ann@example.org')!;
    await until(() => user.lastName === 'Before expiry', 'the first change');
    const refreshes = f.h.app.registry.refreshCount(f.connectionId);

    emu.handle.expireAllSessions();
    emu.handle.dropStreamingClients();
    await until(() => f.h.app.registry.refreshCount(f.connectionId) > refreshes, 'a token refresh');
    await f.edit(f.annId, { LastName: 'After expiry' });
    await until(() => user.lastName === 'After expiry', 'the change after the session ended');
    await following(f);
  });

  it('stop does not wait for a long poll Salesforce is holding', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 110_000 });
    feed = await startFeedHarness(emu);
    const f = feed;
    f.service.follow(f.siteId);
    await following(f);
    await until(() => emu.handle.streamingClients().some((c) => c.polling), 'a held long poll');
    // The held poll would answer only after 110 s; the test's own timeout is far shorter.
    await f.service.stop(f.siteId);
    expect(f.service.status(f.siteId).mode).toBe('off');
    await until(() => emu.handle.streamingClients().length === 0, 'the client to disconnect');
  });
});
