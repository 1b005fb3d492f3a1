import { describe, expect, it } from 'vitest';
import { refreshCall } from '../../salesforce-emulator/test-support';
import type { ConnectionDto, Settings, SiteProfileDto } from '../../../common/models';
import type { HealthChange, HealthReport } from '../../../common/health-models';
import { HealthMonitor } from '../../../main/health/health-monitor';
import { HealthService } from '../../../main/health/health-service';
import { SignInPreflight } from '../../../main/health/sign-in-preflight';
import { InvalidGrantExplainer } from '../../../main/health/invalid-grant-explainer';
import { KeepAliveScheduler } from '../../../main/health/keep-alive';
import type { SalesforceApi } from '../../../main/salesforce/salesforce-api';
import { ManualTime } from '../../unit/health/manual-time';
import { connectionDtoFor, signIn, type SignedIn } from './emulator-helpers';
import { useEmulator } from '../../salesforce-emulator/use-emulator';

const ADMIN = { username: 'admin@forcesites.test', password: 'admin-password-1' };
const INTEGRATION = { username: 'integration@forcesites.test', password: 'integration-password-1' };
const settings: Settings = { approvalCap: 5, approvalWarnAt: 4, healthIntervalHours: 6, watchedApps: ['WP Fusion (OAuth)'], callbackPorts: [1717], requestTimeoutSeconds: 30 };

const emu = useEmulator();

/** What the lead's composition root will do: connections and sites from the store, a live API per connection. */
class World {
  readonly signedIn = new Map<string, SignedIn>();
  readonly connections: ConnectionDto[] = [];
  readonly sites: SiteProfileDto[] = [];

  async connect(id: string, who: { username: string; password: string }, siteNames: string[] = []): Promise<SignedIn> {
    const s = await signIn(emu, who.username, who.password);
    this.signedIn.set(id, s);
    this.connections.push(connectionDtoFor(emu, s, id, { siteIds: siteNames.map((n) => `site-${n}`) }));
    for (const name of siteNames) {
      this.sites.push({ id: `site-${name}`, name, wordpressUrl: `https://${name}.test`, wordpressUsername: 'wp', hasWordpressPassword: true, connectionId: id, objectType: 'Contact', tagMode: 'topics', tagField: null, fieldMapping: [], authorizedAt: null, lastCheckedAt: null, lastSyncedAt: null, createdAt: '2026-01-01T00:00:00Z' });
    }
    return s;
  }

  ports() {
    return {
      listSites: async () => this.sites,
      listConnections: async () => this.connections,
      openConnection: async (id: string): Promise<SalesforceApi> => {
        const s = this.signedIn.get(id);
        if (!s) throw new Error('unknown connection');
        return s.api;
      },
      settings: async () => settings,
    };
  }
}

