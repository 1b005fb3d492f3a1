/** Health DTOs for renderer tests: realistic defaults, overridable per test. */
import type { ApprovalCensusDto, ApprovalDto, HealthReport, SiteHealthCard, UserAppApprovals } from '../../../common/health-models';

export const iso = (day: number, hour = 9) => new Date(Date.UTC(2026, 10, day, hour, 30)).toISOString();

export function makeApproval(overrides: Partial<ApprovalDto> = {}): ApprovalDto {
  return {
    id: '0CQ000000000001',
    source: 'oauth-token-soql',
    appName: 'ForceSites',
    userId: '005000000000001',
    createdAt: iso(1),
    lastUsedAt: iso(20),
    useCount: 12,
    evictedNext: false,
    attribution: { kind: 'unknown-site' },
    ...overrides,
  };
}

/** `used` approvals, oldest first; the oldest belongs to `oldestSite` through conn-1. */
export function makeGroup(used: number, overrides: Partial<UserAppApprovals> = {}, oldestSite = 'Members site'): UserAppApprovals {
  const approvals = Array.from({ length: used }, (_, i) =>
    makeApproval({
      id: `0CQ00000000000${i + 1}`,
      createdAt: iso(i + 1),
      evictedNext: i === 0,
      attribution: i === 0 ? { kind: 'site', connectionId: 'conn-1', siteIds: ['site-1'], siteNames: [oldestSite] } : { kind: 'unknown-site' },
    }),
  );
  return {
    appName: 'ForceSites',
    userId: '005000000000001',
    username: 'admin@acme.org',
    used,
    cap: 5,
    warnAt: 4,
    level: used >= 5 ? 'at-cap' : used >= 4 ? 'warning' : 'ok',
    nextAuthorizationEvicts: used >= 5,
    evictedNextId: used > 0 ? '0CQ000000000001' : null,
    approvals,
    ...overrides,
  };
}

export function makeCensus(overrides: Partial<ApprovalCensusDto> = {}): ApprovalCensusDto {
  return {
    orgId: '00D000000000001',
    takenAt: iso(21),
    scope: 'all-users',
    apps: [{ appName: 'ForceSites', source: 'oauth-token-soql', fallbackReason: null, approvals: 2 }],
    groups: [makeGroup(2)],
    truncated: null,
    permissionGaps: [],
    notes: [],
    ...overrides,
  };
}

export function makeCard(overrides: Partial<SiteHealthCard> = {}): SiteHealthCard {
  return {
    siteId: 'site-1',
    siteName: 'Members site',
    connectionId: 'conn-1',
    connectionState: { kind: 'connected' },
    username: 'admin@acme.org',
    severity: 'ok',
    headline: '2 of 5 approvals used',
    approvals: makeGroup(2),
    policy: {
      appName: 'ForceSites',
      verdict: { kind: 'valid-until-revoked' },
      severity: 'ok',
      summary: 'Refresh tokens stay valid until someone revokes them.',
      evidence: [],
      adminApprovedOnly: false,
      fix: null,
      permissionGaps: [],
    },
    install: { appName: 'ForceSites', verdict: 'installed', severity: 'ok', explanation: 'The app is installed in the org.', fix: null, permissionGaps: [] },
    apiUsage: { orgId: '00D000000000001', used: 1200, max: 15000, fraction: 0.08, level: 'ok', source: 'limits', observedAt: iso(21), message: '' },
    siteApiCalls: { siteId: 'site-1', last24h: 42 },
    keepAlive: null,
    permissionGaps: [],
    lastSyncedAt: iso(19),
    lastCheckedAt: iso(21),
    problems: [],
    ...overrides,
  };
}

export function makeReport(overrides: Partial<HealthReport> = {}): HealthReport {
  return {
    generatedAt: iso(21),
    status: 'ok',
    cards: [makeCard()],
    censuses: [makeCensus()],
    nextCheckAt: iso(21, 15),
    lastError: null,
    ...overrides,
  };
}
