/**
 * The live change feed per site: follow, pause, resume, stop, status. Which sites follow (and
 * which are paused) is kept in the local database, so following restarts on launch from the
 * stored replay id. Statuses go out on the bus as `changes.status` (a few a second at most).
 */
import type { Connection } from 'jsforce';
import { AppError } from '../../common/errors';
import { CHANGE_FEED_POLL_DEFAULT_SECONDS, EMPTY_CHANGE_FEED_COUNTS, type ChangeFeedStatusDto } from '../../common/change-feed-models';
import type { SiteProfileDto } from '../../common/models';
import type { EventBus } from '../platform/event-bus';
import type { LocalDatabase } from '../platform/local-database';
import { silentLogger, type Logger } from '../platform/logger';
import type { RetryPolicy } from '../platform/retry-with-jitter';
import { ChangeFeedStore } from './change-feed-store';
import type { OpenLivePull } from '../../common/live-pull';
import { SiteFollower } from './site-follower';

export interface ChangeFeedServiceOptions {
  readonly db: LocalDatabase;
  readonly bus: EventBus;
  readonly log?: Logger;
  site(siteId: string): SiteProfileDto | undefined;
  openApi(connectionId: string): Promise<Connection>;
  refreshSession(connectionId: string): Promise<void>;
  forSite<T>(siteId: string, work: () => Promise<T>): Promise<T>;
  readonly openLivePull: OpenLivePull;
  /** The Settings page's poll interval, read at every interval. */
  pollIntervalSeconds?(): number;
  /** While polling, how often to try Change Data Capture again (default 15 minutes). */
  readonly cdcRecheckSeconds?: number;
  requestTimeoutMs(): number;
  /** Most record ids kept waiting before a SystemModstamp catch-up takes over (default 5,000). */
  readonly queueCap?: number;
  /** Back-off while Salesforce or WordPress is out of reach (default 1 s doubling to 60 s). */
  readonly retry?: RetryPolicy;
  /** Least time between two status events of one site (default 250 ms). */
  readonly statusIntervalMs?: number;
  readonly now?: () => Date;
}

export const DEFAULT_QUEUE_CAP = 5_000;
export const DEFAULT_CDC_RECHECK_SECONDS = 15 * 60;
const OFFLINE_RETRY: RetryPolicy = { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 1_000, maxDelayMs: 60_000 };

export class ChangeFeedService {
  readonly #options: ChangeFeedServiceOptions;
  readonly #store: ChangeFeedStore;
  readonly #log: Logger;
  readonly #followers = new Map<string, SiteFollower>();
  readonly #emitTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #lastEmit = new Map<string, number>();
  readonly #now: () => Date;
  #stopped = false;

  constructor(options: ChangeFeedServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#store = new ChangeFeedStore(options.db, this.#now);
    this.#log = options.log ?? silentLogger;
  }

