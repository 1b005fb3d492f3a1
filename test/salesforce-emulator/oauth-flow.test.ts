import { Connection, OAuth2 } from 'jsforce';
import { describe, expect, it } from 'vitest';
import { api, browserLogin, connectWithPkce, exchange, refreshCall, tokenCall } from './test-support';
import { useEmulator } from './use-emulator';

const emu = useEmulator();

describe('web-server flow with PKCE through the HTML forms', () => {
  it('logs a jsforce client in: login form, consent, redirect with code and state, token exchange', async () => {
    const { conn, login } = await connectWithPkce(emu);
    expect(login.consentShown).toBe(true);
    expect(login.location.origin + login.location.pathname).toBe(emu.redirectUris[0]);
    expect(login.location.searchParams.get('state')).toBe('st-123');
    expect(login.location.search).toMatch(/code=aPrx[^&]+%3D%3D/);
    expect(conn.instanceUrl).toBe(emu.instanceUrl);
    expect(conn.accessToken).toMatch(new RegExp(`^${emu.orgId.slice(0, 15)}!`));
    expect(conn.refreshToken).toBeTruthy();
    expect(conn.userInfo?.id).toBe(emu.users[0]!.userId);
    expect(conn.userInfo?.organizationId).toBe(emu.orgId);
    const identity = (await conn.identity()) as unknown as Record<string, unknown>;
    expect(identity.username).toBe(emu.users[0]!.username);
    expect((identity.urls as Record<string, string>).rest).toBe(`${emu.instanceUrl}/services/data/v{version}/`);
  });

  it('works with jsforce OAuth2 useVerifier (a 171-character verifier it adds by itself)', async () => {
    const oauth2 = new OAuth2({ loginUrl: emu.loginUrl, clientId: emu.clientId, redirectUri: emu.redirectUris[0]!, useVerifier: true });
    const page = await (await fetch(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 's' }))).text();
    const flow = /name="flow" value="([^"]+)"/.exec(page)![1]!;
    const form = (fields: Record<string, string>) => fetch(`${emu.loginUrl}/services/oauth2/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    const consent = await (await form({ flow, username: emu.users[0]!.username, password: emu.users[0]!.password })).text();
    const redirect = await form({ flow: /name="flow" value="([^"]+)"/.exec(consent)![1]!, approve: 'Allow' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const token = (await oauth2.requestToken(code)) as { access_token: string };
    expect(token.access_token).toBeTruthy();
  });

  it('returns the documented token fields: string issued_at, Bearer, identity URL on the login host, HMAC signature', async () => {
    const login = await browserLogin(emu);
    const { status, body } = await exchange(emu, login);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body.token_type).toBe('Bearer');
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body.id).toBe(`${emu.loginUrl}/id/${emu.orgId}/${emu.users[0]!.userId}`);
    expect(body.instance_url).toBe(emu.instanceUrl);
    expect(body.scope!.split(' ').sort()).toEqual(['api', 'id', 'refresh_token']);
    expect(Buffer.from(body.signature!, 'base64')).toHaveLength(32);
  });

  it('omits refresh_token when neither refresh_token nor offline_access was granted', async () => {
    const { body } = await exchange(emu, await browserLogin(emu, { scope: 'api id' }));
    expect(body.access_token).toBeTruthy();
    expect(body).not.toHaveProperty('refresh_token');
  });

  it('skips consent once the user has a live approval, but prompt=login still shows the login form', async () => {
    await connectWithPkce(emu);
    const second = await browserLogin(emu);
    expect(second.consentShown).toBe(false);
    expect(second.code).toBeTruthy();
  });

  it('asks for consent again with prompt=consent', async () => {
    await connectWithPkce(emu);
    expect((await browserLogin(emu, { prompt: 'login consent' })).consentShown).toBe(true);
  });

  it('reuses the browser session cookie unless prompt=login', async () => {
    const oauthUrl = (prompt?: string) =>
      `${emu.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${emu.clientId}&redirect_uri=${encodeURIComponent(emu.redirectUris[0]!)}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256${prompt ? `&prompt=${prompt}` : ''}`;
    const page = await (await fetch(oauthUrl())).text();
    const flow = /name="flow" value="([^"]+)"/.exec(page)![1]!;
    const login = await fetch(`${emu.loginUrl}/services/oauth2/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ flow, username: emu.users[0]!.username, password: emu.users[0]!.password }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^sid=/);
    const again = await fetch(oauthUrl(), { headers: { cookie } });
    expect(await again.text()).toContain('name="approve"'); // logged in already: straight to consent
    const forced = await fetch(oauthUrl('login'), { headers: { cookie } });
    expect(await forced.text()).toContain('name="password"');
  });

  it('redirects with access_denied when the user presses Deny', async () => {
    const { location, code } = await browserLogin(emu, { deny: true });
    expect(code).toBeNull();
    expect(location.search).toContain('error=access_denied&error_description=end-user+denied+authorization');
    expect(location.searchParams.get('state')).toBe('st-123');
  });

  it('re-shows the login form with an error for a wrong password', async () => {
    const page = await (await fetch(`${emu.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${emu.clientId}&redirect_uri=${encodeURIComponent(emu.redirectUris[0]!)}&code_challenge=${'b'.repeat(43)}`)).text();
    const flow = /name="flow" value="([^"]+)"/.exec(page)![1]!;
    const res = await fetch(`${emu.loginUrl}/services/oauth2/authorize`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ flow, username: emu.users[0]!.username, password: 'wrong' }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Please check your username and password');
  });

  it('shows an error page, not a redirect, for an unknown client_id or an unregistered redirect_uri', async () => {
    const bad = await fetch(`${emu.loginUrl}/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(emu.redirectUris[0]!)}`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('error=invalid_client_id&amp;error_description=client%20identifier%20invalid');
    const port = await fetch(`${emu.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${emu.clientId}&redirect_uri=${encodeURIComponent('http://localhost:1720/OauthRedirect')}`, { redirect: 'manual' });
    expect(port.status).toBe(400);
    expect(port.headers.get('location')).toBeNull();
    expect(await port.text()).toContain('redirect_uri_mismatch');
  });

  it('accepts the 127.0.0.1 and alternate-port callbacks that are registered', async () => {
    const { conn } = await connectWithPkce(emu, { redirectUri: 'http://127.0.0.1:1719/OauthRedirect' });
    expect(conn.accessToken).toBeTruthy();
  });

  it('requires a PKCE challenge when the app is configured so, and checks the verifier', async () => {
    const noPkce = await browserLogin(emu, { noPkce: true });
    expect(noPkce.location.searchParams.get('error')).toBe('invalid_request');
    expect(noPkce.location.searchParams.get('error_description')).toBe('missing required code challenge');

    const login = await browserLogin(emu);
    const wrong = await tokenCall(emu, { grant_type: 'authorization_code', code: login.code!, client_id: emu.clientId, redirect_uri: emu.redirectUris[0]!, code_verifier: 'x'.repeat(43) });
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid code verifier' } });
  });

  it('lets a code be used once and only for 15 minutes', async () => {
    const login = await browserLogin(emu);
    expect((await exchange(emu, login)).status).toBe(200);
    expect(await exchange(emu, login)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } });

    const late = await browserLogin(emu);
    emu.handle.advanceClock({ minutes: 16 });
    expect(await exchange(emu, late)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'expired authorization code' } });
  });

  it('answers token-endpoint errors as JSON objects with HTTP 400', async () => {
    expect(await tokenCall(emu, { grant_type: 'authorization_code', code: 'x', client_id: 'nope' })).toEqual({ status: 400, body: { error: 'invalid_client_id', error_description: 'client identifier invalid' } });
    expect(await tokenCall(emu, { grant_type: 'password', client_id: emu.clientId })).toEqual({ status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } });
    expect(await tokenCall(emu, { grant_type: 'refresh_token', refresh_token: 'made-up', client_id: emu.clientId })).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } });
    const login = await browserLogin(emu);
    expect(await exchange(emu, login, { redirectUri: emu.redirectUris[1] })).toEqual({ status: 400, body: { error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' } });
    const garbage = await fetch(`${emu.loginUrl}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
  });

  it('requires the client secret of a confidential app', async () => {
    const wpf = emu.handle.describeOrg(emu.handle.org()).apps.find((a) => a.name === 'WP Fusion (OAuth)')!;
    const login = await browserLogin(emu, { clientId: wpf.clientId, redirectUri: wpf.redirectUris[0], noPkce: true });
    const base = { grant_type: 'authorization_code', code: login.code!, client_id: wpf.clientId, redirect_uri: wpf.redirectUris[0]! };
    expect(await tokenCall(emu, base)).toEqual({ status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } });
  });
});

describe('sessions and refresh', () => {
  it('refreshes transparently in jsforce after the session times out on the simulated clock', async () => {
    const { conn } = await connectWithPkce(emu);
    const before = conn.accessToken;
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    emu.handle.advanceClock({ minutes: 121 });
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBe(15000);
    expect(refreshed).toBe(1);
    expect(conn.accessToken).not.toBe(before);
  });

  it('answers 401 INVALID_SESSION_ID with WWW-Authenticate for an expired or unknown token', async () => {
    const { conn } = await connectWithPkce(emu);
    emu.handle.expireAllSessions();
    const res = await api(emu, conn.accessToken!, 'limits');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Token');
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('keeps the session alive while it is used (inactivity timeout)', async () => {
    const { conn } = await connectWithPkce(emu);
    for (let i = 0; i < 3; i++) {
      emu.handle.advanceClock({ minutes: 100 });
      expect((await api(emu, conn.accessToken!, 'limits')).status).toBe(200);
    }
  });

  it('uses the configured session timeout', async () => {
    emu.handle.configureOrg(undefined, { sessionTimeoutMinutes: 15 });
    const { conn } = await connectWithPkce(emu);
    emu.handle.advanceClock({ minutes: 16 });
    expect((await api(emu, conn.accessToken!, 'limits')).status).toBe(401);
  });
});

describe('hosts: OAuth on the login host, data on the instance host', () => {
  it('does not serve the REST API on the login URL nor OAuth on the instance URL', async () => {
    const { conn } = await connectWithPkce(emu);
    const wrongHost = await fetch(`${emu.loginUrl}/services/data/v66.0/limits`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
    expect(wrongHost.status).toBe(404);
    expect(await wrongHost.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    const token = await fetch(`${emu.instanceUrl}/services/oauth2/token`, { method: 'POST', body: 'grant_type=refresh_token' });
    expect(token.status).toBe(404);
  });

  it('fails a jsforce client that ignores instance_url', async () => {
    const { conn } = await connectWithPkce(emu);
    const naive = new Connection({ instanceUrl: emu.loginUrl, accessToken: conn.accessToken!, version: '66.0' });
    await expect(naive.limits()).rejects.toThrow();
  });
});

describe('revoke', () => {
  it('revokes an access token only, or a refresh token with its access tokens', async () => {
    const { conn } = await connectWithPkce(emu);
    const revokeAccess = await fetch(`${emu.loginUrl}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(conn.accessToken!)}` });
    expect(revokeAccess.status).toBe(200);
    expect(await revokeAccess.text()).toBe('');
    expect((await api(emu, conn.accessToken!, 'limits')).status).toBe(401);
    const refreshed = await refreshCall(emu, conn.refreshToken!);
    expect(refreshed.status).toBe(200);

    const revokeRefresh = await fetch(`${emu.loginUrl}/services/oauth2/revoke?token=${encodeURIComponent(conn.refreshToken!)}`);
    expect(revokeRefresh.status).toBe(200);
    expect((await api(emu, refreshed.body.access_token!, 'limits')).status).toBe(401);
    expect((await refreshCall(emu, conn.refreshToken!)).body).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
  });

  it('revokes an approval by its OauthToken DeleteToken', async () => {
    const { conn } = await connectWithPkce(emu);
    const [approval] = emu.handle.approvals();
    const res = await fetch(`${emu.loginUrl}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(approval!.deleteToken)}` });
    expect(res.status).toBe(200);
    expect(emu.handle.approvals()).toHaveLength(0);
    expect((await refreshCall(emu, conn.refreshToken!)).status).toBe(400);
  });

  it('answers 400 invalid_token for an unknown token', async () => {
    const res = await fetch(`${emu.loginUrl}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'invalid token' });
  });

  it('lets jsforce logout() revoke its session', async () => {
    const { conn } = await connectWithPkce(emu);
    const token = conn.accessToken!;
    await conn.logout();
    expect((await api(emu, token, 'limits')).status).toBe(401);
  });
});

