/**
 * The live pull: what the change feed (main/change-feed) needs from the sync's pull
 * (main/sync), written once here because features never import each other. main/app hands
 * the feed `SyncService.openLivePull`. A session applies the profile's pull mapping and
 * records every record in one sync-history run.
 */

/** Most ids one `applyIds` / `applyRecords` call takes (one SOQL `IN` list). */
export const LIVE_APPLY_BATCH = 200;

export interface LivePullOptions {
  /** Create WordPress users for records no user has the e-mail of (default false: those are skipped). */
  readonly createUsers?: boolean;
  /** The role of users it creates (default 'subscriber'). */
  readonly role?: string;
}

export interface LiveApplyResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** WordPress refused the write, or the record cannot become a user (invalid e-mail, another record has it). */
  readonly failed: number;
  /** Not applied: no WordPress user has the e-mail and the session creates none, or (applyIds) the record is deleted or missing. */
  readonly skipped: number;
  /** Salesforce calls this call made (also counted for the site by the meter). */
  readonly apiCalls: number;
}

export interface LivePullSession {
  /** The sync-history run (direction 'pull', origin 'live') every outcome goes to. */
  readonly runId: string;
  /** The profile's object (Contact, Lead, custom). */
  readonly objectType: string;
  /** Id, SystemModstamp and every field the pull mapping needs: what records handed to applyRecords must have. */
  readonly selectFields: readonly string[];
  /** Applies Salesforce records already read (every selectField present), at most 200 a call. */
  applyRecords(records: readonly Record<string, unknown>[], signal?: AbortSignal): Promise<LiveApplyResult>;
  /** Reads these ids (one query per 200) and applies them; deleted or missing ids are counted skipped. */
  applyIds(ids: readonly string[], signal?: AbortSignal): Promise<LiveApplyResult>;
  /** Ends the run (after a batch being applied finishes). Calls after close are refused. */
  close(outcome: 'completed' | 'cancelled' | 'failed', message?: string): void;
}

/** Records per applyRecords call and ids per query. */

export type OpenLivePull = (siteId: string, options?: LivePullOptions) => Promise<LivePullSession>;
