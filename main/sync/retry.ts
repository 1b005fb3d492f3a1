/**
 * Retrying what is safe to retry: exponential back-off with full jitter, so several batches
 * that failed together (a 503 from a busy pod, a locked parent Account) do not come back
 * together and fail together again.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly attempts: number;
  /** First back-off ceiling (default 250 ms); doubles each time up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** 0..1 source of randomness (tests pass a seeded one). */
  readonly random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

/** The wait before retry number `attempt` (1 = the first retry): uniform in [ceiling/2, ceiling]. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const random = policy.random ?? Math.random;
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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
    (async (...args: Parameters<F>) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await call(...args);
        } catch (error) {
          if (attempt >= policy.attempts || !shouldRetry(error)) throw error;
          await sleep(backoffDelay(policy, attempt));
        }
      }
    }) as F;
  return { ...api, request: wrap(api.request.bind(api) as A['request']), requestText: wrap(api.requestText.bind(api) as A['requestText']) };
}
