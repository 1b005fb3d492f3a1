/**
 * Tag mode `topics` against the emulator: each missing Topic created once (names compared
 * case-insensitively, an existing Topic reused), assignments in Collections batches, a re-run
 * writes nothing, a Topics-only change is an update, and removal when the site asks for it.
 */
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { BASIC_SETTINGS, makeUser, makeUsers, registryApi, syncUnderTest } from './support/sync-harness';

const emu = useEmulator();
const TOPICS = { ...BASIC_SETTINGS, tagMode: 'topics' as const };

function topicsOf(email: string): string[] {
  const contact = (emu.handle.records(undefined, 'Contact') as Record<string, unknown>[]).find((c) => String(c['Email']).toLowerCase() === email);
  if (contact === undefined) return [];
  const names = new Map((emu.handle.records(undefined, 'Topic') as Record<string, unknown>[]).map((t) => [t['Id'], String(t['Name'])]));
  return (emu.handle.records(undefined, 'TopicAssignment') as Record<string, unknown>[])
    .filter((a) => a['EntityId'] === contact['Id'])
    .map((a) => names.get(a['TopicId'])!)
    .sort();
}

describe('push with Topics', () => {
  it('creates each missing Topic once, reuses existing ones, assigns in batches, and a re-run writes nothing', async () => {
    const { api } = await registryApi(emu);
    emu.handle.seed(undefined, 'Topic', [{ Name: 'GOLD' }]);
    const users = [makeUser(1, { tags: ['Gold', 'Events, 2024'] }), makeUser(2, { tags: ['gold', ' Events, 2024 '] }), makeUser(3), ...makeUsers(300, 4).map((u) => ({ ...u, tags: ['Bulk tag'] }))];
    const sut = syncUnderTest(api, { users, settings: TOPICS });
    const plan = await sut.service.plan('site1');
    expect(plan.rows.find((r) => r.wpUserId === 1)?.changes).toContainEqual({ field: 'Topics', old: null, new: 'Gold; Events, 2024' });
    emu.handle.resetApiCalls();
    const run = await sut.service.start('site1');
    expect(run).toMatchObject({ created: 303, failed: 0 });
    const topics = (emu.handle.records(undefined, 'Topic') as Record<string, unknown>[]).map((t) => t['Name']).sort();
    expect(topics).toEqual(['Bulk tag', 'Events, 2024', 'GOLD']);
    expect(topicsOf('user1@example.org')).toEqual(['Events, 2024', 'GOLD']);
    expect(topicsOf('user2@example.org')).toEqual(['Events, 2024', 'GOLD']);
    expect(topicsOf('user3@example.org')).toEqual([]);
    expect(topicsOf('user4@example.org')).toEqual(['Bulk tag']);
    // 2 record batches, 1 Topic create, 2 assignment batches (304 assignments).
    expect(emu.handle.apiCalls().collections).toBe(2 + 1 + 2);

    emu.handle.resetApiCalls();
    expect(await sut.service.start('site1')).toMatchObject({ unchanged: 303, updated: 0, created: 0 });
    expect(emu.handle.apiCalls().collections).toBe(0);
  });

  it('a Topics-only change is an update; with removal on, a tag taken away in WordPress is unassigned', async () => {
    const { api } = await registryApi(emu);
    const users = [makeUser(1, { tags: ['Gold', 'Silver'] }), makeUser(2, { tags: ['Silver'] })];
    const sut = syncUnderTest(api, { users, settings: TOPICS });
    await sut.service.start('site1');
    sut.users = [makeUser(1, { tags: ['Gold'] }), makeUser(2, { tags: ['Silver', 'New'] })];
    // Removal off: Silver stays on user 1; user 2 gains New.
    const additive = await sut.service.start('site1');
    expect(additive).toMatchObject({ updated: 1, unchanged: 1 });
    expect(topicsOf('user1@example.org')).toEqual(['Gold', 'Silver']);
    expect(topicsOf('user2@example.org')).toEqual(['New', 'Silver']);
    sut.settings = { ...TOPICS, removeTopics: true };
    const plan = await sut.service.plan('site1');
    expect(plan.rows.find((r) => r.wpUserId === 1)).toMatchObject({ class: 'update', changes: [{ field: 'Topics', old: 'Gold; Silver', new: 'Gold' }] });
    expect(await sut.service.start('site1')).toMatchObject({ updated: 1, unchanged: 1, failed: 0 });
    expect(topicsOf('user1@example.org')).toEqual(['Gold']);
    expect((emu.handle.records(undefined, 'Topic') as unknown[]).length).toBe(3);
  });
});
