/**
 * `Sforce-Limit-Info: api-usage=USED/MAX`: every Salesforce REST response carries the org's
 * 24-hour API usage. jsforce parses it into `conn.limitInfo.apiUsage` after each response;
 * health reads it from there instead of spending a call on `limits/`. (A raw header is
 * parsed by main/health/api-usage.ts `parseSforceLimitInfo`, which also reads the per-app part.)
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
