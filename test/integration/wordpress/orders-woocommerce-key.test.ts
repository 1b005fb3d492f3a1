/**
 * Orders read with a WooCommerce REST API key instead of the application password, against the
 * real test WordPress whose test WooCommerce plugin checks keys the way WooCommerce does (key
 * stored hashed, OAuth 1.0a signature over plain http, timestamp window, nonce once, read
 * permission). The site is http on 127.0.0.1, so every request here is OAuth-signed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../../main/wordpress/check-site';
import { woocommerceOAuthAuthorization, type WoocommerceKey } from '../../../main/wordpress/woocommerce-auth';
import { WordpressError } from '../../../main/wordpress/wordpress-errors';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startAppHarness, type AppHarness } from '../app/app-harness';
import { clientFor, collect, memberOf, wordpress } from './wordpress-support';

const emu = useEmulator();
let harness: AppHarness | undefined;
afterEach(async () => {
  await harness?.app.close();
  harness = undefined;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const site = wordpress.main;
const adminAuth = `Basic ${Buffer.from(`${site.adminUser}:${site.applicationPassword}`).toString('base64')}`;

/** Makes a key as WooCommerce's key screen does (shown once) through the test plugin's route. */
async function makeKey(userId: number, permissions: 'read' | 'write' | 'read_write'): Promise<WoocommerceKey> {
  const response = await fetch(`${site.url}/wp-json/forcesites-test/v1/woocommerce-keys`, {
    method: 'POST',
    headers: { Authorization: adminAuth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId, permissions }),
    signal: AbortSignal.timeout(30_000),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { consumer_key: string; consumer_secret: string };
  return { consumerKey: body.consumer_key, consumerSecret: body.consumer_secret };
}

async function adminId(): Promise<number> {
  const response = await fetch(`${site.url}/wp-json/wp/v2/users/me`, { headers: { Authorization: adminAuth }, signal: AbortSignal.timeout(30_000) });
  return ((await response.json()) as { id: number }).id;
}

async function refusal(promise: Promise<unknown>): Promise<WordpressError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WordpressError);
  return error as WordpressError;
}

let key: WoocommerceKey;
let admin: number;

beforeAll(async () => {
  admin = await adminId();
  key = await makeKey(admin, 'read');
});

