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
