import { describe, expect, it } from 'vitest';
import {
  ApprovalCensusService,
  attributeApprovals,
  evictionOrder,
  gaugeLevel,
  groupApprovals,
  parseSalesforceDate,
  truncationOf,
  type AttributionCandidate,
  type RawApproval,
} from '../../../main/health/approval-census';
import { FakeSalesforce } from './fake-salesforce';

const T0 = Date.parse('2026-11-01T10:00:00.000Z');
const MIN = 60_000;

function approval(id: string, minutes: number, overrides: Partial<RawApproval> = {}): RawApproval {
  return { id, source: 'oauth-token-soql', appName: 'ForceSites', userId: '005000000000001AAA', username: 'ada@x.test', createdAt: T0 + minutes * MIN, lastUsedAt: null, useCount: 1, ...overrides };
}

const caps = { approvalCap: 5, approvalWarnAt: 4 };

describe('gauge level', () => {
  it('is ok below the warning threshold, warning from it, at-cap from the cap', () => {
    expect(gaugeLevel(3, 5, 4)).toBe('ok');
    expect(gaugeLevel(4, 5, 4)).toBe('warning');
    expect(gaugeLevel(5, 5, 4)).toBe('at-cap');
    expect(gaugeLevel(7, 5, 4)).toBe('at-cap');
  });
});

describe('eviction order', () => {
  it('puts the oldest approval by CreatedDate first, whatever order Salesforce listed them in', () => {
    const list = [approval('c', 30), approval('a', 10), approval('b', 20)];
    expect(evictionOrder(list).map((a) => a.id)).toEqual(['a', 'b', 'c']);
  });

  it('marks only the oldest approval of each user and app as evicted next', () => {
    const list = [approval('a2', 20), approval('a1', 10), approval('b1', 5, { userId: '005000000000002AAA' })];
    const groups = groupApprovals(list, caps, new Map());
    const ada = groups.find((g) => g.userId === '005000000000001AAA')!;
    expect(ada.approvals.map((a) => [a.id, a.evictedNext])).toEqual([
      ['a1', true],
      ['a2', false],
    ]);
    expect(ada.evictedNextId).toBe('a1');
    expect(ada.nextAuthorizationEvicts).toBe(false);
  });

  it('says the next authorization evicts once the user holds the cap', () => {
    const list = [1, 2, 3, 4, 5].map((n) => approval(`a${n}`, n));
    const [group] = groupApprovals(list, caps, new Map());
    expect(group!.used).toBe(5);
    expect(group!.level).toBe('at-cap');
    expect(group!.nextAuthorizationEvicts).toBe(true);
  });

  it('counts 15- and 18-character ids of one user as the same user', () => {
    const list = [approval('a', 1), approval('b', 2, { userId: '005000000000001' })];
    expect(groupApprovals(list, caps, new Map())).toHaveLength(1);
  });
});

describe('attribution', () => {
  const candidate = (connectionId: string, minutes: number, siteNames: string[] = [connectionId]): AttributionCandidate => ({
    connectionId,
    userId: '005000000000001AAA',
    appName: 'ForceSites',
    authorizedAt: T0 + minutes * MIN,
    siteIds: siteNames.map((n) => `site-${n}`),
    siteNames,
  });

  it('matches an approval to the connection authorized within the tolerance', () => {
    const result = attributeApprovals([approval('a', 10)], [candidate('c1', 11)], 2 * MIN);
    expect(result.get('a')).toMatchObject({ kind: 'site', connectionId: 'c1', siteNames: ['c1'] });
  });

  it('leaves an approval outside the tolerance as an unknown site', () => {
    const result = attributeApprovals([approval('a', 10)], [candidate('c1', 13)], 2 * MIN);
    expect(result.get('a')).toEqual({ kind: 'unknown-site' });
  });

  it('never gives one connection two approvals, closest pairs first', () => {
    const result = attributeApprovals([approval('a', 10), approval('b', 11)], [candidate('c1', 10.9), candidate('c2', 9.5)], 2 * MIN);
    expect(result.get('b')).toMatchObject({ connectionId: 'c1' });
    expect(result.get('a')).toMatchObject({ connectionId: 'c2' });
  });

  it('does not attribute another user or another app', () => {
    const result = attributeApprovals([approval('a', 10, { appName: 'WP Fusion (OAuth)' }), approval('b', 10, { userId: '005000000000009AAA' })], [candidate('c1', 10)], 2 * MIN);
    expect(result.get('a')).toEqual({ kind: 'unknown-site' });
    expect(result.get('b')).toEqual({ kind: 'unknown-site' });
  });
});

describe('truncation', () => {
  it('is reported when COUNT() finds more rows than were listed', () => {
    const t = truncationOf(2500, 2712, true);
    expect(t).toMatchObject({ listed: 2500, total: 2712 });
    expect(t!.message).toContain('2,712');
  });

  it('is not reported when everything was listed', () => {
    expect(truncationOf(600, 600, false)).toBeNull();
  });

  it('is reported as possible when the limit was reached and COUNT() failed', () => {
    expect(truncationOf(2500, null, true)).toMatchObject({ total: null });
    expect(truncationOf(700, null, false)).toBeNull();
  });
});

