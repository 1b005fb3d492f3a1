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

/** The stable Salesforce error code of a failed call, e.g. `NOT_FOUND`, `INVALID_TYPE`. */
export function errorCodeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { errorCode?: unknown; code?: unknown; name?: unknown; data?: unknown };
    if (typeof e.errorCode === 'string' && e.errorCode !== '') return e.errorCode;
    // ForceSites' own AppError (NEEDS_REAUTHORIZATION, KEYCHAIN_UNAVAILABLE …).
    if (typeof e.code === 'string' && /^[A-Z_0-9]+$/.test(e.code)) return e.code;
    if (e.data && typeof e.data === 'object') {
      const d = e.data as { errorCode?: unknown; error?: unknown };
      if (typeof d.errorCode === 'string') return d.errorCode;
      if (typeof d.error === 'string') return d.error;
    }
    if (typeof e.name === 'string' && /^[A-Z_0-9]+$/.test(e.name)) return e.name;
  }
  return 'UNKNOWN';
}

/** A message safe for the UI: Salesforce's own message, never a URL that might carry a token. */
export function errorMessageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
  return message.replace(/https?:\/\/\S+/g, '<url>').slice(0, 300);
}

/** Salesforce answers these when an object or resource is not there for this user or version. */
export function isNotAvailable(error: unknown): boolean {
  const code = errorCodeOf(error);
  return ['NOT_FOUND', 'ERROR_HTTP_404', 'ERROR_HTTP_403', 'FORBIDDEN', 'INSUFFICIENT_ACCESS', 'FUNCTIONALITY_NOT_ENABLED', 'API_DISABLED_FOR_ORG', 'INVALID_TYPE', 'ERROR_HTTP_400'].includes(code);
}

export function isPermissionError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return ['INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS_OR_READONLY', 'FORBIDDEN', 'ERROR_HTTP_403', 'INVALID_TYPE', 'API_DISABLED_FOR_ORG', 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'].includes(code);
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

/** The session or the refresh token is gone: the connection, not the check, has the problem. */
export function isAuthorizationLost(error: unknown): boolean {
  const code = errorCodeOf(error);
  if (code === 'NEEDS_REAUTHORIZATION' || code === 'KEYCHAIN_UNAVAILABLE' || code === 'INVALID_SESSION_ID' || code === 'invalid_grant') return true;
  // jsforce's own refresh delegate rewraps token-endpoint errors as a plain Error with this text.
  const message = error instanceof Error ? error.message : '';
  return /Unable to refresh session|expired access\/refresh token|invalid_grant/i.test(message);
}
