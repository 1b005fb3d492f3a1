/**
 * `npm run demo`'s in-memory WordPress, through ForceSites' own WordPress client: the users
 * ForceSites lists, reads, creates and updates (the demo's pull and live changes), with
 * WordPress's own error codes and texts where WordPress would refuse.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WordpressClient } from '../../../main/wordpress/wordpress-client';
import { WordpressError } from '../../../main/wordpress/wordpress-errors';
import { startDemoWordpress, type RunningDemoWordpress } from '../../wordpress/demo-wordpress-server';

let demo: RunningDemoWordpress | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

async function client(): Promise<WordpressClient> {
  demo = await startDemoWordpress();
  return new WordpressClient({ siteUrl: demo.url, username: demo.adminUsername, password: demo.applicationPassword, allowHttp: true });
}

const refusal = async (work: Promise<unknown>): Promise<WordpressError> => {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WordpressError);
  return error as WordpressError;
};

describe('the demo WordPress', () => {
  it('updates a user field by field and answers the user as WordPress does', async () => {
    const wp = await client();
    const before = await wp.findUserByEmail('ada.lovelace1@example.org');
    expect(before?.lastName).toBe('Lovelace');
    const after = await wp.updateUser(before!.id, { lastName: "O'Lovelace — ü" });
    expect(after).toMatchObject({ id: before!.id, lastName: "O'Lovelace — ü", firstName: 'Ada', email: 'ada.lovelace1@example.org' });
    expect((await wp.findUserByEmail('ADA.lovelace1@example.org'))?.lastName).toBe("O'Lovelace — ü");
  });

  it('creates a user, and refuses what WordPress refuses in its own words', async () => {
    const wp = await client();
    const created = await wp.createUser({ username: 'new.member', email: 'new.member@example.org', firstName: 'New', roles: ['subscriber'] });
    expect(created).toMatchObject({ username: 'new.member', firstName: 'New', roles: ['subscriber'] });
    expect((await refusal(wp.createUser({ username: 'other', email: 'NEW.member@example.org' }))).message).toContain('Sorry, that email address is already used!');
    expect((await refusal(wp.createUser({ username: 'new.member', email: 'x@example.org' }))).message).toContain('Sorry, that username already exists!');
    expect((await refusal(wp.updateUser(created.id, { email: 'ada.lovelace1@example.org' }))).message).toContain('Invalid email address.');
    expect((await refusal(wp.updateUser(9999, { lastName: 'x' }))).message).toContain('Invalid user ID.');
  });
});
