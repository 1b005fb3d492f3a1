/**
 * The rough edges a new admin hit in sign-in and health, driven through the IPC contract
 * against the Salesforce emulator: each test failed on the code before its fix.
 */
import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../common/contract';
import type { HealthReport } from '../../../common/health-models';
import { browserLogin, exchange } from '../../salesforce-emulator/test-support';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startAppHarness, type AppHarness } from './app-harness';

const emu = useEmulator();

/** Another site or tool authorizes ForceSites' app as this user (one approval, a minute apart). */
async function approvalElsewhere(who: { username: string; password: string }): Promise<void> {
  const { status } = await exchange(emu, await browserLogin(emu, who));
  expect(status).toBe(200);
  emu.handle.advanceClock({ minutes: 1 });
}

function nextHealthChange(h: AppHarness, until: (report: HealthReport) => boolean): Promise<HealthReport> {
  return new Promise((resolve) => {
    const stop = h.app.events.subscribe((channel, payload) => {
      if (channel !== 'health:changed') return;
      const { report } = payload as { report: HealthReport };
      if (!until(report)) return;
      stop();
      resolve(report);
    });
  });
}

const site = (connectionId: string | null, name = 'Members'): RequestOf<'sites:save'> => ({
  name,
  wordpressUrl: 'https://members.example.org',
  wordpressUsername: 'admin',
  connectionId,
  objectType: 'Contact',
  tagMode: 'topics',
  tagField: null,
  fieldMapping: [],
});

describe('sign-in preflight', () => {
  it('does not warn when reauthorizing at 4 of 5: the connection replaces its own approval', async () => {
    const h = await startAppHarness(emu);
    const signedIn = await h.signIn();
    emu.handle.advanceClock({ minutes: 1 });
    for (let i = 0; i < 3; i++) await approvalElsewhere(h.user); // 4 of 5, ForceSites' the oldest
    const preflight = await h.call('auth:preflight', { connectionId: signedIn.connection!.id });
    expect(preflight.verdict).toBe('safe');
    expect(preflight.used).toBe(4);
    expect(preflight.message).toContain('4 of 5');
    expect(preflight.message).toContain('before and after');
    expect(preflight.message).not.toContain('after this sign-in 5 of 5');
    // It names the next approval to go: not this connection's own, but the oldest other one.
    expect(preflight.message).not.toMatch(/disconnect Members/);
    await h.app.close();
  });

  it('checks the user the admin names before a new sign-in, refuses an unacknowledged eviction, and reports what Salesforce revoked', async () => {
    const h = await startAppHarness(emu);
    const admin = { ...h.user };
    const integration = { username: emu.users[1]!.username, password: emu.users[1]!.password };
    expect((await h.signIn()).ok).toBe(true); // the admin's connection: sees everybody's approvals
    emu.handle.advanceClock({ minutes: 1 });
    for (let i = 0; i < 5; i++) await approvalElsewhere(integration); // 5 of 5, no ForceSites connection

    const preflight = await h.call('auth:preflight', { username: integration.username });
    expect(preflight.verdict).toBe('will-disconnect');
    expect(preflight.used).toBe(5);
    expect(preflight.message).toContain(integration.username);

    h.user.username = integration.username;
    h.user.password = integration.password;
    const refused = await h.send('auth:start', { loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: true, expectedUsername: integration.username });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(emu.handle.approvals(undefined, { user: integration.username })).toHaveLength(5);

    const finished = await h.signIn({ expectedUsername: integration.username, acknowledgedApprovalId: preflight.evicts!.approvalId });
    expect(finished.ok).toBe(true);
    expect(finished.revokedBySignIn).toHaveLength(1);
    expect(finished.revokedBySignIn![0]).toMatchObject({ appName: 'ForceSites', username: integration.username, belongedTo: 'another app, device or site outside ForceSites' });
    expect(Date.parse(finished.revokedBySignIn![0]!.authorizedAt)).toBe(Date.parse(preflight.evicts!.authorizedAt));
    const activity = await h.call('activity:list', {});
    expect(activity.some((entry) => entry.level === 'warning' && entry.message.startsWith('Salesforce revoked the ForceSites approval of'))).toBe(true);
    h.user.username = admin.username;
    await h.app.close();
  });
});

