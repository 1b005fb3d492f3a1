/**
 * The pull's journal: WordPress writes batch by batch, write-ahead.
 *
 * `begin` commits a batch's records (state `sending`) before any of its writes leaves;
 * `finish` commits their outcomes and marks the batch `answered` in one transaction. After a
 * crash at any instant, a `sending` batch is exactly one whose fate only WordPress knows:
 * recovery (pull-recovery.ts) looks its e-mails up in WordPress instead of creating the users
 * again. Kept apart from the push's batches (sync_batches), whose recovery asks Salesforce.
 */
import type { LocalDatabase } from '../platform/local-database';
import type { PullOutcomeRow, RunRow } from './sync-journal';

export interface PullBatchItem {
  /** The Salesforce record id. */
  readonly sf: string;
  readonly email: string;
  /** The WordPress user an update goes to; null for a create. */
  readonly wp: number | null;
  readonly kind: 'create' | 'update';
}

export interface PullBatchRow {
  readonly id: number;
  readonly run_id: string;
  readonly items: string;
}

export class PullJournal {
  readonly #db: LocalDatabase;
  readonly #pid: number;

  constructor(db: LocalDatabase, pid: number) {
    this.#db = db;
    this.#pid = pid;
  }

  /** Committed before the batch's writes leave. */
  begin(runId: string, siteId: string, items: readonly PullBatchItem[], now: string): number {
    return this.#db.run(`INSERT INTO sync_pull_batches (run_id, site_id, state, size, items, sent_at) VALUES (?, ?, 'sending', ?, ?, ?)`, [runId, siteId, items.length, JSON.stringify(items), now]).lastInsertRowid;
  }

  /** Committed after WordPress answered: the outcomes and the batch's state together. */
  finish(runId: string, batchId: number, outcomes: readonly PullOutcomeRow[], now: string, state: 'answered' | 'recovered' = 'answered'): void {
    this.#db.transaction(() => {
      this.#insert(runId, outcomes);
      this.#db.run('UPDATE sync_pull_batches SET state = ?, answered_at = ? WHERE id = ?', [state, now, batchId]);
    });
  }

  /** Outcomes of part of a batch that stopped half way (the batch stays `sending`). */
  record(runId: string, outcomes: readonly PullOutcomeRow[]): void {
    if (outcomes.length > 0) this.#db.transaction(() => this.#insert(runId, outcomes));
  }

  /** Which of these records already have an outcome in the run. */
  answered(runId: string, salesforceIds: readonly string[]): Set<string> {
    if (salesforceIds.length === 0) return new Set();
    const rows = this.#db.all<{ salesforce_id: string }>(`SELECT salesforce_id FROM sync_pull_records WHERE run_id = ? AND salesforce_id IN (${salesforceIds.map(() => '?').join(', ')})`, [runId, ...salesforceIds]);
    return new Set(rows.map((row) => row.salesforce_id));
  }

  /**
   * Batches left `sending` in this site's runs that no live process is doing: the process
   * died, or the run stopped (WordPress went away) between a batch's start and its answer.
   */
  unfinished(siteId: string, isLive: (pid: number) => boolean): { run: RunRow; batches: PullBatchRow[] }[] {
    const runs = this.#db.all<RunRow>("SELECT * FROM sync_runs WHERE id IN (SELECT run_id FROM sync_pull_batches WHERE site_id = ? AND state = 'sending')", [siteId]);
    return runs
      .filter((run) => run.state !== 'running' || run.owner_pid === null || (run.owner_pid !== this.#pid && !isLive(run.owner_pid)))
      .map((run) => ({ run, batches: this.#db.all<PullBatchRow>("SELECT id, run_id, items FROM sync_pull_batches WHERE run_id = ? AND state = 'sending' ORDER BY id", [run.id]) }));
  }

  /** Pull runs of this site left `running` by a process that is gone. */
  abandonedRuns(siteId: string, isLive: (pid: number) => boolean): RunRow[] {
    return this.#db
      .all<RunRow>("SELECT * FROM sync_runs WHERE site_id = ? AND direction = 'pull' AND state = 'running'", [siteId])
      .filter((run) => run.owner_pid === null || (run.owner_pid !== this.#pid && !isLive(run.owner_pid)));
  }

  #insert(runId: string, outcomes: readonly PullOutcomeRow[]): void {
    for (const row of outcomes) {
      this.#db.run(
        `INSERT INTO sync_pull_records (run_id, salesforce_id, wp_user_id, match_value, outcome, error_code, error_message, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, salesforce_id) DO UPDATE SET wp_user_id = excluded.wp_user_id, outcome = excluded.outcome, error_code = excluded.error_code, error_message = excluded.error_message, changes = COALESCE(excluded.changes, changes)`,
        [runId, row.salesforceId, row.wpUserId, row.matchValue, row.outcome, row.errorCode ?? null, row.errorMessage ?? null, row.changes ? JSON.stringify(row.changes) : null],
      );
    }
  }
}
