/**
 * The sync's use of the shared retry policy (main/platform/retry-with-jitter.ts): reads are
 * retried with back-off and jitter; writes retry only batch by batch in the executor, after a
 * lookup, never blindly.
 */
import { retryDelay, waitFor, withRetries, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../platform/retry-with-jitter';

export type { RetryPolicy };
export const DEFAULT_RETRY = DEFAULT_RETRY_POLICY;
export const backoffDelay = retryDelay;
export const sleep = (ms: number): Promise<void> => waitFor(ms);

/**
 * The same API with reads retried: lookups, scans, Bulk query jobs, limits and recovery
 * only read (or create a query job, which is harmless twice), so a 5xx, a dropped connection
 * or a deadline is retried with back-off. Writes never go through this.
 */
export function retryingReads<A extends { request: (...args: never[]) => Promise<unknown>; requestText: (...args: never[]) => Promise<unknown> }>(
  api: A,
  policy: RetryPolicy,
  shouldRetry: (error: unknown) => boolean,
): A {
  const wrap = <F extends (...args: never[]) => Promise<unknown>>(call: F): F =>
    ((...args: Parameters<F>) => withRetries(() => call(...args), policy, shouldRetry)) as F;
  return { ...api, request: wrap(api.request.bind(api) as A['request']), requestText: wrap(api.requestText.bind(api) as A['requestText']) };
}