describe('health monitor against the emulator', () => {
  it('builds one card per site with gauge, policy, install and usage, and finds an evicted site', async () => {
    const world = new World();
    await world.connect('conn-admin', ADMIN, ['Admin site']);
    for (let i = 1; i <= 5; i++) await world.connect(`conn-${i}`, INTEGRATION, [`Shop ${i}`]);
    // A sixth authorization by the same user outside ForceSites evicts Shop 1's approval.
    await signIn(emu, INTEGRATION.username, INTEGRATION.password);
    emu.handle.expireAllSessions(); // every connection must refresh, as after a night's sleep

    const published: { report: HealthReport; changes: readonly HealthChange[] }[] = [];
    const time = new ManualTime();
    const monitor = new HealthMonitor({ ports: world.ports(), sink: { changed: (report, changes) => void published.push({ report, changes }) }, timers: time, now: () => emu.handle.now() });
    const report = await monitor.checkNow();

    expect(report.status).toBe('ok');
    expect(report.cards).toHaveLength(6);
    const shop1 = report.cards.find((c) => c.siteName === 'Shop 1')!;
    expect(shop1.connectionState).toMatchObject({ kind: 'needs-reauthorization', cause: 'evicted-by-approval-cap' });
    expect(shop1.severity).toBe('error');
    const shop2 = report.cards.find((c) => c.siteName === 'Shop 2')!;
    expect(shop2.connectionState).toEqual({ kind: 'connected' });
    expect(shop2.approvals).toMatchObject({ used: 5, cap: 5, level: 'at-cap', username: INTEGRATION.username });
    expect(shop2.approvals!.approvals.map((a) => (a.attribution.kind === 'site' ? a.attribution.siteNames[0] : 'unknown'))).toEqual(['Shop 2', 'Shop 3', 'Shop 4', 'Shop 5', 'unknown']);
    expect(shop2.approvals!.approvals[0]!.evictedNext).toBe(true);
    expect(shop2.policy!.verdict.kind).toBe('valid-until-revoked');
    expect(shop2.install!.verdict).toBe('installed');
    expect(shop2.apiUsage!.level).toBe('ok');
    expect(shop2.headline).toMatch(/5 of 5 approvals used/);
    const adminCard = report.cards.find((c) => c.siteName === 'Admin site')!;
    expect(adminCard.approvals).toMatchObject({ used: 1, level: 'ok' });
    expect(published).toHaveLength(1);
    expect(report.censuses[0]!.apps.map((a) => a.appName)).toEqual(['ForceSites', 'WP Fusion (OAuth)']);
  });

  it('warns on the card when the org nears its daily API allowance', async () => {
    const world = new World();
    await world.connect('conn-admin', ADMIN, ['Shop']);
    emu.handle.configureOrg(undefined, { apiUsed: 14_400 });
    const monitor = new HealthMonitor({ ports: world.ports(), sink: { changed: () => undefined }, timers: new ManualTime() });
    monitor.apiUsage.countCalls('site-Shop', 42);
    const report = await monitor.checkNow();
    expect(report.cards[0]!.apiUsage!.level).toBe('critical');
    expect(report.cards[0]!.siteApiCalls).toEqual({ siteId: 'site-Shop', last24h: 42 });
  });

  it('shows what a user without Customize Application or View Setup is missing', async () => {
    const world = new World();
    await world.connect('conn-1', INTEGRATION, ['Shop']);
    const monitor = new HealthMonitor({ ports: world.ports(), sink: { changed: () => undefined }, timers: new ManualTime() });
    const report = await monitor.checkNow();
    const card = report.cards[0]!;
    expect(card.connectionState).toEqual({ kind: 'connected' });
    expect(card.approvals).toMatchObject({ used: 1 });
    expect(card.permissionGaps.map((g) => g.permission).sort()).toEqual(['Customize Application', 'Modify Metadata', 'View Setup']);
    expect(card.policy!.verdict.kind).toBe('unknown');
    expect(card.install!.verdict).toBe('unknown');
  });
});

describe('health monitor without any admin connection', () => {
  it('counts each user through their own connection', async () => {
    emu.handle.addUser(undefined, { username: "o'brien@forcesites.test", password: 'obrien-password-1', permissions: ['ApiEnabled'] });
    const world = new World();
    await world.connect('conn-1', INTEGRATION, ['Shop']);
    await world.connect('conn-2', INTEGRATION, ['Blog']);
    await world.connect('conn-3', { username: "o'brien@forcesites.test", password: 'obrien-password-1' }, ['Store']);
    const report = await new HealthMonitor({ ports: world.ports(), sink: { changed: () => undefined }, timers: new ManualTime() }).checkNow();
    expect(report.cards.map((c) => [c.siteName, c.approvals?.used])).toEqual([
      ['Shop', 2],
      ['Blog', 2],
      ['Store', 1],
    ]);
    expect(report.censuses[0]!.notes.join(' ')).toMatch(/No connection holds Customize Application/);
    // Each group says which connection counted it, so a revoke goes through one that can see it.
    const byUser = new Map(report.censuses[0]!.groups.map((g) => [g.username, g.viaConnectionId]));
    expect(byUser.get("o'brien@forcesites.test")).toBe('conn-3');
    expect(['conn-1', 'conn-2']).toContain(byUser.get(INTEGRATION.username));
  });
});

