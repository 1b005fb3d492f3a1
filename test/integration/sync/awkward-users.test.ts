/**
 * The awkward seeded users (test/wordpress/seed-users.ts: apostrophes, accents, other
 * scripts, emoji, 255-character names, odd and invalid e-mails, two addresses differing only
 * in case, tags with commas, slashes and case variants, 60 tags) pushed through the WordPress
 * client (WordPress's JSON shape) to the emulator: what Salesforce can hold arrives byte for
 * byte, with its Topics; what it cannot fails alone with Salesforce's own code; nothing is
 * truncated; invalid addresses and case-twins are reported, not written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_KEY } from '../../../common/fields-models';
import { WordpressClient } from '../../../main/wordpress/wordpress-client';
import { seedUsers } from '../../wordpress/seed-users';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { SyncService } from '../../../main/sync/sync-service';
import { BASIC_SETTINGS, freshDatabase, registryApi } from './support/sync-harness';
import { startUsersServer, type RunningUsersServer } from './support/users-server';

const emu = useEmulator();
let wordpress: RunningUsersServer | undefined;
afterEach(async () => {
  await wordpress?.close();
  wordpress = undefined;
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

describe('awkward users', () => {
  it('arrive byte-exact where Salesforce can hold them, and fail or are reported where it cannot', async () => {
    const seeded = seedUsers({ count: 40, seed: 1 });
    wordpress = await startUsersServer(() => seeded.map((u) => ({ id: u.id, username: u.username, email: u.email, firstName: u.first_name, lastName: u.last_name, roles: u.roles, tags: u.tags })));
    const client = new WordpressClient({ siteUrl: wordpress.url, username: wordpress.username, password: wordpress.password, allowHttp: true });
    const { api } = await registryApi(emu);
    const service = new SyncService({
      db: freshDatabase(),
      readUsers: async function* (_siteId, signal) {
        for await (const page of client.users({ signal })) yield { items: page.items, total: page.total };
      },
      settingsFor: () => ({ ...BASIC_SETTINGS, matchKey: DEFAULT_MATCH_KEY, tagMode: 'topics' }),
      salesforceFor: () => Promise.resolve(api),
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    const run = await service.start('site1');
    const outcomes = new Map(service.journal.records(run.id, { limit: 1000 }).rows.map((r) => [r.wp_user_id, r]));
    const contacts = emu.handle.records(undefined, 'Contact') as Record<string, unknown>[];
    const topicNames = new Map((emu.handle.records(undefined, 'Topic') as Record<string, unknown>[]).map((t) => [t['Id'], String(t['Name'])]));
    const assignments = emu.handle.records(undefined, 'TopicAssignment') as Record<string, unknown>[];
    const sameEmail = (email: string) => seeded.filter((u) => u.email.trim().toLowerCase() === email.trim().toLowerCase()).length;
    for (const user of seeded) {
      const outcome = outcomes.get(user.id)!;
      const label = `${user.username} (${user.why.join(', ') || 'ordinary'})`;
      if (!EMAIL.test(user.email.trim())) {
        expect(outcome.outcome, label).toBe('invalid');
        continue;
      }
      if (sameEmail(user.email) > 1) {
        expect(outcome.outcome, label).toBe('conflict');
        continue;
      }
      const tooLong = [...user.first_name].length > 40 || [...user.last_name].length > 80 || user.email.length > 80;
      if (tooLong || user.last_name === '') {
        expect(outcome, label).toMatchObject({ outcome: 'failed', error_code: tooLong ? 'STRING_TOO_LONG' : 'REQUIRED_FIELD_MISSING' });
        continue;
      }
      const tagTooLong = user.tags.some((tag) => tag.trim().length > 99);
      if (tagTooLong) {
        expect(outcome.outcome, label).toBe('failed');
        continue;
      }
      expect(outcome.outcome, label).toBe('created');
      const contact = contacts.find((c) => c['Id'] === outcome.salesforce_id)!;
      // Byte for byte: no trimming, no normalisation, no truncation.
      expect({ FirstName: contact['FirstName'] ?? '', LastName: contact['LastName'], Email: contact['Email'] }, label).toEqual({ FirstName: user.first_name, LastName: user.last_name, Email: user.email.trim() });
      const topics = assignments.filter((a) => a['EntityId'] === contact['Id']).map((a) => topicNames.get(a['TopicId'])!.toLowerCase());
      const wanted = [...new Set(user.tags.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))];
      expect(topics.sort(), label).toEqual(wanted.sort());
    }
    // The awkward cases this test must have seen.
    const seen = new Set([...outcomes.values()].map((r) => r.outcome));
    expect(seen).toEqual(new Set(['created', 'invalid', 'conflict', 'failed']));
  });
});
