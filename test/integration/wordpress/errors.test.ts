/**
 * Every way a real WordPress refuses or fails becomes a clear error that says what to do on
 * the site: bad credentials (401), a missing capability (403), the companion plugin or
 * WooCommerce missing (404), items that are gone, PHP crashing (WordPress's critical-error
 * page and a bare PHP fatal), warnings printed before the JSON, a firewall's web page, and
 * a site slower than the deadline. Secrets never reach the log.
 */
import { describe, expect, it } from 'vitest';
import { rejection } from '../../support/app-error-rejection';
import { clientFor, collect, memberOf, wordpress } from './wordpress-support';

describe('WordPress errors', () => {
  it('a wrong application password: bad credentials, what to do, and no secret in the log', async () => {
    const wrong = 'abcd EFGH ijkl MNOP qrst UVWX';
    const { client, lines } = clientFor(wordpress.main, { password: wrong });
    const error = await rejection(collect(client.users()));
    // WordPress 6.1 reports a wrong application password as "not logged in" (its REST server
    // re-checks the user only after the application-password check has run).
    expect(error).toMatchObject({ code: 'AUTH_DENIED', reason: 'bad-credentials', status: 401 });
    expect(error.message).toContain('did not accept the username and application password');
    expect(error.hint).toContain('Users → Profile → Application Passwords');
    const log = lines.join('\n');
    expect(log).toContain('bad-credentials');
    expect(log).not.toContain(wrong);
    expect(log).not.toContain(wordpress.main.applicationPassword);
    expect(log).not.toMatch(/basic /i);
  });

  it('a username the site does not have: bad credentials too', async () => {
    const { client } = clientFor(wordpress.main, { username: 'nobody-here' });
    const error = await rejection(client.currentAccount());
    expect(error).toMatchObject({ code: 'AUTH_DENIED', reason: 'bad-credentials', status: 401 });
    expect(error.hint).toContain('nobody-here');
  });

  it('no password in the keychain: says so before sending anything', async () => {
    const sent: string[] = [];
    const { client } = clientFor(wordpress.main, {
      password: async () => null,
      fetch: (input, init) => {
        if (new Headers(init?.headers).has('authorization')) sent.push(String(input));
        return fetch(input, init);
      },
    });
    const error = await rejection(client.currentAccount());
    expect(error).toMatchObject({ code: 'AUTH_DENIED', reason: 'no-credentials' });
    expect(error.hint).toContain('paste an application password');
    expect(sent).toEqual([]);
  });

  it('reads the password from the keychain once, not per request', async () => {
    let reads = 0;
    const { client } = clientFor(wordpress.main, {
      password: async () => {
        reads += 1;
        return wordpress.main.applicationPassword;
      },
    });
    await collect(client.users());
    await client.companionInfo();
    expect(reads).toBe(1);
  });

  it('an account without list_users: missing capability, with the capabilities to grant', async () => {
    const member = memberOf(wordpress.main);
    const { client } = clientFor(wordpress.main, { username: member.username, password: member.applicationPassword });
    const error = await rejection(collect(client.users()));
    expect(error).toMatchObject({ code: 'PERMISSION_MISSING', reason: 'missing-capability', status: 403 });
    expect(error.message).toContain(member.username);
    expect(error.hint).toContain('list_users');
  });

  it('an account that cannot manage WooCommerce: the WooCommerce capability is named', async () => {
    const member = memberOf(wordpress.main);
    const { client } = clientFor(wordpress.main, { username: member.username, password: member.applicationPassword });
    const error = await rejection(collect(client.orders()));
    expect(error).toMatchObject({ reason: 'missing-capability', wpCode: 'woocommerce_rest_cannot_view' });
    expect(error.hint).toContain('manage_woocommerce');
  });

  it('the companion plugin is not active (404): says to install it', async () => {
    const { client } = clientFor(wordpress.plain);
    const error = await rejection(client.companionInfo());
    expect(error).toMatchObject({ code: 'NOT_FOUND', reason: 'plugin-missing', status: 404, wpCode: 'rest_no_route' });
    expect(error.message).toContain('ForceSites Companion plugin is not active');
    expect(error.hint).toContain('Upload Plugin');
  });

  it('WooCommerce is not active (404): says so instead of "no route"', async () => {
    const { client } = clientFor(wordpress.plain);
    const error = await rejection(collect(client.orders()));
    expect(error).toMatchObject({ reason: 'woocommerce-missing', status: 404 });
    expect(error.hint).toContain('Activate WooCommerce');
  });

  it('a user that does not exist', async () => {
    const { client } = clientFor(wordpress.main);
    const error = await rejection(client.getUser(987_654));
    expect(error).toMatchObject({ code: 'NOT_FOUND', reason: 'not-found', wpCode: 'rest_user_invalid_id' });
  });

  it('WordPress crashes: its "critical error" answer becomes advice about plugins', async () => {
    const { client } = clientFor(wordpress.main);
    const error = await rejection(client.getJson('/forcesites-test/v1/crash'));
    expect(error).toMatchObject({ reason: 'server-error', status: 500, wpCode: 'internal_server_error' });
    expect(error.message).toContain('There has been a critical error on this website');
    expect(error.hint).toContain('PHP error log');
  });

  it('PHP prints a fatal error as a web page: the error is quoted', async () => {
    const { client } = clientFor(wordpress.main);
    const error = await rejection(client.getJson('/forcesites-test/v1/crash', { kind: 'php' }));
    expect(error).toMatchObject({ reason: 'html-error-page' });
    expect(error.message).toContain('Fatal error: Uncaught Error: Call to undefined function forcesites_test_function_that_does_not_exist()');
  });

  it('PHP warnings before the JSON: says to hide PHP messages', async () => {
    const { client } = clientFor(wordpress.main);
    const error = await rejection(client.getJson('/forcesites-test/v1/noisy'));
    expect(error).toMatchObject({ reason: 'invalid-response', status: 200 });
    expect(error.hint).toContain('WP_DEBUG_DISPLAY');
  });

  it('a firewall page instead of the API', async () => {
    const { client } = clientFor(wordpress.main);
    const error = await rejection(client.getJson('/forcesites-test/v1/not-json'));
    expect(error).toMatchObject({ reason: 'blocked' });
    expect(error.hint).toContain('/wp-json/');
  });

  it('a site slower than the deadline: times out and says so', async () => {
    const { client } = clientFor(wordpress.main, { timeoutMs: 1_000 });
    await client.discover();
    const error = await rejection(client.getJson('/forcesites-test/v1/slow', { seconds: 5 }));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', reason: 'timeout' });
    expect(error.message).toContain('did not answer within 1 s');
  });

  it("the caller's own cancel is not reported as the site's fault", async () => {
    const { client } = clientFor(wordpress.main);
    await client.discover();
    const controller = new AbortController();
    const pending = client.getJson('/forcesites-test/v1/slow', { seconds: 5 }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a refused change: WordPress names the bad field', async () => {
    const { client } = clientFor(wordpress.scratch);
    const error = await rejection(client.createUser({ username: `bad-email-${Date.now()}`, email: 'not an email' }));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', reason: 'invalid-request', status: 400 });
    expect(error.message).toContain('email');
  });
});
