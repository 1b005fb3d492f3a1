import { describe, expect, it } from 'vitest';
import { normalizeSiteUrl, routeUrl } from '../../../main/wordpress/site-url';
import { WordpressError } from '../../../main/wordpress/wordpress-errors';

function refusal(run: () => unknown): WordpressError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WordpressError);
    return error as WordpressError;
  }
  throw new Error('expected a refusal');
}

describe('normalizeSiteUrl', () => {
  it.each([
    ['example.org', 'https://example.org'],
    ['https://example.org/', 'https://example.org'],
    ['  https://Example.org/blog/  ', 'https://example.org/blog'],
    ['https://example.org/blog/wp-admin/users.php', 'https://example.org/blog'],
    ['https://example.org/wp-json/wp/v2/users', 'https://example.org'],
    ['https://example.org/wp-login.php', 'https://example.org'],
    ['https://example.org:8443/shop', 'https://example.org:8443/shop'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['http://localhost/wp', 'http://localhost/wp'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSiteUrl(input)).toBe(expected);
  });

  it('refuses http on the internet: the application password would travel in clear text', () => {
    const error = refusal(() => normalizeSiteUrl('http://shop.example.org/blog/'));
    expect(error).toMatchObject({ reason: 'insecure-url', code: 'INVALID_REQUEST' });
    expect(error.hint).toContain('https://shop.example.org/blog');
    expect(normalizeSiteUrl('http://shop.example.org', { allowHttp: true })).toBe('http://shop.example.org');
  });

  it.each([
    ['', 'Enter the address'],
    ['ftp://example.org', 'must start with https://'],
    ['https://admin:secret@example.org', 'Leave the username and password out'],
    ['https://exa mple.org', 'is not a web address'],
  ])('refuses %j', (input, message) => {
    const error = refusal(() => normalizeSiteUrl(input));
    expect(error).toMatchObject({ reason: 'invalid-url' });
    expect(error.message).toContain(message);
  });
});

describe('routeUrl', () => {
  it('appends the route to a pretty API root', () => {
    expect(routeUrl('https://example.org/blog/wp-json/', '/wp/v2/users', { context: 'edit', page: 2 })).toBe('https://example.org/blog/wp-json/wp/v2/users?context=edit&page=2');
  });

  it('puts the route in rest_route with plain permalinks', () => {
    const url = new URL(routeUrl('https://example.org/index.php?rest_route=/', '/wp/v2/users/5', { context: 'edit' }));
    expect(url.pathname).toBe('/index.php');
    expect(url.searchParams.get('rest_route')).toBe('/wp/v2/users/5');
    expect(url.searchParams.get('context')).toBe('edit');
  });

  it('sends lists as PHP arrays and leaves out undefined values', () => {
    const url = new URL(routeUrl('https://example.org/wp-json/', '/wc/v3/orders', { status: ['completed', 'refunded'], after: undefined }));
    expect(url.searchParams.getAll('status[]')).toEqual(['completed', 'refunded']);
    expect(url.searchParams.has('after')).toBe(false);
  });
});
