/**
 * Counts the Salesforce API requests ForceSites makes, per connection and per site.
 *
 * The count is taken at the transport (see salesforce-transport.ts), so REST, Bulk 2.0,
 * SOAP and Metadata calls all count, whoever made them. Which site a call is for is carried
 * by AsyncLocalStorage: a feature wraps its work in `forSite(siteId, …)` and every request
 * made inside it, however deep in jsforce, is attributed to that site. Calls outside any
 * site (health checks, the census) count for the connection only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ApiCallCounts {
  readonly total: number;
  readonly byConnection: Readonly<Record<string, number>>;
  readonly bySite: Readonly<Record<string, number>>;
}

export class ApiCallMeter {
  readonly #site = new AsyncLocalStorage<string>();
  readonly #byConnection = new Map<string, number>();
  readonly #bySite = new Map<string, number>();
  readonly #listeners = new Set<(call: { readonly connectionId: string; readonly siteId: string | undefined }) => void>();
  #total = 0;

  /** Told of every call (health keeps rolling 24-hour figures from this). Returns the unsubscribe. */
  onCall(listener: (call: { readonly connectionId: string; readonly siteId: string | undefined }) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs `work` with every Salesforce call inside it counted for `siteId`. */
  forSite<T>(siteId: string, work: () => T): T {
    return this.#site.run(siteId, work);
  }

  /** Called by the transport for each HTTP request sent (retries count: Salesforce counts them). */
  record(connectionId: string): void {
    this.#total += 1;
    this.#byConnection.set(connectionId, (this.#byConnection.get(connectionId) ?? 0) + 1);
    const siteId = this.#site.getStore();
    if (siteId !== undefined) this.#bySite.set(siteId, (this.#bySite.get(siteId) ?? 0) + 1);
    for (const listener of this.#listeners) listener({ connectionId, siteId });
  }

  connectionCalls(connectionId: string): number {
    return this.#byConnection.get(connectionId) ?? 0;
  }

  siteCalls(siteId: string): number {
    return this.#bySite.get(siteId) ?? 0;
  }

  snapshot(): ApiCallCounts {
    return { total: this.#total, byConnection: Object.fromEntries(this.#byConnection), bySite: Object.fromEntries(this.#bySite) };
  }
}
