import { describe, expect, it } from 'vitest';
import type { ApprovalCensusDto, UserAppApprovals } from '../../../common/health-models';
import { formatWhen, preflightFromCensus } from '../../../main/health/sign-in-preflight';

const ADA = '005000000000001AAA';

function group(used: number, options: { oldestSite?: string | null; oldestConnection?: string } = {}): UserAppApprovals {
  const approvals = Array.from({ length: used }, (_, i) => ({
    id: `0CQ00000000000${i}AAA`,
    source: 'usage-api' as const,
    appName: 'ForceSites',
    userId: ADA,
    createdAt: new Date(Date.UTC(2026, 10, 1 + i, 9, 30)).toISOString(),
    lastUsedAt: null,
    useCount: 3,
    evictedNext: i === 0,
    attribution:
      i === 0 && options.oldestSite !== null
        ? { kind: 'site' as const, connectionId: options.oldestConnection ?? 'conn-shop', siteIds: ['s1'], siteNames: [options.oldestSite ?? 'Shop'] }
        : { kind: 'unknown-site' as const },
  }));
  return { appName: 'ForceSites', userId: ADA, username: 'ada@x.test', used, cap: 5, warnAt: 4, level: used >= 5 ? 'at-cap' : used >= 4 ? 'warning' : 'ok', nextAuthorizationEvicts: used >= 5, evictedNextId: approvals[0]?.id ?? null, approvals };
}

function census(groups: UserAppApprovals[]): ApprovalCensusDto {
  return { orgId: '00D', takenAt: '2026-11-20T00:00:00.000Z', scope: 'all-users', apps: [], groups, truncated: null, permissionGaps: [], notes: [] };
}

const caps = { approvalCap: 5, approvalWarnAt: 4 };
const ada = { userId: ADA, label: 'ada@x.test' };

describe('sign-in preflight', () => {
  it('names the site that authorizing now will disconnect, with its date, at the cap', () => {
    const result = preflightFromCensus({ ...caps, appName: 'ForceSites', user: ada, census: census([group(5)]) });
    expect(result.verdict).toBe('will-disconnect');
    expect(result.message).toBe(
      'Authorizing now as ada@x.test will disconnect Shop (authorized 2026-11-01 09:30 UTC): ada@x.test already holds 5 of 5 ForceSites approvals and Salesforce revokes the oldest.',
    );
    expect(result.evicts).toMatchObject({ approvalId: '0CQ000000000000AAA', attribution: { siteNames: ['Shop'] } });
    expect(result.suggestion).toMatch(/dedicated Salesforce integration user per group of at most 4 sites/);
  });

  it('says "an unknown site or app" when the oldest approval is nobody we know', () => {
    const result = preflightFromCensus({ ...caps, appName: 'ForceSites', user: ada, census: census([group(5, { oldestSite: null })]) });
    expect(result.message).toMatch(/will disconnect an unknown site or app \(authorized/);
  });

  it('is safe when reauthorizing replaces the connection’s own old approval', () => {
    const result = preflightFromCensus({ ...caps, appName: 'ForceSites', user: ada, census: census([group(5, { oldestConnection: 'conn-1' })]), reauthorizeConnectionId: 'conn-1' });
    expect(result.verdict).toBe('safe');
    expect(result.message).toMatch(/replaces this connection's own previous approval/);
  });

  it('warns when this sign-in uses the last approval', () => {
    const result = preflightFromCensus({ ...caps, appName: 'ForceSites', user: ada, census: census([group(4)]) });
    expect(result.verdict).toBe('warning');
    expect(result.message).toMatch(/after this sign-in 5 of 5/);
    expect(result.message).toMatch(/next one will disconnect Shop/);
  });

  it('is safe with room to spare', () => {
    const result = preflightFromCensus({ ...caps, appName: 'ForceSites', user: ada, census: census([group(2)]) });
    expect(result).toMatchObject({ verdict: 'safe', used: 2, suggestion: null });
  });

  it('is safe for a user with no approvals yet', () => {
    expect(preflightFromCensus({ ...caps, appName: 'ForceSites', user: ada, census: census([]) }).verdict).toBe('safe');
  });

  it('lists the users at the cap when the user is not known yet', () => {
    const result = preflightFromCensus({ ...caps, appName: 'ForceSites', user: null, census: census([group(5)]) });
    expect(result.verdict).toBe('unknown-user');
    expect(result.message).toMatch(/At the cap now: ada@x.test\./);
  });

  it('says it cannot tell when no census could be taken', () => {
    const result = preflightFromCensus({ ...caps, appName: 'ForceSites', user: ada, census: null });
    expect(result.verdict).toBe('unknown');
    expect(result.suggestion).not.toBeNull();
  });

  it('formats dates the same everywhere', () => {
    expect(formatWhen('2026-11-01T09:30:59.000Z')).toBe('2026-11-01 09:30 UTC');
  });
});
