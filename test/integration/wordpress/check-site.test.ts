/**
 * checkSite() against real WordPress sites: what the site form shows. Each step must say
 * what it found; a failed step must say what to do on the site; later steps are skipped.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkSite } from '../../../main/wordpress/check-site';
import { memberOf, wordpress } from './wordpress-support';

const main = { siteUrl: wordpress.main.url, username: wordpress.main.adminUser, password: wordpress.main.applicationPassword };

describe('checkSite', () => {
  it('a ready site: every step ok, with mode, account, plugin version, keys and WooCommerce', async () => {
    const result = await checkSite({ ...main, requiredMetaKeys: ['first_name', 'company'], requireWoocommerce: true, now: () => new Date('2026-01-02T03:04:05Z') });
    expect(result).toMatchObject({
      siteUrl: wordpress.main.url,
      checkedAt: '2026-01-02T03:04:05.000Z',
      ready: true,
      reachable: { status: 'ok', mode: 'pretty', restUrl: `${wordpress.main.url}/wp-json/`, siteName: 'ForceSites Test Site' },
      credentials: { status: 'ok', username: 'admin' },
      capability: { status: 'ok', listUsers: true, editUsers: true, createUsers: true },
      companion: { status: 'ok', installed: true, version: '0.1.0', minimumVersion: '0.1.0' },
      metaKeys: { status: 'ok', exposed: wordpress.metaKeys, tagsKey: 'forcesites_tags', missing: [] },
      woocommerce: { status: 'ok', active: true, version: '8.6.1' },
    });
    // Goes to the renderer as is: plain data, and never the password.
    expect(structuredClone(result)).toEqual(result);
    expect(JSON.stringify(result)).not.toContain(wordpress.main.applicationPassword);
  });

  it('plain permalinks and no companion plugin: found via ?rest_route=, plugin missing with the fix', async () => {
    const result = await checkSite({ siteUrl: wordpress.plain.url, username: wordpress.plain.adminUser, password: wordpress.plain.applicationPassword });
    expect(result.ready).toBe(false);
    expect(result.reachable).toMatchObject({ status: 'ok', mode: 'rest_route' });
    expect(result.reachable.message).toContain('pretty permalinks are off');
    expect(result.credentials.status).toBe('ok');
    expect(result.companion).toMatchObject({ status: 'failed', installed: false, version: null, reason: 'plugin-missing' });
    expect(result.companion.hint).toContain('Upload Plugin');
    expect(result.metaKeys.status).toBe('skipped');
    expect(result.woocommerce).toMatchObject({ status: 'ok', active: false });
  });

  it('a wrong application password: credentials failed, the rest skipped', async () => {
    const result = await checkSite({ ...main, password: 'nope nope nope nope nope nope' });
    expect(result.reachable.status).toBe('ok');
    expect(result.credentials).toMatchObject({ status: 'failed', reason: 'bad-credentials', username: null });
    expect(result.credentials.hint).toContain('Application Passwords');
    for (const step of [result.capability, result.companion, result.metaKeys, result.woocommerce]) expect(step.status).toBe('skipped');
    expect(result.ready).toBe(false);
  });

  it('an account that cannot list or edit users: names the capabilities', async () => {
    const member = memberOf(wordpress.main);
    const result = await checkSite({ ...main, username: member.username, password: member.applicationPassword });
    expect(result.credentials).toMatchObject({ status: 'ok', username: member.username });
    expect(result.capability).toMatchObject({ status: 'failed', listUsers: false, editUsers: false, reason: 'missing-capability' });
    expect(result.capability.message).toContain('list_users and edit_users');
    // Its info is refused too: the plugin answers only to accounts that can list users.
    expect(result.companion).toMatchObject({ status: 'failed', reason: 'missing-capability' });
    expect(result.ready).toBe(false);
  });

  it('meta the mapping needs but the plugin does not expose: says which keys to add where', async () => {
    const result = await checkSite({ ...main, requiredMetaKeys: ['company', 'shoe_size', 'favourite_colour'] });
    expect(result.metaKeys).toMatchObject({ status: 'failed', missing: ['shoe_size', 'favourite_colour'] });
    expect(result.metaKeys.hint).toContain('Settings → ForceSites');
    expect(result.ready).toBe(false);
  });

  it('order sync on, WooCommerce absent: failed', async () => {
    const result = await checkSite({ siteUrl: wordpress.scratch.url, username: wordpress.scratch.adminUser, password: wordpress.scratch.applicationPassword, requireWoocommerce: true });
    expect(result.companion.status).toBe('ok');
    expect(result.woocommerce).toMatchObject({ status: 'failed', active: false, reason: 'woocommerce-missing' });
  });

  it('nothing at the address: reachable failed, everything else skipped', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await checkSite({ ...main, siteUrl: `http://127.0.0.1:${port}` });
    expect(result.reachable).toMatchObject({ status: 'failed', reason: 'unreachable', mode: null });
    expect(result.credentials.status).toBe('skipped');
  });

  it('an http address on the internet: refused before any request, with the https address to use', async () => {
    let requests = 0;
    const result = await checkSite({ ...main, siteUrl: 'http://shop.example.org/blog/', fetch: async () => (requests++, new Response('')) });
    expect(result.reachable).toMatchObject({ status: 'failed', reason: 'insecure-url' });
    expect(result.reachable.hint).toContain('https://shop.example.org/blog');
    expect(requests).toBe(0);
  });
});
