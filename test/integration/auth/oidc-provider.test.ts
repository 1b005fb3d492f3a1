/**
 * The OAuth client core against an independent, standards-conformant authorization server
 * (node oidc-provider v9: PKCE required, public client, refresh token rotation), to show it is
 * not tuned to our own emulator. Only the Salesforce-specific seams are swapped: endpoints
 * come from discovery, identity from `userinfo`, and there is no API version list.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignInFinished } from '../../../common/models';
import { connectionsUnderTest } from '../../fakes/connections-under-test';
import type { IdentityReader } from '../../../main/auth/oauth-flow';
import type { OAuthEndpoints } from '../../../main/salesforce/token-client';
import { ProfileStore } from '../../../main/platform/profile-store';
import { CapturingLogger } from '../../fakes/capturing-logger';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { RecordingEventSink } from '../../fakes/recording-event-sink';
import { signInWithForms } from './support/form-browser';
import { freePort } from './support/free-port';

const CLIENT_ID = 'forcesites-desktop';

let server: Server;
let issuer: string;
let endpoints: OAuthEndpoints & { userinfo: string };
let callbackPort: number;
let tokenPosts = 0;

beforeAll(async () => {
  callbackPort = await freePort();
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [`http://localhost:${callbackPort}/OauthRedirect`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    cookies: { keys: ['forcesites-test-cookie-key'] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  });
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token') tokenPosts += 1;
    await next();
  });
  server.on('request', provider.callback());
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  endpoints = {
    authorize: discovery['authorization_endpoint']!,
    token: discovery['token_endpoint']!,
    revoke: discovery['revocation_endpoint']!,
    userinfo: discovery['userinfo_endpoint']!,
  };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** OIDC stands in for Salesforce's identity URL: the org is the issuer, the user is `sub`. */
const oidcIdentity: IdentityReader = {
  async read(tokens) {
    const response = await fetch(endpoints.userinfo, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    const body = (await response.json()) as { sub: string };
    return { orgId: 'oidc-org', userId: body.sub, username: body.sub, displayName: body.sub };
  },
};

function makeService() {
  const cwd = mkdtempSync(path.join(tmpdir(), 'forcesites-oidc-'));
  const store = new ProfileStore({ cwd });
  store.updateSettings({ callbackPorts: [callbackPort] });
  const secrets = new InMemorySecretStore();
  const events = new RecordingEventSink();
  const log = new CapturingLogger();
  const browsed: Promise<unknown>[] = [];
  const service = connectionsUnderTest({
    store,
    secrets,
    events,
    log,
    allowLoopbackHttp: true,
    openExternal: (url) => {
      browsed.push(
        signInWithForms(url, {
          fill: { login: 'alice', password: 'any' },
          callbackPrefix: `http://localhost:${callbackPort}/OauthRedirect`,
        }),
      );
    },
    endpointsFor: () => endpoints,
    identity: oidcIdentity,
    apiVersions: { pick: async () => '66.0' },
    scope: 'openid offline_access',
    // oidc-provider grants offline_access (a refresh token) only with an explicit consent prompt.
    extraAuthorizeParams: { prompt: 'consent' },
  });
  return { cwd, store, secrets, events, log, browsed, service };
}

async function tokenCall(fields: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...fields }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('OAuth client against oidc-provider (PKCE required, rotation on)', () => {
  const ctx = {} as ReturnType<typeof makeService> & { connectionId: string; finished: SignInFinished };

  it('signs in through the loopback listener with PKCE and a public client', async () => {
    Object.assign(ctx, makeService());
    const finished = ctx.events.next('auth:finished');
    const started = await ctx.service.startSignIn({ loginHostKind: 'custom', loginHost: issuer, clientId: CLIENT_ID, chooseAnotherUser: false });
    const authorize = new URL(started.authorizeUrl);
    expect(authorize.origin + authorize.pathname).toBe(endpoints.authorize);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://localhost:${callbackPort}/OauthRedirect`);
    expect(authorize.searchParams.has('client_secret')).toBe(false);
    const result = await finished;
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.connection).toMatchObject({ userId: 'alice', orgId: 'oidc-org', apiVersion: '66.0', state: { kind: 'connected' } });
    const [browser] = (await Promise.all(ctx.browsed)) as { callbackStatus: number; callbackBody: string }[];
    expect(browser?.callbackStatus).toBe(200);
    expect(browser?.callbackBody).toContain('You can close this tab');
    ctx.connectionId = result.connection!.id;
    expect(await ctx.secrets.get(`connection:${ctx.connectionId}:refresh`)).toEqual(expect.any(String));
  });

  it('refreshes an expired session once, and persists the rotated refresh token before using it', async () => {
    const firstRefresh = (await ctx.secrets.get(`connection:${ctx.connectionId}:refresh`))!;
    const conn = await ctx.service.getConnection(ctx.connectionId);
    conn.accessToken = 'expired-access-token';
    const postsBefore = tokenPosts;
    const results = await Promise.all(Array.from({ length: 50 }, () => conn.request<{ sub: string }>({ method: 'GET', url: endpoints.userinfo })));
    expect(results.every((r) => r.sub === 'alice')).toBe(true);
    expect(tokenPosts - postsBefore).toBe(1);
    const rotated = (await ctx.secrets.get(`connection:${ctx.connectionId}:refresh`))!;
    expect(rotated).not.toBe(firstRefresh);
    expect(conn.refreshToken).toBe(rotated);
    // The server really rotated: the first refresh token is spent.
    const reuse = await tokenCall({ grant_type: 'refresh_token', refresh_token: firstRefresh });
    expect(reuse.body.error).toBe('invalid_grant');
  });

  it('disconnects by revoking the refresh token at the revocation endpoint', async () => {
    // Reusing a rotated token above revoked the whole grant at oidc-provider; sign in afresh.
    const finished = ctx.events.next('auth:finished');
    await ctx.service.startSignIn({ loginHostKind: 'custom', loginHost: issuer, clientId: CLIENT_ID, chooseAnotherUser: true });
    const result = await finished;
    expect(result.ok).toBe(true);
    // Same user, same app: the existing connection is updated, not duplicated.
    expect(result.connection?.id).toBe(ctx.connectionId);
    expect(ctx.service.list()).toHaveLength(1);
    const token = (await ctx.secrets.get(`connection:${ctx.connectionId}:refresh`))!;
    const outcome = await ctx.service.disconnect(ctx.connectionId, false);
    expect(outcome).toMatchObject({ revokedAtSalesforce: true, removedLocally: true });
    expect(ctx.service.list()).toEqual([]);
    expect(ctx.secrets.entries.size).toBe(0);
    expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: token })).body.error).toBe('invalid_grant');
  });

  it('kept every token out of the profile, the events and the log', () => {
    const files = readdirSync(ctx.cwd).map((name) => readFileSync(path.join(ctx.cwd, name), 'utf8'));
    const haystack = [...files, JSON.stringify(ctx.events.events), ...ctx.log.lines].join('\n');
    expect(ctx.secrets.written.length).toBeGreaterThan(0);
    for (const secret of ctx.secrets.written) expect(haystack).not.toContain(secret);
  });
});