describe('health report freshness', () => {
  it('says a report is outdated once sites change, and checks again by itself', async () => {
    const h = await startAppHarness(emu, { healthChangeDebounceMs: 20 });
    const startup = await h.call('health:check', {});
    expect(startup.cards).toHaveLength(0);
    const signedIn = await h.signIn();
    const rechecked = nextHealthChange(h, (report) => report.cards.length === 1);
    await h.call('sites:save', site(signedIn.connection!.id));
    const stale = await h.call('health:report', {});
    expect(stale.outdated).toBe(true);
    const fresh = await rechecked;
    expect(fresh.cards[0]?.siteName).toBe('Members');
    expect(fresh.outdated).toBeUndefined();
    expect((await h.call('health:report', {})).outdated).toBeUndefined();
    await h.app.close();
  });

  it('withdraws the at-cap banner when a revoke brings the count back under the cap', async () => {
    const h = await startAppHarness(emu);
    const signedIn = await h.signIn();
    emu.handle.advanceClock({ minutes: 1 });
    await h.call('sites:save', site(signedIn.connection!.id));
    for (let i = 0; i < 4; i++) await approvalElsewhere(h.user); // 5 of 5
    const atCap = await h.call('health:check', {});
    expect(atCap.cards[0]?.severity).toBe('error');
    const banners: { level: string; id: string }[] = [];
    h.app.events.subscribe((channel, payload) => {
      if (channel === 'app:banner') banners.push(payload as { level: string; id: string });
      if (channel === 'app:banner-cleared') banners.push({ level: 'cleared', id: (payload as { id: string }).id });
    });
    const group = atCap.censuses[0]!.groups.find((g) => g.username === h.user.username)!;
    const unused = group.approvals.find((a) => a.attribution.kind === 'unknown-site')!;
    const recovered = nextHealthChange(h, (report) => report.cards[0]?.approvals?.used === 4);
    // A check already in progress must not stand in for the one after the revoke.
    const running = h.call('health:check', {});
    await h.call('health:revoke-approval', { connectionId: signedIn.connection!.id, approvalId: unused.id, source: unused.source });
    await running;
    const report = await recovered;
    expect(report.cards[0]?.severity).not.toBe('error');
    expect(banners.at(-1)).toMatchObject({ id: `health:${report.cards[0]!.siteId}` });
    expect(banners.at(-1)?.level).not.toBe('error');
    await h.app.close();
  });
});

describe('Salesforce down or slow', () => {
  it('reports Salesforce unreachable instead of "ok / Connected" when every answer is a 503', async () => {
    const h = await startAppHarness(emu, { requestTimeoutMs: 2_000 });
    const signedIn = await h.signIn();
    await h.call('sites:save', site(signedIn.connection!.id));
    emu.handle.setFaults({ error503Rate: 1 });
    const started = Date.now();
    const report = await h.call('health:check', {});
    emu.handle.clearFaults();
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(report.status).toBe('error');
    expect(report.lastError).toMatch(/^Salesforce unreachable/);
    expect(report.cards[0]?.connectionState.kind).toBe('unreachable');
    expect(report.cards[0]?.severity).toBe('error');
    await h.app.close();
  });

  it('answers within the request deadline when Salesforce hangs, and later checks still run', async () => {
    const h = await startAppHarness(emu, { requestTimeoutMs: 300 });
    const signedIn = await h.signIn();
    await h.call('sites:save', site(signedIn.connection!.id));
    emu.handle.setFaults({ dropRate: 1 });
    const hung = await h.call('health:check', {});
    expect(hung.status).toBe('error');
    expect(hung.cards[0]?.connectionState.kind).toBe('unreachable');
    emu.handle.clearFaults();
    const next = await h.call('health:check', {});
    expect(next.status).toBe('ok');
    expect(next.cards[0]?.connectionState.kind).toBe('connected');
    await h.app.close();
  });

  it('drops a whole run that passes its deadline and reports it, so health is never stuck', async () => {
    const h = await startAppHarness(emu, { requestTimeoutMs: 5_000, healthRunTimeoutMs: 400 });
    const signedIn = await h.signIn();
    await h.call('sites:save', site(signedIn.connection!.id));
    emu.handle.setFaults({ latencyMs: 2_000 });
    const slow = await h.call('health:check', {});
    emu.handle.clearFaults();
    expect(slow.status).toBe('error');
    expect(slow.lastError).toMatch(/did not finish within 0 seconds|did not finish within/);
    await h.app.close();
  });
});

describe('API calls are counted', () => {
  it('shows the calls a check made through the site’s connection', async () => {
    const h = await startAppHarness(emu);
    const signedIn = await h.signIn();
    await h.call('sites:save', site(signedIn.connection!.id));
    const report = await h.call('health:check', {});
    expect(report.cards[0]?.connectionApiCalls?.last24h).toBeGreaterThan(0);
    expect(h.app.registry.meter.connectionCalls(signedIn.connection!.id)).toBe(report.cards[0]?.connectionApiCalls?.last24h);
    // Calls made for the site (by sync) are counted for the site.
    await h.app.registry.meter.forSite(report.cards[0]!.siteId, async () => (await h.app.registry.open(signedIn.connection!.id)).query('SELECT Id FROM Contact LIMIT 1'));
    expect((await h.call('health:check', {})).cards[0]?.siteApiCalls.last24h).toBe(1);
    await h.app.close();
  });
});

describe('disconnect', () => {
  it('lists the sites it leaves without a connection, and they say which connection they lost', async () => {
    const h = await startAppHarness(emu);
    const signedIn = await h.signIn();
    const saved = await h.call('sites:save', site(signedIn.connection!.id));
    const result = await h.call('connections:disconnect', { connectionId: signedIn.connection!.id, removeLocallyIfRevokeFails: false });
    expect(result.detachedSites).toEqual([{ id: saved.id, name: 'Members' }]);
    expect(result.message).toContain('“Members”');
    const [detached] = await h.call('sites:list', {});
    expect(detached).toMatchObject({ connectionId: null, detachedFromConnection: h.user.username });
    const report = await h.call('health:check', {});
    expect(report.cards[0]).toMatchObject({ connectionState: { kind: 'no-connection' }, detachedFromConnection: h.user.username });
    // Choosing a connection again forgets the old one.
    const again = await h.signIn();
    const reattached = await h.call('sites:save', { ...site(again.connection!.id), id: saved.id });
    expect(reattached.detachedFromConnection).toBeUndefined();
    await h.app.close();
  });
});
