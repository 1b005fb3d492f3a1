import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DataUser, OrgData, VirtualSObject } from './data/seam';
import { createStubOrgData } from './stub-org-data';
import { startEmulator } from './index';
import type { RunningEmulator } from './index';
import { expectSameShape, loadFixture } from './shape';
import { api, browserLogin, exchange } from './test-support';
import { CONNECTED_APPLICATION_DESCRIBE, OAUTH_TOKEN_DESCRIBE, USER_DESCRIBE } from './virtual/virtual-sobjects';
import { useEmulator } from './use-emulator';

// A stub data half that records what the core registers (the real one is tested below).
const registered = new Map<string, VirtualSObject>();
function recordingOrgData(options: Parameters<typeof createStubOrgData>[0]): OrgData {
  const base = createStubOrgData(options);
  return { ...base, registerVirtualSObject: (name, v) => void registered.set(name, v) };
}

const emu = useEmulator({ createOrgData: recordingOrgData }, { resetEachTest: false });
beforeEach(() => {
  registered.clear();
  emu.handle.reset();
});

function asUser(index: number): DataUser {
  const org = emu.handle.org();
  return org.dataUser(org.requireUser(emu.users[index]!.username));
}

describe('virtual sObject describes', () => {
  it.each([
    ['OauthToken', OAUTH_TOKEN_DESCRIBE],
    ['ConnectedApplication', CONNECTED_APPLICATION_DESCRIBE],
    ['User', USER_DESCRIBE],
  ])('%s has every key of a recorded describe, fields included', (_name, describe) => {
    const contact = loadFixture('recorded/Contact.describe.json') as Record<string, unknown>;
    // Layout URLs exist only for layoutable objects; these are not.
    expectSameShape(describe, contact, { optionalKeys: ['compactLayouts', 'approvalLayouts', 'uiDetailTemplate', 'uiEditTemplate', 'listviews', 'uiNewRecord', 'quickActions', 'layouts'] });
    expect(describe.queryable).toBe(true);
    expect(describe.createable).toBe(false);
  });

  it('describes the OauthToken fields the reference lists', () => {
    const names = (OAUTH_TOKEN_DESCRIBE.fields as { name: string }[]).map((f) => f.name).sort();
    expect(names).toEqual(['AccessToken', 'AppMenuItemId', 'AppName', 'CreatedDate', 'DeleteToken', 'Id', 'LastUsedDate', 'RequestToken', 'UseCount', 'UserId']);
  });
});

describe('virtual sObject rows', () => {
  it('registers OauthToken with the 500/2,500 paging limits, one row per approval, filtered by permission', async () => {
    await exchange(emu, await browserLogin(emu));
    const other = emu.users[1]!;
    await exchange(emu, await browserLogin(emu, { username: other.username, password: other.password }));
    const oauthToken = registered.get('OauthToken')!;
    expect(oauthToken.maxBatchSize).toBe(500);
    expect(oauthToken.maxTotalRows).toBe(2500);
    const all = oauthToken.rows(asUser(0));
    expect(all).toHaveLength(2);
    expect(Object.keys(all[0]!).sort()).toEqual(['AccessToken', 'AppMenuItemId', 'AppName', 'CreatedDate', 'DeleteToken', 'Id', 'LastUsedDate', 'RequestToken', 'UseCount', 'UserId']);
    expect(all[0]!.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(String(all[0]!.AccessToken)).toContain('*');
    const own = oauthToken.rows(asUser(1));
    expect(own.map((r) => r.UserId)).toEqual([other.userId]);
  });

  it('lists only installed apps in ConnectedApplication and hides it from users without View Setup', () => {
    emu.handle.configureApp(undefined, 'WP Fusion (OAuth)', { installed: false });
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: 'specific_inactivity:30:DAYS', adminApprovedOnly: true });
    const apps = registered.get('ConnectedApplication')!;
    const rows = apps.rows(asUser(0));
    expect(rows.map((r) => r.Name)).toEqual(['ForceSites']);
    expect(rows[0]).toMatchObject({ OptionsAllowAdminApprovedUsersOnly: true, OptionsRefreshTokenValidityMetric: true, RefreshTokenValidityPeriod: 720 });
    expect(apps.accessible?.(asUser(1))).toBe(false);
    expect(apps.rows(asUser(1))).toEqual([]);
  });

  it('lists users', () => {
    const rows = registered.get('User')!.rows(asUser(1));
    expect(rows.map((r) => r.Username)).toEqual(emu.users.map((u) => u.username));
    expect(rows[0]).toMatchObject({ IsActive: true, UserType: 'Standard', Name: 'Ada Admin' });
  });
});

describe('virtual sObjects through the data half', () => {
  let real: RunningEmulator;
  beforeAll(async () => {
    real = await startEmulator();
  });
  afterAll(async () => {
    await real.close();
  });

  it('describes OauthToken over REST and refuses DML on it', async () => {
    const { body } = await exchange(real, await browserLogin(real));
    const describe = await api(real, body.access_token!, 'sobjects/OauthToken/describe');
    expect(describe.status).toBe(200);
    expect(((await describe.json()) as { name: string }).name).toBe('OauthToken');
    const insert = await api(real, body.access_token!, 'sobjects/OauthToken', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(insert.status).toBeGreaterThanOrEqual(400);
    expect(insert.status).toBeLessThan(500);
  });
});
