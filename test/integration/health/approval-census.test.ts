import { describe, expect, it } from 'vitest';
import { refreshCall } from '../../salesforce-emulator/test-support';
import { ApprovalCensusService } from '../../../main/health/approval-census';
import { preflightFromCensus } from '../../../main/health/sign-in-preflight';
import { explainFromCensus } from '../../../main/health/invalid-grant-explainer';
import type { ConnectionDto } from '../../../common/models';
import { asApi58, authorizeWpFusion, candidate, connectionDtoFor, seedApprovals, signIn, WP_FUSION, type SignedIn } from './emulator-helpers';
import { useEmulator } from '../../salesforce-emulator/use-emulator';

const ADMIN = { username: 'admin@forcesites.test', password: 'admin-password-1' };
const INTEGRATION = { username: 'integration@forcesites.test', password: 'integration-password-1' };
const caps = { approvalCap: 5, approvalWarnAt: 4 };
const WATCHED = ['ForceSites', WP_FUSION.name];

const emu = useEmulator();

async function signInTimes(n: number, who: { username: string; password: string }): Promise<SignedIn[]> {
  const out: SignedIn[] = [];
  for (let i = 0; i < n; i++) out.push(await signIn(emu, who.username, who.password));
  return out;
}

function connectionDto(s: SignedIn, id: string): ConnectionDto {
  return connectionDtoFor(emu, s, id, { state: { kind: 'needs-reauthorization', cause: 'unknown', detail: '' } });
}

