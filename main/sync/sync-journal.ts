/**
 * The sync's journal and run history in the local database.
 *
 * Write-ahead: `beginBatch` commits a batch's keys (state `sending`) before the batch leaves;
 * `finishBatch` commits its records' outcomes and marks it `answered` in one transaction. So
 * after a crash at any instant, a `sending` batch is exactly one whose fate only Salesforce
 * knows, and recovery looks its keys up instead of sending it again blindly.
 */
import type { LocalDatabase } from '../platform/local-database';
import type { FieldChange } from './push-planner';

export type RunState = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export type RecordOutcome = 'created' | 'updated' | 'unchanged' | 'failed' | 'invalid' | 'conflict' | 'recovered';

export interface RunRow {
  readonly id: string;
  readonly site_id: string;
  readonly direction: 'push' | 'pull';
  /** 'live': the change feed's run (live-pull.ts), open while the feed follows the site. */
  readonly origin: 'manual' | 'live';
  readonly state: RunState;
  readonly owner_pid: number | null;
  readonly object_type: string;
  readonly match_kind: string;
  readonly match_field: string;
  readonly strategy: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly invalid: number;
  readonly conflict: number;
  readonly api_calls: number;
  readonly error_code: string | null;
  readonly message: string | null;
}

export interface BatchKey {
  readonly wp: number;
  readonly key: string;
}

export interface BatchRow {
  readonly id: number;
  readonly run_id: string;
  readonly operation: string;
  readonly state: 'sending' | 'answered' | 'recovered';
  readonly keys: string;
  readonly bulk_job_id: string | null;
}

export interface OutcomeRow {
  readonly wpUserId: number;
  readonly matchValue: string | null;
  readonly salesforceId: string | null;
  readonly outcome: RecordOutcome;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  readonly changes?: readonly FieldChange[] | null;
  /**
   * Salesforce refused these exact values for good (push-refusals.ts): remembered with the
   * outcome, in its transaction, so an unchanged re-run does not send them again.
   */
  readonly refusedHash?: string;
}

export interface RecordRow {
  readonly run_id: string;
  /** Null for a pull's create that failed. */
  readonly wp_user_id: number | null;
  readonly match_value: string | null;
  readonly salesforce_id: string | null;
  readonly outcome: RecordOutcome;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly changes: string | null;
}

export interface PullOutcomeRow {
  readonly salesforceId: string;
  readonly wpUserId: number | null;
  readonly matchValue: string | null;
  readonly outcome: Exclude<RecordOutcome, 'recovered'>;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  readonly changes?: readonly FieldChange[] | null;
}

export interface NewRun {
  readonly direction?: 'push' | 'pull';
  readonly origin?: 'manual' | 'live';
  readonly id: string;
  readonly siteId: string;
  readonly objectType: string;
  readonly matchKind: string;
  readonly matchField: string;
  readonly strategy: string;
  readonly startedAt: string;
}

export class SyncJournal {
  readonly #db: LocalDatabase;
  readonly #pid: number;

  constructor(db: LocalDatabase, pid: number = process.pid) {
    this.#db = db;
    this.#pid = pid;
  }

