import { describe, expect, it } from 'vitest';
import { browserLogin, refreshCall } from '../../salesforce-emulator/test-support';
import { PolicyCheck } from '../../../main/health/policy-check';
import { buildInstallReport } from '../../../main/health/install-check';
import { isUninstalledAppError } from '../../../main/salesforce/uninstalled-app';
import { ApiUsageTracker } from '../../../main/health/api-usage';
import { readConnectedApplication } from '../../../main/health/connected-application';
import { ApprovalCensusService } from '../../../main/health/approval-census';
import { explainFromCensus } from '../../../main/health/invalid-grant-explainer';
import { signIn } from './emulator-helpers';
import { useEmulator } from '../../salesforce-emulator/use-emulator';

const ADMIN = { username: 'admin@forcesites.test', password: 'admin-password-1' };
const INTEGRATION = { username: 'integration@forcesites.test', password: 'integration-password-1' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const emu = useEmulator();

describe('refresh token policy against the emulator', () => {
  it.each([
    ['infinite', { kind: 'valid-until-revoked' }, 'ok'],
    ['zero', { kind: 'expires-immediately' }, 'error'],
    ['specific_lifetime:3:HOURS', { kind: 'expires-after', amount: 3, unit: 'hours', periodMs: 3 * HOUR }, 'error'],
    ['specific_inactivity:30:DAYS', { kind: 'expires-if-unused', amount: 30, unit: 'days', periodMs: 30 * DAY }, 'warning'],
  ])('reads %s from the Metadata API', async (policy, verdict, severity) => {
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: policy });
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    const report = await new PolicyCheck().check(admin.api, { appName: 'ForceSites' });
    expect(report.verdict).toEqual(verdict);
    expect(report.severity).toBe(severity);
    expect(report.evidence.find((e) => e.source === 'Metadata API')).toMatchObject({ value: policy, confirmed: true });
    expect(report.fix).toBe(severity === 'ok' ? null : 'Setup » Connected Apps » ForceSites » Edit Policies » Refresh Token Policy: Refresh token is valid until revoked');
  });

  it.each([
    ['infinite', 'valid-until-revoked'],
    ['zero', 'expires-immediately'],
    ['specific_lifetime:3:HOURS', 'expires-after'],
    ['specific_inactivity:30:DAYS', 'expires-if-unused'],
  ])('infers %s from the ConnectedApplication row alone and marks the inference', async (policy, kind) => {
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: policy });
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    // As for an admin without Modify Metadata: the Metadata API is not asked.
    const report = await new PolicyCheck().check(admin.api, { appName: 'ForceSites', permissions: { customizeApplication: false, viewSetup: true, modifyMetadata: false } });
    expect(report.verdict.kind).toBe(kind);
    expect(report.evidence.some((e) => e.field === 'RefreshTokenValidityPeriod' && e.confirmed === false)).toBe(true);
    expect(report.permissionGaps.map((g) => g.permission)).toEqual(['Modify Metadata']);
  });

  it('reads the policy of WP Fusion (OAuth) by its API name', async () => {
    emu.handle.configureApp(undefined, 'WP Fusion (OAuth)', { refreshTokenPolicy: 'specific_inactivity:7:DAYS' });
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    const report = await new PolicyCheck().check(admin.api, { appName: 'WP Fusion (OAuth)' });
    expect(report.verdict).toMatchObject({ kind: 'expires-if-unused', amount: 7, unit: 'days' });
  });

  it('reports admin-approved-only apps', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { adminApprovedOnly: true, approvedUsers: [ADMIN.username] });
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    const report = await new PolicyCheck().check(admin.api, { appName: 'ForceSites' });
    expect(report.adminApprovedOnly).toBe(true);
  });

  it('explains an invalid_grant after a lifetime policy expired the token as policy expiry', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: 'specific_lifetime:1:HOURS' });
    const site = await signIn(emu, INTEGRATION.username, INTEGRATION.password);
    emu.handle.advanceClock({ hours: 2 });
    expect((await refreshCall(emu, site.refreshToken)).status).toBe(400);
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    const census = await new ApprovalCensusService().take(admin.api, { watchedApps: ['ForceSites'], approvalCap: 5, approvalWarnAt: 4 });
    const policy = await new PolicyCheck().check(admin.api, { appName: 'ForceSites' });
    const dto = {
      id: 'conn-1',
      loginUrl: emu.loginUrl,
      instanceUrl: emu.instanceUrl,
      clientId: emu.clientId,
      orgId: emu.orgId,
      userId: site.userId,
      username: site.username,
      displayName: site.username,
      apiVersion: '66.0',
      authorizedAt: new Date(site.authorizedAt).toISOString(),
      state: { kind: 'connected' as const },
      siteIds: [],
    };
    expect(explainFromCensus(dto, census.dto, policy, 'ForceSites')).toMatchObject({ cause: 'policy-expiry' });
  });

  it('names View Setup and Modify Metadata for a user without them, and does not crash', async () => {
    const integration = await signIn(emu, INTEGRATION.username, INTEGRATION.password);
    const report = await new PolicyCheck().check(integration.api, { appName: 'ForceSites' });
    expect(report.verdict.kind).toBe('unknown');
    expect(report.permissionGaps.map((g) => g.permission).sort()).toEqual(['Modify Metadata', 'View Setup']);
    const install = buildInstallReport('ForceSites', { row: await readConnectedApplication(integration.api, 'ForceSites') });
    expect(install.verdict).toBe('unknown');
    expect(install.permissionGaps.map((g) => g.permission)).toEqual(['View Setup']);
  });
});

