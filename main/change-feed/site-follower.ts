/**
 * One site following Salesforce changes: Change Data Capture when the object is selected for
 * it, else polling on SystemModstamp; either way the sync's live pull applies the changes.
 *
 * The loop, in order of precedence:
 * 1. a catch-up owed (past CDC's retention, or a burst larger than the queue) reads every
 *    record changed since a time, page by page, 200 records an apply;
 * 2. waiting record ids are applied 200 a batch (`applyIds` reads current values, so
 *    duplicates and order do not matter) and the replay id is stored only afterwards;
 * 3. otherwise it waits for an event, a failure, pause or stop.
 *
 * Failures: Salesforce or WordPress unreachable, a session refused or a subscription that
 * timed out puts the feed in `offline-retrying` with back-off; it then subscribes again from
 * the STORED replay id (faye's own re-handshake after `403::Unknown client` does the same
 * through the subscriber's extension). A channel that does not exist switches to polling.
 */
import type { Connection } from 'jsforce';
import { AppError } from '../../common/errors';
import type { ChangeFeedCounts, ChangeFeedMode } from '../../common/change-feed-models';
import { EMPTY_CHANGE_FEED_COUNTS } from '../../common/change-feed-models';
import type { Logger } from '../platform/logger';
import { retryDelay, waitFor, type RetryPolicy } from '../platform/retry-with-jitter';
import type { QueryPage } from '../salesforce/salesforce-api';
import { errorCodeOf, isAuthorizationLost, isUnreachable } from '../salesforce/salesforce-errors';
import { BurstQueue, type TakenBatch } from './burst-queue';
import { CdcSubscriber, changeEventChannel, SubscribeError } from './cdc-subscriber';
import type { ChangeFeedStore } from './change-feed-store';
import { LIVE_APPLY_BATCH, type LiveApplyResult, type LivePullSession } from '../../common/live-pull';

