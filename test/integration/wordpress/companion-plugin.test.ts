/**
 * The ForceSites Companion plugin on a real WordPress: its info route, and its settings route
 * that chooses the exposed meta keys (refusing secrets and WordPress's own keys).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rejection } from '../../support/app-error-rejection';
import { clientFor, memberOf, wordpress } from './wordpress-support';

const site = wordpress.scratch;
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const admin = basic(site.adminUser, site.applicationPassword);

async function settings(method: 'GET' | 'POST', body?: unknown, authorization = admin): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${site.restUrl}forcesites/v1/settings`, {
    method,
    headers: { Authorization: authorization, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('ForceSites Companion plugin', () => {
  afterAll(async () => {
    await settings('POST', { meta_keys: [...wordpress.metaKeys] });
  });

  it('reports its version, WordPress, the exposed keys and WooCommerce', async () => {
    const { client } = clientFor(wordpress.main);
    expect(await client.companionInfo()).toEqual({
      pluginVersion: '0.1.0',
      wordpressVersion: wordpress.wordpressVersion,
      siteName: 'ForceSites Test Site',
      metaKeys: wordpress.metaKeys,
      tagsMetaKey: 'forcesites_tags',
      // The test-only WooCommerce routes define WC_VERSION, as WooCommerce does.
      woocommerceActive: true,
      woocommerceVersion: '8.6.1',
      applicationPasswordsAvailable: true,
      canListUsers: true,
      canEditUsers: true,
      canCreateUsers: true,
    });
    const { client: scratch } = clientFor(wordpress.scratch);
    expect(await scratch.companionInfo()).toMatchObject({ woocommerceActive: false, woocommerceVersion: null });
  });

  it('answers info only to accounts that can list users', async () => {
    const anonymous = await fetch(`${site.restUrl}forcesites/v1/info`);
    expect(anonymous.status).toBe(401);
    const member = memberOf(site);
    const { client } = clientFor(site, { username: member.username, password: member.applicationPassword });
    expect(await rejection(client.companionInfo())).toMatchObject({ reason: 'missing-capability', status: 403 });
  });

  it('refuses secrets, roles and WordPress’s own keys, and changes nothing then', async () => {
    const before = await settings('GET');
    const refused = await settings('POST', { meta_keys: ['shoe_size', 'session_tokens', 'api_token', 'wp_capabilities', 'first_name', '_private', 'user_pass', 'bad key!'] });
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe('forcesites_invalid_meta_keys');
    const reasons = (refused.json.data as { refused: Record<string, string> }).refused;
    expect(Object.keys(reasons).sort()).toEqual(['_private', 'api_token', 'bad key!', 'first_name', 'session_tokens', 'user_pass', 'wp_capabilities'].sort());
    expect(reasons.api_token).toMatch(/password, token or session/);
    expect((await settings('GET')).json.meta_keys).toEqual(before.json.meta_keys);
  });

  it('exposes a newly chosen key: it then round-trips through the users endpoint', async () => {
    const saved = await settings('POST', { meta_keys: [...wordpress.metaKeys, 'shoe_size'] });
    expect(saved.status).toBe(200);
    expect(saved.json.meta_keys).toEqual([...wordpress.metaKeys, 'shoe_size']);
    const { client } = clientFor(site);
    expect((await client.companionInfo()).metaKeys).toContain('shoe_size');
    const user = await client.createUser({ username: `shoe.${Date.now()}`, email: `shoe.${Date.now()}@example.org`, meta: { shoe_size: '44½ EU' } });
    expect((await client.getUser(user.id)).meta.shoe_size).toBe('44½ EU');
  });

  it('lets only administrators change the keys', async () => {
    const member = memberOf(site);
    const attempt = await settings('POST', { meta_keys: ['anything'] }, basic(member.username, member.applicationPassword));
    expect(attempt.status).toBe(403);
    expect(attempt.json.code).toBe('rest_forbidden');
  });
});
