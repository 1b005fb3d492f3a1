/**
 * The whole sign-in core against the Salesforce emulator: a real loopback listener, an HTTP
 * client playing the browser through the login and consent forms, jsforce for API calls,
 * and the emulator's request log to count token calls.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import type { ConnectionDto, SignInFinished } from '../../../common/models';
import { connectionsUnderTest, type ConnectionsUnderTest, type ConnectionsUnderTestOptions } from '../../fakes/connections-under-test';
import { readApiUsage } from '../../../main/salesforce/limit-info';
import { ProfileStore } from '../../../main/platform/profile-store';
import { SiteService } from '../../../main/sites/site-service';
import { FORCESITES_REDIRECT_URIS, startEmulator, type RunningEmulator } from '../../salesforce-emulator/index';
import { connectWithPkce, refreshCall } from '../../salesforce-emulator/test-support';
import { CapturingLogger } from '../../fakes/capturing-logger';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { RecordingEventSink } from '../../fakes/recording-event-sink';
import { signInWithForms } from './support/form-browser';
import { closeLingeringListeners } from '../../../main/auth/loopback-server';
import { freePort } from './support/free-port';
import { rejection } from '../../support/app-error-rejection';

let emu: RunningEmulator;
let callbackPort: number;

beforeAll(async () => {
  emu = await startEmulator();
  callbackPort = await freePort();
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.handle.reset();
  // Our own callback port, so this file never competes with others for 1717–1719.
  emu.handle.configureApp(undefined, 'ForceSites', {
    redirectUris: [...FORCESITES_REDIRECT_URIS, `http://localhost:${callbackPort}/OauthRedirect`],
  });
});

interface Harness {
  readonly cwd: string;
  readonly store: ProfileStore;
  readonly secrets: InMemorySecretStore;
  readonly events: RecordingEventSink;
  readonly log: CapturingLogger;
  readonly service: ConnectionsUnderTest;
  /** Every access and refresh token any token response carried. */
  readonly issuedTokens: string[];
  /** Who the "browser" signs in as next. */
  readonly user: { username: string; password: string };
}

const services: ConnectionsUnderTest[] = [];

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.whenIdle()));
  // A cancelled sign-in keeps its port for a while to tell its tab; the next test needs it.
  await closeLingeringListeners();
});

function harness(options: Partial<ConnectionsUnderTestOptions> & { cwd?: string; secrets?: InMemorySecretStore } = {}): Harness {
  const cwd = options.cwd ?? mkdtempSync(path.join(tmpdir(), 'forcesites-emu-'));
  const store = new ProfileStore({ cwd });
  store.updateSettings({ callbackPorts: [callbackPort] });
  const secrets = options.secrets ?? new InMemorySecretStore();
  const events = new RecordingEventSink();
  const log = new CapturingLogger();
  const issuedTokens: string[] = [];
  const user = { username: emu.users[0]!.username, password: emu.users[0]!.password };
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (String(input).includes('/services/oauth2/token') && response.ok) {
      const body = (await response.clone().json()) as Record<string, unknown>;
      for (const key of ['access_token', 'refresh_token']) if (typeof body[key] === 'string') issuedTokens.push(body[key]);
    }
    return response;
  };
  const service = connectionsUnderTest({
    store,
    secrets,
    events,
    log,
    allowLoopbackHttp: true,
    fetch: recordingFetch,
    openExternal: (url) => {
      void signInWithForms(url, {
        fill: { username: user.username, password: user.password },
        press: ['approve'],
        callbackPrefix: `http://localhost:${callbackPort}/OauthRedirect`,
      }).catch(() => undefined);
    },
    ...options,
  });
  services.push(service);
  return { cwd, store, secrets, events, log, issuedTokens, user, service };
}

async function signIn(h: Harness, user = emu.users[0]!, extra: { reauthorizeConnectionId?: string } = {}): Promise<SignInFinished> {
  h.user.username = user.username;
  h.user.password = user.password;
  const finished = h.events.next('auth:finished');
  await h.service.startSignIn({
    loginHostKind: 'custom',
    loginHost: emu.loginUrl,
    clientId: emu.clientId,
    chooseAnotherUser: true,
    ...extra,
  });
  return finished;
}

async function connected(h: Harness, user = emu.users[0]!): Promise<ConnectionDto> {
  const result = await signIn(h, user);
  if (!result.ok || result.connection === undefined) throw new Error(`sign-in failed: ${JSON.stringify(result.error)}`);
  return result.connection;
}

function tokenRequests(): number {
  return emu.handle.requestLog({ kind: 'oauth-token' }).counts['oauth-token'] ?? 0;
}

