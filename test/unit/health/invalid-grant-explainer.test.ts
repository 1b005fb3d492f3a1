import { describe, expect, it } from 'vitest';
import type { ConnectionDto } from '../../../common/models';
import type { ApprovalCensusDto, ApprovalDto, PolicyReportDto } from '../../../common/health-models';
import { explainFromCensus } from '../../../main/health/invalid-grant-explainer';
import { buildPolicyReport } from '../../../main/health/policy-check';

const ADA = '005000000000001AAA';
const connection: ConnectionDto = {
  id: 'conn-old',
  loginUrl: 'https://login.salesforce.com',
  instanceUrl: 'https://x.my.salesforce.com',
  clientId: 'cid',
  orgId: '00D',
  userId: ADA,
  username: 'ada@x.test',
  displayName: 'Ada',
  apiVersion: '66.0',
  authorizedAt: '2026-11-01T00:00:00.000Z',
  state: { kind: 'needs-reauthorization', cause: 'unknown', detail: '' },
  siteIds: ['s1'],
};

function approvals(n: number, startDay: number, attributedTo?: string): ApprovalDto[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `0CQ${i}`,
    source: 'usage-api' as const,
    appName: 'ForceSites',
    userId: ADA,
    createdAt: new Date(Date.UTC(2026, 10, startDay + i)).toISOString(),
    lastUsedAt: null,
    useCount: 1,
    evictedNext: i === 0,
    attribution: i === 0 && attributedTo ? { kind: 'site' as const, connectionId: attributedTo, siteIds: [], siteNames: [] } : { kind: 'unknown-site' as const },
  }));
}

function census(list: ApprovalDto[], scope: ApprovalCensusDto['scope'] = 'all-users'): ApprovalCensusDto {
  return {
    orgId: '00D',
    takenAt: '2026-11-20T00:00:00.000Z',
    scope,
    apps: [],
    groups: list.length ? [{ appName: 'ForceSites', userId: ADA, username: 'ada@x.test', used: list.length, cap: 5, warnAt: 4, level: list.length >= 5 ? 'at-cap' : 'ok', nextAuthorizationEvicts: list.length >= 5, evictedNextId: list[0]!.id, approvals: list }] : [],
    truncated: null,
    permissionGaps: [],
    notes: [],
  };
}

const infinite: PolicyReportDto = buildPolicyReport('ForceSites', { row: { kind: 'no-row' }, metadataPolicy: 'infinite' });
const expiring: PolicyReportDto = buildPolicyReport('ForceSites', { row: { kind: 'no-row' }, metadataPolicy: 'specific_inactivity:30:DAYS' });

describe('explaining invalid_grant', () => {
  it('blames the approval cap when the approval is gone and five newer ones exist', () => {
    const result = explainFromCensus(connection, census(approvals(5, 2)), infinite, 'ForceSites');
    expect(result.cause).toBe('evicted-by-approval-cap');
    expect(result.detail).toMatch(/keeps 5 approvals per user and revoked this one/);
  });

  it('blames the policy when the approval is gone below the cap and the policy expires tokens', () => {
    expect(explainFromCensus(connection, census(approvals(2, 2)), expiring, 'ForceSites').cause).toBe('policy-expiry');
  });

  it('says revoked when the approval is gone, the user is below the cap and the policy keeps tokens', () => {
    expect(explainFromCensus(connection, census(approvals(2, 2)), infinite, 'ForceSites').cause).toBe('revoked');
  });

  it('does not blame the cap when the connection’s approval still exists', () => {
    expect(explainFromCensus(connection, census(approvals(5, 2, 'conn-old')), expiring, 'ForceSites').cause).toBe('policy-expiry');
    expect(explainFromCensus(connection, census(approvals(5, 2, 'conn-old')), infinite, 'ForceSites').cause).toBe('unknown');
  });

  it('says unknown without a census, unless the policy expires tokens', () => {
    expect(explainFromCensus(connection, null, null, 'ForceSites').cause).toBe('unknown');
    expect(explainFromCensus(connection, null, expiring, 'ForceSites').cause).toBe('policy-expiry');
  });

  it('does not draw conclusions from an own-only census of another user', () => {
    expect(explainFromCensus(connection, census([], 'own-only'), infinite, 'ForceSites').cause).toBe('unknown');
  });
});