export interface FollowerPorts {
  readonly siteId: string;
  readonly objectType: string;
  readonly connectionId: string;
  readonly store: ChangeFeedStore;
  readonly log: Logger;
  openApi(connectionId: string): Promise<Connection>;
  /** A fresh access token for the streaming client after Salesforce refused the session. */
  refreshSession(connectionId: string): Promise<void>;
  /** Runs work with every Salesforce call inside it counted for this site. */
  forSite<T>(work: () => Promise<T>): Promise<T>;
  openSession(): Promise<LivePullSession>;
  pollIntervalMs(): number;
  /**
   * While polling, how often to try Change Data Capture again (the admin may select the object
   * for CDC in Setup meanwhile). A try is a streaming subscribe: no API call.
   */
  cdcRecheckMs(): number;
  requestTimeoutMs(): number;
  /** Most record ids kept waiting; past it the queue is dropped for a SystemModstamp catch-up. */
  readonly queueCap: number;
  readonly retry: RetryPolicy;
  /** The follower's state changed (counts, mode …): the service publishes it. */
  changed(): void;
  /** Something the admin should read in the Activity page. */
  note(level: 'info' | 'warning' | 'error', message: string): void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** SOQL dateTime literal, whole seconds (Salesforce's SystemModstamp precision for filters). */
export function soqlDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

class Wake {
  #resolve: (() => void) | undefined;
  #pending = false;

  notify(): void {
    this.#pending = true;
    this.#resolve?.();
  }

  wait(signal: AbortSignal): Promise<void> {
    if (this.#pending || signal.aborted) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.#resolve = undefined;
        this.#pending = false;
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.#resolve = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Thrown inside the loop to leave CDC for polling. */
class SwitchToPolling extends Error {}

export class SiteFollower {
  readonly #ports: FollowerPorts;
  readonly #counts: Mutable<ChangeFeedCounts> = { ...EMPTY_CHANGE_FEED_COUNTS };
  readonly #wake = new Wake();
  #queue: BurstQueue;
  #abort: AbortController | undefined;
  #running: Promise<void> | undefined;
  #session: LivePullSession | undefined;
  #subscriber: CdcSubscriber | undefined;
  #failure: SubscribeError | undefined;
  /** Catch up from this commit time (ms) before anything else. */
  #catchUpFromMs: number | undefined;
  #catchUpReason = '';
  #inCatchUp = false;
  /** A catch-up owed after the one running (the queue overflowed again meanwhile). */
  #nextCatchUpFromMs: number | undefined;
  /** -1 after Salesforce refused the stored replay id (past retention): subscribe for new events. */
  #replayOverride: number | undefined;
  #mode: ChangeFeedMode = 'off';
  #message: string | null = null;
  #polling = false;
  /** Polling, trying CDC again: a refusal goes back to polling without a new Activity note. */
  #recheckingCdc = false;

  constructor(ports: FollowerPorts) {
    this.#ports = ports;
    this.#queue = new BurstQueue(ports.queueCap);
  }

  get mode(): ChangeFeedMode {
    return this.#mode;
  }

  get message(): string | null {
    return this.#message;
  }

  get channel(): string | null {
    return this.#polling || this.#mode === 'off' || this.#mode === 'paused' ? null : changeEventChannel(this.#ports.objectType);
  }

  get polling(): boolean {
    return this.#polling;
  }

  get runId(): string | null {
    return this.#session?.runId ?? null;
  }

  get counts(): ChangeFeedCounts {
    return { ...this.#counts, pending: this.#queue.size };
  }

  /** Starts following (resumes from the stored replay id or poll position). */
  start(): void {
    if (this.#running !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#queue = new BurstQueue(this.#ports.queueCap);
    this.#failure = undefined;
    this.#running = this.#run(abort.signal).finally(() => {
      this.#running = undefined;
    });
  }

  /**
   * Stops: unsubscribes at once, lets an apply in flight see the abort, and waits at most
   * `graceMs` for the loop (a stuck WordPress or long poll never holds the caller).
   */
  async stop(mode: 'off' | 'paused', graceMs = 2_000): Promise<void> {
    this.#abort?.abort();
    this.#subscriber?.stop();
    this.#subscriber = undefined;
    this.#wake.notify();
    const running = this.#running;
    if (running !== undefined) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    this.#closeSession('completed');
    this.#setMode(mode, mode === 'paused' ? 'Paused: changes made meanwhile are replayed on resume.' : null);
  }

  // ---- the loop ----

  async #run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      try {
        if (this.#session === undefined) this.#session = await this.#ports.openSession();
        if (this.#polling) await this.#pollLoop(signal);
        else await this.#followCdc(signal);
        attempt = 0;
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof SwitchToPolling) {
          this.#polling = true;
          continue;
        }
        if (!retryable(error)) {
          const message = error instanceof Error ? error.message : String(error);
          this.#ports.log.warn('the change feed stopped', { siteId: this.#ports.siteId, error });
          this.#closeSession('failed', message);
          this.#setMode('error', `Stopped: ${message}`);
          this.#ports.note('error', `Live changes stopped: ${message}`);
          return;
        }
        attempt += 1;
        const delay = retryDelay(this.#ports.retry, Math.min(attempt, 30));
        this.#setMode('offline-retrying', `${describe(error)} Retrying in ${Math.max(1, Math.round(delay / 1000))} s from the last applied change.`);
        this.#ports.log.info('the change feed is retrying', { siteId: this.#ports.siteId, attempt, error });
        await waitFor(delay, signal).catch(() => undefined);
      } finally {
        this.#subscriber?.stop();
        this.#subscriber = undefined;
      }
    }
  }

  async #followCdc(signal: AbortSignal): Promise<void> {
    const { store, siteId, objectType } = this.#ports;
    const channel = changeEventChannel(objectType);
    const conn = await this.#ports.openApi(this.#ports.connectionId);
    const before = store.get(siteId);
    const noReplayId = (before?.replayId ?? null) === null && this.#replayOverride === undefined;
    this.#failure = undefined;
    const subscriber = new CdcSubscriber(conn, channel, () => this.#replayOverride ?? store.get(siteId)?.replayId ?? -1, {
      onEvent: (event) => {
        const accepted = this.#queue.accept(event);
        this.#counts.received += 1;
        this.#counts.deduplicated += accepted.duplicates;
        this.#counts.skipped += accepted.skipped;
        if (accepted.overflowFromMs !== undefined) {
          // During a catch-up its query may already have passed these changes: owe another one.
          const from = Math.min(accepted.overflowFromMs, this.#catchUpFromMs ?? Number.POSITIVE_INFINITY, this.#nextCatchUpFromMs ?? Number.POSITIVE_INFINITY);
          if (this.#inCatchUp) this.#nextCatchUpFromMs = from;
          else this.#catchUpFromMs = from;
          this.#catchUpReason = `More than ${this.#ports.queueCap.toLocaleString('en-US')} changed records were waiting: the queue was dropped`;
        }
        this.#wake.notify();
      },
      onFailure: (failure) => {
        this.#failure = failure;
        this.#wake.notify();
      },
      onTransport: (up) => {
        if (up && this.#mode === 'offline-retrying') this.#setMode('following', null);
        if (!up) this.#setMode('offline-retrying', 'The connection to Salesforce dropped; reconnecting and replaying from the last applied change.');
      },
    });
    this.#subscriber = subscriber;
    try {
      await subscriber.start(this.#ports.requestTimeoutMs());
    } catch (error) {
      subscriber.stop();
      await this.#onSubscribeFailure(error);
      return;
    }
    if (this.#recheckingCdc) {
      // CDC was turned on while the feed polled: read what changed since the last poll (the
      // subscription holds now, so nothing falls between), then follow change events.
      this.#recheckingCdc = false;
      const from = before?.pollModstamp ?? before?.lastCommit ?? null;
      this.#ports.note('info', `Live changes for ${objectType}: Change Data Capture is now enabled in Salesforce, so ForceSites follows its change events instead of polling.`);
      if (from !== null && this.#catchUpFromMs === undefined) {
        this.#catchUpFromMs = Date.parse(from);
        this.#catchUpReason = `Switching from polling to Change Data Capture for ${objectType}`;
      }
    }
    store.update(siteId, { channel });
    if (noReplayId) {
      const lastCommit = before?.lastCommit ?? null;
      if (lastCommit === null) {
        // First follow: where Salesforce's clock is now (asked after the subscription holds,
        // so nothing falls between), for a resume or relaunch before any change arrived.
        await this.#markPosition(conn);
      } else if (this.#catchUpFromMs === undefined) {
        this.#catchUpFromMs = Date.parse(lastCommit);
        this.#catchUpReason = 'No change had arrived before the feed last stopped, so there is no replay id to resume from';
      }
    }
    this.#setMode('following', null);

    while (!signal.aborted) {
      if (this.#failure !== undefined) {
        const failure = this.#failure;
        this.#failure = undefined;
        subscriber.stop();
        await this.#onSubscribeFailure(failure);
        return;
      }
      if (this.#catchUpFromMs !== undefined) {
        await this.#catchUp(signal);
        continue;
      }
      const batch = this.#queue.take(LIVE_APPLY_BATCH);
      if (batch !== undefined) {
        await this.#applyBatch(batch, signal);
        continue;
      }
      await this.#wake.wait(signal);
    }
  }

  async #onSubscribeFailure(error: unknown): Promise<void> {
    if (!(error instanceof SubscribeError)) throw error;
    const { siteId, objectType, store } = this.#ports;
    if (error.kind === 'no-channel') {
      if (this.#recheckingCdc) throw new SwitchToPolling();
      const seconds = Math.round(this.#ports.pollIntervalMs() / 1000);
      this.#ports.note('info', `Live changes for ${objectType}: Change Data Capture is not enabled for this object in Salesforce, so ForceSites polls for changes every ${seconds} s (one query each time). Select ${objectType} under Setup → Change Data Capture to get changes within seconds.`);
      throw new SwitchToPolling();
    }
    if (error.kind === 'replay-invalid') {
      const row = store.get(siteId);
      const fromMs = row?.lastCommit ? Date.parse(row.lastCommit) : undefined;
      this.#replayOverride = -1;
      this.#queue.resetReplay();
      if (fromMs !== undefined && Number.isFinite(fromMs)) {
        this.#catchUpFromMs = fromMs;
        this.#catchUpReason = `ForceSites was away longer than Salesforce keeps change events (72 hours; replay id ${row?.replayId ?? '?'} is gone)`;
      }
      // Subscribe again for new events; the catch-up then reads what the lost events covered.
      return;
    }
    if (error.kind === 'auth') {
      // The streaming client carries the access token it was built with: refresh it, then
      // subscribe again after the back-off (a refusal that repeats must not spin).
      await this.#ports.refreshSession(this.#ports.connectionId);
      throw error;
    }
    throw error;
  }

  async #applyBatch(batch: TakenBatch, signal: AbortSignal): Promise<void> {
    const session = this.#requireSession();
    let result: LiveApplyResult;
    try {
      result = await this.#ports.forSite(() => session.applyIds(batch.ids, signal));
    } catch (error) {
      this.#queue.giveBack(batch);
      throw error;
    }
    this.#queue.settle(batch);
    this.#record(result);
    this.#storePosition();
  }

  /** Reads every record changed since the catch-up time, oldest first, and applies it. */
  async #catchUp(signal: AbortSignal): Promise<void> {
    const fromMs = this.#catchUpFromMs!;
    const { objectType } = this.#ports;
    this.#queue.beginCatchUp();
    const since = new Date(fromMs).toISOString();
    this.#setMode('catching-up', `${this.#catchUpReason}; reading every ${objectType} changed since ${since}.`);
    this.#ports.note('warning', `Live changes: ${this.#catchUpReason}. Catching up: reading every ${objectType} changed since ${since} (SystemModstamp).`);
    const before = this.#appliedTotal();
    this.#inCatchUp = true;
    let latest: number | undefined;
    try {
      latest = await this.#readChangedSince(fromMs, signal, (stampMs) => {
        // Progress survives a crash: the next start catches up from here, not from the beginning.
        this.#ports.store.update(this.#ports.siteId, { lastCommit: new Date(stampMs).toISOString() });
      });
    } finally {
      this.#inCatchUp = false;
    }
    this.#catchUpFromMs = this.#nextCatchUpFromMs;
    this.#nextCatchUpFromMs = undefined;
    if (this.#catchUpFromMs !== undefined) return;
    this.#queue.endCatchUp(latest);
    this.#storePosition();
    this.#ports.note('info', `Live changes caught up: ${this.#appliedTotal() - before} ${objectType} records read since ${since}; following changes again.`);
    this.#setMode(this.#polling ? 'polling' : 'following', null);
  }

  /**
   * One query (and its further pages) for records with SystemModstamp at or after `fromMs`,
   * ordered by SystemModstamp, Id; applied 200 a call as each page arrives.
   * Returns the newest SystemModstamp seen (ms).
   */
  async #readChangedSince(
    fromMs: number,
    signal: AbortSignal,
    progress: (stampMs: number) => void,
    skip?: ReadonlySet<string>,
    atLatest: Set<string> = new Set(),
  ): Promise<number | undefined> {
    const session = this.#requireSession();
    const fields = [...new Set(['Id', 'SystemModstamp', ...session.selectFields])];
    const soql = `SELECT ${fields.join(', ')} FROM ${this.#ports.objectType} WHERE SystemModstamp >= ${soqlDateTime(fromMs)} ORDER BY SystemModstamp, Id`;
    const conn = await this.#ports.openApi(this.#ports.connectionId);
    let latest: number | undefined;
    await this.#ports.forSite(async () => {
      let page = await conn.request<QueryPage<Record<string, unknown>>>(`/query?q=${encodeURIComponent(soql)}`);
      this.#counts.apiCalls += 1;
      for (;;) {
        if (signal.aborted) return;
        const records = page.records.filter((record) => skip === undefined || !skip.has(`${String(record['Id'])}@${String(record['SystemModstamp'])}`));
        this.#counts.received += records.length;
        for (let i = 0; i < records.length; i += LIVE_APPLY_BATCH) {
          const chunk = records.slice(i, i + LIVE_APPLY_BATCH);
          const result = await session.applyRecords(chunk, signal);
          this.#record(result);
          const stamp = Date.parse(String(chunk.at(-1)?.['SystemModstamp'] ?? ''));
          if (Number.isFinite(stamp)) progress(stamp);
        }
        for (const record of page.records) {
          const stamp = Date.parse(String(record['SystemModstamp'] ?? ''));
          if (!Number.isFinite(stamp)) continue;
          const key = `${String(record['Id'])}@${String(record['SystemModstamp'])}`;
          if (latest === undefined || Math.floor(stamp / 1000) > Math.floor(latest / 1000)) atLatest.clear();
          if (latest === undefined || Math.floor(stamp / 1000) >= Math.floor(latest / 1000)) atLatest.add(key);
          latest = Math.max(latest ?? stamp, stamp);
        }
        if (page.done || !page.nextRecordsUrl) return;
        page = await conn.request<QueryPage<Record<string, unknown>>>(page.nextRecordsUrl);
        this.#counts.apiCalls += 1;
      }
    });
    return latest;
  }

  /** Stores the newest SystemModstamp of the object as the last known change time (one query). */
  async #markPosition(conn: Connection): Promise<string> {
    const { objectType, siteId, store } = this.#ports;
    const soql = `SELECT SystemModstamp FROM ${objectType} ORDER BY SystemModstamp DESC LIMIT 1`;
    const page = await this.#ports.forSite(() => conn.request<QueryPage<{ SystemModstamp?: string }>>(`/query?q=${encodeURIComponent(soql)}`));
    this.#counts.apiCalls += 1;
    const newest = page.records[0]?.SystemModstamp;
    const position = new Date(newest ? Date.parse(newest) : 0).toISOString();
    if (store.get(siteId)?.lastCommit == null) store.update(siteId, { lastCommit: position });
    return position;
  }