  startRun(run: NewRun): void {
    this.#db.run(
      `INSERT INTO sync_runs (id, site_id, direction, origin, state, owner_pid, object_type, match_kind, match_field, strategy, started_at)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
      [run.id, run.siteId, run.direction ?? 'push', run.origin ?? 'manual', this.#pid, run.objectType, run.matchKind, run.matchField, run.strategy, run.startedAt],
    );
  }

  setStrategy(runId: string, strategy: string, total: number): void {
    this.#db.run('UPDATE sync_runs SET strategy = ?, total = ? WHERE id = ?', [strategy, total, runId]);
  }

  /** Outcomes known without sending anything (unchanged, invalid, conflict). */
  record(runId: string, outcomes: readonly OutcomeRow[]): void {
    if (outcomes.length === 0) return;
    this.#db.transaction(() => this.#insertOutcomes(runId, outcomes));
  }

  /** A pull's outcomes (keyed by the Salesforce record: a failed create has no WordPress user). */
  recordPull(runId: string, outcomes: readonly PullOutcomeRow[]): void {
    if (outcomes.length === 0) return;
    this.#db.transaction(() => {
      for (const row of outcomes) {
        this.#db.run(
          `INSERT INTO sync_pull_records (run_id, salesforce_id, wp_user_id, match_value, outcome, error_code, error_message, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (run_id, salesforce_id) DO UPDATE SET wp_user_id = excluded.wp_user_id, outcome = excluded.outcome, error_code = excluded.error_code, error_message = excluded.error_message, changes = COALESCE(excluded.changes, changes)`,
          [runId, row.salesforceId, row.wpUserId, row.matchValue, row.outcome, row.errorCode ?? null, row.errorMessage ?? null, row.changes ? JSON.stringify(row.changes) : null],
        );
      }
    });
  }

  /** Committed before the batch is sent. */
  beginBatch(runId: string, operation: string, keys: Iterable<BatchKey>, now: string): number {
    // Built key by key: a Bulk job's batch holds every key of its operation (100,000 users).
    const parts: string[] = [];
    for (const key of keys) parts.push(JSON.stringify({ wp: key.wp, key: key.key }));
    return this.#db.run(`INSERT INTO sync_batches (run_id, operation, state, size, keys, sent_at) VALUES (?, ?, 'sending', ?, ?, ?)`, [runId, operation, parts.length, `[${parts.join(',')}]`, now]).lastInsertRowid;
  }

  setBulkJob(batchId: number, jobId: string): void {
    this.#db.run('UPDATE sync_batches SET bulk_job_id = ? WHERE id = ?', [jobId, batchId]);
  }

  /** Committed after Salesforce answered: the outcomes and the batch's state together. */
  finishBatch(runId: string, batchId: number, outcomes: Iterable<OutcomeRow>, now: string, state: 'answered' | 'recovered' = 'answered'): void {
    this.#db.transaction(() => {
      this.#insertOutcomes(runId, outcomes);
      this.#db.run('UPDATE sync_batches SET state = ?, answered_at = ? WHERE id = ?', [state, now, batchId]);
    });
  }

  finishRun(runId: string, state: Exclude<RunState, 'running'>, finishedAt: string, apiCalls: number, error?: { code: string; message: string }): RunRow {
    this.#db.run('UPDATE sync_runs SET state = ?, finished_at = ?, api_calls = ?, error_code = ?, message = ? WHERE id = ?', [state, finishedAt, apiCalls, error?.code ?? null, error?.message ?? null, runId]);
    return this.run(runId)!;
  }

  run(runId: string): RunRow | undefined {
    return this.#db.get<RunRow>('SELECT * FROM sync_runs WHERE id = ?', [runId]);
  }

  runs(siteId?: string, limit = 100): RunRow[] {
    return siteId === undefined
      ? this.#db.all<RunRow>('SELECT * FROM sync_runs ORDER BY started_at DESC, rowid DESC LIMIT ?', [limit])
      : this.#db.all<RunRow>('SELECT * FROM sync_runs WHERE site_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?', [siteId, limit]);
  }

  records(runId: string, options: { outcome?: RecordOutcome; search?: string; offset?: number; limit?: number } = {}): { total: number; rows: RecordRow[] } {
    const table = this.run(runId)?.direction === 'pull' ? 'sync_pull_records' : 'sync_records';
    const where = ['run_id = ?'];
    const params: (string | number)[] = [runId];
    if (options.outcome) {
      where.push('outcome = ?');
      params.push(options.outcome);
    }
    if (options.search) {
      where.push("(match_value LIKE ? ESCAPE '\\' OR salesforce_id = ? OR CAST(wp_user_id AS TEXT) = ?)");
      params.push(`%${options.search.replace(/[\\%_]/g, '\\$&')}%`, options.search, options.search);
    }
    const clause = where.join(' AND ');
    const total = this.#db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${clause}`, params)?.n ?? 0;
    const rows = this.#db.all<RecordRow>(`SELECT * FROM ${table} WHERE ${clause} ORDER BY wp_user_id, salesforce_id LIMIT ? OFFSET ?`, [...params, options.limit ?? 500, options.offset ?? 0]);
    return { total, rows };
  }

  /** The record id of every user the run wrote or found (for the Topics that follow the fields). */
  recordIds(runId: string): Map<number, string> {
    const rows = this.#db.all<{ wp_user_id: number; salesforce_id: string }>("SELECT wp_user_id, salesforce_id FROM sync_records WHERE run_id = ? AND salesforce_id IS NOT NULL AND outcome IN ('created', 'updated', 'unchanged', 'recovered')", [runId]);
    return new Map(rows.map((row) => [row.wp_user_id, row.salesforce_id]));
  }

  /** Runs left `running` by a process that is gone (or by this one, before a restart of the service). */
  abandonedRuns(siteId: string, isLive: (pid: number) => boolean): RunRow[] {
    return this.#db.all<RunRow>("SELECT * FROM sync_runs WHERE site_id = ? AND state = 'running'", [siteId]).filter((run) => run.owner_pid === null || !isLive(run.owner_pid));
  }

