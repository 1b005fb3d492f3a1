/**
 * The live change feed's shapes (issue 15): what `changes:status` answers per site and what
 * the `changes:status` event carries. Pure types and constants (no Node, no Electron).
 */

/**
 * - `off`: the site does not follow changes.
 * - `following`: subscribed to Change Data Capture (CometD), changes applied as they arrive.
 * - `polling`: the object is not selected for CDC; one SOQL query per interval on SystemModstamp.
 * - `paused`: the admin paused; the replay position is kept and resume replays from it.
 * - `catching-up`: reading every record changed since a time (past CDC's 72-hour retention,
 *   or after a burst larger than the queue), then back to following.
 * - `offline-retrying`: Salesforce unreachable or the session refused; retrying with back-off.
 * - `error`: stopped on a problem the admin must fix (the message says what).
 */
export type ChangeFeedMode = 'off' | 'following' | 'polling' | 'paused' | 'catching-up' | 'offline-retrying' | 'error';

export interface ChangeFeedCounts {
  /** Change events (or polled records) received. */
  readonly received: number;
  /** Events that named a record already waiting to be applied (at-least-once delivery). */
  readonly deduplicated: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  /** DELETE events, and ids no longer found in Salesforce: reported, never applied. */
  readonly skipped: number;
  /** Batches applied (≤ 200 records each). */
  readonly batches: number;
  /** Salesforce API calls the feed made for this site (queries; CometD calls are not API calls). */
  readonly apiCalls: number;
  /** Record ids waiting to be applied now. */
  readonly pending: number;
}

export interface ChangeFeedStatusDto {
  readonly siteId: string;
  readonly siteName: string;
  readonly mode: ChangeFeedMode;
  /** `/data/ContactChangeEvent` … when following CDC; null otherwise. */
  readonly channel: string | null;
  /** When polling: the interval in seconds. */
  readonly pollIntervalSeconds: number | null;
  /** Commit time (Salesforce's clock) of the newest change applied, ISO 8601. */
  readonly lastChangeAt: string | null;
  /** The stored replay id (advanced only after the changes it covers were applied). */
  readonly replayId: number | null;
  readonly counts: ChangeFeedCounts;
  /** The sync-history run the applied changes are recorded in (null while none is open). */
  readonly runId: string | null;
  /** What the feed is doing or why, in words for the admin (polling because …, catching up since …). */
  readonly message: string | null;
  readonly updatedAt: string;
}

/** The poll interval's default and limits (seconds), shared by main, the contract and the Settings page. */
export const CHANGE_FEED_POLL_DEFAULT_SECONDS = 60;
export const CHANGE_FEED_POLL_LIMITS = Object.freeze({ min: 5, max: 3_600 });

export const EMPTY_CHANGE_FEED_COUNTS: ChangeFeedCounts = Object.freeze({
  received: 0,
  deduplicated: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  failed: 0,
  skipped: 0,
  batches: 0,
  apiCalls: 0,
  pending: 0,
});