describe('identity and userinfo', () => {
  it('serves the identity URL with the documented keys and rejects bad tokens with Bad_OAuth_Token', async () => {
    const { body } = await exchange(emu, await browserLogin(emu));
    const res = await fetch(body.id!, { headers: { authorization: `Bearer ${body.access_token}` } });
    const identity = (await res.json()) as Record<string, unknown>;
    for (const key of ['id', 'asserted_user', 'user_id', 'organization_id', 'username', 'nick_name', 'display_name', 'email', 'email_verified', 'first_name', 'last_name', 'timezone', 'active', 'user_type', 'language', 'locale', 'utcOffset', 'last_modified_date', 'is_app_installed', 'urls']) {
      expect(identity).toHaveProperty(key);
    }
    const urls = identity.urls as Record<string, string>;
    for (const key of ['enterprise', 'metadata', 'partner', 'rest', 'sobjects', 'search', 'query', 'recent', 'profile', 'feeds', 'groups', 'users', 'feed_items', 'feed_elements']) expect(urls).toHaveProperty(key);
    const bad = await fetch(body.id!, { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(403);
    expect(await bad.text()).toBe('Bad_OAuth_Token');
  });

  it('serves OIDC userinfo', async () => {
    const { body } = await exchange(emu, await browserLogin(emu));
    const res = await fetch(`${emu.loginUrl}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } });
    const info = (await res.json()) as Record<string, unknown>;
    expect(info.preferred_username).toBe(emu.users[0]!.username);
    expect(info.user_id).toBe(emu.users[0]!.userId);
    expect(info.organization_id).toBe(emu.orgId);
  });
});
