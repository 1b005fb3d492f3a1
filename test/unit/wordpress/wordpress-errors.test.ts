/**
 * The error mapping for answers the test WordPress cannot produce (other WordPress versions,
 * hosts and proxies). Bodies are as WordPress, PHP and common front ends send them.
 */
import { describe, expect, it } from 'vitest';
import { errorFromFetchFailure, errorFromResponse, errorFromUnreadableSuccess, plainText, type RequestContext } from '../../../main/wordpress/wordpress-errors';

const context: RequestContext = { host: 'shop.example.org', route: '/wp/v2/users', action: 'listing users', username: 'ada', timeoutMs: 30_000 };
const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=UTF-8', body: JSON.stringify(body) });
const html = (status: number, body: string) => ({ status, contentType: 'text/html; charset=UTF-8', body });

describe('errorFromResponse', () => {
  it('incorrect_password (WordPress versions that report it)', () => {
    const error = errorFromResponse(json(401, { code: 'incorrect_password', message: 'The provided password is an invalid application password.', data: { status: 401 } }), context);
    expect(error).toMatchObject({ code: 'AUTH_DENIED', reason: 'bad-credentials', wpCode: 'incorrect_password', status: 401 });
    expect(error.hint).toContain('for the account ada');
    expect(error.hint).toContain('Authorization header');
  });

  it('an unknown username, with WordPress’s HTML stripped from nothing we show', () => {
    const error = errorFromResponse(json(401, { code: 'invalid_username', message: '<strong>Error:</strong> Unknown username. Check again or try your email address.', data: { status: 401 } }), context);
    expect(error.message).toBe('shop.example.org has no user “ada”.');
  });

  it('application passwords turned off (http site, or a security plugin)', () => {
    const error = errorFromResponse(json(501, { code: 'application_passwords_disabled', message: 'Application passwords are not available.', data: { status: 501 } }), context);
    expect(error).toMatchObject({ code: 'AUTH_DENIED', reason: 'application-passwords-unavailable' });
    expect(error.hint).toContain('HTTPS');
  });

  it('403 rest_forbidden: the capabilities to grant', () => {
    const error = errorFromResponse(json(403, { code: 'rest_forbidden', message: 'Sorry, you are not allowed to do that.', data: { status: 403 } }), context);
    expect(error).toMatchObject({ code: 'PERMISSION_MISSING', reason: 'missing-capability' });
    expect(error.message).toContain('WordPress said: “Sorry, you are not allowed to do that.”');
  });

  it('404 rest_no_route by namespace: plugin, WooCommerce, anything else', () => {
    const noRoute = json(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
    expect(errorFromResponse(noRoute, { ...context, route: '/forcesites/v1/info' })).toMatchObject({ reason: 'plugin-missing', code: 'NOT_FOUND' });
    expect(errorFromResponse(noRoute, { ...context, route: '/wc/v3/orders' })).toMatchObject({ reason: 'woocommerce-missing' });
    expect(errorFromResponse(noRoute, context)).toMatchObject({ reason: 'route-missing' });
  });

  it('400 rest_invalid_param names each refused parameter', () => {
    const error = errorFromResponse(json(400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): email', data: { status: 400, params: { email: 'Invalid email address.' } } }), context);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', reason: 'invalid-request' });
    expect(error.message).toContain('email: Invalid email address.');
  });

  it('existing_user_email: conflict', () => {
    expect(errorFromResponse(json(400, { code: 'existing_user_email', message: 'Sorry, that email address is already used!' }), context)).toMatchObject({ code: 'CONFLICT', reason: 'conflict' });
  });

  it('WordPress’s database error page', () => {
    const error = errorFromResponse(html(500, '<!DOCTYPE html><html><body id="error-page"><div class="wp-die-message"><h1>Error establishing a database connection</h1></div></body></html>'), context);
    expect(error).toMatchObject({ reason: 'html-error-page', code: 'NETWORK_ERROR' });
    expect(error.message).toContain('cannot reach its database');
  });

  it('a firewall’s challenge page', () => {
    const error = errorFromResponse(html(403, '<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked</body></html>'), context);
    expect(error).toMatchObject({ reason: 'blocked' });
  });

  it('a proxy’s bad-gateway page', () => {
    expect(errorFromResponse(html(502, '<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>'), context)).toMatchObject({ reason: 'html-error-page', status: 502 });
  });

  it('a bare 500 without a body', () => {
    expect(errorFromResponse({ status: 500, contentType: '', body: '' }, context)).toMatchObject({ reason: 'server-error' });
  });
});

describe('errorFromUnreadableSuccess', () => {
  it('PHP notices before the JSON', () => {
    const body = '<br />\n<b>Deprecated</b>:  Creation of dynamic property is deprecated in <b>/var/www/wp-content/plugins/old/old.php</b> on line <b>12</b><br />\n[{"id":1}]';
    const error = errorFromUnreadableSuccess({ status: 200, contentType: 'application/json', body }, context);
    expect(error).toMatchObject({ reason: 'invalid-response' });
    expect(error.hint).toContain('WP_DEBUG_DISPLAY');
  });

  it('a home page served instead of the API', () => {
    expect(errorFromUnreadableSuccess(html(200, '<!doctype html><html><title>Shop</title><body>Welcome</body></html>'), context)).toMatchObject({ reason: 'not-wordpress' });
  });
});

describe('errorFromFetchFailure', () => {
  const failure = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

  it('our own deadline', () => {
    const error = errorFromFetchFailure(new DOMException('timed out', 'TimeoutError'), { ...context, timeoutMs: 15_000 }, true);
    expect(error).toMatchObject({ reason: 'timeout', code: 'NETWORK_ERROR' });
    expect(error.message).toContain('within 15 s while listing users');
  });

  it.each([
    ['ENOTFOUND', 'unreachable', 'does not resolve'],
    ['ECONNREFUSED', 'unreachable', 'refused the connection'],
    ['CERT_HAS_EXPIRED', 'certificate', 'certificate is not valid'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'certificate', 'certificate is not valid'],
    ['ECONNRESET', 'unreachable', 'Could not reach shop.example.org (ECONNRESET)'],
  ])('%s', (code, reason, message) => {
    const error = errorFromFetchFailure(failure(code), context, false);
    expect(error).toMatchObject({ reason });
    expect(error.message).toContain(message);
  });
});

describe('plainText', () => {
  it('strips tags and decodes entities once', () => {
    expect(plainText('<strong>Error:</strong> Tom &amp; Jerry&#039;s &lt;b&gt; &amp;lt;')).toBe("Error: Tom & Jerry's <b> &lt;");
  });
});
