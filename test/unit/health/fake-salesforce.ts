/**
 * A hand-written fake of the SalesforceApi port for unit tests: route REST paths and SOQL
 * queries to handlers, record what was asked. Paging honours a per-route batch size so the
 * OauthToken 500-row batches can be exercised.
 */
import type { QueryPage, SalesforceApi, SalesforceRequest } from '../../../main/salesforce/salesforce-api';

type Handler = (request: SalesforceRequest) => unknown;
type QueryHandler = (soql: string) => readonly Record<string, unknown>[] | { totalSize: number };

export class FakeSalesforceError extends Error {
  constructor(readonly errorCode: string) {
    super(`${errorCode}: refused by the fake`);
  }
}

export class FakeSalesforce implements SalesforceApi {
  readonly instanceUrl = 'https://fake.my.salesforce.com';
  readonly version: string;
  readonly requests: SalesforceRequest[] = [];
  readonly queries: string[] = [];
  limitInfo?: { apiUsage?: { used: number; limit: number } };
  private readonly routes: { pattern: RegExp; handler: Handler }[] = [];
  private readonly queryRoutes: { pattern: RegExp; handler: QueryHandler; batch: number }[] = [];
  private readonly cursors = new Map<string, { rows: readonly Record<string, unknown>[]; offset: number; batch: number }>();
  metadataRead: (type: string, names: string | string[]) => unknown = () => ({});

  readonly metadata = {
    read: async (type: string, fullNames: string | string[]): Promise<unknown> => this.metadataRead(type, fullNames),
  };

  constructor(options: { version?: string } = {}) {
    this.version = options.version ?? '66.0';
  }

  get urls(): string[] {
    return this.requests.map((r) => r.url);
  }

  on(pattern: RegExp, handler: Handler): void {
    this.routes.push({ pattern, handler });
  }

  onQuery(pattern: RegExp, handler: QueryHandler, batch = 2000): void {
    this.queryRoutes.push({ pattern, handler, batch });
  }

  fail(errorCode: string): never {
    throw new FakeSalesforceError(errorCode);
  }

  async request<T = unknown>(request: string | SalesforceRequest): Promise<T> {
    const req: SalesforceRequest = typeof request === 'string' ? { method: 'GET', url: request } : request;
    this.requests.push(req);
    const cursor = /\/query\/(cur\d+)$/.exec(req.url);
    if (cursor) return this.page(cursor[1]!) as T;
    const q = /\/query\?q=(.*)$/.exec(req.url);
    if (q) {
      const soql = decodeURIComponent(q[1]!);
      this.queries.push(soql);
      const route = this.queryRoutes.find((r) => r.pattern.test(soql));
      if (!route) throw new FakeSalesforceError('INVALID_TYPE');
      const answer = route.handler(soql);
      if (!Array.isArray(answer)) return { totalSize: (answer as { totalSize: number }).totalSize, done: true, records: [] } as T;
      const id = `cur${this.cursors.size}`;
      this.cursors.set(id, { rows: answer, offset: 0, batch: route.batch });
      return this.page(id) as T;
    }
    const route = this.routes.find((r) => r.pattern.test(req.url));
    if (!route) throw new FakeSalesforceError('NOT_FOUND');
    return (await route.handler(req)) as T;
  }

  private page(id: string): QueryPage<Record<string, unknown>> {
    const c = this.cursors.get(id)!;
    const records = c.rows.slice(c.offset, c.offset + c.batch);
    c.offset += records.length;
    const done = c.offset >= c.rows.length;
    return { totalSize: c.rows.length, done, records, ...(done ? {} : { nextRecordsUrl: `/services/data/v${this.version}/query/${id}` }) };
  }
}
