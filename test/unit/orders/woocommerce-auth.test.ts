/**
 * Which credential the WordPress client sends where (no network: a recording fetch), and the
 * parts of WooCommerce's OAuth base string that the real test WordPress (plain http on
 * 127.0.0.1, at the site root) cannot exercise: https, a site in a subfolder, characters
 * encodeURIComponent leaves alone.
 */
import { describe, expect, it } from 'vitest';
import { oauthBaseString, oauthBaseUri, rfc3986, woocommerceOAuthAuthorization } from '../../../main/wordpress/woocommerce-auth';
import { WordpressClient } from '../../../main/wordpress/wordpress-client';

const key = { consumerKey: `ck_${'a'.repeat(40)}`, consumerSecret: `cs_${'b'.repeat(40)}` };

function recordingFetch(): { fetch: typeof fetch; seen: { url: string; authorization: string | null }[] } {
  const seen: { url: string; authorization: string | null }[] = [];
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    seen.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    const json = url.endsWith('/wp-json/') ? { name: 'Shop', namespaces: ['wp/v2', 'wc/v3'], authentication: { 'application-passwords': {} } } : [];
    return new Response(JSON.stringify(json), { status: 200, headers: { 'content-type': 'application/json', 'x-wp-total': '0', 'x-wp-totalpages': '0' } });
  }) as typeof fetch;
  return { fetch: fake, seen };
}

describe('WooCommerce key auth in the WordPress client', () => {
  it('over https sends the key as HTTP Basic to /wc/ routes only; WordPress routes keep the application password', async () => {
    const { fetch, seen } = recordingFetch();
    const client = new WordpressClient({ siteUrl: 'https://shop.example.org', username: 'admin', password: 'app pass word', woocommerceKey: key, fetch });
    await client.getJson('/wc/v3/orders', { per_page: 1 });
    await client.getJson('/wp/v2/users/me');
    const wc = seen.find((request) => request.url.includes('/wc/v3/orders'))!;
    const wp = seen.find((request) => request.url.includes('/wp/v2/users/me'))!;
    expect(wc.authorization).toBe(`Basic ${Buffer.from(`${key.consumerKey}:${key.consumerSecret}`).toString('base64')}`);
    expect(wp.authorization).toBe(`Basic ${Buffer.from('admin:app pass word').toString('base64')}`);
  });

  it('over loopback http signs instead: the secret never travels, a new nonce every request', async () => {
    const { fetch, seen } = recordingFetch();
    const client = new WordpressClient({ siteUrl: 'http://127.0.0.1:8080', username: 'admin', password: 'x', woocommerceKey: () => Promise.resolve(key), fetch });
    await client.getJson('/wc/v3/orders', { per_page: 1 });
    await client.getJson('/wc/v3/orders', { per_page: 1 });
    const signed = seen.filter((request) => request.url.includes('/wc/v3/orders')).map((request) => request.authorization!);
    expect(signed).toHaveLength(2);
    for (const header of signed) {
      expect(header).toMatch(/^OAuth oauth_consumer_key="ck_a{40}", oauth_nonce="[A-Za-z0-9]{32}", oauth_signature_method="HMAC-SHA256", oauth_timestamp="\d+", oauth_signature="[A-Za-z0-9%]+"$/);
      expect(header).not.toContain(key.consumerSecret);
    }
    const nonce = (header: string) => /oauth_nonce="([^"]+)"/.exec(header)![1];
    expect(nonce(signed[0]!)).not.toBe(nonce(signed[1]!));
  });

  it('without a stored key the WooCommerce routes fail with what to do, never falling back to the password', async () => {
    const { fetch, seen } = recordingFetch();
    const client = new WordpressClient({ siteUrl: 'https://shop.example.org', username: 'admin', password: 'app pass word', woocommerceKey: () => Promise.resolve(null), fetch });
    await expect(client.getJson('/wc/v3/orders')).rejects.toMatchObject({ reason: 'no-credentials', hint: expect.stringContaining('consumer key and secret') });
    expect(seen.some((request) => request.url.includes('/wc/'))).toBe(false);
  });
});

describe('WooCommerce OAuth base string', () => {
  it('encodes as PHP rawurlencode does', () => {
    expect(rfc3986("a b!'()*~+/:")).toBe('a%20b%21%27%28%29%2A~%2B%2F%3A');
  });

  it('signs home_url() of the path relative to the site: subfolders and plain permalinks', () => {
    expect(oauthBaseUri('http://localhost/blog/wp-json/wc/v3/orders?page=2', 'http://localhost/blog')).toBe('http://localhost/blog/wp-json/wc/v3/orders');
    expect(oauthBaseUri('http://localhost/blog/?rest_route=%2Fwc%2Fv3%2Forders', 'http://localhost/blog/')).toBe('http://localhost/blog');
    expect(oauthBaseUri('http://127.0.0.1:8080/?rest_route=/wc/v3/orders', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });

  it('sorts by name, flattens PHP arrays as name[index] in order, and encodes each pair twice', () => {
    const base = oauthBaseString('get', 'http://h/wp-json/wc/v3/orders?status%5B%5D=processing&status%5B%5D=completed&after=2024-01-01T00%3A00%3A00%2B02%3A00', 'http://h', { oauth_nonce: 'n' });
    expect(base).toBe(
      'GET&http%3A%2F%2Fh%2Fwp-json%2Fwc%2Fv3%2Forders&' +
        ['after%3D2024-01-01T00%253A00%253A00%252B02%253A00', 'oauth_nonce%3Dn', 'status%255B0%255D%3Dprocessing', 'status%255B1%255D%3Dcompleted'].join('%26'),
    );
  });

  it('a different secret gives a different signature for the same request', () => {
    const input = { method: 'GET', url: 'http://h/wp-json/wc/v3/orders', siteUrl: 'http://h', timestamp: 1_700_000_000, nonce: 'x'.repeat(32) };
    const signature = (header: string) => /oauth_signature="([^"]+)"/.exec(header)![1];
    expect(signature(woocommerceOAuthAuthorization({ ...input, key }))).not.toBe(signature(woocommerceOAuthAuthorization({ ...input, key: { ...key, consumerSecret: `cs_${'c'.repeat(40)}` } })));
    expect(woocommerceOAuthAuthorization({ ...input, key })).toBe(woocommerceOAuthAuthorization({ ...input, key }));
  });
});
