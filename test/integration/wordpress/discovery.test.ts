/**
 * REST discovery against real WordPress sites: /wp-json/ with pretty permalinks, and the
 * fall-back to ?rest_route= on a site with permalinks off, where /wp-json/ is a 404 page.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WordpressClient } from '../../../main/wordpress/wordpress-client';
import { rejection } from '../../support/app-error-rejection';
import { clientFor, collect, wordpress } from './wordpress-support';

describe('REST discovery', () => {
  it('finds /wp-json/ on a site with pretty permalinks, without sending the password', async () => {
    const authorized: string[] = [];
    const spyingFetch: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      if (headers.has('authorization')) authorized.push(String(input));
      return fetch(input, init);
    };
    const { client } = clientFor(wordpress.main, { fetch: spyingFetch });
    const discovery = await client.discover();
    expect(discovery).toMatchObject({
      siteUrl: wordpress.main.url,
      restUrl: `${wordpress.main.url}/wp-json/`,
      mode: 'pretty',
      siteName: 'ForceSites Test Site',
      companionPlugin: true,
      woocommerce: true,
      applicationPasswords: true,
    });
    expect(discovery.namespaces).toContain('wp/v2');
    expect(authorized).toEqual([]);
  });

  it('falls back to ?rest_route= when pretty permalinks are off, and then works as usual', async () => {
    const { client } = clientFor(wordpress.plain);
    const discovery = await client.discover();
    // The API root WordPress advertises in its Link header.
    expect(discovery).toMatchObject({ restUrl: `${wordpress.plain.url}/index.php?rest_route=/`, mode: 'rest_route', siteName: 'Plain Permalinks Site', companionPlugin: false, woocommerce: false });
    // A real round trip through ?rest_route=: users, and a single user by id.
    const users = await collect(client.users());
    expect(users.map((user) => user.id)).toEqual([1, 2, 3, 4]);
    expect((await client.getUser(2)).id).toBe(2);
  });

  it('really gets a web page, not the API, at /wp-json/ on the plain site (the case the fall-back is for)', async () => {
    const response = await fetch(`${wordpress.plain.url}/wp-json/`);
    await response.arrayBuffer();
    expect(response.headers.get('content-type')).toMatch(/html/);
  });

  it('uses ?rest_route=/ itself when the site advertises no API root', async () => {
    // The same plain site, but HEAD requests (the Link header) fail as on some hosts.
    const { client } = clientFor(wordpress.plain, { fetch: (input, init) => (init?.method === 'HEAD' ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init)) });
    const discovery = await client.discover();
    expect(discovery).toMatchObject({ restUrl: `${wordpress.plain.url}/?rest_route=/`, mode: 'rest_route' });
    expect((await collect(client.users())).length).toBe(4);
  });

  it('accepts the address as admins paste it', async () => {
    for (const pasted of [`${wordpress.main.url}/`, `${wordpress.main.url}/wp-admin/`, `${wordpress.main.url}/wp-json/`, `  ${wordpress.main.url}/wp-admin/users.php  `]) {
      const { client } = clientFor({ ...wordpress.main, url: pasted });
      expect(client.siteUrl).toBe(wordpress.main.url);
      expect((await client.discover()).mode).toBe('pretty');
    }
  });

  describe('when the address is not a WordPress site', () => {
    let server: Server;
    let url = '';
    beforeAll(async () => {
      server = createServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end('<!doctype html><title>Brochure</title><h1>Welcome to our shop</h1>');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('says it is not WordPress and what to check', async () => {
      const client = new WordpressClient({ siteUrl: url, username: 'admin', password: 'unused' });
      const error = await rejection(client.discover());
      expect(error).toMatchObject({ reason: 'not-wordpress', code: 'NETWORK_ERROR' });
      expect(error.message).toContain('web page instead of WordPress');
      expect(error.hint).toMatch(/address/);
    });
  });

  it('says when nothing listens at the address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new WordpressClient({ siteUrl: `http://127.0.0.1:${port}`, username: 'admin', password: 'unused' });
    const error = await rejection(client.discover());
    expect(error).toMatchObject({ reason: 'unreachable', code: 'NETWORK_ERROR' });
    expect(error.message).toContain('refused the connection');
  });
});
