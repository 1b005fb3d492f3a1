import { describe, expect, it } from 'vitest';
import type { ConnectionDto, Settings, SiteProfileDto } from '../../../common/models';
import type { HealthChange, HealthReport } from '../../../common/health-models';
import { AppError } from '../../../common/errors';
import { backoffDelay, HealthMonitor, worstSeverity } from '../../../main/health/health-monitor';
import { FakeSalesforce } from './fake-salesforce';
import { ManualTime } from './manual-time';

const HOUR = 3_600_000;
const ADA = '005000000000001AAA';
const settings: Settings = { approvalCap: 5, approvalWarnAt: 4, healthIntervalHours: 6, watchedApps: ['WP Fusion (OAuth)'], callbackPorts: [1717], requestTimeoutSeconds: 30 };

function connection(id: string, authorizedAt: string, state: ConnectionDto['state'] = { kind: 'connected' }): ConnectionDto {
  return { id, loginUrl: 'https://login.salesforce.com', instanceUrl: 'https://x', clientId: 'cid', orgId: '00D1', userId: ADA, username: 'ada@x.test', displayName: 'Ada', apiVersion: '66.0', authorizedAt, state, siteIds: [] };
}

function site(id: string, name: string, connectionId: string | null): SiteProfileDto {
  return { id, name, wordpressUrl: `https://${id}.test`, wordpressUsername: 'wp', hasWordpressPassword: true, connectionId, objectType: 'Contact', tagMode: 'topics', tagField: null, fieldMapping: [], authorizedAt: null, lastCheckedAt: null, lastSyncedAt: null, createdAt: '2026-01-01T00:00:00Z' };
}