  /**
   * A run another live process is doing for this site. A live-pull run (origin 'live') stays
   * open while the change feed follows the site and holds the site only while it applies a
   * batch, so it never makes the site busy.
   */
  liveRunElsewhere(siteId: string, isLive: (pid: number) => boolean): RunRow | undefined {
    return this.#db.all<RunRow>("SELECT * FROM sync_runs WHERE site_id = ? AND state = 'running' AND origin = 'manual'", [siteId]).find((run) => run.owner_pid !== null && run.owner_pid !== this.#pid && isLive(run.owner_pid));
  }

  /**
   * Batches whose answer never arrived, in this site's runs that no live process is doing:
   * interrupted runs, and runs stopped early (authorization lost, API limit).
   */
  unfinished(siteId: string, isLive: (pid: number) => boolean): { run: RunRow; batches: BatchRow[] }[] {
    const runs = this.#db.all<RunRow>("SELECT * FROM sync_runs WHERE site_id = ? AND id IN (SELECT run_id FROM sync_batches WHERE state = 'sending')", [siteId]);
    return runs
      .filter((run) => run.state !== 'running' || run.owner_pid === null || run.owner_pid === this.#pid || !isLive(run.owner_pid))
      .map((run) => ({ run, batches: this.openBatches(run.id) }));
  }

  /** Marks a run whose process died as interrupted (its unfinished batches recovered first). */
  markInterrupted(runId: string, now: string, message: string): void {
    this.#db.run("UPDATE sync_runs SET state = 'interrupted', finished_at = COALESCE(finished_at, ?), message = COALESCE(message, ?) WHERE id = ? AND state = 'running'", [now, message, runId]);
  }

  openBatches(runId: string): BatchRow[] {
    return this.#db.all<BatchRow>("SELECT id, run_id, operation, state, keys, bulk_job_id FROM sync_batches WHERE run_id = ? AND state = 'sending' ORDER BY id", [runId]);
  }

  /** Recomputes a run's counts from its records (after recovery or at the end). */
  recount(runId: string): void {
    const table = this.run(runId)?.direction === 'pull' ? 'sync_pull_records' : 'sync_records';
    const counts = this.#db.all<{ outcome: RecordOutcome; n: number }>(`SELECT outcome, COUNT(*) AS n FROM ${table} WHERE run_id = ? GROUP BY outcome`, [runId]);
    const by = new Map(counts.map((row) => [row.outcome, row.n]));
    this.#db.run('UPDATE sync_runs SET created = ?, updated = ?, unchanged = ?, failed = ?, invalid = ?, conflict = ? WHERE id = ?', [
      (by.get('created') ?? 0) + (by.get('recovered') ?? 0),
      by.get('updated') ?? 0,
      by.get('unchanged') ?? 0,
      by.get('failed') ?? 0,
      by.get('invalid') ?? 0,
      by.get('conflict') ?? 0,
      runId,
    ]);
  }

  #insertOutcomes(runId: string, outcomes: Iterable<OutcomeRow>): void {
    const siteId = this.run(runId)?.site_id;
    // Most sites have no refusal: then a written record has none to forget.
    let refusals = siteId !== undefined && this.#db.get('SELECT 1 AS one FROM sync_refusals WHERE site_id = ? LIMIT 1', [siteId]) !== undefined;
    for (const row of outcomes) {
      if (siteId !== undefined && row.refusedHash !== undefined && row.errorCode) {
        this.#db.run(
          `INSERT INTO sync_refusals (site_id, wp_user_id, values_hash, error_code, error_message, refused_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (site_id, wp_user_id) DO UPDATE SET values_hash = excluded.values_hash, error_code = excluded.error_code, error_message = excluded.error_message, refused_at = excluded.refused_at`,
          [siteId, row.wpUserId, row.refusedHash, row.errorCode, row.errorMessage ?? '', new Date().toISOString()],
        );
        refusals = true;
      } else if (refusals && (row.outcome === 'created' || row.outcome === 'updated' || row.outcome === 'recovered')) {
        this.#db.run('DELETE FROM sync_refusals WHERE site_id = ? AND wp_user_id = ?', [siteId!, row.wpUserId]);
      }
      this.#db.run(
        `INSERT INTO sync_records (run_id, wp_user_id, match_value, salesforce_id, outcome, error_code, error_message, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, wp_user_id) DO UPDATE SET salesforce_id = excluded.salesforce_id, outcome = excluded.outcome, error_code = excluded.error_code, error_message = excluded.error_message, changes = COALESCE(excluded.changes, changes)`,
        [runId, row.wpUserId, row.matchValue, row.salesforceId, row.outcome, row.errorCode ?? null, row.errorMessage ?? null, row.changes ? JSON.stringify(row.changes) : null],
      );
    }
  }
}