describe('sign-in preflight against the emulator', () => {
  it('warns that reauthorizing as a user at the cap disconnects their oldest site', async () => {
    const world = new World();
    await world.connect('conn-admin', ADMIN, ['Admin site']);
    for (let i = 1; i <= 5; i++) await world.connect(`conn-${i}`, INTEGRATION, [`Shop ${i}`]);
    const preflight = new SignInPreflight({ ports: world.ports() });
    // Adding a site for the same user as conn-3 (not reauthorizing conn-3 itself).
    const result = await preflight.check({ userId: world.signedIn.get('conn-3')!.userId });
    expect(result.verdict).toBe('will-disconnect');
    expect(result.message).toMatch(/^Authorizing now as integration@forcesites.test will disconnect Shop 1 \(authorized \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/);
    expect(result.suggestion).toMatch(/dedicated Salesforce integration user/);

    const reauth = await preflight.check({ connectionId: 'conn-1' });
    expect(reauth.verdict).toBe('safe');

    const admin = await preflight.check({ connectionId: 'conn-admin' });
    expect(admin).toMatchObject({ verdict: 'safe', used: 1 });
  });
});

describe('invalid_grant explainer against the emulator', () => {
  it('tells eviction from revocation', async () => {
    const world = new World();
    await world.connect('conn-admin', ADMIN);
    for (let i = 1; i <= 5; i++) await world.connect(`conn-${i}`, INTEGRATION, [`Shop ${i}`]);
    const explainer = new InvalidGrantExplainer({ ports: world.ports() });

    emu.handle.revokeToken(world.signedIn.get('conn-3')!.refreshToken);
    expect(await explainer.explain(world.connections.find((c) => c.id === 'conn-3')!)).toMatchObject({ cause: 'revoked' });

    await signIn(emu, INTEGRATION.username, INTEGRATION.password); // back to 5: no eviction
    await signIn(emu, INTEGRATION.username, INTEGRATION.password); // 6th: evicts Shop 1
    expect((await refreshCall(emu, world.signedIn.get('conn-1')!.refreshToken)).status).toBe(400);
    expect(await explainer.explain(world.connections.find((c) => c.id === 'conn-1')!)).toMatchObject({ cause: 'evicted-by-approval-cap' });
  });
});

describe('keep-alive against the emulator', () => {
  it('keeps a site alive under "expire if not used for 3 days" with rotation on', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: 'specific_inactivity:3:DAYS', rotation: true });
    const world = new World();
    const site = await world.connect('conn-1', INTEGRATION, ['Shop']);
    const time = new ManualTime();
    time.now = emu.handle.now();
    let current = site.refreshToken;
    const results: boolean[] = [];
    const scheduler = new KeepAliveScheduler({
      now: () => time.now,
      timers: time,
      // What the ConnectionService's refresh does: call the token endpoint, keep a rotated token.
      refresh: async () => {
        const r = await refreshCall(emu, current);
        if (r.status !== 200) throw new Error(r.body.error_description);
        current = r.body.refresh_token ?? current;
      },
      onResult: (r) => results.push(r.ok),
    });
    const plan = scheduler.schedule({ connectionId: 'conn-1', windowMs: 3 * 86_400_000, reason: 'policy', lastUsedAt: time.now });
    expect(plan.intervalMs).toBe(86_400_000);
    for (let day = 0; day < 7; day++) {
      emu.handle.advanceClock({ days: 1 });
      await time.advance(86_400_000);
      // The refresh is real HTTP: wait for it before moving time again.
      await until(() => results.length === day + 1);
    }
    scheduler.stop();
    expect(results).toEqual([true, true, true, true, true, true, true]);
    expect(current).not.toBe(site.refreshToken);
    expect((await refreshCall(emu, current)).status).toBe(200);
  });

  it('without keep-alive the same site is gone after 3 idle days', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: 'specific_inactivity:3:DAYS' });
    const site = await signIn(emu, INTEGRATION.username, INTEGRATION.password);
    emu.handle.advanceClock({ days: 4 });
    expect((await refreshCall(emu, site.refreshToken)).status).toBe(400);
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('HealthService (what main/app wires) against the emulator', () => {
  it('checks, counts, revokes a stale approval and explains the resulting invalid_grant', async () => {
    const world = new World();
    await world.connect('conn-admin', ADMIN, ['Admin site']);
    await world.connect('conn-1', INTEGRATION, ['Shop']);
    const refreshed: string[] = [];
    const events: HealthReport[] = [];
    const service = new HealthService({
      ports: { ...world.ports(), refreshConnection: async (id) => void refreshed.push(id) },
      sink: { changed: (report) => void events.push(report) },
      timers: new ManualTime(),
    });
    const report = await service.check();
    expect(report.cards.map((c) => c.keepAlive?.intervalMs)).toEqual([86_400_000, 86_400_000]);
    expect(service.report()).toBe(report);

    const census = await service.takeCensus('conn-admin');
    expect(new Set(census.groups.map((g) => g.viaConnectionId))).toEqual(new Set(['conn-admin']));
    const shopApproval = census.groups.find((g) => g.username === INTEGRATION.username)!.approvals[0]!;
    expect(shopApproval.attribution).toMatchObject({ siteNames: ['Shop'] });

    const result = await service.revokeApproval({ connectionId: 'conn-admin', approvalId: shopApproval.id, source: shopApproval.source });
    expect(result.revoked).toBe(true);
    expect((await refreshCall(emu, world.signedIn.get('conn-1')!.refreshToken)).status).toBe(400);
    expect(await service.explainInvalidGrant(world.connections[1]!)).toMatchObject({ cause: 'revoked' });

    expect(await service.preflight({ connectionId: 'conn-1' })).toMatchObject({ verdict: 'safe', used: 0 });
    service.stop();
  });
});