describe('approval census against the emulator', () => {
  it('counts approvals per user and per app through the OAuth Usage API', async () => {
    const [admin] = await signInTimes(2, ADMIN);
    await signInTimes(5, INTEGRATION);
    await authorizeWpFusion(emu, ADMIN.username, ADMIN.password);

    const census = await new ApprovalCensusService().take(admin!.api, { watchedApps: WATCHED, ...caps });
    expect(census.dto.apps.map((a) => [a.appName, a.source, a.approvals])).toEqual([
      ['ForceSites', 'usage-api', 7],
      [WP_FUSION.name, 'usage-api', 1],
    ]);
    expect(census.dto.scope).toBe('all-users');
    const summary = census.dto.groups.map((g) => [g.username, g.appName, g.used, g.level]);
    expect(summary).toEqual([
      [INTEGRATION.username, 'ForceSites', 5, 'at-cap'],
      [ADMIN.username, 'ForceSites', 2, 'ok'],
      [ADMIN.username, WP_FUSION.name, 1, 'ok'],
    ]);
    const integration = census.dto.groups[0]!;
    expect(integration.nextAuthorizationEvicts).toBe(true);
    expect(integration.approvals.every((a) => a.useCount !== null && a.lastUsedAt !== null)).toBe(true);
  });

  it('predicts which site the next sign-in disconnects, then sees Salesforce do exactly that', async () => {
    const [admin] = await signInTimes(1, ADMIN);
    const sites = await signInTimes(5, INTEGRATION);
    const candidates = sites.map((s, i) => candidate(s, `conn-${i + 1}`, `Site ${i + 1}`));
    const service = new ApprovalCensusService();

    const before = await service.take(admin!.api, { watchedApps: ['ForceSites'], ...caps, candidates });
    const group = before.dto.groups.find((g) => g.userId === sites[0]!.userId)!;
    expect(group.approvals.map((a) => (a.attribution.kind === 'site' ? a.attribution.siteNames[0] : '?'))).toEqual(['Site 1', 'Site 2', 'Site 3', 'Site 4', 'Site 5']);
    const doomed = group.evictedNextId;
    const preflight = preflightFromCensus({ ...caps, appName: 'ForceSites', user: { userId: sites[0]!.userId, label: INTEGRATION.username }, census: before.dto });
    expect(preflight.verdict).toBe('will-disconnect');
    expect(preflight.message).toMatch(/^Authorizing now as integration@forcesites.test will disconnect Site 1 \(authorized /);

    await signIn(emu, INTEGRATION.username, INTEGRATION.password);

    const after = await service.take(admin!.api, { watchedApps: ['ForceSites'], ...caps, candidates });
    const afterGroup = after.dto.groups.find((g) => g.userId === sites[0]!.userId)!;
    expect(afterGroup.used).toBe(5);
    expect(afterGroup.approvals.map((a) => a.id)).not.toContain(doomed);
    expect(await refreshCall(emu, sites[0]!.refreshToken)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } });
    expect((await refreshCall(emu, sites[1]!.refreshToken)).status).toBe(200);
    expect(explainFromCensus(connectionDto(sites[0]!, 'conn-1'), after.dto, null, 'ForceSites').cause).toBe('evicted-by-approval-cap');
  });

  it('falls back to OauthToken for an app the usage API does not list', async () => {
    const [admin] = await signInTimes(1, ADMIN);
    // WP Fusion has no approvals yet, so the usage API has nothing to say about it.
    const census = await new ApprovalCensusService().take(admin!.api, { watchedApps: WATCHED, ...caps });
    expect(census.dto.apps.map((a) => [a.appName, a.source])).toEqual([
      ['ForceSites', 'usage-api'],
      [WP_FUSION.name, 'oauth-token-soql'],
    ]);
    expect(census.dto.apps[1]!.fallbackReason).toMatch(/does not list WP Fusion \(OAuth\)/);
  });

  it('falls back to OauthToken SOQL below API 59 and finds the same approvals', async () => {
    const [admin] = await signInTimes(1, ADMIN);
    await signInTimes(3, INTEGRATION);
    const census = await new ApprovalCensusService().take(asApi58(admin!.api), { watchedApps: WATCHED, ...caps });
    expect(census.dto.apps.map((a) => [a.appName, a.source, a.approvals])).toEqual([
      ['ForceSites', 'oauth-token-soql', 4],
      [WP_FUSION.name, 'oauth-token-soql', 0],
    ]);
    expect(census.dto.apps[0]!.fallbackReason).toMatch(/API 58\.0/);
    expect(census.dto.groups.map((g) => [g.username, g.used])).toEqual([
      [INTEGRATION.username, 3],
      [ADMIN.username, 1],
    ]);
  });

  it("escapes app names such as O'Brien's Sync in the OauthToken query", async () => {
    emu.handle.addApp(undefined, { name: "O'Brien's Sync \\ Tool", redirectUris: ['http://localhost:1717/OauthRedirect'] });
    const [admin] = await signInTimes(1, ADMIN);
    const census = await new ApprovalCensusService().take(asApi58(admin!.api), { watchedApps: ['ForceSites', "O'Brien's Sync \\ Tool"], ...caps });
    expect(census.dto.apps.map((a) => a.source)).toEqual(['oauth-token-soql', 'oauth-token-soql']);
    // The only note allowed is that Customize Application could not be read (no UserPermissionAccess in the emulator).
    expect(census.dto.notes.filter((n) => !/Customize Application/.test(n))).toEqual([]);
  });

  it('says the OauthToken listing was truncated beyond 2,500 rows and still counts the known users fully', async () => {
    seedApprovals(emu, 530, 5); // 2,650 approvals
    const [admin] = await signInTimes(1, ADMIN);
    const known = emu.handle.approvals(undefined, { user: 'bulk3@forcesites.test' });
    const census = await new ApprovalCensusService().take(asApi58(admin!.api), {
      watchedApps: ['ForceSites'],
      ...caps,
      candidates: [{ connectionId: 'conn-bulk3', userId: known[0]!.userId, appName: 'ForceSites', authorizedAt: Date.parse(known[0]!.createdDate.replace('+0000', 'Z')), siteIds: ['s'], siteNames: ['Bulk shop'] }],
    });
    expect(census.dto.truncated).toMatchObject({ listed: 2500, total: 2651 });
    expect(census.dto.truncated!.message).toMatch(/2,500/);
    expect(census.dto.groups.find((g) => g.userId === known[0]!.userId)!.used).toBe(5);
  });

  it('revokes a stale approval through the usage API and through its DeleteToken', async () => {
    const [admin] = await signInTimes(1, ADMIN);
    const stale = await signInTimes(2, INTEGRATION);
    const service = new ApprovalCensusService();
    const census = await service.take(admin!.api, { watchedApps: ['ForceSites'], ...caps });
    const [first, second] = census.dto.groups.find((g) => g.username === INTEGRATION.username)!.approvals;

    expect(await service.revoke(admin!.api, first!.id, 'usage-api')).toMatchObject({ revoked: true, via: 'usage-api' });
    expect((await refreshCall(emu, stale[0]!.refreshToken)).status).toBe(400);

    expect(await service.revoke(admin!.api, second!.id, 'oauth-token-soql', { loginUrl: emu.loginUrl })).toMatchObject({ revoked: true, via: 'delete-token' });
    expect((await refreshCall(emu, stale[1]!.refreshToken)).status).toBe(400);
    expect(emu.handle.approvals(undefined, { user: INTEGRATION.username })).toHaveLength(0);

    expect(await service.revoke(admin!.api, second!.id, 'oauth-token-soql', { loginUrl: emu.loginUrl })).toMatchObject({ revoked: false, message: expect.stringMatching(/already gone/) });
  });

  it('keeps counting one approval per site when refresh token rotation replaces tokens', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const [admin] = await signInTimes(1, ADMIN);
    const [site] = await signInTimes(1, INTEGRATION);
    emu.handle.expireAllSessions();
    await site!.conn.limits(); // refreshes (and rotates) under the hood
    await site!.conn.limits();
    const census = await new ApprovalCensusService().take(admin!.api, { watchedApps: ['ForceSites'], ...caps, candidates: [candidate(site!, 'conn-1', 'Shop')] });
    const group = census.dto.groups.find((g) => g.username === INTEGRATION.username)!;
    expect(group.used).toBe(1);
    expect(group.approvals[0]!.attribution).toMatchObject({ siteNames: ['Shop'] });
    expect(group.approvals[0]!.useCount).toBeGreaterThan(1);
  });

  it('shows only the user’s own approvals without Customize Application, and says why', async () => {
    await signInTimes(2, ADMIN);
    const [integration] = await signInTimes(1, INTEGRATION);
    const census = await new ApprovalCensusService().take(integration!.api, { watchedApps: ['ForceSites'], ...caps });
    expect(census.dto.apps[0]).toMatchObject({ source: 'oauth-token-soql', fallbackReason: expect.stringMatching(/INSUFFICIENT_ACCESS/) });
    expect(census.dto.groups.map((g) => [g.userId, g.used])).toEqual([[integration!.userId, 1]]);
    expect(census.dto.permissionGaps.map((g) => g.permission)).toContain('Customize Application');
    expect(census.dto.scope === 'own-only' || census.dto.notes.some((n) => /Customize Application/.test(n))).toBe(true);
  });
});
