/**
 * Paging cases a real WordPress does not produce on demand: a proxy that strips the paging
 * headers, users added while paging (a user shifts onto the next page), users deleted while
 * paging (WordPress refuses the last page). The stub answers as WordPress does otherwise.
 */
import { describe, expect, it } from 'vitest';
import { WordpressClient } from '../../../main/wordpress/wordpress-client';

const SITE = 'http://127.0.0.1:9';
const index = { name: 'Stub', namespaces: ['wp/v2'], authentication: {} };
const user = (id: number) => ({ id, username: `u${id}`, name: `U ${id}`, roles: ['subscriber'], meta: [] });

function stub(pageAnswer: (page: number) => Response): { fetch: typeof fetch; pages: number[] } {
  const pages: number[] = [];
  const fetchStub: typeof fetch = async (input) => {
    const url = new URL(String(input));
    if (url.pathname === '/wp-json/') return Response.json(index);
    const page = Number(url.searchParams.get('page'));
    pages.push(page);
    return pageAnswer(page);
  };
  return { fetch: fetchStub, pages };
}

async function ids(client: WordpressClient): Promise<number[]> {
  const seen: number[] = [];
  for await (const page of client.users()) seen.push(...page.items.map((item) => item.id));
  return seen;
}

describe('paging', () => {
  it('without X-WP-TotalPages (stripped by a proxy) reads on until a short page', async () => {
    const { fetch, pages } = stub((page) => Response.json(page <= 2 ? [1, 2].map((n) => user((page - 1) * 2 + n)) : [user(5)]));
    const client = new WordpressClient({ siteUrl: SITE, username: 'a', password: 'p', fetch, pageSize: 2 });
    expect(await ids(client)).toEqual([1, 2, 3, 4, 5]);
    expect(pages).toEqual([1, 2, 3]);
  });

  it('a user that shifts onto the next page while paging is yielded once', async () => {
    // A user was added before id 3 after page 1 was read: page 2 repeats id 2.
    const answers: Record<number, number[]> = { 1: [1, 2], 2: [2, 3], 3: [4, 5] };
    const { fetch } = stub((page) => Response.json(answers[page]!.map(user), { headers: { 'X-WP-Total': '6', 'X-WP-TotalPages': '3' } }));
    const client = new WordpressClient({ siteUrl: SITE, username: 'a', password: 'p', fetch, pageSize: 2 });
    expect(await ids(client)).toEqual([1, 2, 3, 4, 5]);
  });

  it('users deleted while paging: the refused last page ends the listing instead of failing it', async () => {
    const { fetch } = stub((page) =>
      page < 3
        ? Response.json([user(page * 2 - 1), user(page * 2)], { headers: { 'X-WP-Total': '6', 'X-WP-TotalPages': '3' } })
        : Response.json({ code: 'rest_user_invalid_page_number', message: 'The page number requested is larger than the number of pages available.', data: { status: 400 } }, { status: 400 }),
    );
    const client = new WordpressClient({ siteUrl: SITE, username: 'a', password: 'p', fetch, pageSize: 2 });
    expect(await ids(client)).toEqual([1, 2, 3, 4]);
  });

  it('a failing page fails the listing with the site’s error', async () => {
    const { fetch } = stub((page) =>
      page === 1 ? Response.json([user(1)], { headers: { 'X-WP-Total': '2', 'X-WP-TotalPages': '2' } }) : new Response('<h1>502 Bad Gateway</h1>', { status: 502, headers: { 'Content-Type': 'text/html' } }),
    );
    const client = new WordpressClient({ siteUrl: SITE, username: 'a', password: 'p', fetch, pageSize: 1 });
    await expect(ids(client)).rejects.toMatchObject({ reason: 'html-error-page', status: 502 });
  });
});
