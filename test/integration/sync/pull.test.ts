/**
 * The pull through the app's contract: Salesforce Contacts (all, or those with a Topic) become
 * WordPress users with the chosen role, existing users (matched by e-mail, any case) get the
 * pulled fields and tags, records WordPress would refuse fail with the reason, and a re-run
 * writes nothing. WordPress is the in-process users API, written through the WordPress client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncProgressDto } from '../../../common/sync-models';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { membersSite, startAppHarness, type AppHarness } from '../app/app-harness';
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

async function setUp(users: UsersServerUser[]): Promise<{ h: AppHarness; siteId: string; writes: () => number }> {
  let writes = 0;
  wordpress = await startUsersServer(() => users);
  const original = users.push.bind(users);
  users.push = (...items) => {
    writes += items.length;
    return original(...items);
  };
  harness = await startAppHarness(emu);
  const finished = await harness.signIn();
  const site = await harness.call('sites:save', membersSite(wordpress, finished.connection!.id, { direction: 'pull', tagMode: 'topics' }));
  return { h: harness, siteId: site.id, writes: () => writes };
}

function untilDone(h: AppHarness): Promise<void> {
  return new Promise((resolve) => {
    const stop = h.app.events.subscribe((channel, payload) => {
      if (channel === 'sync:progress' && (payload as SyncProgressDto).phase === 'done') {
        stop();
        resolve();
      }
    });
  });
}

describe('pull', () => {
  it('imports records as users with the chosen role, updates existing ones with fields and Topics, and a re-run writes nothing', async () => {
    const users: UsersServerUser[] = [
      { id: 1, username: 'admin', email: 'admin@example.org', firstName: 'Site', lastName: 'Admin', roles: ['administrator'] },
      { id: 2, username: 'ann', email: 'Ann@Example.org', firstName: 'Ann', lastName: 'Old', tags: [] },
      { id: 3, username: 'cy', email: 'other@example.org', firstName: 'Cy', lastName: 'Taken' },
    ];
    const [annId, , , twinA] = emu.handle.seed(undefined, 'Contact', [
      { FirstName: 'Ann', LastName: "O'Brien", Email: 'ann@example.org' },
      { FirstName: 'Cy', LastName: 'New', Email: 'cy@example.org' },
      { FirstName: 'Zoë', LastName: 'Ünïcødé', Email: 'zoe@example.org' },
      { FirstName: 'Twin', LastName: 'A', Email: 'twin@example.org' },
      { FirstName: 'Twin', LastName: 'B', Email: 'TWIN@example.org' },
    ]) as string[];
    const [goldId] = emu.handle.seed(undefined, 'Topic', [{ Name: 'Gold' }]) as string[];
    emu.handle.seed(undefined, 'TopicAssignment', [{ TopicId: goldId, EntityId: annId }]);
    void twinA;
    const { h, siteId, writes } = await setUp(users);

    const plan = await h.call('sync:plan', { siteId, direction: 'pull', pull: { filter: { kind: 'all' }, role: 'customer' } });
    expect(plan).toMatchObject({ direction: 'pull', counts: { create: 2, update: 1, invalid: 0, conflict: 2 } });
    expect(plan.rows.find((r) => r.key === 'ann@example.org')).toMatchObject({ class: 'update', wpUserId: 2, changes: [{ field: 'last_name', old: 'Old', new: "O'Brien" }, { field: 'tags', old: null, new: 'Gold' }] });
    expect(plan.rows.find((r) => r.key === 'TWIN@example.org')).toMatchObject({ class: 'conflict', reason: expect.stringMatching(/Several Contact records/) });
    expect(writes()).toBe(0);

    const done = untilDone(h);
    const { runId } = await h.call('sync:start', { siteId, direction: 'pull', pull: { filter: { kind: 'all' }, role: 'customer' } });
    await done;
    const page = await h.call('sync:run', { runId });
    expect(page.run).toMatchObject({ direction: 'pull', state: 'completed', created: 2, updated: 1, invalid: 0, conflict: 2, failed: 0 });
    const cy = users.find((u) => u.email === 'cy@example.org');
    // "cy" is taken by another user: the new login gets a suffix, never another user's account.
    expect(cy).toMatchObject({ username: 'cy2', firstName: 'Cy', lastName: 'New', roles: ['customer'] });
    expect(users.find((u) => u.email === 'zoe@example.org')).toMatchObject({ firstName: 'Zoë', lastName: 'Ünïcødé' });
    expect(users.find((u) => u.id === 2)).toMatchObject({ lastName: "O'Brien", tags: ['Gold'], email: 'Ann@Example.org' });
    expect(page.records.find((r) => r.matchValue === 'cy@example.org')).toMatchObject({ outcome: 'created', wpUserId: cy!.id });

    const before = writes();
    const againDone = untilDone(h);
    const again = await h.call('sync:start', { siteId, direction: 'pull', pull: { filter: { kind: 'all' }, role: 'customer' } });
    await againDone;
    expect((await h.call('sync:run', { runId: again.runId })).run).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(writes()).toBe(before);
  });

  it('pulls only the records with a Topic when asked', async () => {
    const users: UsersServerUser[] = [{ id: 1, username: 'admin', email: 'admin@example.org', firstName: 'Site', lastName: 'Admin' }];
    const [a] = emu.handle.seed(undefined, 'Contact', [
      { LastName: 'Member', Email: 'member@example.org' },
      { LastName: 'Visitor', Email: 'visitor@example.org' },
    ]) as string[];
    const [topic] = emu.handle.seed(undefined, 'Topic', [{ Name: 'Members' }]) as string[];
    emu.handle.seed(undefined, 'TopicAssignment', [{ TopicId: topic, EntityId: a }]);
    const { h, siteId } = await setUp(users);
    const plan = await h.call('sync:plan', { siteId, direction: 'pull', pull: { filter: { kind: 'topic', name: 'Members' }, role: 'subscriber' } });
    expect(plan.rows.map((r) => r.key)).toEqual(['member@example.org']);
    expect(plan.rows[0]).toMatchObject({ class: 'create', changes: expect.arrayContaining([{ field: 'tags', old: null, new: 'Members' }]) });
  });
});
