/**
 * `Sforce-Limit-Info: api-usage=USED/MAX`: every Salesforce REST response carries the org's
 * 24-hour API usage. jsforce parses it into `conn.limitInfo.apiUsage` after each response;
 * health reads it from there instead of spending a call on `limits/`, and parses raw headers
 * (with the per-app part) with `parseSforceLimitInfo`. The one parser of this header.
 */
import type { Connection } from 'jsforce';

export interface ApiUsage {
  readonly used: number;
  readonly max: number;
}

/** The usage seen on the connection's latest response, if any response carried it. */
export function readApiUsage(connection: Pick<Connection, 'limitInfo'>): ApiUsage | undefined {
  const usage = connection.limitInfo?.apiUsage;
  if (usage === undefined) return undefined;
  return { used: usage.used, max: usage.limit };
}

export interface LimitInfo {
  readonly used: number;
  readonly max: number;
  /** `per-app-api-usage=17/250(appName=sample-app)`, when the org sets per-app limits. */
  readonly perApp?: { readonly used: number; readonly max: number; readonly appName: string | null };
}

/** Parses `Sforce-Limit-Info`. Returns null for anything that is not a usable api-usage pair. */
export function parseSforceLimitInfo(header: string | null | undefined): LimitInfo | null {
  if (typeof header !== 'string') return null;
  const usage = /(?:^|[\s,;])api-usage\s*=\s*(\d+)\s*\/\s*(\d+)/i.exec(header);
  if (!usage) return null;
  const used = Number(usage[1]);
  const max = Number(usage[2]);
  if (!Number.isSafeInteger(used) || !Number.isSafeInteger(max) || max <= 0) return null;
  const perApp = /per-app-api-usage\s*=\s*(\d+)\s*\/\s*(\d+)(?:\s*\(\s*appName\s*=\s*([^)]*)\))?/i.exec(header);
  if (perApp && Number(perApp[2]) > 0) {
    return { used, max, perApp: { used: Number(perApp[1]), max: Number(perApp[2]), appName: perApp[3]?.trim() || null } };
  }
  return { used, max };
}
