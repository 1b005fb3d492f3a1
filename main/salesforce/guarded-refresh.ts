/**
 * A drop-in for jsforce's SessionRefreshDelegate that keeps its single-flight behaviour and
 * adds the two things ForceSites needs:
 *
 * - a cap on the refresh loop: jsforce refreshes and retries on every 401, so an API that
 *   keeps rejecting a freshly issued token makes it refresh forever. Here a 401 for a request
 *   sent AFTER the latest refresh, before any request with that token succeeded and within
 *   `freshTokenGraceMs`, is an error. (Sessions last at least 15 minutes in Salesforce, so
 *   a real expiry cannot look like this.)
 * - a dead end after invalid_grant: once the refresh token is refused, later requests fail
 *   at once instead of asking the token endpoint again with a token known to be dead.
 *
 * HttpApi calls `refresh(requestTime)` after a 401 and then retries the request, and waits
 * for `waitRefresh()` before sending while `isRefreshing()`. jsforce is pinned (3.10.16);
 * test/integration/auth covers this contract, so an upgrade that changes it fails there.
 */
import { AppError } from '../../common/errors';

export interface GuardedRefreshOptions {
  /** Performs one refresh: token call, persist a rotated refresh token, set the access token. */
  readonly run: () => Promise<void>;
  readonly freshTokenGraceMs: number;
  /** jsforce stamps requests with Date.now(); the guard must use the same clock. */
  readonly now?: () => number;
}

export class GuardedRefreshDelegate {
  readonly #run: () => Promise<void>;
  readonly #graceMs: number;
  readonly #now: () => number;
  #inflight: Promise<void> | undefined;
  #lastRefreshedAt: number | undefined;
  #acceptedSinceRefresh = true;
  #dead: AppError | undefined;
  /** Token endpoint calls made; tests and diagnostics read it. */
  refreshCount = 0;

  constructor(options: GuardedRefreshOptions) {
    this.#run = options.run;
    this.#graceMs = options.freshTokenGraceMs;
    this.#now = options.now ?? Date.now;
  }

  isRefreshing(): boolean {
    return this.#inflight !== undefined;
  }

  waitRefresh(): Promise<void> | undefined {
    return this.#inflight;
  }

  /** Called when a request succeeded: the current access token works. */
  noteAccepted(): void {
    this.#acceptedSinceRefresh = true;
  }

  /** Marks the refresh token as dead; every later refresh fails with this error. */
  markDead(error: AppError): void {
    this.#dead = error;
  }

  async refresh(since: number): Promise<void> {
    if (this.#dead !== undefined) throw this.#dead;
    // Everyone who got a 401 while a refresh runs shares it: one token call per connection.
    if (this.#inflight !== undefined) return this.#inflight;
    const last = this.#lastRefreshedAt;
    // The request carried the token from before the latest refresh: just retry it.
    if (last !== undefined && since <= last) return;
    if (last !== undefined && !this.#acceptedSinceRefresh && this.#now() - last < this.#graceMs) {
      throw new AppError('SALESFORCE_ERROR', 'Salesforce rejected a session it had just issued (HTTP 401 right after a token refresh).', {
        hint:
          'Salesforce accepts the refresh token but not the new session. Check the user’s "API Enabled" permission, ' +
          'login IP ranges and the connected app’s session policies, then try again.',
      });
    }
    return this.#start();
  }

  /**
   * A refresh nobody's 401 asked for (keep-alive). Shares a running refresh, skips the loop
   * cap (no request failed), and still fails fast on a dead refresh token.
   */
  async forceRefresh(): Promise<void> {
    if (this.#dead !== undefined) throw this.#dead;
    if (this.#inflight !== undefined) return this.#inflight;
    return this.#start();
  }

  #start(): Promise<void> {
    const inflight = (async () => {
      try {
        this.refreshCount += 1;
        await this.#run();
        this.#lastRefreshedAt = this.#now();
        this.#acceptedSinceRefresh = false;
      } finally {
        this.#inflight = undefined;
      }
    })();
    this.#inflight = inflight;
    return inflight;
  }
}
