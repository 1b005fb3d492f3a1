/**
 * Retrying what is safe to retry, for any feature: exponential back-off with full jitter, so
 * several calls that failed together (a 503 from a busy pod, a locked parent record) do not
 * come back together and fail together again. Whether a call is safe to repeat is the
 * caller's decision (`shouldRetry`); writes must only come through here when repeating them
 * cannot duplicate anything (an upsert on an external id, or after a lookup).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** First back-off ceiling; doubles each time up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** 0..1 source of randomness (tests pass a seeded one). */
  readonly random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

/** The wait before retry number `attempt` (1 = the first retry): uniform in [ceiling/2, ceiling]. */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const random = policy.random ?? Math.random;
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Waits `ms`; an aborted signal ends the wait early with the signal's reason. */
export function waitFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `call` until it succeeds, `shouldRetry` says no, or the attempts are spent (the last error is thrown). */
export async function withRetries<T>(call: (attempt: number) => Promise<T>, policy: RetryPolicy, shouldRetry: (error: unknown) => boolean, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !shouldRetry(error)) throw error;
      await waitFor(retryDelay(policy, attempt), signal);
    }
  }
}