describe('WooCommerce orders with a REST API key (OAuth 1.0a over loopback http)', () => {
  it('reads every order with the key alone: the application password given is wrong and never used for /wc/', async () => {
    const { client: withPassword } = clientFor(site);
    const { client, lines } = clientFor(site, { password: 'wrong wrong wrong wrong', woocommerceKey: () => Promise.resolve(key) });
    const expected = await collect(withPassword.orders());
    const orders = await collect(client.orders());
    expect(orders.length).toBe(wordpress.orders);
    expect(orders).toEqual(expected);
    expect(client.woocommerceCredential).toBe('consumer-key');
    // Neither half of the key, nor a signature header, reaches a log line.
    const logged = lines.join('\n');
    expect(logged).not.toContain(key.consumerKey);
    expect(logged).not.toContain(key.consumerSecret);
    expect(logged).not.toMatch(/oauth_signature|Authorization/i);
  });

  it('signs queries with arrays, dates with a zone and several pages in flight', async () => {
    const { client: withPassword } = clientFor(site);
    const { client } = clientFor(site, { woocommerceKey: key, concurrency: 4, pageSize: 25 });
    const query = { after: '2024-06-01T00:00:00+02:00', status: ['completed', 'processing'] };
    const expected = await collect(withPassword.orders(query));
    expect(expected.length).toBeGreaterThan(25);
    expect(await collect(client.orders(query))).toEqual(expected);
    const product = (await collect(withPassword.products()))[0]!;
    expect(await client.getProduct(product.id)).toEqual(await withPassword.getProduct(product.id));
  });

  it('signs plain-permalink requests (?rest_route=) as WooCommerce rebuilds them', async () => {
    const url = `${site.url}/?rest_route=${encodeURIComponent('/wc/v3/orders')}&per_page=3&status%5B%5D=completed`;
    const response = await fetch(url, { headers: { Authorization: woocommerceOAuthAuthorization({ method: 'GET', url, siteUrl: site.url, key }) }, signal: AbortSignal.timeout(30_000) });
    expect(response.status).toBe(200);
    const orders = (await response.json()) as { status: string }[];
    expect(orders).toHaveLength(3);
    expect(orders.every((order) => order.status === 'completed')).toBe(true);
  });

  it('a wrong secret is refused with WooCommerce’s own words, naming the key, saying what to do', async () => {
    const { client } = clientFor(site, { woocommerceKey: { ...key, consumerSecret: `cs_${'0'.repeat(40)}` } });
    const error = await refusal(collect(client.orders()));
    expect(error.reason).toBe('bad-credentials');
    expect(error.status).toBe(401);
    expect(error.wpCode).toBe('woocommerce_rest_authentication_error');
    expect(error.message).toContain('Invalid signature - provided signature does not match.');
    expect(error.message).toContain(`…${key.consumerKey.slice(-7)}`);
    expect(error.hint).toContain('WooCommerce → Settings → Advanced → REST API');
    expect(error.message).not.toContain(key.consumerSecret);
  });

  it('an unknown key is refused: “Consumer key is invalid.”', async () => {
    const { client } = clientFor(site, { woocommerceKey: { consumerKey: `ck_${'1'.repeat(40)}`, consumerSecret: key.consumerSecret } });
    const error = await refusal(client.getJson('/wc/v3/orders', { per_page: 1 }));
    expect(error.message).toContain('Consumer key is invalid.');
  });

  it('a request replayed with the same nonce is refused, and a clock 20 minutes off is told to fix the clock', async () => {
    const url = `${site.url}/wp-json/wc/v3/orders?per_page=1`;
    const authorization = woocommerceOAuthAuthorization({ method: 'GET', url, siteUrl: site.url, key, nonce: `n${Date.now()}`.padEnd(32, 'x') });
    const first = await fetch(url, { headers: { Authorization: authorization }, signal: AbortSignal.timeout(30_000) });
    expect(first.status).toBe(200);
    const again = await fetch(url, { headers: { Authorization: authorization }, signal: AbortSignal.timeout(30_000) });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: 'Invalid nonce - nonce has already been used.' });

    const { client } = clientFor(site, { woocommerceKey: key, clock: () => Math.floor(Date.now() / 1000) - 20 * 60 });
    const error = await refusal(client.getJson('/wc/v3/orders', { per_page: 1 }));
    expect(error.message).toContain('Invalid timestamp.');
    expect(error.hint).toMatch(/clock/);
  });

  it('a write-only key cannot read; a key of a user without manage_woocommerce is refused the orders', async () => {
    const writeOnly = await makeKey(admin, 'write');
    const error = await refusal(clientFor(site, { woocommerceKey: writeOnly }).client.getJson('/wc/v3/orders', { per_page: 1 }));
    expect(error.message).toContain('The API key provided does not have read permissions.');
    expect(error.hint).toContain('Read');

    const memberKey = await makeKey(memberOf(site).id, 'read');
    const denied = await refusal(clientFor(site, { woocommerceKey: memberKey }).client.getJson('/wc/v3/orders', { per_page: 1 }));
    expect(denied.reason).toBe('missing-capability');
    expect(denied.wpCode).toBe('woocommerce_rest_cannot_view');
    expect(denied.message).toContain(`key ending in …${memberKey.consumerKey.slice(-7)} belongs to`);
    expect(denied.hint).toMatch(/administrator or shop manager/);
  });

  it('the site check reads the orders with the key and says so; a bad key fails only the WooCommerce step', async () => {
    const good = await checkSite({ siteUrl: site.url, username: site.adminUser, password: site.applicationPassword, woocommerceKey: key, requireWoocommerce: true });
    expect(good.woocommerce).toMatchObject({ status: 'ok', credential: 'consumer-key', active: true });
    expect(good.woocommerce.message).toContain('with the WooCommerce REST API key');
    const withPassword = await checkSite({ siteUrl: site.url, username: site.adminUser, password: site.applicationPassword, requireWoocommerce: true });
    expect(withPassword.woocommerce).toMatchObject({ status: 'ok', credential: 'application-password' });
    expect(withPassword.woocommerce.message).toContain('application password');

    const bad = await checkSite({ siteUrl: site.url, username: site.adminUser, password: site.applicationPassword, woocommerceKey: { ...key, consumerSecret: `cs_${'2'.repeat(40)}` }, requireWoocommerce: true });
    expect(bad.credentials.status).toBe('ok');
    expect(bad.woocommerce).toMatchObject({ status: 'failed', credential: 'consumer-key', reason: 'bad-credentials' });
    expect(bad.ready).toBe(false);
    expect(JSON.stringify(bad)).not.toContain(key.consumerSecret);
  });
});

