/**
 * Reading users from the real test WordPress: 1,000 seeded users (plus the administrator),
 * paged 100 at a time with several pages in flight, must arrive in id order, each once, and
 * every awkward value (apostrophes, accents, other scripts, emoji, 255-character names,
 * odd emails, tags with commas and slashes) exactly as it was written to the database.
 */
import { describe, expect, it } from 'vitest';
import type { WordpressUser } from '../../../common/wordpress-models';
import type { WordpressPage } from '../../../main/wordpress/wordpress-client';
import { SEED_META_KEYS, seedUsers, type SeedUser } from '../../wordpress/seed-users';
import { clientFor, collect, wordpress } from './wordpress-support';

const seeded = seedUsers({ count: wordpress.main.users, seed: wordpress.seed });

/**
 * The fields compared: all but description and locale (not seeded), with meta narrowed to the
 * seeded keys (WordPress registers meta of its own, e.g. persisted_preferences).
 */
function comparable(user: WordpressUser): Omit<WordpressUser, 'description' | 'locale'> {
  const { description: _description, locale: _locale, meta, ...rest } = user;
  return { ...rest, meta: Object.fromEntries(SEED_META_KEYS.map((key) => [key, meta[key]])) };
}

/** What the client must return for a seeded user: the seed values, field for field. */
function expectedUser(user: SeedUser): Omit<WordpressUser, 'description' | 'locale'> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    firstName: user.first_name,
    lastName: user.last_name,
    email: user.email,
    url: user.url,
    nickname: user.nickname,
    slug: user.slug,
    roles: user.roles,
    registeredAt: user.registered_date,
    tags: user.tags,
    // The companion plugin exposes these keys; a user without a row reads as ''.
    meta: Object.fromEntries(SEED_META_KEYS.map((key) => [key, user.meta[key] ?? ''])),
  };
}

describe('users from a real WordPress', () => {
  it('pages through every user in id order, each once, with several pages in flight', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const requestedPages: string[] = [];
    const countingFetch: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/wp/v2/users')) requestedPages.push(url.searchParams.get('page') ?? '');
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        const response = await fetch(input, init);
        // Count the body too: a page is in flight until it is read.
        const body = await response.arrayBuffer();
        return new Response(body, { status: response.status, headers: response.headers });
      } finally {
        inFlight -= 1;
      }
    };
    const { client } = clientFor(wordpress.main, { fetch: countingFetch, concurrency: 4 });

    const pages: WordpressPage<WordpressUser>[] = [];
    for await (const page of client.users()) pages.push(page);

    const ids = pages.flatMap((page) => page.items.map((user) => user.id));
    expect(ids).toHaveLength(wordpress.main.users + 1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBe(1);
    expect(pages.map((page) => page.page)).toEqual(Array.from({ length: 11 }, (_, index) => index + 1));
    expect(pages.every((page) => page.totalPages === 11 && page.total === wordpress.main.users + 1)).toBe(true);
    expect(pages.slice(0, -1).every((page) => page.items.length === 100)).toBe(true);
    expect(new Set(requestedPages).size).toBe(11);
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(4);
  });

  it('reads every seeded user back exactly as it was written', async () => {
    const { client } = clientFor(wordpress.main);
    const users = await collect(client.users());
    const byId = new Map(users.map((user) => [user.id, user]));
    const mismatches = seeded.flatMap((user) => {
      const actual = byId.get(user.id);
      if (actual === undefined) return [`user ${user.id} missing`];
      return JSON.stringify(comparable(actual)) === JSON.stringify(expectedUser(user)) ? [] : [`user ${user.id} (${user.why.join(', ') || 'ordinary'})`];
    });
    expect(mismatches).toEqual([]);
    // And field by field for the awkward ones, so a failure names the field.
    for (const user of seeded.filter((candidate) => candidate.why.length > 0)) {
      expect(comparable(byId.get(user.id)!), user.why.join(', ')).toEqual(expectedUser(user));
    }
  });

  it('covers the awkward cases the seed promises', () => {
    const cases = new Set(seeded.flatMap((user) => user.why));
    for (const expected of ['apostrophe', 'accent', 'non-latin', 'emoji', '255-character-name', 'long-email', 'plus-email', 'email-case', 'invalid-email', 'tag-comma', 'tag-slash', 'tag-80-plus', 'tag-case', 'two-roles']) {
      expect(cases).toContain(expected);
    }
    expect(seeded.find((user) => user.why.includes('255-character-name'))!.first_name).toHaveLength(255);
    expect(new Set(seeded.flatMap((user) => user.roles)).size).toBeGreaterThanOrEqual(5);
    const years = new Set(seeded.map((user) => user.registered_date.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(10);
  });

  it('filters by role on the site', async () => {
    const { client } = clientFor(wordpress.main);
    const editors = await collect(client.users({ roles: ['editor'] }));
    const expected = seeded.filter((user) => user.roles.includes('editor')).map((user) => user.id);
    expect(editors.map((user) => user.id)).toEqual(expected);
  });

  it('stops asking for pages when the reader stops early', async () => {
    const requested: string[] = [];
    const spyingFetch: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/wp/v2/users')) requested.push(url.searchParams.get('page') ?? '');
      return fetch(input, init);
    };
    const { client } = clientFor(wordpress.main, { fetch: spyingFetch, concurrency: 2 });
    for await (const page of client.users()) {
      expect(page.page).toBe(1);
      break;
    }
    // Page 1, then at most the two pages already in flight: never the remaining eight.
    expect(requested.length).toBeLessThanOrEqual(3);
  });

  it('reads one user by id', async () => {
    const { client } = clientFor(wordpress.main);
    const awkward = seeded.find((user) => user.why.includes('emoji'))!;
    expect(comparable(await client.getUser(awkward.id))).toEqual(expectedUser(awkward));
  });
});
