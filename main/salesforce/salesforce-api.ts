/**
 * The slice of a jsforce Connection the health checks use. A jsforce 3 `Connection` satisfies
 * it as is; tests may pass a hand-written fake. Keeping it this small means the checks depend
 * on REST paths and SOQL we can read, not on jsforce's query helpers (whose auto-fetch would
 * hide the 500-per-batch / 2,500-total OauthToken limit we must detect).
 */
export interface SalesforceRequest {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';
  readonly url: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface SalesforceApi {
  readonly instanceUrl: string;
  /** API version without the `v`, e.g. `66.0`. */
  readonly version: string;
  /**
   * A path starting with `/services/` is resolved against the instance, any other path
   * starting with `/` against `/services/data/vXX.X`. Rejects on HTTP >= 400 with an error
   * carrying `errorCode` (jsforce's HttpApiError).
   */
  request<T = unknown>(request: string | SalesforceRequest): Promise<T>;
  readonly metadata: {
    read(type: string, fullNames: string | string[]): Promise<unknown>;
  };
  /** jsforce keeps the last `Sforce-Limit-Info` it saw here. */
  readonly limitInfo?: { readonly apiUsage?: { readonly used: number; readonly limit: number } };
}

export interface QueryPage<R> {
  readonly totalSize: number;
  readonly done: boolean;
  readonly nextRecordsUrl?: string;
  readonly records: readonly R[];
}

export function apiVersionNumber(api: SalesforceApi): number {
  const n = Number.parseFloat(api.version);
  return Number.isFinite(n) ? n : 0;
}

/**
 * Runs a SOQL query through `query?q=` and follows `nextRecordsUrl` until done or `maxRows`,
 * returning what it got and whether Salesforce said there was more.
 */
export async function queryAll<R>(api: SalesforceApi, soql: string, maxRows = Number.POSITIVE_INFINITY): Promise<{ records: R[]; totalSize: number; done: boolean }> {
  let page = await api.request<QueryPage<R>>(`/query?q=${encodeURIComponent(soql)}`);
  const records: R[] = [...page.records];
  while (!page.done && page.nextRecordsUrl && records.length < maxRows) {
    page = await api.request<QueryPage<R>>(page.nextRecordsUrl);
    records.push(...page.records);
  }
  return { records, totalSize: page.totalSize, done: page.done };
}

/** `SELECT COUNT() …` answers with totalSize and no records. */
export async function queryCount(api: SalesforceApi, soql: string): Promise<number> {
  const page = await api.request<QueryPage<unknown>>(`/query?q=${encodeURIComponent(soql)}`);
  return page.totalSize;
}

