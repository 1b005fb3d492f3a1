import { describe, expect, it } from 'vitest';
import { api, browserLogin, connectWithPkce, exchange, refreshCall } from './test-support';
import { useEmulator } from './use-emulator';

const emu = useEmulator();

async function authorizeTimes(n: number, username?: string, password?: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const { body } = await exchange(emu, await browserLogin(emu, { username, password }));
    tokens.push(body.refresh_token!);
    emu.handle.advanceClock({ minutes: 1 }); // distinct CreatedDate per approval
  }
  return tokens;
}

const EXPIRED = { error: 'invalid_grant', error_description: 'expired access/refresh token' };

describe('the approval cap per user per app', () => {
  it('evicts the oldest approval when a sixth site is authorized (default cap 5)', async () => {
    const tokens = await authorizeTimes(5);
    expect(emu.handle.approvals()).toHaveLength(5);
    for (const t of tokens) expect((await refreshCall(emu, t)).status).toBe(200);

    const [sixth] = await authorizeTimes(1);
    expect(emu.handle.approvals()).toHaveLength(5);
    expect(await refreshCall(emu, tokens[0]!)).toEqual({ status: 400, body: EXPIRED });
    for (const t of [...tokens.slice(1), sixth!]) expect((await refreshCall(emu, t)).status).toBe(200);
  });

  it('evicts on the fifth authorization when the cap is 4, and a jsforce client then fails to refresh', async () => {
    emu.handle.configureOrg(undefined, { approvalCap: 4 });
    const { conn: first } = await connectWithPkce(emu);
    emu.handle.advanceClock({ minutes: 1 });
    await authorizeTimes(4);
    emu.handle.expireAllSessions();
    // jsforce wraps the token endpoint's error_description.
    await expect(first.limits()).rejects.toThrow('Unable to refresh session due to: expired access/refresh token');
  });

  it('kills the evicted approval’s access tokens at once', async () => {
    emu.handle.configureOrg(undefined, { approvalCap: 1 });
    const { conn } = await connectWithPkce(emu);
    expect((await api(emu, conn.accessToken!, 'limits')).status).toBe(200);
    await authorizeTimes(1);
    expect((await api(emu, conn.accessToken!, 'limits')).status).toBe(401);
  });

  it('counts per user and per app: another user does not evict', async () => {
    emu.handle.configureOrg(undefined, { approvalCap: 2 });
    const admin = await authorizeTimes(2);
    const other = emu.users[1]!;
    await authorizeTimes(2, other.username, other.password);
    for (const t of admin) expect((await refreshCall(emu, t)).status).toBe(200);
  });

  it('honours a per-app cap override', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { approvalCap: 2 });
    const tokens = await authorizeTimes(3);
    expect((await refreshCall(emu, tokens[0]!)).body).toEqual(EXPIRED);
  });
});

describe('authorizeDirect (no browser)', () => {
  it('creates approvals through the same rules, cap included', async () => {
    const user = emu.users[0]!.username;
    const first = emu.handle.authorizeDirect(undefined, { user }) as Record<string, string>;
    for (let i = 0; i < 5; i++) emu.handle.authorizeDirect(undefined, { user });
    expect(emu.handle.approvals()).toHaveLength(5);
    expect(await refreshCall(emu, first.refresh_token!)).toEqual({ status: 400, body: EXPIRED });
    emu.handle.configureApp(undefined, 'ForceSites', { adminApprovedOnly: true });
    expect(emu.handle.authorizeDirect(undefined, { user })).toEqual({ error: 'invalid_app_access', error_description: 'user is not admin approved to access this app' });
  });
});

describe('who may use the app', () => {
  it('rejects users who are not admin-approved when the app is admin-approved-only', async () => {
    const { conn } = await connectWithPkce(emu);
    emu.handle.configureApp(undefined, 'ForceSites', { adminApprovedOnly: true });
    expect(await refreshCall(emu, conn.refreshToken!)).toEqual({ status: 400, body: { error: 'invalid_app_access', error_description: 'user is not admin approved to access this app' } });
    const blocked = await browserLogin(emu);
    expect(blocked.location.searchParams.get('error')).toBe('OAUTH_APP_ACCESS_DENIED');
    expect(blocked.location.searchParams.get('error_description')).toBe('user is not admin approved to access this app');

    emu.handle.configureApp(undefined, 'ForceSites', { approvedUsers: [emu.users[0]!.username] });
    expect((await refreshCall(emu, conn.refreshToken!)).status).toBe(200);
    const preAuthorized = await browserLogin(emu);
    expect(preAuthorized.consentShown).toBe(false); // pre-authorized users see no consent page
    expect(preAuthorized.code).toBeTruthy();
  });

  it('blocks an uninstalled app for users who never authorized it, unless they hold ApproveUninstalledConnectedApps or UseAnyApiClient', async () => {
    const [admin, integration] = emu.users;
    const { conn } = await connectWithPkce(emu); // the admin authorized before
    emu.handle.configureApp(undefined, 'ForceSites', { installed: false });

    expect((await refreshCall(emu, conn.refreshToken!)).status).toBe(200);
    expect((await browserLogin(emu, { username: admin!.username, password: admin!.password })).code).toBeTruthy();

    const blocked = await browserLogin(emu, { username: integration!.username, password: integration!.password });
    expect(blocked.code).toBeNull();
    expect(blocked.location.searchParams.get('error')).toBe('OAUTH_APP_BLOCKED');

    emu.handle.configureUser(undefined, integration!.username, { addPermissions: ['ApproveUninstalledConnectedApps'] });
    expect((await browserLogin(emu, { username: integration!.username, password: integration!.password })).code).toBeTruthy();
  });

  it('refuses inactive users', async () => {
    const { conn } = await connectWithPkce(emu);
    emu.handle.configureUser(undefined, emu.users[0]!.username, { active: false });
    expect((await api(emu, conn.accessToken!, 'limits')).status).toBe(401);
    expect(await refreshCall(emu, conn.refreshToken!)).toEqual({ status: 400, body: { error: 'inactive_user', error_description: 'user is inactive' } });
  });
});