describe('the key through the app’s contract', () => {
  it('is written once, kept only in the keychain, used for the orders, and never crosses IPC, logs or files', async () => {
    harness = await startAppHarness(emu);
    const h = harness;
    const finished = await h.signIn();
    const base = {
      name: 'Shop with a key',
      wordpressUrl: site.url,
      wordpressUsername: site.adminUser,
      wordpressPassword: site.applicationPassword,
      connectionId: finished.connection!.id,
      objectType: 'Contact',
      tagMode: 'none' as const,
      tagField: null,
      fieldMapping: [],
    };
    const malformed = await h.send('sites:save', { ...base, woocommerceAuth: 'consumer-key', woocommerceKey: { consumerKey: 'my key', consumerSecret: key.consumerSecret } });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(JSON.stringify(malformed)).toMatch(/ck_/);
    const noKey = await h.send('sites:save', { ...base, woocommerceAuth: 'consumer-key' });
    expect(noKey).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', hint: expect.stringMatching(/consumer key and secret/) } });

    const saved = await h.call('sites:save', { ...base, woocommerceAuth: 'consumer-key', woocommerceKey: key });
    expect(saved).toMatchObject({ woocommerceAuth: 'consumer-key', hasWoocommerceKey: true, woocommerceKeyEnding: key.consumerKey.slice(-7) });
    expect([...h.secrets.entries.values()].filter((value) => value.includes(key.consumerSecret))).toHaveLength(1);

    const check = await h.call('sites:check', { siteId: saved.id, wordpressUrl: site.url, wordpressUsername: site.adminUser });
    expect(check.woocommerce).toMatchObject({ status: 'ok', credential: 'consumer-key' });
    await h.call('orders:save-settings', { siteId: saved.id, settings: { orgCurrency: 'USD' } });
    const plan = await h.call('orders:plan', { siteId: saved.id });
    expect(plan.orders).toBeGreaterThan(0);
    expect(plan.counts.create).toBeGreaterThan(0);
    // A real send with the key: every page OAuth-signed with its own nonce, the orders in Salesforce.
    const done = new Promise<void>((resolve) => {
      const stop = h.app.events.subscribe((channel, payload) => {
        if (channel === 'orders:progress' && (payload as { phase: string }).phase === 'done') {
          stop();
          resolve();
        }
      });
    });
    const { runId } = await h.call('orders:send', { siteId: saved.id });
    await done;
    const [run] = await h.call('orders:runs', { siteId: saved.id });
    expect(run).toMatchObject({ id: runId, state: 'completed', total: plan.orders });
    expect(run!.created + run!.failed).toBe(plan.counts.create);
    expect(emu.handle.records(undefined, 'Order').length).toBe(run!.created);

    // Saving the form again without the key keeps it; a wrong one is what the orders then use.
    const again = await h.call('sites:save', { ...base, id: saved.id });
    expect(again).toMatchObject({ woocommerceAuth: 'consumer-key', hasWoocommerceKey: true });
    await h.call('sites:save', { ...base, id: saved.id, woocommerceKey: { ...key, consumerSecret: `cs_${'3'.repeat(40)}` } });
    const refused = await h.send('orders:plan', { siteId: saved.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_DENIED', message: expect.stringContaining('WooCommerce REST API key ending in') } });
    await h.call('sites:save', { ...base, id: saved.id, woocommerceKey: key });

    await h.call('sites:list', {});
    await h.call('activity:list', {});
    // Choosing the application password removes the key from the keychain.
    const back = await h.call('sites:save', { ...base, id: saved.id, woocommerceAuth: 'application-password' });
    expect(back).toMatchObject({ woocommerceAuth: 'application-password' });
    expect(back.hasWoocommerceKey).toBeUndefined();
    expect([...h.secrets.entries.values()].some((value) => value.includes(key.consumerSecret))).toBe(false);
    // And deleting the site removes a key it still has.
    await h.call('sites:save', { ...base, id: saved.id, woocommerceKey: key });
    await h.call('sites:delete', { siteId: saved.id });
    expect([...h.secrets.entries.keys()].some((account) => account.includes(saved.id))).toBe(false);
    await h.app.close();
    harness = undefined;

    const written = filesUnder(h.dataDir).map((file) => readFileSync(file, 'utf8'));
    expect(written.length).toBeGreaterThan(0);
    for (const secret of [key.consumerKey, key.consumerSecret]) {
      for (const [where, texts] of [['IPC', h.wire], ['log', h.logger.lines], ['files', written]] as const) {
        expect(texts.filter((text) => text.includes(secret)), `${where} contains the WooCommerce key`).toEqual([]);
      }
    }
  });
});

/**
 * https for real: a TLS-terminating proxy (a throw-away self-signed certificate for 127.0.0.1)
 * in front of the test WordPress, passing `X-Forwarded-Proto: https` as a reverse proxy does, so
 * WooCommerce's checks see an https request and take the key by HTTP Basic.
 */
describe('WooCommerce orders with a REST API key over https (HTTP Basic)', () => {
  let proxy: Server;
  let proxyUrl: string;
  let tlsFetch: typeof fetch;
  let certDir: string;

  beforeAll(async () => {
    certDir = mkdtempSync(path.join(tmpdir(), 'forcesites-tls-'));
    const [keyFile, certFile] = [path.join(certDir, 'key.pem'), path.join(certDir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
    const ca = readFileSync(certFile);
    const target = new URL(site.url);
    proxy = createHttpsServer({ key: readFileSync(keyFile), cert: ca }, (req, res) => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host, 'x-forwarded-proto': 'https' } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    // fetch that trusts only this certificate (Node's fetch takes no CA option).
    tlsFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      return new Promise<Response>((resolve, reject) => {
        const outgoing = httpsRequest(url, { method: init?.method ?? 'GET', headers: Object.fromEntries(new Headers(init?.headers)), ca, signal: init?.signal ?? undefined }, (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
            resolve(new Response(answer.statusCode === 204 ? null : Buffer.concat(chunks), { status: answer.statusCode ?? 500, headers }));
          });
          answer.on('error', reject);
        });
        outgoing.on('error', reject);
        if (typeof init?.body === 'string') outgoing.write(init.body);
        outgoing.end();
      });
    }) as typeof fetch;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    rmSync(certDir, { recursive: true, force: true });
  });

  it('reads the orders with the key as HTTP Basic, and a wrong secret gets WooCommerce’s Basic refusal', async () => {
    const { client: withPassword } = clientFor(site);
    const expected = await collect(withPassword.orders({ status: ['completed'] }));
    const { client, lines } = clientFor(site, { siteUrl: proxyUrl, password: 'wrong wrong wrong wrong', woocommerceKey: key, fetch: tlsFetch });
    expect(await collect(client.orders({ status: ['completed'] }))).toEqual(expected);
    expect(lines.join('\n')).not.toContain(key.consumerSecret);

    const { client: wrong } = clientFor(site, { siteUrl: proxyUrl, woocommerceKey: { ...key, consumerSecret: `cs_${'4'.repeat(40)}` }, fetch: tlsFetch });
    const error = await refusal(wrong.getJson('/wc/v3/orders', { per_page: 1 }));
    expect(error).toMatchObject({ reason: 'bad-credentials', status: 401, wpCode: 'woocommerce_rest_authentication_error' });
    // Only the Basic check says this: the OAuth one would complain about the signature.
    expect(error.message).toContain('Consumer secret is invalid.');
  });
});