  /** Polling: one query per interval for records changed since the last one. */
  async #pollLoop(signal: AbortSignal): Promise<void> {
    const { store, siteId, objectType } = this.#ports;
    let boundary = new Set<string>();
    const pollingSince = Date.now();
    while (!signal.aborted) {
      if (Date.now() - pollingSince >= this.#ports.cdcRecheckMs()) {
        this.#polling = false;
        this.#recheckingCdc = true;
        return;
      }
      const seconds = Math.round(this.#ports.pollIntervalMs() / 1000);
      const row = store.get(siteId);
      if (this.#catchUpFromMs !== undefined) {
        await this.#catchUp(signal);
        continue;
      }
      const position = row?.pollModstamp ?? row?.lastCommit ?? null;
      if (position === null) {
        // First poll: where "now" is on Salesforce's clock (the newest SystemModstamp), so a
        // skewed laptop clock can neither skip changes nor re-read the whole object.
        const conn = await this.#ports.openApi(this.#ports.connectionId);
        store.update(siteId, { pollModstamp: await this.#markPosition(conn), channel: null });
      } else {
        const fromMs = Date.parse(position);
        const seen = new Set<string>();
        const latest = await this.#readChangedSince(fromMs, signal, () => undefined, boundary, seen);
        // The filter has whole seconds: records stamped in the newest second are read again
        // next time; remember them so they are not applied twice.
        if (latest !== undefined) {
          boundary = seen;
          store.update(siteId, { pollModstamp: new Date(latest).toISOString(), lastCommit: new Date(latest).toISOString() });
        }
        this.#storePosition();
      }
      this.#setMode('polling', `Change Data Capture is not enabled for ${objectType}: polling every ${seconds} s.`);
      await waitFor(this.#ports.pollIntervalMs(), signal).catch(() => undefined);
    }
  }

  // ---- bookkeeping ----

  #record(result: LiveApplyResult): void {
    this.#counts.created += result.created;
    this.#counts.updated += result.updated;
    this.#counts.unchanged += result.unchanged;
    this.#counts.failed += result.failed;
    this.#counts.skipped += result.skipped;
    this.#counts.apiCalls += result.apiCalls;
    this.#counts.batches += 1;
    this.#ports.changed();
  }

  #appliedTotal(): number {
    return this.#counts.created + this.#counts.updated + this.#counts.unchanged + this.#counts.failed + this.#counts.skipped;
  }

  /** After a batch was applied and recorded: the replay id and commit time it is safe to keep. */
  #storePosition(): void {
    const replayId = this.#queue.safeReplayId();
    const covered = this.#queue.coveredCommitMs;
    const row = this.#ports.store.get(this.#ports.siteId);
    const lastCommitMs = row?.lastCommit ? Date.parse(row.lastCommit) : undefined;
    this.#ports.store.update(this.#ports.siteId, {
      ...(replayId === undefined ? {} : { replayId }),
      ...(covered !== undefined && (lastCommitMs === undefined || covered > lastCommitMs) ? { lastCommit: new Date(covered).toISOString() } : {}),
    });
    if (replayId !== undefined) this.#replayOverride = undefined;
  }

  #requireSession(): LivePullSession {
    if (this.#session === undefined) throw new AppError('INTERNAL', 'The live pull session is not open.');
    return this.#session;
  }

  #closeSession(outcome: 'completed' | 'cancelled' | 'failed', message?: string): void {
    const session = this.#session;
    this.#session = undefined;
    if (session === undefined) return;
    try {
      session.close(outcome, message);
    } catch (error) {
      this.#ports.log.warn('could not close the live pull run', { siteId: this.#ports.siteId, error });
    }
  }

  #setMode(mode: ChangeFeedMode, message: string | null): void {
    if (this.#mode === mode && this.#message === message) return;
    this.#mode = mode;
    this.#message = message;
    this.#ports.changed();
  }
}

/**
 * Salesforce or WordPress out of reach, a refused session, a subscription that timed out, the
 * API limit: worth retrying with back-off. A problem only the admin can fix (the site or
 * connection gone, reauthorization, a query Salesforce refuses) stops the feed with its message.
 */
function retryable(error: unknown): boolean {
  if (error instanceof SubscribeError) return true;
  if (isUnreachable(error)) return true;
  if (error instanceof AppError) return ['NETWORK_ERROR', 'REQUEST_TIMEOUT', 'REQUEST_LIMIT_EXCEEDED', 'CONFLICT'].includes(error.code);
  return isAuthorizationLost(error) ? false : errorCodeOf(error) === '';
}

function describe(error: unknown): string {
  if (error instanceof SubscribeError) return error.kind === 'timeout' ? error.message : `Salesforce refused the subscription (${error.message}).`;
  if (error instanceof AppError) return error.message;
  return 'Salesforce or WordPress could not be reached.';
}