describe('dates', () => {
  it('parses Salesforce +0000 offsets', () => {
    expect(parseSalesforceDate('2026-11-01T10:00:00.000+0000')).toBe(T0);
    expect(parseSalesforceDate('nonsense')).toBeNull();
    expect(parseSalesforceDate(null)).toBeNull();
  });
});

describe('ApprovalCensusService against a fake org', () => {
  const row = (id: string, minutes: number, user = '005000000000001AAA', app = 'ForceSites') => ({
    Id: id,
    AppName: app,
    UserId: user,
    CreatedDate: new Date(T0 + minutes * MIN).toISOString().replace('Z', '+0000'),
    LastUsedDate: null,
    UseCount: 2,
  });

  it('falls back to OauthToken when the usage API is refused, and escapes app names', async () => {
    const fake = new FakeSalesforce({ version: '66.0' });
    fake.on(/apps\/oauth\/usage/, () => fake.fail('INSUFFICIENT_ACCESS'));
    fake.onQuery(/FROM UserPermissionAccess/, () => [{ PermissionsCustomizeApplication: true, PermissionsViewSetup: true, PermissionsModifyMetadata: true }]);
    fake.onQuery(/FROM OauthToken/, () => [row('0CQ1', 1), row('0CQ2', 2, '005000000000001AAA', "O'Brien's App")]);
    fake.onQuery(/FROM User WHERE/, () => [{ Id: '005000000000001AAA', Username: 'ada@x.test' }]);
    const census = await new ApprovalCensusService().take(fake, { watchedApps: ['ForceSites', "O'Brien's App"], ...caps });
    expect(fake.queries.find((q) => q.includes('FROM OauthToken'))).toContain("'O\\'Brien\\'s App'");
    expect(census.dto.apps.map((a) => [a.appName, a.source])).toEqual([
      ['ForceSites', 'oauth-token-soql'],
      ["O'Brien's App", 'oauth-token-soql'],
    ]);
    expect(census.dto.apps[0]!.fallbackReason).toMatch(/INSUFFICIENT_ACCESS/);
    expect(census.dto.scope).toBe('all-users');
    expect(census.dto.groups.map((g) => g.username)).toEqual(['ada@x.test', 'ada@x.test']);
  });

  it('skips the usage API below API 59', async () => {
    const fake = new FakeSalesforce({ version: '58.0' });
    fake.onQuery(/FROM OauthToken/, () => []);
    const census = await new ApprovalCensusService().take(fake, { watchedApps: ['ForceSites'], ...caps });
    expect(fake.urls.some((u) => u.includes('apps/oauth/usage'))).toBe(false);
    expect(census.dto.apps[0]!.fallbackReason).toMatch(/59\.0/);
  });

  it('detects a truncated listing with COUNT() and re-reads the known users one by one', async () => {
    const fake = new FakeSalesforce({ version: '58.0' });
    const many = Array.from({ length: 2500 }, (_, i) => row(`0CQ${i}`, i, `005${String(i % 600).padStart(12, '0')}AAA`));
    fake.onQuery(/SELECT COUNT\(\) FROM OauthToken/, () => ({ totalSize: 2600 }));
    fake.onQuery(/FROM OauthToken WHERE .* AND UserId = '005000000000777AAA'/, () => [row('0CQx1', 1, '005000000000777AAA'), row('0CQx2', 2, '005000000000777AAA')]);
    fake.onQuery(/FROM OauthToken/, () => many, 500);
    const census = await new ApprovalCensusService().take(fake, {
      watchedApps: ['ForceSites'],
      ...caps,
      candidates: [{ connectionId: 'c1', userId: '005000000000777AAA', appName: 'ForceSites', authorizedAt: T0 + MIN, siteIds: ['s1'], siteNames: ['Shop'] }],
    });
    expect(census.dto.truncated).toMatchObject({ listed: 2500, total: 2600 });
    const known = census.dto.groups.find((g) => g.userId === '005000000000777AAA')!;
    expect(known.used).toBe(2);
    expect(known.approvals[0]!.attribution).toMatchObject({ kind: 'site', siteNames: ['Shop'] });
  });

  it('revokes through the DeleteToken it looks up again, never one it kept', async () => {
    const fake = new FakeSalesforce({ version: '58.0' });
    fake.onQuery(/SELECT Id, DeleteToken FROM OauthToken WHERE Id = '0CQ000000000001AAA'/, () => [{ Id: '0CQ000000000001AAA', DeleteToken: 'del-tok' }]);
    fake.on(/\/services\/oauth2\/revoke/, () => ({}));
    const result = await new ApprovalCensusService().revoke(fake, '0CQ000000000001AAA', 'oauth-token-soql');
    expect(result).toMatchObject({ revoked: true, via: 'delete-token' });
    const post = fake.requests.find((r) => r.url === '/services/oauth2/revoke')!;
    expect(post.method).toBe('POST');
    expect(post.body).toBe('token=del-tok');
  });

  it('refuses an approval id that is not a Salesforce id', async () => {
    const fake = new FakeSalesforce({ version: '66.0' });
    const result = await new ApprovalCensusService().revoke(fake, '../../sobjects/Account', 'usage-api');
    expect(result.revoked).toBe(false);
    expect(fake.requests).toHaveLength(0);
  });
});
