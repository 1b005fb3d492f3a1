/**
 * The change feed when Change Data Capture is not there, and under a burst:
 * - an object not selected for CDC (`400::The channel … does not exist`) is polled: one SOQL
 *   query per interval on SystemModstamp, counted for the site where the Health page reads it;
 * - a burst of 10,000 change events is applied 200 ids a batch, and with a queue capped below
 *   the burst the queue is dropped for a SystemModstamp catch-up (said in Activity) — never
 *   more ids held than the cap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startFeedHarness, until, type FeedHarness } from './support/feed-harness';

const emu = useEmulator();
let feed: FeedHarness | undefined;

afterEach(async () => {
  await feed?.close();
  feed = undefined;
});

function contacts(n: number, prefix: string): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ FirstName: 'Member', LastName: `${prefix}${i}`, Email: `m${i}@example.org` }));
}

describe('change feed without CDC: polling', () => {
  it('polls with one query per interval, applies what changed, and counts the calls for the site (Health)', async () => {
    emu.handle.configureStreaming(undefined, { changeDataCapture: ['Lead'], connectTimeoutMs: 300 });
    feed = await startFeedHarness(emu, { extra: { pollIntervalSeconds: () => 0.4 } });
    const f = feed;
    const [annId] = emu.handle.seed(undefined, 'Contact', [{ FirstName: 'Ann', LastName: 'Old', Email: 'ann@example.org' }]) as string[];
    f.pull.users.set('ann@example.org', { email: 'ann@example.org', firstName: 'Ann', lastName: 'Old', writes: 0 });

    f.service.follow(f.siteId);
    await until(() => f.service.status(f.siteId).mode === 'polling', 'the feed to poll');
    expect(f.notes.some((note) => /Change Data Capture is not enabled/.test(note) && /every 0 s|every 1 s/.test(note))).toBe(true);
    const status = f.service.status(f.siteId);
    expect(status.pollIntervalSeconds).toBe(0.4);
    expect(status.channel).toBeNull();

    emu.handle.advanceClock({ seconds: 2 });
    const api = await f.h.app.registry.open(f.connectionId);
    await api.request({ method: 'PATCH', url: `/sobjects/Contact/${annId}`, body: JSON.stringify({ LastName: 'Polled' }), headers: { 'content-type': 'application/json' } });
    const user = f.pull.users.get('ann@example.org')!;
    await until(() => user.lastName === 'Polled', 'the polled change');

    // Over a window, every call the feed makes is the one SystemModstamp query per interval.
    const callsBefore = f.h.app.registry.meter.siteCalls(f.siteId);
    const queriesBefore = f.queries.length;
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const elapsed = Date.now() - started;
    const callsAfter = f.h.app.registry.meter.siteCalls(f.siteId);
    const queries = f.queries.slice(queriesBefore);
    const polls = callsAfter - callsBefore;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 1);
    expect(queries.length - polls).toBeLessThanOrEqual(1);
    for (const query of queries) expect(query).toMatch(/^SELECT Id, SystemModstamp, Email, FirstName, LastName FROM Contact WHERE SystemModstamp >= \S+Z ORDER BY SystemModstamp, Id$/);
    // Applied once: the boundary second is read again, not applied again.
    expect(user.writes).toBe(1);
    expect(f.service.status(f.siteId).counts.apiCalls).toBe(callsAfter);

    // The Health page's per-site API usage shows the feed's calls.
    const report = await f.h.call('health:check', {});
    const card = report.cards.find((c) => c.siteId === f.siteId)!;
    expect(card.siteApiCalls?.last24h).toBeGreaterThanOrEqual(callsAfter);
  });
});

describe('change feed when CDC is turned on while it polls', () => {
  it('tries CDC again now and then, switches to following change events, and loses nothing in between', async () => {
    emu.handle.configureStreaming(undefined, { changeDataCapture: ['Lead'], connectTimeoutMs: 300 });
    feed = await startFeedHarness(emu, { extra: { pollIntervalSeconds: () => 0.3, cdcRecheckSeconds: 1 } });
    const f = feed;
    const [annId] = emu.handle.seed(undefined, 'Contact', [{ FirstName: 'Ann', LastName: 'Old', Email: 'ann@example.org' }]) as string[];
    f.pull.users.set('ann@example.org', { email: 'ann@example.org', firstName: 'Ann', lastName: 'Old', writes: 0 });
    f.service.follow(f.siteId);
    await until(() => f.service.status(f.siteId).mode === 'polling', 'the feed to poll');
    // Rechecks that CDC is still off go back to polling without telling the admin again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(f.service.status(f.siteId).mode).toBe('polling');
    expect(f.notes.filter((note) => /Change Data Capture is not enabled/.test(note))).toHaveLength(1);

    // The admin selects Contact for CDC; an edit lands before the feed notices.
    emu.handle.configureStreaming(undefined, { changeDataCapture: ['Lead', 'Contact'] });
    emu.handle.advanceClock({ seconds: 2 });
    const api = await f.h.app.registry.open(f.connectionId);
    await api.request({ method: 'PATCH', url: `/sobjects/Contact/${annId}`, body: JSON.stringify({ LastName: 'Meanwhile' }), headers: { 'content-type': 'application/json' } });
    await until(() => f.service.status(f.siteId).mode === 'following', 'the feed to follow CDC', 10_000);
    expect(f.service.status(f.siteId).channel).toBe('/data/ContactChangeEvent');
    expect(f.notes.some((note) => /Change Data Capture is now enabled/.test(note))).toBe(true);
    const user = f.pull.users.get('ann@example.org')!;
    await until(() => user.lastName === 'Meanwhile', 'the change made around the switch');

    // From now on change events, not polls: an edit arrives without another SystemModstamp query.
    const queriesBefore = f.queries.filter((q) => /SystemModstamp >=/.test(q)).length;
    emu.handle.advanceClock({ seconds: 2 });
    await api.request({ method: 'PATCH', url: `/sobjects/Contact/${annId}`, body: JSON.stringify({ LastName: 'By CDC' }), headers: { 'content-type': 'application/json' } });
    await until(() => user.lastName === 'By CDC', 'the change over CDC');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(f.queries.filter((q) => /SystemModstamp >=/.test(q)).length).toBe(queriesBefore);
  });
});

describe('change feed under a burst of 10,000 change events', () => {
  it('applies them in batches of at most 200 ids, each record once', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 300 });
    feed = await startFeedHarness(emu, { extra: { queueCap: 20_000 } });
    const f = feed;
    const ids = emu.handle.seed(undefined, 'Contact', contacts(10_000, 'Before')) as string[];
    for (let i = 0; i < 10_000; i += 1) f.pull.users.set(`m${i}@example.org`, { email: `m${i}@example.org`, firstName: 'Member', lastName: `Before${i}`, writes: 0 });
    f.service.follow(f.siteId);
    await until(() => f.service.status(f.siteId).mode === 'following', 'the feed to follow');

    const api = await f.h.app.registry.open(f.connectionId);
    for (let i = 0; i < ids.length; i += 200) {
      const records = ids.slice(i, i + 200).map((id, j) => ({ attributes: { type: 'Contact' }, id, LastName: `After${i + j}` }));
      await api.request({ method: 'PATCH', url: '/composite/sobjects', body: JSON.stringify({ allOrNone: false, records }), headers: { 'content-type': 'application/json' } });
    }
    await until(() => f.service.status(f.siteId).counts.updated === 10_000, 'every change applied', 60_000);
    expect(Math.max(...f.pull.idBatches.map((batch) => batch.length))).toBeLessThanOrEqual(200);
    expect(f.pull.idBatches.length).toBeGreaterThanOrEqual(50);
    expect([...f.pull.users.values()].every((user, i) => user.lastName === `After${i}` && user.writes === 1)).toBe(true);
  }, 120_000);

  it('with the queue capped below the burst, drops the queue for a SystemModstamp catch-up, says so, and never holds more ids than the cap', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 300 });
    feed = await startFeedHarness(emu, { extra: { queueCap: 1_000 } });
    const f = feed;
    // A slow WordPress: the changes arrive faster than they are applied.
    f.pull.slowDown(100);
    const ids = emu.handle.seed(undefined, 'Contact', contacts(10_000, 'Before')) as string[];
    for (let i = 0; i < 10_000; i += 1) f.pull.users.set(`m${i}@example.org`, { email: `m${i}@example.org`, firstName: 'Member', lastName: `Before${i}`, writes: 0 });
    f.service.follow(f.siteId);
    await until(() => f.service.status(f.siteId).mode === 'following', 'the feed to follow');
    emu.handle.advanceClock({ seconds: 2 });

    const api = await f.h.app.registry.open(f.connectionId);
    for (let i = 0; i < ids.length; i += 200) {
      const records = ids.slice(i, i + 200).map((id, j) => ({ attributes: { type: 'Contact' }, id, LastName: `After${i + j}` }));
      await api.request({ method: 'PATCH', url: '/composite/sobjects', body: JSON.stringify({ allOrNone: false, records }), headers: { 'content-type': 'application/json' } });
    }
    await until(() => [...f.pull.users.values()].every((user, i) => user.lastName === `After${i}`), 'every change applied', 60_000);
    expect(f.notes.some((note) => /More than 1,000 changed records were waiting/.test(note) && /Catching up/.test(note))).toBe(true);
    expect(Math.max(...f.statuses.filter((s) => s.siteId === f.siteId).map((s) => s.counts.pending))).toBeLessThanOrEqual(1_000);
    expect(Math.max(...f.pull.recordBatches, ...f.pull.idBatches.map((b) => b.length))).toBeLessThanOrEqual(200);
    await until(() => f.service.status(f.siteId).mode === 'following', 'following again');
  }, 120_000);
});
