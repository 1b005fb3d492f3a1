/**
 * `Sforce-Limit-Info: api-usage=USED/MAX`: every Salesforce REST response carries the org's
 * 24-hour API usage. jsforce parses it into `conn.limitInfo.apiUsage` after each response;
 * health reads it from there instead of spending a call on `limits/`.
 */
import type { Connection } from 'jsforce';

export interface ApiUsage {
  readonly used: number;
  readonly max: number;
}

export function parseLimitInfoHeader(header: string | null | undefined): ApiUsage | undefined {
  // Not `per-app-api-usage=…`, which Salesforce may send in the same header.
  const match = /(?:^|[\s;,])api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  if (!match) return undefined;
  return { used: Number(match[1]), max: Number(match[2]) };
}

/** The usage seen on the connection's latest response, if any response carried it. */
export function readApiUsage(connection: Pick<Connection, 'limitInfo'>): ApiUsage | undefined {
  const usage = connection.limitInfo?.apiUsage;
  if (usage === undefined) return undefined;
  return { used: usage.used, max: usage.limit };
}
