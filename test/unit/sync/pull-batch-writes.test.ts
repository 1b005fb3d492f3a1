/**
 * The WordPress client's `writeUsersBatch` speaking WordPress's batch/v1 protocol (the request
 * and answer shapes of WordPress 6.1's WP_REST_Server::serve_batch_request_v1) on a site whose
 * users routes allow batching — stock WordPress does not, see
 * test/integration/wordpress/pull-batch-writes.test.ts. Per-write errors come back in
 * WordPress's words; a write that failed validation does not stop the others, which go again
 * in a `normal` batch; 404 (WordPress before 5.6) means no batching, remembered.
 */
import { describe, expect, it } from 'vitest';
import { WordpressClient } from '../../../main/wordpress/wordpress-client';

interface SentBatch {
  readonly validation: string;
  readonly requests: { method: string; path: string; body: Record<string, unknown> }[];
}

function userJson(id: number, body: Record<string, unknown>): Record<string, unknown> {
  const email = typeof body['email'] === 'string' ? body['email'] : `user${id}@example.org`;
  return { id, username: body['username'] ?? `user${id}`, name: '', first_name: body['first_name'] ?? '', last_name: body['last_name'] ?? '', email, url: '', description: '', link: '', locale: 'en_US', nickname: '', slug: `user${id}`, roles: ['subscriber'], registered_date: '2024-01-02T03:04:05+00:00', capabilities: {}, extra_capabilities: {}, avatar_urls: {}, meta: [], _links: {} };
}

/** A WordPress that batches users: `invalid` e-mails fail validation, `taken` ones fail when run. */
function batchingSite(options: { invalid?: string; taken?: string; noBatchRoute?: boolean; maxItems?: number } = {}): { fetch: typeof fetch; batches: SentBatch[]; requests: string[] } {
  const batches: SentBatch[] = [];
  const requests: string[] = [];
  let nextId = 100;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=UTF-8' } });
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    if (url.pathname === '/wp-json/') return json(200, { name: 'Batching', namespaces: ['wp/v2'], authentication: { 'application-passwords': {} }, routes: {} });
    if (url.pathname === '/wp-json/batch/v1' && !options.noBatchRoute) {
      const batch = JSON.parse(String(init?.body)) as SentBatch;
      batches.push(batch);
      if (options.maxItems !== undefined && batch.requests.length > options.maxItems) {
        return json(400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): requests', data: { status: 400, params: { requests: `requests must contain at most ${options.maxItems} items.` } } });
      }
      const invalid = batch.requests.map((request) => options.invalid !== undefined && request.body['email'] === options.invalid);
      if (batch.validation === 'require-all-validate' && invalid.some(Boolean)) {
        return json(207, { failed: 'validation', responses: invalid.map((bad) => (bad ? { body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): email', data: { status: 400, params: { email: 'Invalid email address.' } } }, status: 400, headers: {} } : null)) });
      }
      return json(207, {
        responses: batch.requests.map((request) => {
          if (request.body['email'] === options.taken) return { body: { code: 'existing_user_email', message: 'Sorry, that email address is already used!', data: { status: 400 } }, status: 400, headers: {} };
          const id = request.path.match(/users\/(\d+)/)?.[1];
          return { body: userJson(id ? Number(id) : nextId++, request.body), status: id ? 200 : 201, headers: {} };
        }),
      });
    }
    return json(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
  }) as typeof fetch;
  return { fetch: fake, batches, requests };
}

const client = (fake: typeof fetch) => new WordpressClient({ siteUrl: 'http://127.0.0.1:9', username: 'admin', password: 'abcd efgh ijkl mnop', fetch: fake });

describe('writeUsersBatch (batch/v1)', () => {
  it('sends creates and updates in one request and answers each in order, in WordPress’s words', async () => {
    const site = batchingSite({ taken: 'taken@example.org' });
    const answers = await client(site.fetch).writeUsersBatch([
      { kind: 'create', input: { username: 'ann', email: 'ann@example.org', firstName: 'Ann' } },
      { kind: 'create', input: { username: 'tim', email: 'taken@example.org' } },
      { kind: 'update', id: 7, input: { lastName: 'New', password: 'never sent' } },
    ]);
    expect(site.batches).toHaveLength(1);
    expect(site.batches[0]!.validation).toBe('require-all-validate');
    expect(site.batches[0]!.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /wp/v2/users?context=edit', 'POST /wp/v2/users?context=edit', 'POST /wp/v2/users/7?context=edit']);
    // A new user gets a random password nobody sees; an update never sends one.
    expect(typeof site.batches[0]!.requests[0]!.body['password']).toBe('string');
    expect(site.batches[0]!.requests[2]!.body).not.toHaveProperty('password');
    expect(answers).toEqual([
      { ok: true, user: expect.objectContaining({ id: 100, email: 'ann@example.org', firstName: 'Ann' }) },
      { ok: false, error: expect.objectContaining({ wpCode: 'existing_user_email', message: expect.stringContaining('Sorry, that email address is already used!') }) },
      { ok: true, user: expect.objectContaining({ id: 7, lastName: 'New' }) },
    ]);
  });

  it('a write that fails validation gets its error; the others go again in a normal batch', async () => {
    const site = batchingSite({ invalid: 'bad@' });
    const answers = await client(site.fetch).writeUsersBatch([
      { kind: 'create', input: { username: 'ann', email: 'ann@example.org' } },
      { kind: 'create', input: { username: 'bad', email: 'bad@' } },
      { kind: 'create', input: { username: 'bea', email: 'bea@example.org' } },
    ]);
    expect(site.batches.map((b) => [b.validation, b.requests.map((r) => r.body['email'])])).toEqual([
      ['require-all-validate', ['ann@example.org', 'bad@', 'bea@example.org']],
      ['normal', ['ann@example.org', 'bea@example.org']],
    ]);
    expect(answers?.map((a) => (a.ok ? a.user.email : (a.error as { wpCode?: string }).wpCode))).toEqual(['ann@example.org', 'rest_invalid_param', 'bea@example.org']);
  });

  it('no batch route (WordPress before 5.6): undefined, remembered; more than 25 writes is refused', async () => {
    const site = batchingSite({ noBatchRoute: true });
    const wp = client(site.fetch);
    const one = [{ kind: 'create' as const, input: { username: 'ann', email: 'ann@example.org' } }];
    expect(await wp.writeUsersBatch(one)).toBeUndefined();
    expect(await wp.writeUsersBatch(one)).toBeUndefined();
    expect(site.requests.filter((r) => r.endsWith('/batch/v1'))).toHaveLength(1);
    await expect(wp.writeUsersBatch(Array.from({ length: 26 }, () => one[0]!))).rejects.toThrow(/at most 25/);
  });

  it('a site that takes fewer requests a batch refuses the whole batch before running any: undefined, one by one from then on', async () => {
    const site = batchingSite({ maxItems: 10 });
    const wp = client(site.fetch);
    const writes = Array.from({ length: 12 }, (_, n) => ({ kind: 'create' as const, input: { username: `u${n}`, email: `u${n}@example.org` } }));
    expect(await wp.writeUsersBatch(writes)).toBeUndefined();
    expect(await wp.writeUsersBatch(writes.slice(0, 2))).toBeUndefined();
    expect(site.batches).toHaveLength(1);
  });
});
