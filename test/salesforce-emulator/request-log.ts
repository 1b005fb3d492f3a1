/**
 * Request log: a fixed-size ring of small entries, so a 100k-record benchmark costs a few
 * megabytes at most and logging stays O(1) per request.
 */
export type RequestKind =
  | 'oauth-authorize'
  | 'oauth-token'
  | 'oauth-revoke'
  | 'identity'
  | 'versions'
  | 'limits'
  | 'rest'
  | 'query'
  | 'composite'
  | 'bulk'
  | 'usage'
  | 'metadata'
  | 'streaming'
  | 'control'
  | 'other';

export interface RequestLogEntry {
  readonly seq: number;
  readonly time: number;
  readonly method: string;
  /** Path without the query string (it may hold tokens or SOQL), cut at 300 characters. */
  readonly path: string;
  readonly status: number;
  readonly kind: RequestKind;
  readonly orgId?: string;
}

export interface RequestLogSnapshot {
  readonly total: number;
  readonly counts: Record<string, number>;
  readonly entries: RequestLogEntry[];
}

export class RequestLog {
  private readonly ring: (RequestLogEntry | undefined)[];
  private next = 0;
  private seq = 0;
  private counts = new Map<RequestKind, number>();

  constructor(private readonly capacity = 100_000) {
    this.ring = new Array<RequestLogEntry | undefined>(capacity);
  }

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.seq += 1;
    const path = entry.path.length > 300 ? entry.path.slice(0, 300) : entry.path;
    this.ring[this.next] = { ...entry, path, seq: this.seq };
    this.next = (this.next + 1) % this.capacity;
    this.counts.set(entry.kind, (this.counts.get(entry.kind) ?? 0) + 1);
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.counts = new Map();
  }

  /** Entries after `since` (a seq), oldest first, at most `limit` (the newest ones). */
  snapshot(options: { since?: number; limit?: number; kind?: string } = {}): RequestLogSnapshot {
    const all: RequestLogEntry[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const e = this.ring[(this.next + i) % this.capacity];
      if (!e) continue;
      if (options.since !== undefined && e.seq <= options.since) continue;
      if (options.kind && e.kind !== options.kind) continue;
      all.push(e);
    }
    const limit = options.limit ?? 1000;
    const entries = all.length > limit ? all.slice(all.length - limit) : all;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return { total, counts: Object.fromEntries(this.counts), entries };
  }
}

/**
 * What a benchmark or a test counts as "API calls": every request a client sends to
 * Salesforce's API surface (token, revoke, identity, REST, SOAP), by the kind that matters for
 * cost. `bulkPoll` is a status poll of a Bulk API 2.0 job (`GET jobs/ingest/{id}` or
 * `GET jobs/query/{id}`); `bulk` is every other `jobs/…` call. Control calls and the browser's
 * login pages are not API calls. Faulted requests (500/503/dropped) count: the client sent them.
 */
export interface ApiCallCounts {
  readonly total: number;
  readonly token: number;
  readonly rest: number;
  readonly query: number;
  readonly collections: number;
  readonly bulk: number;
  readonly bulkPoll: number;
  readonly metadata: number;
  readonly other: number;
}

export type ApiCallKind = Exclude<keyof ApiCallCounts, 'total'>;

const DATA_PATH = /^\/services\/data\/v\d+\.\d(?:\/(.*?))?\/*$/;
const BULK_POLL = /^jobs\/(?:ingest|query)\/[A-Za-z0-9]{15,18}$/;

/** The kind of an API request, or undefined when the request is not an API call. */
export function apiCallKind(loginHost: boolean, method: string, path: string): ApiCallKind | undefined {
  if (loginHost) {
    if (path === '/services/oauth2/token') return 'token';
    if (path === '/services/oauth2/revoke' || path === '/services/oauth2/userinfo' || path.startsWith('/id/')) return 'other';
    return undefined;
  }
  if (path.startsWith('/services/Soap/')) return 'metadata';
  if (path === '/services/data' || path === '/services/data/') return 'rest';
  if (!path.startsWith('/services/data/')) return undefined;
  const rest = DATA_PATH.exec(path)?.[1] ?? '';
  if (rest === 'query' || rest.startsWith('query/') || rest === 'queryAll' || rest.startsWith('queryAll/')) return 'query';
  if (rest.startsWith('composite')) return 'collections';
  if (rest.startsWith('jobs/')) return method === 'GET' && BULK_POLL.test(rest) ? 'bulkPoll' : 'bulk';
  return 'rest';
}

export class ApiCallCounter {
  private counts: Record<ApiCallKind, number> = ApiCallCounter.zero();

  private static zero(): Record<ApiCallKind, number> {
    return { token: 0, rest: 0, query: 0, collections: 0, bulk: 0, bulkPoll: 0, metadata: 0, other: 0 };
  }

  add(kind: ApiCallKind): void {
    this.counts[kind] += 1;
  }

  snapshot(): ApiCallCounts {
    let total = 0;
    for (const n of Object.values(this.counts)) total += n;
    return { total, ...this.counts };
  }

  clear(): void {
    this.counts = ApiCallCounter.zero();
  }
}