describe('seeing approvals through the Connect REST OAuth usage API', () => {
  it('lists apps with usage, their users and a user’s tokens, and deletes tokens (204)', async () => {
    const { conn } = await connectWithPkce(emu);
    emu.handle.advanceClock({ minutes: 1 });
    await authorizeTimes(2);
    const token = conn.accessToken!;
    const apps = (await (await api(emu, token, 'apps/oauth/usage?page=0&pageSize=100')).json()) as { apps: { appId: string; name: string; userCount: number; tokenCount: number }[]; nextPageUrl: string | null };
    expect(apps.apps).toHaveLength(1);
    expect(apps.apps[0]).toMatchObject({ name: 'ForceSites', userCount: 1, tokenCount: 3 });
    expect(apps.nextPageUrl).toBeNull();
    const appId = apps.apps[0]!.appId;

    const users = (await (await api(emu, token, `apps/oauth/usage/${appId}/users`)).json()) as { users: { userId: string; tokenCount: number }[] };
    expect(users.users).toEqual([expect.objectContaining({ userId: emu.users[0]!.userId, tokenCount: 3 })]);

    const tokens = (await (await api(emu, token, `apps/oauth/usage/${appId}/${emu.users[0]!.userId}/tokens`)).json()) as { tokens: { tokenId: string }[] };
    expect(tokens.tokens).toHaveLength(3);

    const oldest = tokens.tokens[0]!.tokenId;
    expect((await api(emu, token, `apps/oauth/usage/tokens/${oldest}`, { method: 'DELETE' })).status).toBe(204);
    expect(emu.handle.approvals()).toHaveLength(2);
    // Our own session died with the deleted approval (it was the oldest one).
    expect((await api(emu, token, 'limits')).status).toBe(401);
  });

  it('needs Customize Application (403 INSUFFICIENT_ACCESS otherwise)', async () => {
    const other = emu.users[1]!;
    const { body } = await exchange(emu, await browserLogin(emu, { username: other.username, password: other.password }));
    const res = await api(emu, body.access_token!, 'apps/oauth/usage');
    expect(res.status).toBe(403);
    const errors = (await res.json()) as { errorCode: string }[];
    expect(errors[0]!.errorCode).toBe('INSUFFICIENT_ACCESS');
  });

  it('deletes all tokens of a user for an app, and all tokens of an app', async () => {
    const other = emu.users[1]!;
    await authorizeTimes(2, other.username, other.password);
    const { conn } = await connectWithPkce(emu);
    const appId = emu.handle.describeOrg(emu.handle.org()).apps[0]!.id;
    expect((await api(emu, conn.accessToken!, `apps/oauth/usage/${appId}/${other.userId}/tokens`, { method: 'DELETE' })).status).toBe(204);
    expect(emu.handle.approvals(undefined, { user: other.username })).toHaveLength(0);
    expect((await api(emu, conn.accessToken!, `apps/oauth/usage/${appId}/tokens`, { method: 'DELETE' })).status).toBe(204);
    expect(emu.handle.approvals()).toHaveLength(0);
  });
});

describe('seeing approvals through SOQL on OauthToken', () => {
  it('returns one OauthToken row per approval; admins see all users, others only their own', async () => {
    const other = emu.users[1]!;
    const { conn: otherConn } = await connectWithPkce(emu, { username: other.username, password: other.password });
    const { conn } = await connectWithPkce(emu);
    await authorizeTimes(1);
    const all = await conn.query<Record<string, unknown>>('SELECT Id, AppName, UserId, CreatedDate, LastUsedDate, UseCount, DeleteToken FROM OauthToken');
    expect(all.totalSize).toBe(3);
    expect(all.records.every((r) => r.AppName === 'ForceSites')).toBe(true);
    const own = await otherConn.query<Record<string, unknown>>('SELECT Id, UserId FROM OauthToken');
    expect(own.records.map((r) => r.UserId)).toEqual([other.userId]);
  });

  it('shows the eviction: the oldest row disappears after the sixth authorization', async () => {
    await authorizeTimes(5);
    const { conn } = await connectWithPkce(emu);
    const rows = await conn.query<{ CreatedDate: string }>("SELECT Id, CreatedDate FROM OauthToken WHERE AppName = 'ForceSites' ORDER BY CreatedDate");
    expect(rows.totalSize).toBe(5);
  });

  it('lists installed connected apps for users with View Setup', async () => {
    emu.handle.configureApp(undefined, 'WP Fusion (OAuth)', { installed: false, refreshTokenPolicy: 'specific_inactivity:30:DAYS' });
    const { conn } = await connectWithPkce(emu);
    const apps = await conn.query<Record<string, unknown>>('SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric, RefreshTokenValidityPeriod FROM ConnectedApplication');
    expect(apps.records.map((r) => r.Name)).toEqual(['ForceSites']);
    expect(apps.records[0]).toMatchObject({ OptionsAllowAdminApprovedUsersOnly: false, OptionsRefreshTokenValidityMetric: false, RefreshTokenValidityPeriod: null });
  });
});
