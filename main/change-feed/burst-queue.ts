/**
 * The bounded queue between Change Data Capture events and the WordPress writes.
 *
 * Events carry only changed fields and arrive at least once, possibly out of order, so the
 * queue keeps record ids only (a second event for a waiting id is dropped as a duplicate) and
 * the apply step reads current values, which makes order irrelevant. It never holds more than
 * `cap` ids: past the cap it drops everything and reports the oldest commit it had not
 * applied, from which the feed catches up by SystemModstamp instead.
 *
 * Replay position: an event is covered when every id it named has been applied (or was
 * dropped into a catch-up that has finished). `safeReplayId()` is the highest replay id below
 * which every event is covered — the only id it is safe to store, so a crash replays rather
 * than loses.
 */

interface Waiting {
  /** The first (lowest) replay id that named this id while it waited. */
  readonly replayId: number;
  /** Commit time (ms) of that event. */
  readonly commitMs: number;
  /** The newest commit time that named this id. */
  latestCommitMs: number;
}

export interface ChangeEventRef {
  readonly replayId: number;
  readonly commitMs: number;
  readonly changeType: string;
  readonly recordIds: readonly string[];
}

export interface AcceptResult {
  readonly queued: number;
  readonly duplicates: number;
  readonly skipped: number;
  /** Set when the cap was passed: the queue was dropped; catch up from this commit time (ms). */
  readonly overflowFromMs?: number;
}

export interface TakenBatch {
  readonly ids: readonly string[];
  /** The newest commit time among the events behind these ids. */
  readonly latestCommitMs: number;
}

export class BurstQueue {
  readonly #cap: number;
  readonly #waiting = new Map<string, Waiting>();
  /** Ids handed out by take() and not yet settled. */
  readonly #inFlight = new Map<string, Waiting>();
  #highestReceived: number | undefined;
  /** While a catch-up runs, nothing at or below this replay id may be called covered. */
  #catchUpThrough: number | undefined;
  #coveredCommitMs: number | undefined;

  constructor(cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new Error(`The change queue needs a positive whole cap, not ${cap}.`);
    this.#cap = cap;
  }

  get size(): number {
    return this.#waiting.size;
  }

  get catchingUp(): boolean {
    return this.#catchUpThrough !== undefined;
  }

  /** Takes one event. DELETE events are counted skipped and never queued. */
  accept(event: ChangeEventRef): AcceptResult {
    if (this.#highestReceived === undefined || event.replayId > this.#highestReceived) this.#highestReceived = event.replayId;
    if (event.changeType.endsWith('DELETE')) {
      // DELETE / GAP_DELETE: the user stays in WordPress (the pull never deletes users).
      this.#noteCovered(event.commitMs);
      return { queued: 0, duplicates: 0, skipped: event.recordIds.length };
    }
    let queued = 0;
    let duplicates = 0;
    for (const id of event.recordIds) {
      const existing = this.#waiting.get(id);
      if (existing !== undefined) {
        duplicates += 1;
        if (event.commitMs > existing.latestCommitMs) existing.latestCommitMs = event.commitMs;
        continue;
      }
      this.#waiting.set(id, { replayId: event.replayId, commitMs: event.commitMs, latestCommitMs: event.commitMs });
      queued += 1;
    }
    if (this.#waiting.size > this.#cap) {
      const overflowFromMs = this.#dropAll(event.commitMs);
      return { queued, duplicates, skipped: 0, overflowFromMs };
    }
    return { queued, duplicates, skipped: 0 };
  }

  /** Up to `max` waiting ids, oldest first; they stay uncovered until `settle`. */
  take(max: number): TakenBatch | undefined {
    if (this.#waiting.size === 0) return undefined;
    const ids: string[] = [];
    let latestCommitMs = 0;
    for (const [id, waiting] of this.#waiting) {
      if (ids.length >= max) break;
      ids.push(id);
      this.#inFlight.set(id, waiting);
      latestCommitMs = Math.max(latestCommitMs, waiting.latestCommitMs);
    }
    for (const id of ids) this.#waiting.delete(id);
    return { ids, latestCommitMs };
  }

  /** The batch was applied and recorded. */
  settle(batch: TakenBatch): void {
    for (const id of batch.ids) this.#inFlight.delete(id);
    this.#noteCovered(batch.latestCommitMs);
  }

  /** The batch could not be applied (the feed stops or retries): its ids wait again, first. */
  giveBack(batch: TakenBatch): void {
    const again = new Map<string, Waiting>();
    for (const id of batch.ids) {
      const waiting = this.#inFlight.get(id);
      this.#inFlight.delete(id);
      if (waiting !== undefined) again.set(id, waiting);
    }
    for (const [id, waiting] of this.#waiting) if (!again.has(id)) again.set(id, waiting);
    this.#waiting.clear();
    for (const [id, waiting] of again) this.#waiting.set(id, waiting);
  }

  /**
   * Starts a catch-up that covers every event received so far (the caller reads every record
   * changed since the returned time). Used past the cap and past CDC's retention.
   */
  beginCatchUp(): void {
    this.#catchUpThrough = this.#highestReceived ?? Number.NEGATIVE_INFINITY;
  }

  /** The catch-up read everything changed up to its start: every event it covered is covered. */
  endCatchUp(latestCommitMs: number | undefined): void {
    this.#catchUpThrough = undefined;
    if (latestCommitMs !== undefined) this.#noteCovered(latestCommitMs);
  }

  /** Forgets the replay position (a replay id Salesforce no longer has). */
  resetReplay(): void {
    this.#highestReceived = undefined;
  }

  /**
   * The replay id it is safe to store now: every event at or below it is covered. Undefined
   * while nothing was received or a catch-up is running.
   */
  safeReplayId(): number | undefined {
    if (this.#catchUpThrough !== undefined || this.#highestReceived === undefined) return undefined;
    let lowest = Number.POSITIVE_INFINITY;
    for (const waiting of this.#waiting.values()) lowest = Math.min(lowest, waiting.replayId);
    for (const waiting of this.#inFlight.values()) lowest = Math.min(lowest, waiting.replayId);
    return lowest === Number.POSITIVE_INFINITY ? this.#highestReceived : Math.min(this.#highestReceived, lowest - 1);
  }

  /** The newest commit time of a covered change (for "last change applied"). */
  get coveredCommitMs(): number | undefined {
    return this.#coveredCommitMs;
  }

  /** The oldest commit time among ids waiting or in flight. */
  oldestUnappliedMs(): number | undefined {
    let oldest: number | undefined;
    for (const waiting of [...this.#waiting.values(), ...this.#inFlight.values()]) {
      if (oldest === undefined || waiting.commitMs < oldest) oldest = waiting.commitMs;
    }
    return oldest;
  }

  #dropAll(latestCommitMs: number): number {
    const oldest = Math.min(this.oldestUnappliedMs() ?? latestCommitMs, latestCommitMs);
    this.#waiting.clear();
    // In-flight ids finish normally; the catch-up reads them again (harmless: unchanged).
    this.beginCatchUp();
    return oldest;
  }

  #noteCovered(commitMs: number): void {
    if (this.#coveredCommitMs === undefined || commitMs > this.#coveredCommitMs) this.#coveredCommitMs = commitMs;
  }
}
