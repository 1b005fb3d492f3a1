/**
 * Keep-alive for refresh tokens that die when unused: the "Expire refresh token if not used
 * for N" policy and the 30-day idle limit an app may carry. A site that does not sync for that
 * long loses its token; a refresh now and then keeps it alive at the cost of one token call.
 *
 * The refresh lands well inside the window — at a third of it, and at least once a day — so a
 * machine that sleeps through one run still has two more chances. Clock and timers are
 * injected so tests move time by hand.
 */
import type { KeepAlivePlanDto, RefreshPolicyVerdict } from '../../common/health-models';
import type { Timers } from '../platform/timers';
import type { Logger } from '../platform/logger';
import { silentLogger } from '../platform/logger';

export const DAY_MS = 86_400_000;
export const IDLE_LIMIT_MS = 30 * DAY_MS;
/** Never hammer the token endpoint, even for a policy of a few minutes. */
export const MIN_KEEP_ALIVE_MS = 60_000;

/** The window a refresh must land in, or null when refreshing cannot help or is not needed. */
export function keepAliveWindow(verdict: RefreshPolicyVerdict, idleLimitMs: number | null = IDLE_LIMIT_MS): number | null {
  // Nothing keeps a token alive that dies at once.
  if (verdict.kind === 'expires-immediately') return null;
  // Refreshing does not extend a lifetime counted from issue; only the idle limit is helped.
  if (verdict.kind === 'expires-after') return idleLimitMs;
  if (verdict.kind === 'expires-if-unused') return idleLimitMs === null ? verdict.periodMs : Math.min(verdict.periodMs, idleLimitMs);
  return idleLimitMs;
}

/** A third of the window, at most a day, at least a minute. */
export function keepAliveInterval(windowMs: number): number {
  return Math.max(MIN_KEEP_ALIVE_MS, Math.min(Math.floor(windowMs / 3), DAY_MS));
}

/** When the next refresh is due given the last time the token was used (or refreshed). */
export function nextKeepAliveAt(lastUsedAt: number, windowMs: number, now: number): number {
  return Math.max(now, lastUsedAt + keepAliveInterval(windowMs));
}

export interface KeepAliveTarget {
  readonly connectionId: string;
  readonly windowMs: number;
  readonly reason: string;
  /**
   * When the refresh token was last used (a refresh), if known. Unknown means "assume the
   * worst" and refresh right away: a process that just started cannot know how long the
   * token sat idle, and one token call is cheap. API calls with a live access token do not
   * count: only a refresh uses the refresh token.
   */
  readonly lastUsedAt?: number;
}

export interface KeepAliveResult {
  readonly connectionId: string;
  readonly ok: boolean;
  readonly at: number;
  readonly error?: unknown;
}

export interface KeepAliveOptions {
  readonly now: () => number;
  readonly timers: Timers;
  /** Refreshes the connection's token (the ConnectionService's job); rejects on invalid_grant. */
  readonly refresh: (connectionId: string) => Promise<void>;
  readonly onResult?: (result: KeepAliveResult) => void;
  readonly logger?: Logger;
}

interface Entry {
  target: KeepAliveTarget;
  lastUsedAt: number;
  nextRunAt: number;
  handle: unknown;
  running: boolean;
}

export class KeepAliveScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly logger: Logger;
  private stopped = false;

  constructor(private readonly options: KeepAliveOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Adds or updates a connection's keep-alive; returns the plan for the health card. */
  schedule(target: KeepAliveTarget): KeepAlivePlanDto {
    const existing = this.entries.get(target.connectionId);
    // Re-scheduling (every health check does) must not postpone a due refresh.
    const unknown = this.options.now() - keepAliveInterval(target.windowMs);
    const lastUsedAt = Math.max(target.lastUsedAt ?? (existing ? 0 : unknown), existing?.lastUsedAt ?? 0);
    if (existing) this.options.timers.clearTimeout(existing.handle);
    const entry: Entry = { target, lastUsedAt, nextRunAt: 0, handle: undefined, running: existing?.running ?? false };
    this.entries.set(target.connectionId, entry);
    this.arm(entry);
    return this.planOf(entry);
  }

  /** A refresh happened elsewhere (the ConnectionService's onRefreshed): no keep-alive needed for a while. */
  noteUse(connectionId: string, at = this.options.now()): void {
    const entry = this.entries.get(connectionId);
    if (!entry || at <= entry.lastUsedAt) return;
    entry.lastUsedAt = at;
    this.options.timers.clearTimeout(entry.handle);
    this.arm(entry);
  }

  unschedule(connectionId: string): void {
    const entry = this.entries.get(connectionId);
    if (entry) this.options.timers.clearTimeout(entry.handle);
    this.entries.delete(connectionId);
  }

  plan(connectionId: string): KeepAlivePlanDto | null {
    const entry = this.entries.get(connectionId);
    return entry ? this.planOf(entry) : null;
  }

  plans(): readonly (KeepAlivePlanDto & { readonly connectionId: string })[] {
    return [...this.entries.values()].map((e) => ({ connectionId: e.target.connectionId, ...this.planOf(e) }));
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) this.options.timers.clearTimeout(entry.handle);
    this.entries.clear();
  }

  private planOf(entry: Entry): KeepAlivePlanDto {
    return { windowMs: entry.target.windowMs, intervalMs: keepAliveInterval(entry.target.windowMs), nextRunAt: new Date(entry.nextRunAt).toISOString(), reason: entry.target.reason };
  }

  private arm(entry: Entry): void {
    if (this.stopped) return;
    const now = this.options.now();
    entry.nextRunAt = nextKeepAliveAt(entry.lastUsedAt, entry.target.windowMs, now);
    entry.handle = this.options.timers.setTimeout(() => void this.run(entry.target.connectionId), Math.max(0, entry.nextRunAt - now));
  }

  private async run(connectionId: string): Promise<void> {
    const entry = this.entries.get(connectionId);
    if (!entry || entry.running || this.stopped) return;
    entry.running = true;
    const at = this.options.now();
    try {
      await this.options.refresh(connectionId);
      entry.lastUsedAt = at;
      this.options.onResult?.({ connectionId, ok: true, at });
    } catch (error) {
      // Retry sooner than a full interval but do not spin: the health monitor explains the failure.
      this.logger.warn('keep-alive refresh failed', { connectionId });
      entry.lastUsedAt = at - keepAliveInterval(entry.target.windowMs) + Math.min(keepAliveInterval(entry.target.windowMs), 3_600_000);
      this.options.onResult?.({ connectionId, ok: false, at, error });
    } finally {
      entry.running = false;
    }
    if (this.entries.get(connectionId) === entry) this.arm(entry);
  }
}