/** An admin's org where the usage API lists ForceSites with `n` approvals for Ada. */
function orgWithApprovals(n: number, options: { permissions?: boolean; limits?: { Max: number; Remaining: number } } = {}): FakeSalesforce {
  const fake = new FakeSalesforce();
  fake.on(/\/limits\//, () => ({ DailyApiRequests: options.limits ?? { Max: 15000, Remaining: 14000 } }));
  fake.onQuery(/FROM UserPermissionAccess/, () => [{ PermissionsCustomizeApplication: options.permissions ?? true, PermissionsViewSetup: options.permissions ?? true, PermissionsModifyMetadata: options.permissions ?? true }]);
  fake.on(/\/apps\/oauth\/usage\?/, () => ({ apps: [{ appId: '0H4A', name: 'ForceSites', isInstalled: true }], nextPageUrl: null }));
  fake.on(/\/apps\/oauth\/usage\/0H4A\/users/, () => ({ users: [{ userId: ADA, username: 'ada@x.test' }], nextPageUrl: null }));
  fake.on(/\/apps\/oauth\/usage\/0H4A\/.*\/tokens/, () => ({
    tokens: Array.from({ length: n }, (_, i) => ({ tokenId: `0CQ00000000000${i}AAA`, createdDate: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(), useCount: 1 })),
  }));
  fake.onQuery(/FROM OauthToken/, () => []);
  fake.onQuery(/FROM ConnectedApplication/, () => [{ Id: '0H4A', Name: 'ForceSites', OptionsAllowAdminApprovedUsersOnly: false, OptionsRefreshTokenValidityMetric: false, RefreshTokenValidityPeriod: null }]);
  fake.metadataRead = () => ({ fullName: 'ForceSites', oauthPolicy: { refreshTokenPolicy: 'infinite' } });
  return fake;
}

function monitor(options: { fakes: Record<string, FakeSalesforce | Error>; connections: ConnectionDto[]; sites: SiteProfileDto[]; time?: ManualTime; online?: () => boolean }) {
  const time = options.time ?? new ManualTime();
  const published: { report: HealthReport; changes: readonly HealthChange[] }[] = [];
  const m = new HealthMonitor({
    ports: {
      listSites: async () => options.sites,
      listConnections: async () => options.connections,
      openConnection: async (id) => {
        const f = options.fakes[id];
        if (!f) throw new Error('no such connection');
        if (f instanceof Error) throw f;
        return f;
      },
      settings: async () => settings,
    },
    sink: { changed: (report, changes) => void published.push({ report, changes }) },
    now: () => time.now,
    timers: time,
    ...(options.online ? { isOnline: options.online } : {}),
  });
  return { m, time, published };
}

describe('health monitor report', () => {
  it('gives each site a card with its approvals gauge, policy, install state and API usage', async () => {
    const c = connection('conn-1', new Date(Date.UTC(2026, 10, 1)).toISOString());
    const { m } = monitor({ fakes: { 'conn-1': orgWithApprovals(4) }, connections: [c], sites: [site('s1', 'Shop', 'conn-1'), site('s2', 'Blog', null)] });
    const report = await m.checkNow();
    expect(report.status).toBe('ok');
    const shop = report.cards.find((card) => card.siteId === 's1')!;
    expect(shop.connectionState).toEqual({ kind: 'connected' });
    expect(shop.approvals).toMatchObject({ used: 4, cap: 5, level: 'warning' });
    expect(shop.approvals!.approvals[0]!.attribution).toMatchObject({ kind: 'site', connectionId: 'conn-1', siteNames: ['Shop'] });
    expect(shop.policy!.verdict.kind).toBe('valid-until-revoked');
    expect(shop.install!.verdict).toBe('installed');
    expect(shop.apiUsage).toMatchObject({ used: 1000, max: 15000, level: 'ok' });
    expect(shop.severity).toBe('warning');
    const blog = report.cards.find((card) => card.siteId === 's2')!;
    expect(blog.connectionState).toEqual({ kind: 'no-connection' });
  });

  it('names the missing permission instead of failing or showing an empty list', async () => {
    const fake = orgWithApprovals(1, { permissions: false });
    fake.on(/\/apps\/oauth\/usage/, () => fake.fail('INSUFFICIENT_ACCESS'));
    const { m } = monitor({ fakes: { 'conn-1': fake }, connections: [connection('conn-1', '2026-11-01T00:00:00Z')], sites: [site('s1', 'Shop', 'conn-1')] });
    fake.metadataRead = () => fake.fail('INSUFFICIENT_ACCESS');
    const report = await m.checkNow();
    const card = report.cards[0]!;
    expect(card.permissionGaps.map((g) => g.permission)).toContain('Customize Application');
    expect(card.permissionGaps.find((g) => g.permission === 'Customize Application')!.wouldShow).toMatch(/every user's OAuth approvals/);
    expect(report.censuses[0]!.scope).toBe('own-only');
  });

  it('marks a connection whose refresh token died and explains it from the census', async () => {
    const admin = connection('conn-admin', new Date(Date.UTC(2026, 10, 20)).toISOString());
    const dead = connection('conn-dead', new Date(Date.UTC(2026, 9, 1)).toISOString());
    const { m } = monitor({
      fakes: { 'conn-admin': orgWithApprovals(5), 'conn-dead': new AppError('NEEDS_REAUTHORIZATION', 'Salesforce refused the saved authorization.') },
      connections: [admin, dead],
      sites: [site('s1', 'Shop', 'conn-dead')],
    });
    const report = await m.checkNow();
    expect(report.cards[0]!.connectionState).toMatchObject({ kind: 'needs-reauthorization', cause: 'evicted-by-approval-cap' });
    expect(report.cards[0]!.severity).toBe('error');
    await expect(m.explainInvalidGrant(dead)).resolves.toMatchObject({ cause: 'evicted-by-approval-cap' });
  });

  it('reports a keychain error as such', async () => {
    const { m } = monitor({ fakes: { 'conn-1': new AppError('KEYCHAIN_UNAVAILABLE', 'The keychain is locked.') }, connections: [connection('conn-1', '2026-11-01T00:00:00Z')], sites: [site('s1', 'Shop', 'conn-1')] });
    const report = await m.checkNow();
    expect(report.cards[0]!.connectionState).toEqual({ kind: 'keychain-error', detail: 'The keychain is locked.' });
  });

  it('warns at 80% of the daily API allowance and is critical at 95%', async () => {
    const c = connection('conn-1', '2026-11-01T00:00:00Z');
    const warn = await monitor({ fakes: { 'conn-1': orgWithApprovals(1, { limits: { Max: 10000, Remaining: 2000 } }) }, connections: [c], sites: [site('s1', 'Shop', 'conn-1')] }).m.checkNow();
    expect(warn.cards[0]!.apiUsage!.level).toBe('warning');
    const critical = await monitor({ fakes: { 'conn-1': orgWithApprovals(1, { limits: { Max: 10000, Remaining: 400 } }) }, connections: [c], sites: [site('s1', 'Shop', 'conn-1')] }).m.checkNow();
    expect(critical.cards[0]!.apiUsage!.level).toBe('critical');
    expect(critical.cards[0]!.severity).toBe('error');
  });
});

describe('health monitor schedule', () => {
  it('checks at start, then every healthIntervalHours', async () => {
    const fake = orgWithApprovals(1);
    const { m, time, published } = monitor({ fakes: { 'conn-1': fake }, connections: [connection('conn-1', '2026-11-01T00:00:00Z')], sites: [site('s1', 'Shop', 'conn-1')] });
    const start = time.now;
    m.start();
    await time.advance(1);
    await flush();
    expect(published).toHaveLength(1);
    expect(published[0]!.report.nextCheckAt).toBe(new Date(start + 6 * HOUR).toISOString());
    await time.advance(6 * HOUR);
    await flush();
    expect(published).toHaveLength(2);
    m.stop();
  });

  it('backs off exponentially while Salesforce cannot be reached', async () => {
    const { m, time, published } = monitor({ fakes: { 'conn-1': new Error('ECONNREFUSED') }, connections: [connection('conn-1', '2026-11-01T00:00:00Z')], sites: [site('s1', 'Shop', 'conn-1')] });
    m.start();
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      await time.advance(i === 0 ? 1 : 2 ** (i - 1) * 60_000);
      await flush();
      const report = published.at(-1)!.report;
      gaps.push(Date.parse(report.nextCheckAt!) - Date.parse(report.generatedAt));
    }
    expect(published.every((p) => p.report.status === 'error')).toBe(true);
    expect(gaps).toEqual([60_000, 120_000, 240_000, 480_000]);
    m.stop();
  });

  it('pauses while offline and checks at the next offline poll once the network is back', async () => {
    let online = false;
    const { m, time, published } = monitor({ fakes: { 'conn-1': orgWithApprovals(1) }, connections: [connection('conn-1', '2026-11-01T00:00:00Z')], sites: [site('s1', 'Shop', 'conn-1')], online: () => online });
    m.start();
    await time.advance(1);
    await flush();
    expect(published.at(-1)!.report.status).toBe('offline');
    online = true;
    await time.advance(5 * 60_000);
    await flush();
    expect(published.at(-1)!.report.status).toBe('ok');
    m.stop();
  });

  it('reports severity changes between checks for the banner and notification', async () => {
    const fake = orgWithApprovals(3);
    const { m, published } = monitor({ fakes: { 'conn-1': fake }, connections: [connection('conn-1', '2026-11-01T00:00:00Z')], sites: [site('s1', 'Shop', 'conn-1')] });
    await m.checkNow();
    expect(published[0]!.changes).toEqual([]);
    fake.on(/\/limits\//, () => ({ DailyApiRequests: { Max: 100, Remaining: 1 } }));
    // Routes are matched in order; put the critical answer first.
    (fake as unknown as { routes: unknown[] }).routes.unshift((fake as unknown as { routes: unknown[] }).routes.pop());
    await m.checkNow();
    expect(published[1]!.changes).toEqual([expect.objectContaining({ siteId: 's1', from: 'ok', to: 'error' })]);
  });
});

describe('first report', () => {
  it('announces only the sites that already need attention', async () => {
    const c = connection('conn-1', '2026-11-01T00:00:00Z');
    const { m, published } = monitor({ fakes: { 'conn-1': orgWithApprovals(5) }, connections: [c], sites: [site('s1', 'Shop', 'conn-1'), site('s2', 'Blog', 'conn-1')] });
    await m.checkNow();
    expect(published[0]!.changes.map((ch) => [ch.siteId, ch.from, ch.to])).toEqual([
      ['s1', null, 'error'],
      ['s2', null, 'error'],
    ]);
    expect(published[0]!.changes[0]!.message).toMatch(/^Shop: 5 of 5 approvals used/);
  });
});

describe('helpers', () => {
  it('doubles the back-off up to the interval', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 60_000, 6 * HOUR))).toEqual([60_000, 120_000, 240_000, 480_000, 6 * HOUR]);
  });

  it('takes the worst severity', () => {
    expect(worstSeverity(['ok', 'unknown', 'warning', null])).toBe('warning');
    expect(worstSeverity([])).toBe('ok');
  });
});

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
