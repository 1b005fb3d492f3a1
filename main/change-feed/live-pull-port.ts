/**
 * What the change feed needs from the sync's pull, as a port (features never import each
 * other): main/app hands over `SyncService.openLivePull`, which is structurally this. The
 * session applies the profile's pull mapping and records every record in one sync-history run.
 */
export interface LiveApplyResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly skipped: number;
  readonly apiCalls: number;
}

export interface LivePullSession {
  /** One sync-history run (direction 'pull', origin 'live'). */
  readonly runId: string;
  /** The profile's object (Contact, Lead, custom). */
  readonly objectType: string;
  /** Id, SystemModstamp and every field the pull mapping needs. */
  readonly selectFields: readonly string[];
  /** Applies records already read (every select field present), ≤ 200 a call. */
  applyRecords(records: readonly Record<string, unknown>[], signal?: AbortSignal): Promise<LiveApplyResult>;
  /** Reads these ids (one query per ≤ 200) and applies them; deleted or missing ids are skipped. */
  applyIds(ids: readonly string[], signal?: AbortSignal): Promise<LiveApplyResult>;
  close(outcome: 'completed' | 'cancelled' | 'failed', message?: string): void;
}

export type OpenLivePull = (siteId: string, options?: { readonly createUsers?: boolean; readonly role?: string }) => Promise<LivePullSession>;

/** Most ids one `applyIds` / `applyRecords` call takes (one SOQL `IN` list). */
export const LIVE_APPLY_BATCH = 200;