describe('sign-in against the Salesforce emulator', () => {
  it('signs in through the browser forms and the loopback listener and records the connection', async () => {
    const h = harness();
    const admin = emu.users[0]!;
    const finished = await signIn(h);
    expect(finished.error).toBeUndefined();
    expect(finished.connection).toMatchObject({
      loginUrl: emu.loginUrl,
      instanceUrl: emu.instanceUrl,
      clientId: emu.clientId,
      orgId: emu.orgId,
      userId: admin.userId,
      username: admin.username,
      apiVersion: '66.0',
      state: { kind: 'connected' },
    });
    expect(h.service.list()).toHaveLength(1);
    expect(h.events.of('connections:changed').at(-1)).toHaveLength(1);
    const id = finished.connection!.id;
    expect(await h.secrets.get(`connection:${id}:refresh`)).toMatch(/\S/);
    // The connection works, with the sign-in's session (no refresh needed).
    emu.handle.clearRequestLog();
    const conn = await h.service.getConnection(id);
    expect(conn.version).toBe('66.0');
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBeGreaterThan(0);
    expect(tokenRequests()).toBe(0);
    expect(readApiUsage(conn)).toEqual({ used: expect.any(Number), max: limits.DailyApiRequests?.Max });
  });

  it('reports a denied consent as AUTH_DENIED with Salesforce’s description', async () => {
    const h = harness({
      openExternal: (url) => {
        void signInWithForms(url, {
          fill: { username: emu.users[0]!.username, password: emu.users[0]!.password },
          press: ['deny'],
          callbackPrefix: `http://localhost:${callbackPort}/OauthRedirect`,
        }).catch(() => undefined);
      },
    });
    const finished = await signIn(h);
    expect(finished.ok).toBe(false);
    expect(finished.error?.code).toBe('AUTH_DENIED');
    expect(finished.error?.message).toContain('end-user denied authorization');
    expect(h.service.list()).toEqual([]);
  });

  it('makes exactly one token request when 50 calls meet an expired session', async () => {
    const h = harness();
    const { id } = await connected(h);
    const conn = await h.service.getConnection(id);
    await conn.limits();
    emu.handle.expireAllSessions();
    emu.handle.clearRequestLog();
    const results = await Promise.all(Array.from({ length: 50 }, () => conn.limits()));
    expect(results).toHaveLength(50);
    expect(tokenRequests()).toBe(1);
  });

  it('tells its onRefreshed listener after each refresh, so health can restart the keep-alive window', async () => {
    const refreshed: string[] = [];
    const h = harness({ onRefreshed: (connectionId) => refreshed.push(connectionId) });
    const { id } = await connected(h);
    const conn = await h.service.getConnection(id);
    await conn.limits();
    expect(refreshed).toEqual([]);
    emu.handle.expireAllSessions();
    await conn.limits();
    expect(refreshed).toEqual([id]);
  });

  it('persists a rotated refresh token, so a restarted app keeps working', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const h = harness();
    const { id } = await connected(h);
    const first = await h.secrets.get(`connection:${id}:refresh`);
    emu.handle.expireAllSessions();
    await (await h.service.getConnection(id)).limits();
    const rotated = await h.secrets.get(`connection:${id}:refresh`);
    expect(rotated).not.toBe(first);
    // "Restart": a new service over the same profile directory and keychain.
    const restarted = harness({ cwd: h.cwd, secrets: h.secrets });
    emu.handle.expireAllSessions();
    emu.handle.clearRequestLog();
    await (await restarted.service.getConnection(id)).limits();
    expect(tokenRequests()).toBe(1);
    expect(await h.secrets.get(`connection:${id}:refresh`)).not.toBe(rotated);
  });

  it('builds one Connection when several callers ask at once after a restart, so rotation never revokes the approval', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const h = harness();
    const { id, username } = await connected(h);
    // "Restart": nothing cached, sessions expired, three first calls at the same moment
    // (health:check + health:census + auth:preflight do this at start-up).
    const restarted = harness({ cwd: h.cwd, secrets: h.secrets });
    emu.handle.expireAllSessions();
    emu.handle.clearRequestLog();
    const connections = await Promise.all([restarted.service.getConnection(id), restarted.service.getConnection(id), restarted.service.getConnection(id)]);
    expect(new Set(connections).size).toBe(1);
    await Promise.all(connections.map((conn) => conn.limits()));
    expect(tokenRequests()).toBe(1);
    expect(emu.handle.approvals(undefined, { app: 'ForceSites', user: username })).toHaveLength(1);
    expect(restarted.service.list()[0]?.state.kind).toBe('connected');
  });

  it('refreshes on demand for the keep-alive: one token call, rotated token persisted, dead tokens reported', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const h = harness();
    const { id, username } = await connected(h);
    const before = await h.secrets.get(`connection:${id}:refresh`);
    emu.handle.clearRequestLog();
    await Promise.all([h.service.refresh(id), h.service.refresh(id)]);
    expect(tokenRequests()).toBe(1);
    expect(await h.secrets.get(`connection:${id}:refresh`)).not.toBe(before);
    await expect((await h.service.getConnection(id)).limits()).resolves.toBeDefined();
    for (const approval of emu.handle.approvals(undefined, { app: 'ForceSites', user: username })) emu.handle.revokeToken(approval.deleteToken);
    expect((await rejection(h.service.refresh(id))).code).toBe('NEEDS_REAUTHORIZATION');
    expect(h.service.list()[0]?.state.kind).toBe('needs-reauthorization');
  });

  it('marks a connection evicted by the approval cap for reauthorization while another keeps working', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { approvalCap: 2 });
    const explained: string[] = [];
    const h = harness({
      // Stands in for the health engineer's census.
      explainInvalidGrant: async (connection) => {
        explained.push(connection.id);
        const live = emu.handle.approvals(undefined, { app: 'ForceSites', user: connection.username });
        return live.length >= 2 ? { cause: 'evicted-by-approval-cap', detail: `${connection.username} holds ${live.length} newer approvals.` } : undefined;
      },
    });
    const [admin, integration] = emu.users as [RunningEmulator['users'][number], RunningEmulator['users'][number]];
    const adminConnection = await connected(h, admin);
    const integrationConnection = await connected(h, integration);
    const adminConn = await h.service.getConnection(adminConnection.id);
    const integrationConn = await h.service.getConnection(integrationConnection.id);
    await Promise.all([adminConn.limits(), integrationConn.limits()]);

    // The admin authorizes the same app twice elsewhere: ForceSites' approval is the oldest and goes.
    await connectWithPkce(emu, { username: admin.username, password: admin.password });
    await connectWithPkce(emu, { username: admin.username, password: admin.password });

    const error = await rejection(adminConn.limits());
    expect(error.code).toBe('NEEDS_REAUTHORIZATION');
    // Marked at once (before the call rejected); the diagnosis follows on the event bus.
    expect(h.service.list().find((c) => c.id === adminConnection.id)?.state.kind).toBe('needs-reauthorization');
    await expect.poll(() => h.service.list().find((c) => c.id === adminConnection.id)?.state).toMatchObject({ kind: 'needs-reauthorization', cause: 'evicted-by-approval-cap' });
    expect(explained).toEqual([adminConnection.id]);
    expect(h.events.of('connections:changed').at(-1)?.find((c) => c.id === adminConnection.id)?.state.kind).toBe('needs-reauthorization');
    // Persisted: a fresh store over the same directory sees it.
    expect(new ProfileStore({ cwd: h.cwd }).getConnection(adminConnection.id)?.state.kind).toBe('needs-reauthorization');

    // The other user's connection is unaffected, even through an expiry and refresh.
    emu.handle.expireAllSessions();
    await expect(integrationConn.limits()).resolves.toBeDefined();

    // No more token requests for the dead connection.
    emu.handle.clearRequestLog();
    expect((await rejection(h.service.getConnection(adminConnection.id))).code).toBe('NEEDS_REAUTHORIZATION');
    expect((await rejection(adminConn.limits())).code).toBe('NEEDS_REAUTHORIZATION');
    expect(tokenRequests()).toBe(0);

    // Reauthorizing brings the same connection back.
    const again = await signIn(h, admin, { reauthorizeConnectionId: adminConnection.id });
    expect(again.connection).toMatchObject({ id: adminConnection.id, state: { kind: 'connected' } });
    await expect((await h.service.getConnection(adminConnection.id)).limits()).resolves.toBeDefined();
  });

  it('without a census, says the cause is unknown and names the likely ones', async () => {
    const h = harness();
    const { id, username } = await connected(h);
    const conn = await h.service.getConnection(id);
    for (const approval of emu.handle.approvals(undefined, { app: 'ForceSites', user: username })) emu.handle.revokeToken(approval.deleteToken);
    await rejection(conn.limits());
    const state = h.service.list()[0]?.state;
    expect(state).toMatchObject({ kind: 'needs-reauthorization', cause: 'unknown' });
    expect(state?.kind === 'needs-reauthorization' && state.detail).toMatch(/approvals per user per app/);
  });

  it('refuses to reauthorize a connection as a different user, and gives the new approval back', async () => {
    const h = harness();
    const [admin, integration] = emu.users as [RunningEmulator['users'][number], RunningEmulator['users'][number]];
    const { id } = await connected(h, admin);
    const result = await signIn(h, integration, { reauthorizeConnectionId: id });
    expect(result.error?.code).toBe('CONFLICT');
    expect(emu.handle.approvals(undefined, { app: 'ForceSites', user: integration.username })).toHaveLength(0);
  });

  it('updates the existing connection when the same user signs in again, and revokes the approval it replaces', async () => {
    const h = harness();
    const first = await connected(h);
    const second = await connected(h);
    expect(second.id).toBe(first.id);
    expect(h.service.list()).toHaveLength(1);
    await expect.poll(() => emu.handle.approvals(undefined, { app: 'ForceSites', user: first.username }).length).toBe(1);
  });

  it('caps the refresh loop when the API keeps answering 401 after a successful refresh', async () => {
    const always401: Server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
    });
    await new Promise<void>((resolve) => always401.listen(0, '127.0.0.1', resolve));
    try {
      const h = harness();
      const { id } = await connected(h);
      const conn = await h.service.getConnection(id);
      emu.handle.clearRequestLog();
      const url = `http://127.0.0.1:${(always401.address() as { port: number }).port}/services/data/v66.0/limits`;
      const error = await rejection(conn.request({ method: 'GET', url }));
      expect(error.code).toBe('SALESFORCE_ERROR');
      expect(error.message).toContain('401');
      expect(tokenRequests()).toBe(1);
      // The connection itself is fine: its refresh token still works on the real API.
      await expect(conn.limits()).resolves.toBeDefined();
    } finally {
      always401.closeAllConnections();
      await new Promise((resolve) => always401.close(resolve));
    }
  });

  it('disconnect revokes the approval in Salesforce, then deletes the keychain entry and the record', async () => {
    const h = harness();
    const sites = new SiteService({ store: h.store, secrets: h.secrets, bus: h.service.bus });
    const { id, username } = await connected(h);
    const site = await sites.save({
      name: 'Shop',
      wordpressUrl: 'https://shop.example.com',
      wordpressUsername: 'editor',
      connectionId: id,
      objectType: 'Contact',
      tagMode: 'topics',
      tagField: null,
      fieldMapping: [],
    });
    expect(h.service.list()[0]?.siteIds).toEqual([site.id]);
    const token = (await h.secrets.get(`connection:${id}:refresh`))!;
    const result = await h.service.disconnect(id, false);
    expect(result).toMatchObject({ revokedAtSalesforce: true, removedLocally: true });
    expect(emu.handle.approvals(undefined, { app: 'ForceSites', user: username })).toHaveLength(0);
    expect((await refreshCall(emu, token)).body.error).toBe('invalid_grant');
    expect(h.secrets.entries.size).toBe(0);
    expect(h.service.list()).toEqual([]);
    expect(sites.list()[0]?.connectionId).toBeNull();
    expect((await rejection(h.service.getConnection(id))).code).toBe('NOT_FOUND');
  });

  it('keeps the connection when revocation fails unless told to remove it locally', async () => {
    const failingRevoke: typeof fetch = async (input, init) => {
      if (String(input).includes('/services/oauth2/revoke')) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const h = harness({ fetch: failingRevoke });
    const { id } = await connected(h);
    const kept = await h.service.disconnect(id, false);
    expect(kept).toMatchObject({ revokedAtSalesforce: false, removedLocally: false });
    expect(kept.message).toMatch(/Nothing was removed/);
    expect(h.service.list()).toHaveLength(1);
    const removed = await h.service.disconnect(id, true);
    expect(removed).toMatchObject({ revokedAtSalesforce: false, removedLocally: true });
    expect(removed.message).toMatch(/Connected Apps OAuth Usage/);
    expect(h.service.list()).toEqual([]);
    expect(h.secrets.entries.size).toBe(0);
  });

  it('refuses a login host outside demo mode before opening the browser', async () => {
    let opened = false;
    const h = harness({ allowLoopbackHttp: false, openExternal: () => void (opened = true) });
    const error = await rejection(h.service.startSignIn({ loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false }));
    expect(error.code).toBe('INVALID_LOGIN_HOST');
    expect(opened).toBe(false);
  });

  it('runs the preflight hook before opening the browser and stops when it throws', async () => {
    let opened = false;
    const seen: unknown[] = [];
    const h = harness({
      openExternal: () => void (opened = true),
      preflight: async (context) => {
        seen.push(context);
        throw new AppError('CONFLICT', 'This sign-in would evict the approval of site Shop.');
      },
    });
    const error = await rejection(h.service.startSignIn({ loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false }));
    expect(error.code).toBe('CONFLICT');
    expect(opened).toBe(false);
    expect(seen).toEqual([{ loginUrl: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false, existingConnections: [] }]);
  });

  it('cancels a waiting sign-in and reports AUTH_CANCELLED', async () => {
    const h = harness({ openExternal: () => undefined });
    const finished = h.events.next('auth:finished');
    const started = await h.service.startSignIn({ loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false });
    expect(await h.service.cancelSignIn(started.flowId)).toEqual({ cancelled: true });
    expect((await finished).error?.code).toBe('AUTH_CANCELLED');
    expect(await h.service.cancelSignIn(started.flowId)).toEqual({ cancelled: false });
  });

  it('close() ends a waiting sign-in and frees the callback port', async () => {
    const h = harness({ openExternal: () => undefined });
    const finished = h.events.next('auth:finished');
    await h.service.startSignIn({ loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false });
    await h.service.close();
    expect((await finished).error?.code).toBe('AUTH_CANCELLED');
    await expect(fetch(`http://127.0.0.1:${callbackPort}/OauthRedirect`)).rejects.toThrow();
  });

  it('starting a second sign-in replaces one the admin abandoned in the browser', async () => {
    const h = harness({ openExternal: () => undefined });
    const first = h.events.next('auth:finished');
    await h.service.startSignIn({ loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false });
    const second = await h.service.startSignIn({ loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false });
    expect((await first).error?.code).toBe('AUTH_CANCELLED');
    expect(second.redirectUri).toBe(`http://localhost:${callbackPort}/OauthRedirect`);
    await h.service.close();
  });

  it('serialises simultaneous sign-ins (a double click) so only the latest one listens', async () => {
    const h = harness({ openExternal: () => undefined });
    const request = { loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false } as const;
    const [a, b] = await Promise.all([h.service.startSignIn(request), h.service.startSignIn(request)]);
    expect(a.flowId).not.toBe(b.flowId);
    expect(await h.service.cancelSignIn(a.flowId)).toEqual({ cancelled: false });
    expect(await h.service.cancelSignIn(b.flowId)).toEqual({ cancelled: true });
  });

  it('names the busy callback port instead of taking it over', async () => {
    const owner = createServer((_req, res) => res.end('other tool'));
    await new Promise<void>((resolve) => owner.listen(callbackPort, '127.0.0.1', resolve));
    try {
      const h = harness({ openExternal: () => undefined });
      const error = await rejection(h.service.startSignIn({ loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: false }));
      expect(error.code).toBe('AUTH_PORT_BUSY');
      expect(error.message).toContain(String(callbackPort));
      expect(await (await fetch(`http://127.0.0.1:${callbackPort}/`)).text()).toBe('other tool');
    } finally {
      owner.closeAllConnections();
      await new Promise((resolve) => owner.close(resolve));
    }
  });

  it('keeps every token and password out of the profile files, the events and the log', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const h = harness();
    const sites = new SiteService({ store: h.store, secrets: h.secrets, bus: h.service.bus, log: h.log });
    const { id } = await connected(h);
    const wordpressPassword = 'abcd EFGH 1234 ijkl MNOP 5678';
    await sites.save({
      name: 'Shop',
      wordpressUrl: 'https://shop.example.com',
      wordpressUsername: 'editor',
      wordpressPassword,
      connectionId: id,
      objectType: 'Contact',
      tagMode: 'topics',
      tagField: null,
      fieldMapping: [],
    });
    const conn = await h.service.getConnection(id);
    await conn.limits();
    emu.handle.expireAllSessions();
    await conn.limits();
    const result = await h.service.disconnect(id, false);
    expect(result.revokedAtSalesforce).toBe(true);

    const secrets = [...new Set([...h.issuedTokens, ...h.secrets.written, wordpressPassword])];
    // sign-in (access + refresh) and a rotated refresh (access + refresh) at least
    expect(h.issuedTokens.length).toBeGreaterThanOrEqual(4);
    const files = readdirSync(h.cwd, { recursive: true })
      .map((name) => path.join(h.cwd, String(name)))
      .filter((file) => statSync(file).isFile())
      .map((file) => readFileSync(file, 'utf8'));
    expect(files.length).toBeGreaterThan(0);
    const haystack = [...files, JSON.stringify(h.events.events), ...h.log.lines].join('\n');
    for (const secret of secrets) {
      expect(haystack.includes(secret), `a secret ending ${secret.slice(-4)} leaked`).toBe(false);
    }
  });
});
