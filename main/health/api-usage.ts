/**
 * API usage: the org's rolling 24-hour allowance and how much of it each site's syncing uses.
 * When the allowance runs out every integration of the org stops (403 REQUEST_LIMIT_EXCEEDED),
 * not only ForceSites, so it warns at 80 % and again at 95 %.
 */
import type { ApiUsageDto, ApiUsageLevel, SiteApiCallsDto } from '../../common/health-models';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import { errorCodeOf, isAuthorizationLost, isUnreachable } from '../salesforce/salesforce-errors';
import { parseSforceLimitInfo } from '../salesforce/limit-info';

export const API_WARN_FRACTION = 0.8;
export const API_CRITICAL_FRACTION = 0.95;

export function usageLevel(used: number, max: number): ApiUsageLevel {
  if (!(max > 0)) return 'unknown';
  const fraction = used / max;
  if (fraction >= API_CRITICAL_FRACTION) return 'critical';
  if (fraction >= API_WARN_FRACTION) return 'warning';
  return 'ok';
}

export function describeUsage(used: number, max: number): string {
  const pct = Math.round((used / max) * 100);
  const base = `${used.toLocaleString('en-US')} of ${max.toLocaleString('en-US')} API requests used in the last 24 hours (${pct}%).`;
  switch (usageLevel(used, max)) {
    case 'critical':
      return `${base} Salesforce will soon refuse every integration of this org (REQUEST_LIMIT_EXCEEDED): pause syncing or buy more API calls.`;
    case 'warning':
      return `${base} Consider syncing less often.`;
    default:
      return base;
  }
}

export function usageDto(orgId: string | null, used: number, max: number, source: ApiUsageDto['source'], observedAt: number): ApiUsageDto {
  return { orgId, used, max, fraction: max > 0 ? used / max : null, level: usageLevel(used, max), source, observedAt: new Date(observedAt).toISOString(), message: describeUsage(used, max) };
}

export function unknownUsage(orgId: string | null, message: string): ApiUsageDto {
  return { orgId, used: null, max: null, fraction: null, level: 'unknown', source: 'none', observedAt: null, message };
}

const HOUR_MS = 3_600_000;

/**
 * Counts the calls ForceSites makes per site in hourly buckets over a rolling 24 hours, and
 * remembers the latest org-wide usage seen in a `Sforce-Limit-Info` header. The sync code
 * calls `countCall(siteId)` per request (or `countCalls(siteId, n)` per batch).
 */
export class ApiUsageTracker {
  private readonly now: () => number;
  private readonly perSite = new Map<string, Map<number, number>>();
  private readonly perOrg = new Map<string, { used: number; max: number; at: number }>();

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  countCall(siteId: string): void {
    this.countCalls(siteId, 1);
  }

  countCalls(siteId: string, calls: number): void {
    if (!(calls > 0)) return;
    const hour = Math.floor(this.now() / HOUR_MS);
    const buckets = this.perSite.get(siteId) ?? new Map<number, number>();
    buckets.set(hour, (buckets.get(hour) ?? 0) + calls);
    for (const h of buckets.keys()) if (h <= hour - 24) buckets.delete(h);
    this.perSite.set(siteId, buckets);
  }

  siteCalls(siteId: string): SiteApiCallsDto {
    const hour = Math.floor(this.now() / HOUR_MS);
    let total = 0;
    for (const [h, n] of this.perSite.get(siteId) ?? []) if (h > hour - 24) total += n;
    return { siteId, last24h: total };
  }

  /** Feed it every `Sforce-Limit-Info` header (or jsforce's `conn.limitInfo`). */
  observeHeader(orgId: string, header: string | null | undefined): void {
    const info = parseSforceLimitInfo(header);
    if (info) this.observe(orgId, info.used, info.max);
  }

  observe(orgId: string, used: number, max: number): void {
    this.perOrg.set(orgId, { used, max, at: this.now() });
  }

  lastSeen(orgId: string): ApiUsageDto | null {
    const seen = this.perOrg.get(orgId);
    return seen ? usageDto(orgId, seen.used, seen.max, 'header', seen.at) : null;
  }

  /**
   * `GET limits/` → DailyApiRequests. Falls back to the last header seen (jsforce's limitInfo
   * included) when the resource is refused, e.g. for a user without View Setup.
   */
  async readOrgUsage(api: SalesforceApi, orgId: string | null): Promise<ApiUsageDto> {
    try {
      const limits = await api.request<{ DailyApiRequests?: { Max?: number; Remaining?: number } }>('/limits/');
      const daily = limits.DailyApiRequests;
      if (daily && typeof daily.Max === 'number' && typeof daily.Remaining === 'number') {
        const used = Math.max(0, daily.Max - daily.Remaining);
        if (orgId) this.observe(orgId, used, daily.Max);
        return usageDto(orgId, used, daily.Max, 'limits', this.now());
      }
    } catch (error) {
      // A dead connection or an unreachable org is the caller's business (it marks the
      // connection), not "usage unknown": the check must not count it as reached.
      if (isAuthorizationLost(error) || isUnreachable(error)) throw error;
      const fromHeader = this.fromLimitInfo(api, orgId);
      if (fromHeader) return fromHeader;
      return unknownUsage(orgId, `Salesforce did not answer the limits request (${errorCodeOf(error)}).`);
    }
    return this.fromLimitInfo(api, orgId) ?? unknownUsage(orgId, 'Salesforce did not report the daily API allowance.');
  }

  private fromLimitInfo(api: SalesforceApi, orgId: string | null): ApiUsageDto | null {
    const info = api.limitInfo?.apiUsage;
    if (info && info.limit > 0) {
      if (orgId) this.observe(orgId, info.used, info.limit);
      return usageDto(orgId, info.used, info.limit, 'header', this.now());
    }
    return orgId ? this.lastSeen(orgId) : null;
  }
}
