/**
 * A push from the real test WordPress (its 1,000 seeded users, read by the WordPress client
 * the app uses) to the Salesforce emulator. The names go to Text(255) fields so the
 * 255-character names can arrive whole; then every seeded user must come out as the seed
 * says, byte for byte: apostrophes, accents, other scripts, emoji, backslashes, quotes,
 * 255-character names; +tagged addresses are addresses of their own (created, never merged
 * with the untagged one); addresses differing only in case are conflicts (nothing written);
 * invalid addresses are invalid with the reason; an address longer than Contact.Email's 80
 * characters fails alone with Salesforce's STRING_TOO_LONG. A second run writes nothing (the
 * refused record is failed again from memory, not re-sent).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_KEY } from '../../../common/fields-models';
import type { PushSettings } from '../../../main/sync/push-planner';
import { SyncService } from '../../../main/sync/sync-service';
import { seedUsers } from '../../wordpress/seed-users';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { freshDatabase, registryApi } from '../sync/support/sync-harness';
import { clientFor, wordpress } from './wordpress-support';

const emu = useEmulator({}, { resetEachTest: false });
const seeded = seedUsers({ count: wordpress.main.users, seed: wordpress.seed });
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_FIELDS = { first_name: 'WP_First_Name__c', last_name: 'WP_Last_Name__c', name: 'WP_Display_Name__c' } as const;

const SETTINGS: PushSettings = {
  objectType: 'Contact',
  fieldMapping: [
    { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
    ...Object.entries(NAME_FIELDS).map(([wordpressField, salesforceField]) => ({ wordpressField, salesforceField, direction: 'push' as const })),
  ],
  matchKey: DEFAULT_MATCH_KEY,
  // LastName is required and takes 80 characters: a fixed value, the names live in the 255s.
  fieldDefaults: [{ salesforceField: 'LastName', value: 'WordPress member' }],
  recordTypeId: null,
  sendEmptyValues: false,
  tagMode: 'none',
  tagField: null,
};

function service(api: Awaited<ReturnType<typeof registryApi>>['api']): SyncService {
  const { client } = clientFor(wordpress.main, { allowHttp: true, concurrency: 4 });
  return new SyncService({
    db: freshDatabase(),
    readUsers: async function* (_siteId, signal) {
      for await (const page of client.users({ signal })) yield { items: page.items, total: page.total };
    },
    settingsFor: () => SETTINGS,
    salesforceFor: () => Promise.resolve(api),
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
  });
}

describe('push from the real test WordPress', () => {
  it('the seeded awkward users arrive byte-exact; case-twins conflict, invalid addresses are invalid with the reason; a second run writes nothing', async () => {
    for (const name of Object.values(NAME_FIELDS)) emu.handle.addCustomField(undefined, 'Contact', { name, label: name.replace(/__c$/, '').replace(/_/g, ' '), type: 'string', length: 255 });
    const { api } = await registryApi(emu, 30_000);
    const sync = service(api);
    const run = await sync.start('main');
    expect(run.state).toBe('completed');

    const outcomes = new Map(sync.journal.records(run.id, { limit: 5_000 }).rows.map((row) => [row.wp_user_id, row]));
    const contacts = new Map((emu.handle.records(undefined, 'Contact') as Record<string, unknown>[]).map((contact) => [contact['Id'], contact]));
    const byAddress = new Map<string, number>();
    for (const user of seeded) byAddress.set(user.email.trim().toLowerCase(), (byAddress.get(user.email.trim().toLowerCase()) ?? 0) + 1);

    const seen = new Map<string, number>();
    const count = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
    for (const user of seeded) {
      const outcome = outcomes.get(user.id);
      const label = `#${user.id} ${user.username} (${user.why.join(', ') || 'ordinary'})`;
      expect(outcome, label).toBeDefined();
      const address = user.email.trim();
      if (!EMAIL.test(address)) {
        expect(outcome, label).toMatchObject({ outcome: 'invalid', error_message: address === '' ? 'The WordPress user has no email address to match on.' : `“${address}” is not a valid email address to match on.` });
        count('invalid');
        continue;
      }
      if ((byAddress.get(address.toLowerCase()) ?? 0) > 1) {
        expect(outcome!.outcome, label).toBe('conflict');
        count('conflict');
        continue;
      }
      if (address.length > 80) {
        expect(outcome, label).toMatchObject({ outcome: 'failed', error_code: 'STRING_TOO_LONG' });
        expect(outcome!.error_message, label).toMatch(/Email/);
        count('too-long-email');
        continue;
      }
      expect(outcome!.outcome, label).toBe('created');
      const contact = contacts.get(outcome!.salesforce_id)!;
      // Byte for byte: no trimming, no normalisation, no truncation.
      expect(
        { Email: contact['Email'], first: contact[NAME_FIELDS.first_name] ?? '', last: contact[NAME_FIELDS.last_name] ?? '', name: contact[NAME_FIELDS.name] ?? '' },
        label,
      ).toEqual({ Email: address, first: user.first_name, last: user.last_name, name: user.name });
      for (const why of user.why) count(why);
      if (address.includes('+')) count('plus-created');
    }

    // The awkward cases the seed promises were all met, each the way it should be.
    for (const why of ['apostrophe', 'accent', 'non-latin', 'rtl', 'emoji', '255-character-name', 'backslash', 'quotes', 'ampersand']) expect(seen.get(why), why).toBeGreaterThan(0);
    expect(seen.get('plus-created')).toBeGreaterThan(0);
    expect(seen.get('invalid')).toBe(seeded.filter((user) => user.why.includes('invalid-email')).length);
    expect(seen.get('conflict')).toBeGreaterThanOrEqual(2);
    const long = seeded.find((user) => user.why.includes('255-character-name'))!;
    expect([...long.first_name]).toHaveLength(255);
    // The administrator WordPress made (not seeded) goes too: each of its users has one outcome.
    expect(run.total).toBe(outcomes.size);

    emu.handle.resetApiCalls();
    const again = await sync.start('main');
    expect(again).toMatchObject({ state: 'completed', created: 0, updated: 0, failed: seen.get('too-long-email') ?? 0 });
    // Zero write calls: nothing that arrived is written twice, and the record Salesforce refused
    // is failed again from memory (same values, same answer) instead of being sent again.
    expect(emu.handle.apiCalls().collections).toBe(0);
    const refused = sync.journal.records(again.id, { outcome: 'failed' }).rows;
    expect(refused).toHaveLength(seen.get('too-long-email') ?? 0);
    for (const row of refused) expect(row).toMatchObject({ error_code: 'STRING_TOO_LONG', error_message: expect.stringMatching(/not re-sent: unchanged since Salesforce refused it on/) });
  });
});
