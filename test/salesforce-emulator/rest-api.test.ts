import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from './index';
import type { RunningEmulator } from './index';
import { api, browserLogin, connectWithPkce, exchange } from './test-support';

let emu: RunningEmulator;
let token: string;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  emu.handle.reset();
  token = (await exchange(emu, await browserLogin(emu))).body.access_token!;
});

describe('version list', () => {
  it('lists 59.0 to 66.0 with release labels, without auth and without the limit header', async () => {
    const res = await fetch(`${emu.instanceUrl}/services/data/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('sforce-limit-info')).toBeNull();
    const versions = (await res.json()) as { version: string; url: string; label: string }[];
    expect(versions.map((v) => v.version)).toEqual(['59.0', '60.0', '61.0', '62.0', '63.0', '64.0', '65.0', '66.0']);
    expect(versions[0]).toEqual({ version: '59.0', url: '/services/data/v59.0', label: "Winter '24" });
    expect(versions.at(-1)).toEqual({ version: '66.0', url: '/services/data/v66.0', label: "Spring '26" });
  });

  it('answers NOT_FOUND for an unsupported version', async () => {
    const res = await fetch(`${emu.instanceUrl}/services/data/v50.0/limits`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
});

describe('daily API quota', () => {
  it('carries Sforce-Limit-Info on every authenticated response, consistent with limits/', async () => {
    const first = await api(emu, token, 'limits');
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    const limits = (await first.json()) as Record<string, { Max: number; Remaining: number }>;
    expect(limits.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14999 });
    for (const key of ['DailyBulkV2QueryJobs', 'DailyAsyncApexExecutions', 'DataStorageMB', 'FileStorageMB', 'DailyBulkApiBatches']) expect(limits).toHaveProperty(key);
    const notFound = await api(emu, token, 'no/such/resource');
    expect(notFound.headers.get('sforce-limit-info')).toBe('api-usage=2/15000');
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the allowance is spent, and jsforce surfaces the code', async () => {
    emu.handle.configureOrg(undefined, { dailyApiMax: 3 });
    for (let i = 1; i <= 3; i++) expect((await api(emu, token, 'limits')).status).toBe(200);
    const res = await api(emu, token, 'limits');
    expect(res.status).toBe(403);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    expect(await res.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);

    const { conn } = await connectWithPkce(emu);
    await expect(conn.limits()).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('is a rolling 24-hour window on the simulated clock, and apiUsed can be preset', async () => {
    emu.handle.configureOrg(undefined, { dailyApiMax: 100, apiUsed: 100 });
    expect((await api(emu, token, 'limits')).status).toBe(403);
    emu.handle.advanceClock({ minutes: 90 }); // keep the session alive: use it before it times out
    emu.handle.advanceClock({ hours: 23 });
    const fresh = (await exchange(emu, await browserLogin(emu))).body.access_token!;
    const res = await api(emu, fresh, 'limits');
    expect(res.status).toBe(200);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=1/100');
  });

  it('counts per org', async () => {
    const other = emu.handle.createOrg({ name: 'Second', users: [{ username: 'admin@second.test', password: 'pw-2', permissions: ['CustomizeApplication', 'ViewSetup'] }] });
    const login = await browserLogin(emu, { username: 'admin@second.test', password: 'pw-2' });
    const otherToken = (await exchange(emu, login)).body.access_token!;
    expect(otherToken.startsWith(other.orgId.slice(0, 15))).toBe(true);
    await api(emu, token, 'limits');
    await api(emu, token, 'limits');
    const res = await api(emu, otherToken, 'limits');
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
  });
});

describe('Metadata API readMetadata ConnectedApp', () => {
  it('returns oauthConfig and oauthPolicy.refreshTokenPolicy to jsforce', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: 'specific_inactivity:30:DAYS' });
    const { conn } = await connectWithPkce(emu);
    const [app, missing] = (await conn.metadata.read('ConnectedApp', ['ForceSites', 'Nope'])) as unknown as Record<string, unknown>[];
    expect(app!.fullName).toBe('ForceSites');
    expect((app!.oauthConfig as Record<string, unknown>).consumerKey).toBe(emu.clientId);
    expect((app!.oauthConfig as Record<string, unknown>).callbackUrl).toContain('http://localhost:1717/OauthRedirect');
    expect((app!.oauthPolicy as Record<string, unknown>).refreshTokenPolicy).toBe('specific_inactivity:30:DAYS');
    expect(missing?.fullName ?? '').toBe('');
  });

  it('answers a SOAP fault without Customize Application', async () => {
    const other = emu.users[1]!;
    const { conn } = await connectWithPkce(emu, { username: other.username, password: other.password });
    await expect(conn.metadata.read('ConnectedApp', ['ForceSites'])).rejects.toMatchObject({ errorCode: 'sf:INSUFFICIENT_ACCESS' });
  });

  it('lets jsforce refresh on a SOAP INVALID_SESSION_ID fault', async () => {
    const { conn } = await connectWithPkce(emu);
    emu.handle.expireAllSessions();
    const app = (await conn.metadata.read('ConnectedApp', 'ForceSites')) as unknown as Record<string, unknown>;
    expect(app.fullName).toBe('ForceSites');
  });
});

describe('faults', () => {
  async function statuses(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await api(emu, token, 'limits')).status);
    return out;
  }

  it('answers a seeded, repeatable share of 500 and 503', async () => {
    emu.handle.setFaults({ seed: 42, error503Rate: 0.3, error500Rate: 0.1 });
    const a = await statuses(30);
    emu.handle.setFaults({ seed: 42, error503Rate: 0.3, error500Rate: 0.1 });
    const b = await statuses(30);
    expect(a).toEqual(b);
    expect(a).toContain(503);
    expect(a).toContain(200);
    emu.handle.setFaults({ seed: 1, error503Rate: 1 });
    const res = await api(emu, token, 'limits');
    const body = (await res.json()) as { errorCode: string; message: string }[];
    expect(body[0]!.errorCode).toBe('SERVER_UNAVAILABLE');
    expect(typeof body[0]!.message).toBe('string');
  });

  it('drops connections', async () => {
    emu.handle.setFaults({ dropRate: 1 });
    await expect(api(emu, token, 'limits')).rejects.toThrow();
    emu.handle.clearFaults();
    expect((await api(emu, token, 'limits')).status).toBe(200);
  });

  it('adds latency', async () => {
    emu.handle.setFaults({ latencyMs: 120 });
    const start = performance.now();
    await api(emu, token, 'limits');
    expect(performance.now() - start).toBeGreaterThanOrEqual(100);
  });

  it('wires UNABLE_TO_LOCK_ROW to the data half through shouldLockRow', async () => {
    emu.handle.setFaults({ seed: 3, lockRowRate: 1 });
    expect(emu.handle.faults.shouldLockRow()).toBe(true);
    emu.handle.setFaults({ lockRowRate: 0 });
    expect(emu.handle.faults.shouldLockRow()).toBe(false);
  });
});

describe('request log', () => {
  it('records method, path, status and kind, with counts by kind, and can be cleared', async () => {
    emu.handle.clearRequestLog();
    await api(emu, token, 'limits');
    await api(emu, token, 'query?q=SELECT+Id+FROM+Contact');
    await api(emu, token, 'composite/sobjects', { method: 'POST', body: '{}' });
    await api(emu, token, 'jobs/ingest');
    await api(emu, token, 'apps/oauth/usage');
    await fetch(`${emu.instanceUrl}/services/data/`);
    const log = emu.handle.requestLog();
    expect(log.entries.map((e) => e.kind)).toEqual(['limits', 'query', 'composite', 'bulk', 'usage', 'versions']);
    expect(log.entries[1]).toMatchObject({ method: 'GET', path: '/services/data/v66.0/query', orgId: emu.orgId });
    expect(log.counts).toMatchObject({ limits: 1, query: 1, composite: 1, bulk: 1, usage: 1, versions: 1 });
    const http = (await (await fetch(`${emu.controlUrl}/requests?kind=query`)).json()) as { entries: unknown[] };
    expect(http.entries).toHaveLength(1);
    await fetch(`${emu.controlUrl}/requests`, { method: 'DELETE' });
    expect(emu.handle.requestLog().total).toBe(0);
  });

  it('keeps a bounded ring', async () => {
    const small = await startEmulator({ requestLogCapacity: 3 });
    try {
      for (let i = 0; i < 5; i++) await fetch(`${small.instanceUrl}/services/data/`);
      const log = small.handle.requestLog();
      expect(log.entries).toHaveLength(3);
      expect(log.total).toBe(5);
    } finally {
      await small.close();
    }
  });
});

describe('control API over HTTP', () => {
  it('describes, advances the clock, configures, creates orgs and resets', async () => {
    const description = (await (await fetch(`${emu.controlUrl}/`)).json()) as Record<string, unknown>;
    expect(description).toEqual(emu.describe());
    const before = emu.handle.now();
    const clock = (await (await fetch(`${emu.controlUrl}/clock`, { method: 'POST', body: JSON.stringify({ days: 2 }) })).json()) as { now: number };
    expect(clock.now - before).toBeGreaterThanOrEqual(2 * 86_400_000);
    const org = (await (await fetch(`${emu.controlUrl}/orgs/default`, { method: 'PATCH', body: JSON.stringify({ approvalCap: 4, dailyApiMax: 500 }) })).json()) as { settings: Record<string, number> };
    expect(org.settings).toMatchObject({ approvalCap: 4, dailyApiMax: 500 });
    const created = (await (await fetch(`${emu.controlUrl}/orgs`, { method: 'POST', body: JSON.stringify({ name: 'Two' }) })).json()) as { orgId: string; users: { username: string }[] };
    expect(created.orgId).not.toBe(emu.orgId);
    expect(created.users.map((u) => u.username)).toEqual(['admin@org2.forcesites.test', 'integration@org2.forcesites.test']);
    const clash = await fetch(`${emu.controlUrl}/orgs/${created.orgId}/users`, { method: 'POST', body: JSON.stringify({ username: emu.users[0]!.username, password: 'pw' }) });
    expect(clash.status).toBe(400);
    expect((await (await fetch(`${emu.controlUrl}/orgs`)).json()) as unknown[]).toHaveLength(2);
    const user = (await (await fetch(`${emu.controlUrl}/orgs/${created.orgId}/users`, { method: 'POST', body: JSON.stringify({ username: 'x@two.test', password: 'pw' }) })).json()) as { userId: string };
    expect(user.userId).toMatch(/^005/);
    const patched = (await (await fetch(`${emu.controlUrl}/orgs/${created.orgId}/users/x@two.test`, { method: 'PATCH', body: JSON.stringify({ addPermissions: ['ApproveUninstalledConnectedApps'] }) })).json()) as { permissions: string[] };
    expect(patched.permissions).toContain('ApproveUninstalledConnectedApps');
    const reset = (await (await fetch(`${emu.controlUrl}/reset`, { method: 'POST' })).json()) as Record<string, unknown>;
    expect(reset).toEqual(emu.describe());
    expect(emu.handle.orgs()).toHaveLength(1);
  });

  it('seeds records through the data half, owned by the org admin', async () => {
    const res = await fetch(`${emu.controlUrl}/orgs/default/records/Contact`, { method: 'POST', body: JSON.stringify({ records: [{ LastName: "O'Brien" }] }) });
    const { ids } = (await res.json()) as { ids: string[] };
    const stored = emu.handle.records(undefined, 'Contact').find((r) => r.Id === ids[0]);
    expect(stored).toMatchObject({ LastName: "O'Brien", OwnerId: emu.users[0]!.userId });
  });

  it('adds a declarative custom object and a record type', async () => {
    const object = await fetch(`${emu.controlUrl}/orgs/default/objects`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Site__c', label: 'Site', fields: [{ name: 'Url__c', label: 'URL', type: 'string', length: 255, externalId: true }] }),
    });
    expect(object.status).toBe(200);
    const recordType = await fetch(`${emu.controlUrl}/orgs/default/record-types/Site__c`, { method: 'POST', body: JSON.stringify({ name: 'Shop', default: true }) });
    const { id } = (await recordType.json()) as { id: string };
    expect(id).toMatch(/^012/);
    const { conn } = await connectWithPkce(emu);
    const site = await conn.sobject('Site__c').describe();
    expect(site.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Url__c', 'RecordTypeId']));
    expect(site.recordTypeInfos.find((r) => r.recordTypeId === id)).toMatchObject({ name: 'Shop', defaultRecordTypeMapping: true });
    const bad = await fetch(`${emu.controlUrl}/orgs/default/record-types/Site__c`, { method: 'POST', body: JSON.stringify({}) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/name/);
  });

  it('expires sessions and revokes tokens', async () => {
    const { conn } = await connectWithPkce(emu);
    await fetch(`${emu.controlUrl}/sessions/expire`, { method: 'POST' });
    expect((await api(emu, conn.accessToken!, 'limits')).status).toBe(401);
    const res = (await (await fetch(`${emu.controlUrl}/tokens/revoke`, { method: 'POST', body: JSON.stringify({ token: conn.refreshToken }) })).json()) as { revoked: boolean };
    expect(res.revoked).toBe(true);
  });

  it('answers bad input with a 400 JSON error, never a stack trace', async () => {
    const bad = await fetch(`${emu.controlUrl}/orgs/default`, { method: 'PATCH', body: '{oops' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'body is not valid JSON' });
    const unknownOrg = await fetch(`${emu.controlUrl}/orgs/00Dnope/apps/x`, { method: 'PATCH', body: '{}' });
    expect(unknownOrg.status).toBe(400);
    const unknownRoute = await fetch(`${emu.controlUrl}/nope`);
    expect(unknownRoute.status).toBe(404);
    const negative = await fetch(`${emu.controlUrl}/clock`, { method: 'POST', body: JSON.stringify({ ms: -5 }) });
    expect(negative.status).toBe(400);
  });
});

describe('robustness', () => {
  it('never answers a stack trace or a bare 500 to garbage, and keeps serving', async () => {
    const bodies = ['', '{', '[]', 'null', '\u0000\u0001', '%%%', 'a=1&a=2&grant_type=authorization_code&grant_type=refresh_token', 'x'.repeat(100_000), '{"records":[{"attributes":{}}]}'];
    const targets = [
      `${emu.loginUrl}/services/oauth2/token`,
      `${emu.loginUrl}/services/oauth2/authorize`,
      `${emu.loginUrl}/services/oauth2/revoke`,
      `${emu.loginUrl}/id/x/y`,
      `${emu.instanceUrl}/services/data/v66.0/limits`,
      `${emu.instanceUrl}/services/data/v66.0/composite/sobjects`,
      `${emu.instanceUrl}/services/Soap/m/66.0`,
      `${emu.instanceUrl}/__emulator/orgs/default`,
      `${emu.instanceUrl}/__emulator/clock`,
      `${emu.instanceUrl}/__emulator/orgs/default/records/Contact`,
      `${emu.instanceUrl}/%E0%A4%A`,
    ];
    for (const url of targets) {
      for (const body of bodies) {
        for (const method of ['POST', 'PATCH']) {
          const res = await fetch(url, { method, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          const text = await res.text();
          expect(text, `${method} ${url}`).not.toMatch(/\n\s+at /); // no stack traces
          if (!url.includes('/Soap/')) expect(res.status, `${method} ${url} ${body.slice(0, 20)}`).not.toBe(500);
        }
      }
    }
    expect((await fetch(`${emu.instanceUrl}/services/data/`)).status).toBe(200);
  });


  it('survives malformed requests with Salesforce-shaped errors', async () => {
    const noAuth = await fetch(`${emu.instanceUrl}/services/data/v66.0/query?q=SELECT+Id+FROM+Contact`);
    expect(noAuth.status).toBe(401);
    const weird = await fetch(`${emu.instanceUrl}/services/data/v66.0/sobjects/Contact`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"LastName":' });
    expect(weird.status).toBeLessThan(500);
    const authGet = await fetch(`${emu.loginUrl}/services/oauth2/authorize`, { method: 'POST', body: 'flow=nonsense' });
    expect(authGet.status).toBe(400);
    const soap = await fetch(`${emu.instanceUrl}/services/Soap/m/66.0`, { method: 'POST', body: 'not xml' });
    expect(soap.status).toBe(500);
    expect(await soap.text()).toContain('sf:INVALID_SESSION_ID');
  });
});
