/** Shared by the data half's tests and the benchmark: an org and a terse way to call it. */
import { createOrgData } from './org-data';
import type { DataRequest, DataResponse, DataUser, OrgData } from './seam';

export const TEST_VERSION = '66.0';
export const START = Date.UTC(2026, 10, 29, 12, 0, 0);

export interface TestOrg {
  readonly org: OrgData;
  readonly clock: { now: number };
  readonly faults: { lock: boolean };
  call(method: DataRequest['method'], path: string, body?: unknown, options?: CallOptions): Promise<DataResponse>;
}

export interface CallOptions {
  readonly headers?: Record<string, string>;
  readonly version?: string;
  readonly user?: DataUser;
  /** Send the body as-is (CSV, broken JSON). */
  readonly raw?: boolean;
}

export const ADMIN: DataUser = { id: '005000000000001AAA', username: 'admin@example.com', permissions: new Set(['ViewAllData', 'CustomizeApplication']) };
export const STANDARD_USER: DataUser = { id: '005000000000002AAA', username: 'user@example.com', permissions: new Set() };

export function makeOrg(): TestOrg {
  const clock = { now: START };
  const faults = { lock: false };
  const org = createOrgData({ orgId: '00D000000000001AAA', instanceUrl: 'https://emulated.my.salesforce.com', now: () => clock.now, shouldLockRow: () => faults.lock });
  return {
    org,
    clock,
    faults,
    async call(method, path, body, options = {}) {
      const [pathPart, queryPart] = path.split('?', 2) as [string, string | undefined];
      const text = body === undefined ? '' : options.raw ? String(body) : JSON.stringify(body);
      return org.handle({
        method,
        path: pathPart,
        query: new URLSearchParams(queryPart ?? ''),
        headers: options.headers ?? {},
        body: Buffer.from(text),
        version: options.version ?? TEST_VERSION,
        user: options.user ?? ADMIN,
      });
    },
  };
}

/** `?q=` with the SOQL encoded. */
export function q(soql: string, all = false): string {
  return `${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
}