  /** Every site's feed status (sites that never followed answer `off`). */
  statuses(siteId?: string): ChangeFeedStatusDto[] {
    if (siteId !== undefined) return [this.status(siteId)];
    const ids = new Set<string>([...this.#followers.keys(), ...this.#store.following().map((row) => row.siteId)]);
    return [...ids].filter((id) => this.#options.site(id) !== undefined).map((id) => this.status(id));
  }

  status(siteId: string): ChangeFeedStatusDto {
    const site = this.#options.site(siteId);
    if (site === undefined) throw notFound();
    const row = this.#store.get(siteId);
    const follower = this.#followers.get(siteId);
    const mode = follower?.mode ?? (row?.following ? (row.paused ? 'paused' : 'off') : 'off');
    return {
      siteId,
      siteName: site.name,
      mode,
      channel: follower?.channel ?? null,
      pollIntervalSeconds: follower?.polling ? this.#pollSeconds() : null,
      lastChangeAt: row?.lastCommit ?? null,
      replayId: row?.replayId ?? null,
      counts: follower?.counts ?? EMPTY_CHANGE_FEED_COUNTS,
      runId: follower?.runId ?? null,
      message: follower?.message ?? (mode === 'paused' ? 'Paused: changes made meanwhile are replayed on resume.' : null),
      updatedAt: this.#now().toISOString(),
    };
  }

  /** Starts following the site's object (CDC, or polling when the object has no CDC). */
  follow(siteId: string): ChangeFeedStatusDto {
    this.#requireFollowable(siteId);
    this.#store.update(siteId, { following: true, paused: false });
    this.#startFollower(siteId);
    this.#log.info('following Salesforce changes', { siteId });
    return this.status(siteId);
  }

  /** Unsubscribes and keeps the replay position; resume replays from it. */
  async pause(siteId: string): Promise<ChangeFeedStatusDto> {
    const row = this.#store.get(siteId);
    if (row === undefined || !row.following) throw new AppError('CONFLICT', 'This site does not follow Salesforce changes.', { hint: 'Press Follow changes first.' });
    this.#store.update(siteId, { paused: true });
    await this.#followers.get(siteId)?.stop('paused');
    this.#publish(siteId, true);
    return this.status(siteId);
  }

  resume(siteId: string): ChangeFeedStatusDto {
    const row = this.#store.get(siteId);
    if (row === undefined || !row.following) throw new AppError('CONFLICT', 'This site does not follow Salesforce changes.', { hint: 'Press Follow changes first.' });
    this.#requireFollowable(siteId);
    this.#store.update(siteId, { paused: false });
    this.#startFollower(siteId);
    return this.status(siteId);
  }

  /** Stops following; the site no longer follows after a restart either. */
  async stop(siteId: string): Promise<ChangeFeedStatusDto> {
    this.#store.update(siteId, { following: false, paused: false });
    const follower = this.#followers.get(siteId);
    this.#followers.delete(siteId);
    await follower?.stop('off');
    this.#publish(siteId, true);
    return this.status(siteId);
  }

  /** On launch: every site that followed follows again (paused ones stay paused). */
  startRemembered(): void {
    for (const row of this.#store.following()) {
      if (row.paused) continue;
      const site = this.#options.site(row.siteId);
      if (site?.connectionId == null) continue;
      this.#startFollower(row.siteId);
    }
  }

  /** App quit: every feed stops (following is remembered for the next launch). */
  async stopAll(): Promise<void> {
    this.#stopped = true;
    const followers = [...this.#followers.values()];
    this.#followers.clear();
    await Promise.all(followers.map((follower) => follower.stop('off')));
    for (const timer of this.#emitTimers.values()) clearTimeout(timer);
    this.#emitTimers.clear();
  }

  async forgetSite(siteId: string): Promise<void> {
    const follower = this.#followers.get(siteId);
    this.#followers.delete(siteId);
    await follower?.stop('off');
    this.#store.forget(siteId);
  }

  #startFollower(siteId: string): void {
    if (this.#stopped) return;
    const site = this.#options.site(siteId)!;
    let follower = this.#followers.get(siteId);
    if (follower === undefined) {
      const connectionId = site.connectionId!;
      follower = new SiteFollower({
        siteId,
        objectType: site.objectType,
        connectionId,
        store: this.#store,
        log: this.#log,
        openApi: (id) => this.#options.openApi(id),
        refreshSession: (id) => this.#options.refreshSession(id),
        forSite: (work) => this.#options.forSite(siteId, work),
        // Updates existing users only: a change feed that creates accounts on its own would
        // surprise an admin; new users are a deliberate pull (the Sync page).
        openSession: () => this.#options.openLivePull(siteId, { createUsers: false }),
        pollIntervalMs: () => this.#pollSeconds() * 1000,
        cdcRecheckMs: () => (this.#options.cdcRecheckSeconds ?? DEFAULT_CDC_RECHECK_SECONDS) * 1000,
        requestTimeoutMs: () => this.#options.requestTimeoutMs(),
        queueCap: this.#options.queueCap ?? DEFAULT_QUEUE_CAP,
        retry: this.#options.retry ?? OFFLINE_RETRY,
        changed: () => this.#publish(siteId),
        note: (level, message) => this.#options.bus.emit('activity.note', { level, area: 'sync', message: `${site.name}: ${message}` }),
      });
      this.#followers.set(siteId, follower);
    }
    follower.start();
    this.#publish(siteId, true);
  }

  #requireFollowable(siteId: string): SiteProfileDto {
    const site = this.#options.site(siteId);
    if (site === undefined) throw notFound();
    if (site.connectionId === null) {
      throw new AppError('INVALID_REQUEST', `"${site.name}" has no Salesforce connection to follow changes through.`, { hint: 'Choose a connection for the site on the Sites page, then follow changes.' });
    }
    return site;
  }

  #pollSeconds(): number {
    const seconds = this.#options.pollIntervalSeconds?.() ?? CHANGE_FEED_POLL_DEFAULT_SECONDS;
    return Number.isFinite(seconds) && seconds > 0 ? seconds : CHANGE_FEED_POLL_DEFAULT_SECONDS;
  }

  /** Publishes the site's status now, or at most every statusIntervalMs (the last one always goes). */
  #publish(siteId: string, now = false): void {
    const interval = this.#options.statusIntervalMs ?? 250;
    const send = (): void => {
      this.#emitTimers.delete(siteId);
      this.#lastEmit.set(siteId, Date.now());
      if (this.#options.site(siteId) === undefined) return;
      this.#options.bus.emit('changes.status', this.status(siteId));
    };
    const since = Date.now() - (this.#lastEmit.get(siteId) ?? 0);
    if (now || since >= interval) {
      const pending = this.#emitTimers.get(siteId);
      if (pending !== undefined) clearTimeout(pending);
      send();
      return;
    }
    if (this.#emitTimers.has(siteId) || this.#stopped) return;
    const timer = setTimeout(send, interval - since);
    timer.unref?.();
    this.#emitTimers.set(siteId, timer);
  }
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the Sites page.' });
}
