/**
 * What the sync shows the renderer (and the CLI): the dry-run preview, progress, runs and
 * their per-record outcomes. No secrets; Salesforce's own error codes and messages.
 */

export type SyncClass = 'create' | 'update' | 'unchanged' | 'invalid' | 'conflict';
export type SyncPhase = 'recovering' | 'reading' | 'looking-up' | 'writing' | 'done';
export type SyncStrategy = 'collections' | 'bulk';
export type SyncRunState = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export type SyncRecordOutcome = 'created' | 'updated' | 'unchanged' | 'failed' | 'invalid' | 'conflict' | 'recovered';

export interface SyncFieldChange {
  readonly field: string;
  readonly old: string | null;
  readonly new: string | null;
  /** Truncation on: `new` was cut to the field's length from a value this many characters long. */
  readonly truncatedFrom?: number;
}

/** One row of the preview: a WordPress user and what the run would do with it. */
export interface SyncPlanRow {
  /** Null for a user a pull would create. */
  readonly wpUserId: number | null;
  readonly key: string | null;
  readonly class: SyncClass;
  readonly salesforceId: string | null;
  readonly changes: readonly SyncFieldChange[];
  /** invalid / conflict: why. */
  readonly reason: string | null;
  /**
   * Push: Salesforce refused exactly these values before, so the run does not send them again
   * (it records the user as failed with Salesforce's remembered code and message; `reason` says
   * so). Sent again when the values change, or with "retry refused records".
   */
  readonly notResent?: boolean;
}

export interface SyncApiEstimate {
  /** Calls the plan itself made (lookups). */
  readonly planCalls: number;
  /** Calls the writes will take (Bulk: plus polls, estimated). */
  readonly writeCalls: number;
  /** The org's remaining daily API requests, when Salesforce said. */
  readonly remainingDaily: number | null;
  readonly maxDaily: number | null;
  /** writeCalls is above the share of remaining requests the settings allow: ask first. */
  readonly needsConfirmation: boolean;
  readonly shareLimit: number;
}

/** Which Salesforce records a pull imports. */
export type PullFilter = { readonly kind: 'all' } | { readonly kind: 'topic'; readonly name: string } | { readonly kind: 'picklist'; readonly value: string };

export interface PullOptionsDto {
  readonly filter: PullFilter;
  /** The WordPress role of users the pull creates. */
  readonly role: string;
}

export interface SyncPlanDto {
  readonly siteId: string;
  readonly direction?: 'push' | 'pull';
  readonly objectType: string;
  readonly matchKind: 'email' | 'external-id';
  readonly matchField: string;
  readonly users: number;
  readonly counts: Readonly<Record<SyncClass, number>>;
  /** Push: users refused before with the same values, not sent again (not in `counts`' create or update). */
  readonly notResent?: number;
  readonly strategy: SyncStrategy;
  readonly estimate: SyncApiEstimate;
  /** Creates, updates, invalid and conflicts first; at most `rowsLimit` rows. */
  readonly rows: readonly SyncPlanRow[];
  readonly rowsTruncated: boolean;
  readonly plannedAt: string;
}

export interface SyncProgressDto {
  readonly siteId: string;
  readonly runId: string;
  readonly phase: SyncPhase;
  readonly done: number;
  readonly total: number;
  /** Items a second over the run so far. */
  readonly rate: number;
  readonly etaSeconds: number | null;
}

export interface SyncRunDto {
  readonly id: string;
  readonly siteId: string;
  readonly direction: 'push' | 'pull';
  /** 'live': the change feed's run, applying Salesforce changes as they come (main/sync/live-pull.ts). */
  readonly origin?: 'manual' | 'live';
  readonly state: SyncRunState;
  readonly objectType: string;
  readonly matchField: string;
  readonly strategy: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly invalid: number;
  readonly conflict: number;
  readonly apiCalls: number;
  readonly errorCode: string | null;
  readonly message: string | null;
}

export interface SyncRecordDto {
  /** Null for a pull's create that failed. */
  readonly wpUserId: number | null;
  readonly matchValue: string | null;
  readonly salesforceId: string | null;
  readonly outcome: SyncRecordOutcome;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly changes: readonly SyncFieldChange[];
}

/** `sync:run`: a run and one page of its records (filtered by outcome or searched). */
export interface SyncRunPageDto {
  readonly run: SyncRunDto;
  /** Records matching the filter, all pages. */
  readonly total: number;
  readonly records: readonly SyncRecordDto[];
}
