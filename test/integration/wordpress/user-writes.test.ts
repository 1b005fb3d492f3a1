/**
 * Creating and updating users, their meta and their tags on a real WordPress with the
 * companion plugin (the scratch site, so the read tests' data stays exact). Awkward values
 * must come back exactly; the plugin's sanitising and permissions must hold.
 */
import { describe, expect, it } from 'vitest';
import { rejection } from '../../support/app-error-rejection';
import { clientFor, memberOf, wordpress } from './wordpress-support';

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const AWKWARD_TAGS = [
  'Newsletter',
  'newsletter',
  'NEWSLETTER',
  'Events, 2024',
  'Members/Gold',
  'C:\\Members\\2021',
  "it's \"quoted\"",
  'Annual members who joined at the 2019 spring conference and renewed online before June 2020',
  '🎟️ VIP',
  'Ünïcödé — 会员',
  '100% sure',
];

describe('writing users to a real WordPress', () => {
  it('creates a user with awkward values and reads every one back exactly', async () => {
    const { client } = clientFor(wordpress.scratch);
    const id = unique();
    const created = await client.createUser({
      username: `obrien.${id}`,
      email: `Sean.OBrien+${id}@Example.org`,
      firstName: 'Seán',
      lastName: "O'Brien-Núñez 👩‍💻",
      name: "Seán O'Brien \\ \"Junior\"",
      roles: ['subscriber'],
      tags: AWKWARD_TAGS,
      meta: { company: "O'Brien & Daughters\nSecond line", membership_level: 'Gold ⭐' },
    });
    expect(created).toMatchObject({
      username: `obrien.${id}`,
      email: `Sean.OBrien+${id}@Example.org`,
      firstName: 'Seán',
      lastName: "O'Brien-Núñez 👩‍💻",
      name: "Seán O'Brien \\ \"Junior\"",
      roles: ['subscriber'],
      tags: AWKWARD_TAGS,
      meta: { company: "O'Brien & Daughters\nSecond line", membership_level: 'Gold ⭐' },
    });
    // And from a fresh read, not just the create answer.
    const read = await client.getUser(created.id);
    expect(read.tags).toEqual(AWKWARD_TAGS);
    expect(read.lastName).toBe("O'Brien-Núñez 👩‍💻");
    expect(read.name).toBe("Seán O'Brien \\ \"Junior\"");
    expect(read.meta.company).toBe("O'Brien & Daughters\nSecond line");
  });

  it('replaces tags and sets meta without touching other fields', async () => {
    const { client } = clientFor(wordpress.scratch);
    const id = unique();
    const user = await client.createUser({ username: `tags.${id}`, email: `tags.${id}@example.org`, firstName: 'Tag', lastName: 'Person', tags: ['One', 'Two'] });
    const retagged = await client.setTags(user.id, ['Two', 'Three, with comma']);
    expect(retagged.tags).toEqual(['Two', 'Three, with comma']);
    const withMeta = await client.setMeta(user.id, { billing_phone: '+44 20 7946 0000' });
    expect(withMeta.meta.billing_phone).toBe('+44 20 7946 0000');
    expect(withMeta.tags).toEqual(['Two', 'Three, with comma']);
    expect(withMeta).toMatchObject({ firstName: 'Tag', lastName: 'Person', email: `tags.${id}@example.org` });
    expect((await client.setTags(user.id, [])).tags).toEqual([]);
    expect((await client.updateUser(user.id, { firstName: 'Renamed' })).firstName).toBe('Renamed');
  });

  it('the plugin cleans tags: no HTML, no control characters, no exact repeats; case variants stay', async () => {
    const { client } = clientFor(wordpress.scratch);
    const id = unique();
    const user = await client.createUser({ username: `clean.${id}`, email: `clean.${id}@example.org` });
    const cleaned = await client.setTags(user.id, ['<b>VIP</b>', 'Line\u0000break', '  padded  ', 'Gold', 'Gold', 'gold', '']);
    expect(cleaned.tags).toEqual(['VIP', 'Linebreak', 'padded', 'Gold', 'gold']);
  });

  it('refuses a tag longer than 255 characters, naming the field', async () => {
    const { client } = clientFor(wordpress.scratch);
    const id = unique();
    const user = await client.createUser({ username: `long.${id}`, email: `long.${id}@example.org` });
    const error = await rejection(client.setTags(user.id, ['x'.repeat(256)]));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', reason: 'invalid-request', status: 400 });
    expect(error.message).toContain('meta');
  });

  it('a username that is taken: conflict', async () => {
    const { client } = clientFor(wordpress.scratch);
    const id = unique();
    await client.createUser({ username: `taken.${id}`, email: `taken.${id}@example.org` });
    const error = await rejection(client.createUser({ username: `taken.${id}`, email: `other.${id}@example.org` }));
    expect(error).toMatchObject({ code: 'CONFLICT', reason: 'conflict' });
    expect(error.message).toContain('username');
  });

  it('an email that is taken, in another case: conflict', async () => {
    const { client } = clientFor(wordpress.scratch);
    const id = unique();
    await client.createUser({ username: `mail1.${id}`, email: `same.${id}@example.org` });
    const error = await rejection(client.createUser({ username: `mail2.${id}`, email: `SAME.${id}@EXAMPLE.org` }));
    expect(error).toMatchObject({ code: 'CONFLICT', reason: 'conflict' });
    expect(error.message).toContain('email');
  });

  it('a member cannot give themselves tags (the plugin allows it only to user editors)', async () => {
    const member = memberOf(wordpress.scratch);
    const { client } = clientFor(wordpress.scratch, { username: member.username, password: member.applicationPassword });
    const error = await rejection(client.setTags(member.id, ['VIP']));
    expect(error).toMatchObject({ code: 'PERMISSION_MISSING', reason: 'missing-capability', status: 403 });
    const { client: admin } = clientFor(wordpress.scratch);
    expect((await admin.getUser(member.id)).tags).not.toContain('VIP');
  });

  it('a member does not see their own tags or exposed meta, even with context=edit', async () => {
    const member = memberOf(wordpress.scratch);
    const { client: admin } = clientFor(wordpress.scratch);
    await admin.updateUser(member.id, { tags: ['Internal note'], meta: { company: 'Hidden Ltd' } });
    const { client } = clientFor(wordpress.scratch, { username: member.username, password: member.applicationPassword });
    const me = (await client.getJson('/wp/v2/users/me', { context: 'edit' })) as { meta: Record<string, unknown> };
    expect(me.meta).not.toHaveProperty('forcesites_tags');
    expect(me.meta).not.toHaveProperty('company');
  });
});