describe('install check against the emulator', () => {
  it('sees an installed app', async () => {
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    expect((buildInstallReport('ForceSites', { row: await readConnectedApplication(admin.api, 'ForceSites') })).verdict).toBe('installed');
  });

  it('explains an uninstalled app, and the sign-in error a new user then gets', async () => {
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    emu.handle.configureApp(undefined, 'ForceSites', { installed: false });
    expect((await readConnectedApplication(admin.api, 'ForceSites')).kind).toBe('no-row');
    const report = buildInstallReport('ForceSites', { row: await readConnectedApplication(admin.api, 'ForceSites') });
    expect(report.verdict).toBe('uninstalled');
    expect(report.explanation).toMatch(/September 2025/);
    expect(report.explanation).toMatch(/Approve Uninstalled Connected Apps/);

    emu.handle.addUser(undefined, { username: 'newcomer@forcesites.test', password: 'newcomer-password-1', permissions: ['ApiEnabled'] });
    const login = await browserLogin(emu, { username: 'newcomer@forcesites.test', password: 'newcomer-password-1' });
    const error = login.location.searchParams.get('error');
    expect(isUninstalledAppError(error, login.location.searchParams.get('error_description'))).toBe(true);

    // With the permission the same user gets through.
    emu.handle.configureUser(undefined, 'newcomer@forcesites.test', { addPermissions: ['ApproveUninstalledConnectedApps'] });
    expect((await browserLogin(emu, { username: 'newcomer@forcesites.test', password: 'newcomer-password-1' })).code).not.toBeNull();
  });
});

describe('API usage against the emulator', () => {
  it.each([
    [1000, 'ok'],
    [12_000, 'warning'],
    [14_300, 'critical'],
  ])('reads %i of 15,000 daily requests as %s', async (used, level) => {
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    emu.handle.configureOrg(undefined, { apiUsed: used });
    const usage = await new ApiUsageTracker().readOrgUsage(admin.api, emu.orgId);
    expect(usage.level).toBe(level);
    expect(usage.max).toBe(15_000);
    // limits/ itself counts as a call, and so may the refresh before it.
    expect(usage.used).toBeGreaterThanOrEqual(used);
    expect(usage.used).toBeLessThanOrEqual(used + 3);
  });

  it('keeps the Sforce-Limit-Info jsforce saw consistent with limits/', async () => {
    const admin = await signIn(emu, ADMIN.username, ADMIN.password);
    emu.handle.configureOrg(undefined, { apiUsed: 9000 });
    const tracker = new ApiUsageTracker();
    const usage = await tracker.readOrgUsage(admin.api, emu.orgId);
    expect(admin.conn.limitInfo.apiUsage).toEqual({ used: usage.used, limit: 15_000 });
  });
});
